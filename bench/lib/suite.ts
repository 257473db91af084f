/**
 * The entry point every suite file uses: parses --quick, runs the suite, prints its table and hands
 * the result over (see results.ts). A suite file is `bench/<name>.ts` and calls `runSuite(name, fn)`;
 * bench/run.ts runs each in its own process.
 */
import { parseArgs } from "node:util";
import { builtSource } from "./build.js";
import { gitCommit, machineInfo } from "./machine.js";
import { type CaseResult, emitSuiteResult, REPO_ROOT, type SuiteResult } from "./results.js";
import { nowMs } from "./stats.js";
import { formatSuite } from "./table.js";

export interface SuiteContext {
  quick: boolean;
  /** Progress lines go to stderr, so stdout stays the table. */
  log(message: string): void;
}

export function parseSuiteArgs(argv = process.argv.slice(2)): { quick: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: { quick: { type: "boolean", default: false } },
    strict: false,
  });
  return { quick: values.quick === true };
}

export async function runSuite(
  name: string,
  body: (ctx: SuiteContext) => CaseResult[] | Promise<CaseResult[]>,
): Promise<SuiteResult> {
  const { quick } = parseSuiteArgs();
  const started = nowMs();
  const timestamp = new Date().toISOString();
  const cases = await body({ quick, log: (m) => process.stderr.write(`[${name}] ${m}\n`) });
  const result: SuiteResult = {
    suite: name,
    timestamp,
    quick,
    node: process.version,
    machine: machineInfo(),
    commit: gitCommit(REPO_ROOT),
    source: builtSource(),
    durationMs: Math.round(nowMs() - started),
    cases,
  };
  console.log(formatSuite(result));
  emitSuiteResult(result);
  return result;
}
