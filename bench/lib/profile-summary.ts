/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): the top functions by self time with file:line,
 * mapped back to the TypeScript source through the compiled files' source maps, and the self time
 * per file (or per package under node_modules).
 *
 *   tsx bench/lib/profile-summary.ts FILE.cpuprofile|DIR [...] [--top 20]
 *
 * To profile the gateway process of a suite: `BENCH_CPU_PROF_DIR=/tmp/prof tsx bench/e2e.ts`
 * (each gateway process writes one profile when it exits).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { SourceMap } from "node:module";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { BUILD_DIR } from "./build.js";
import { REPO_ROOT } from "./results.js";
import { renderTable } from "./table.js";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  samples: number[];
  timeDeltas: number[];
}

export interface Entry {
  name: string;
  where: string;
  /** Self time in ms. */
  selfMs: number;
}

const maps = new Map<string, SourceMap | undefined>();

function sourceMap(file: string): SourceMap | undefined {
  if (!maps.has(file)) {
    const map = `${file}.map`;
    maps.set(file, existsSync(map) ? new SourceMap(JSON.parse(readFileSync(map, "utf8"))) : undefined);
  }
  return maps.get(file);
}

/** `path:line` of a frame, relative to the repository, in the TypeScript source where known. */
function location(f: CallFrame): { file: string; where: string } {
  if (f.url === "") return { file: "(native)", where: "" };
  if (!f.url.startsWith("file:")) return { file: f.url, where: `${f.url}:${f.lineNumber + 1}` };
  let file = fileURLToPath(f.url);
  let line = f.lineNumber + 1;
  const entry = sourceMap(file)?.findEntry(f.lineNumber, f.columnNumber);
  if (entry !== undefined && "originalSource" in entry) {
    file = entry.originalSource.startsWith("file:")
      ? fileURLToPath(entry.originalSource)
      : resolve(file, "..", entry.originalSource);
    line = entry.originalLine + 1;
  }
  const base = file.startsWith(BUILD_DIR) ? BUILD_DIR : REPO_ROOT;
  const rel = relative(base, file);
  return { file: rel, where: `${rel}:${line}` };
}

/** A file's group: the package for node_modules, `node:` internals, else the file. */
function groupOf(file: string): string {
  const nm = file.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const parts = file.slice(nm + 13).split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  return file.startsWith("node:") ? "node: (internals)" : file;
}

export function summarizeProfile(p: CpuProfile): {
  totalMs: number;
  idleMs: number;
  functions: Entry[];
  files: { name: string; selfMs: number }[];
} {
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + dt);
  }
  const byFunction = new Map<string, Entry>();
  const byFile = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  for (const n of p.nodes) {
    const ms = self.get(n.id) ?? 0;
    totalMs += ms;
    if (n.callFrame.functionName === "(idle)") {
      idleMs += ms;
      continue;
    }
    const { file, where } = location(n.callFrame);
    const name = n.callFrame.functionName || "(anonymous)";
    const key = `${name} ${where}`;
    const e = byFunction.get(key) ?? { name, where, selfMs: 0 };
    e.selfMs += ms;
    byFunction.set(key, e);
    const g = groupOf(file);
    byFile.set(g, (byFile.get(g) ?? 0) + ms);
  }
  const functions = [...byFunction.values()].sort((a, b) => b.selfMs - a.selfMs);
  const files = [...byFile].map(([name, selfMs]) => ({ name, selfMs })).sort((a, b) => b.selfMs - a.selfMs);
  return { totalMs, idleMs, functions, files };
}

export function formatProfile(file: string, top: number): string {
  const s = summarizeProfile(JSON.parse(readFileSync(file, "utf8")) as CpuProfile);
  const busy = s.totalMs - s.idleMs;
  const pct = (ms: number) => `${((ms / busy) * 100).toFixed(1)}%`;
  const fns = s.functions.slice(0, top).map((e) => [e.name, e.selfMs.toFixed(1), pct(e.selfMs), e.where]);
  const files = s.files.slice(0, 12).map((f) => [f.name, f.selfMs.toFixed(1), pct(f.selfMs)]);
  return [
    `${file}: ${(s.totalMs / 1000).toFixed(2)} s profiled, ${(busy / 1000).toFixed(2)} s busy (not idle)`,
    "",
    renderTable(["function", "self ms", "of busy", "where"], fns),
    "",
    renderTable(["file or package", "self ms", "of busy"], files),
  ].join("\n");
}

function profilesIn(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => f.endsWith(".cpuprofile"))
    .sort()
    .map((f) => join(path, f));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    options: { top: { type: "string", default: "20" } },
    allowPositionals: true,
  });
  if (positionals.length === 0) {
    console.error("usage: tsx bench/lib/profile-summary.ts FILE.cpuprofile|DIR [...] [--top 20]");
    process.exitCode = 2;
  } else {
    for (const f of positionals.flatMap(profilesIn)) console.log(`${formatProfile(f, Number(values.top))}\n`);
  }
}
