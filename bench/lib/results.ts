/**
 * bench/results/latest.json: one entry per suite, merged by suite name, so running one suite keeps
 * the entries of the others. A suite run by bench/run.ts hands its result to the runner through the
 * file named in BENCH_RESULT_FILE; run on its own it merges into latest.json itself.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { SourceState } from "./build.js";
import type { MachineInfo } from "./machine.js";
import type { Summary } from "./stats.js";

export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_ROOT = resolve(BENCH_DIR, "..");
export const RESULTS_DIR = resolve(BENCH_DIR, "results");
export const LATEST_FILE = resolve(RESULTS_DIR, "latest.json");
/** Quick runs (CI) go here, so they never replace the committed figures (git-ignored). */
export const QUICK_FILE = resolve(RESULTS_DIR, "quick.json");
/** Set by the runner for each suite process: where the suite writes its SuiteResult. */
export const RESULT_FILE_ENV = "BENCH_RESULT_FILE";

export interface Metric extends Summary {
  unit: string;
}

export interface CaseResult {
  name: string;
  /** What was measured (type id, objects per ASDU, frame octets...). */
  params?: Record<string, string | number | boolean>;
  metrics: Record<string, Metric>;
}

export interface SuiteResult {
  suite: string;
  timestamp: string;
  quick: boolean;
  node: string;
  machine: MachineInfo;
  commit?: string;
  /** The sources the suite's processes were compiled from (process suites only). */
  source?: SourceState;
  durationMs: number;
  cases: CaseResult[];
}

export interface ResultsFile {
  schema: 1;
  updated: string;
  suites: Record<string, SuiteResult>;
}

export function readResults(file = LATEST_FILE): ResultsFile {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<ResultsFile>;
    if (parsed && typeof parsed === "object" && parsed.suites && typeof parsed.suites === "object") {
      return { schema: 1, updated: parsed.updated ?? "", suites: parsed.suites };
    }
  } catch {
    // Missing or unreadable: start afresh.
  }
  return { schema: 1, updated: "", suites: {} };
}

/** Writes JSON through a temporary file and a rename, so readers never see half a file. */
export function writeJsonAtomic(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file.replace(/(\.tmp)?\.json$/, "")}.${process.pid}.tmp.json`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, file);
}

/**
 * Merges suite results into latest.json (quick ones into quick.json) by suite name; the other
 * suites keep their entries.
 */
export function mergeResults(
  results: readonly SuiteResult[],
  file = results.some((r) => r.quick) ? QUICK_FILE : LATEST_FILE,
): ResultsFile {
  const all = readResults(file);
  for (const r of results) all.suites[r.suite] = r;
  all.updated = new Date().toISOString();
  writeJsonAtomic(file, all);
  return all;
}

/** Where a finished suite puts its result: to the runner when run by it, else into latest.json. */
export function emitSuiteResult(result: SuiteResult): void {
  const target = process.env[RESULT_FILE_ENV];
  if (target) writeJsonAtomic(target, result);
  else mergeResults([result]);
}
