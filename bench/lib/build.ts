/**
 * The gateway runs as compiled JavaScript, as in production (`npm start` builds, then runs
 * `node dist/cli/main.js`): no TypeScript loader in the process, whose hooks thread would add its
 * own heap to the RSS and its transpiling to the start-up time. The helper processes
 * (bench/proc/*.ts) and the command line (src/cli/main.ts), with what they import, are compiled
 * with the project's compiler options into node_modules/.cache/iec104-bench (ignored by git):
 * again only when a source changed, and at most once per suite process, so every process of a
 * suite runs the same code even while the sources are being edited. Each suite's result names the
 * sources it ran (a hash, and the files of src/ that differ from the commit).
 */

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { BENCH_DIR, REPO_ROOT } from "./results.js";

export const BUILD_DIR = resolve(REPO_ROOT, "node_modules/.cache/iec104-bench");
const SOURCES = [resolve(REPO_ROOT, "src"), resolve(BENCH_DIR, "lib"), resolve(BENCH_DIR, "proc")];
const STAMP = resolve(BUILD_DIR, "stamp.txt");

/** What a suite ran: a hash of the TypeScript sources, and the files of src/ not as committed. */
export interface SourceState {
  hash: string;
  uncommitted: string[];
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

function sourceHash(): string {
  const h = createHash("sha1");
  for (const f of SOURCES.flatMap(tsFiles).sort()) h.update(relative(REPO_ROOT, f)).update(readFileSync(f));
  h.update(readFileSync(resolve(REPO_ROOT, "tsconfig.json")));
  return h.digest("hex").slice(0, 12);
}

function uncommitted(): string[] {
  try {
    const out = execFileSync("git", ["status", "--porcelain", "--", "src"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 5000,
    });
    return out.split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

let built: SourceState | undefined;

/** The sources this process's helpers were compiled from (undefined before compiledRoot). */
export function builtSource(): SourceState | undefined {
  return built;
}

/** Compiles if needed; returns the directory holding `src/` and `bench/` as JavaScript. */
export function compiledRoot(log: (m: string) => void = (m) => process.stderr.write(`${m}\n`)): string {
  if (built !== undefined) return BUILD_DIR;
  const hash = sourceHash();
  built = { hash, uncommitted: uncommitted() };
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === hash) return BUILD_DIR;
  log(`compiling the gateway and the bench processes into ${BUILD_DIR}`);
  mkdirSync(BUILD_DIR, { recursive: true });
  const procs = readdirSync(resolve(BENCH_DIR, "proc")).filter((f) => f.endsWith(".ts"));
  const tsconfig = {
    extends: resolve(REPO_ROOT, "tsconfig.json"),
    compilerOptions: {
      outDir: BUILD_DIR,
      rootDir: REPO_ROOT,
      noEmit: false,
      sourceMap: true,
      declaration: false,
      incremental: false,
    },
    files: [resolve(REPO_ROOT, "src/cli/main.ts"), ...procs.map((f) => resolve(BENCH_DIR, "proc", f))],
    include: [],
  };
  const project = resolve(BUILD_DIR, "tsconfig.json");
  writeFileSync(project, JSON.stringify(tsconfig, null, 2));
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", project], { cwd: REPO_ROOT, stdio: "inherit" });
  // src/app.ts reads its version from ../package.json.
  copyFileSync(resolve(REPO_ROOT, "package.json"), resolve(BUILD_DIR, "package.json"));
  writeFileSync(STAMP, hash);
  return BUILD_DIR;
}
