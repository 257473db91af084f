/**
 * Benchmark runner: `npm run bench [-- --quick] [-- --only codec,latency] [-- --list]`.
 *
 * Every `bench/<name>.ts` is a suite (helpers live in bench/lib/). Each suite runs in a process of
 * its own, one after the other, so suites do not share a heap, a JIT state or open sockets, and a
 * suite that measures memory or start-up sees a fresh process. A suite writes its result to the file
 * named in BENCH_RESULT_FILE; the runner merges all of them into bench/results/latest.json by suite
 * name (suites not run keep their entries) and prints a summary.
 *
 * --quick   short runs: proves every suite works (CI), the figures are rough
 * --only    comma-separated suite names (may be repeated)
 * --list    print the suites and exit
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { describeMachine, machineInfo } from "./lib/machine.js";
import {
  BENCH_DIR,
  LATEST_FILE,
  mergeResults,
  QUICK_FILE,
  REPO_ROOT,
  RESULT_FILE_ENV,
  RESULTS_DIR,
  type SuiteResult,
} from "./lib/results.js";
import { nowMs } from "./lib/stats.js";

/** Suites known to come first, in this order; any other suite file follows alphabetically. */
const PREFERRED_ORDER = ["codec", "gi", "throughput", "e2e", "latency", "memory", "startup"];

/** Flags for every suite process: `global.gc()` for suites that settle the heap between runs. */
const SUITE_NODE_FLAGS = ["--expose-gc"];

function discoverSuites(): string[] {
  const names = readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && f !== "run.ts")
    .map((f) => f.slice(0, -3));
  const rank = (n: string) => {
    const i = PREFERRED_ORDER.indexOf(n);
    return i === -1 ? PREFERRED_ORDER.length : i;
  };
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Runs one suite file in a child process with the same TypeScript loader as this one (tsx). */
function runSuiteProcess(name: string, quick: boolean): Promise<{ result?: SuiteResult; error?: string }> {
  const resultFile = resolve(RESULTS_DIR, `${name}.${process.pid}.tmp.json`);
  rmSync(resultFile, { force: true });
  const loader = process.execArgv.length > 0 ? process.execArgv : ["--import", "tsx"];
  const args = [
    ...loader,
    ...SUITE_NODE_FLAGS,
    resolve(BENCH_DIR, `${name}.ts`),
    ...(quick ? ["--quick"] : []),
  ];
  return new Promise((done) => {
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      stdio: "inherit",
      env: { ...process.env, [RESULT_FILE_ENV]: resultFile },
    });
    child.on("error", (e) => done({ error: `could not start: ${e.message}` }));
    child.on("exit", (code, signal) => {
      if (code !== 0) {
        rmSync(resultFile, { force: true });
        done({ error: signal ? `killed by ${signal}` : `exited with code ${code}` });
        return;
      }
      try {
        const result = JSON.parse(readFileSync(resultFile, "utf8")) as SuiteResult;
        done({ result });
      } catch (e) {
        done({ error: `wrote no result (${(e as Error).message})` });
      } finally {
        rmSync(resultFile, { force: true });
      }
    });
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string", multiple: true },
      list: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const all = discoverSuites();
  if (values.help) {
    console.log("usage: npm run bench -- [--quick] [--only suite[,suite...]] [--list]");
    console.log(`suites: ${all.join(", ")}`);
    return 0;
  }
  if (values.list) {
    for (const s of all) console.log(s);
    return 0;
  }
  const wanted = (values.only ?? [])
    .flatMap((o) => o.split(","))
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length > 0) {
    console.error(`unknown suite(s): ${unknown.join(", ")}; known: ${all.join(", ")}`);
    return 2;
  }
  const selected = wanted.length > 0 ? all.filter((s) => wanted.includes(s)) : all;
  const quick = values.quick === true;

  console.log(`machine: ${describeMachine(machineInfo())}`);
  console.log(`suites: ${selected.join(", ")}${quick ? " (quick)" : ""}\n`);

  const started = nowMs();
  const done: SuiteResult[] = [];
  const failed: string[] = [];
  for (const name of selected) {
    const t0 = nowMs();
    const { result, error } = await runSuiteProcess(name, quick);
    if (result) {
      done.push(result);
      // Merge after each suite, so a later failure does not lose what was measured.
      mergeResults([result]);
      console.log(`-- ${name}: done in ${((nowMs() - t0) / 1000).toFixed(1)} s\n`);
    } else {
      failed.push(name);
      console.error(`-- ${name}: FAILED, ${error}\n`);
    }
  }

  const total = ((nowMs() - started) / 1000).toFixed(1);
  const file = quick ? QUICK_FILE : LATEST_FILE;
  if (done.length > 0 && existsSync(file)) console.log(`results: ${file}`);
  console.log(`${done.length} suite(s) ran, ${failed.length} failed, ${total} s`);
  return failed.length > 0 ? 1 : 0;
}

process.exitCode = await main();
