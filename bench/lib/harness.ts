/**
 * Helpers of the process suites: start the gateway, master and publisher processes, stop them
 * whatever happens, and turn repeated runs into the metrics of a case.
 */
import { readFileSync } from "node:fs";
import { type Child, spawnChild } from "./ipc.js";
import type { MeasuredType } from "./points.js";
import type {
  ArmArgs,
  AwaitArgs,
  AwaitResult,
  GatewayArgs,
  GatewayReady,
  GatewayStats,
  MasterArgs,
} from "./protocol.js";
import type { CaseResult, Metric } from "./results.js";
import { summarize } from "./stats.js";
import { parseSuiteArgs } from "./suite.js";

export type Gateway = { child: Child<GatewayReady>; ready: GatewayReady };

export function gatewayArgs(
  label: string,
  points: number,
  typeId: MeasuredType,
  extra: Partial<GatewayArgs> = {},
): GatewayArgs {
  return {
    label,
    points,
    typeId,
    catalog: "direct",
    queueCapacity: 1_000_000,
    maxConnections: 64,
    republishOnConnect: true,
    ...extra,
  };
}

export function startGateway(args: GatewayArgs): Promise<Gateway> {
  return spawnChild<GatewayReady>("gateway", args);
}

/** A master process with `masters` connections, acknowledging every `w` I-frames. */
export function startMaster(port: number, masters: number, w = 8): Promise<Master> {
  return spawnChild<{ masters: number }>("master", { port, masters, w } satisfies MasterArgs);
}

/** Runs `body` with the children it starts (registered with `own`), stopping them all afterwards. */
export async function withChildren<T>(
  body: (own: <C extends { child: Child<unknown> }>(c: C) => C) => Promise<T>,
): Promise<T> {
  const children: Child<unknown>[] = [];
  try {
    return await body((c) => {
      children.push(c.child);
      return c;
    });
  } finally {
    for (const c of children.reverse()) await c.stop();
  }
}

/** CPU time (user + system) a gateway process has used so far, ms. */
export async function gatewayCpuMs(gw: Gateway): Promise<number> {
  const s = await gw.child.request<GatewayStats>("stats");
  return s.cpuUserMs + s.cpuSystemMs;
}

export function metric(values: readonly number[], unit: string): Metric {
  return { ...summarize(values), unit };
}

/** Whether the median meets a target: `<=` for an upper bound, `>=` for a lower one. */
export function verdict(median: number, target: { op: "<=" | ">="; value: number }): boolean {
  return target.op === "<=" ? median <= target.value : median >= target.value;
}

/**
 * A case: its metrics, its params, the target of its headline metric if it has one (as `target` and
 * `meets`, judged on the median), and `busyBeforeRuns`, the busiest the machine was right before
 * one of its runs (see waitForQuiet).
 */
export function benchCase(
  name: string,
  metrics: Record<string, Metric>,
  params: Record<string, string | number | boolean>,
  headline?: { key: string; target: { op: "<=" | ">="; value: number; unit: string } },
): CaseResult {
  const all: Record<string, string | number | boolean> = { ...params, busyBeforeRuns: takeBusiest() };
  if (headline !== undefined) {
    const m = metrics[headline.key];
    const t = headline.target;
    all.target = `${headline.key} ${t.op} ${t.value} ${t.unit}`;
    all.meets = m !== undefined && verdict(m.median, t);
  }
  return { name, params: all, metrics };
}

/** Fails the suite when a run saw anything wrong (loss, duplicates, sequence gaps, drops). */
export function assertClean(what: string, errors: readonly string[]): void {
  if (errors.length > 0) throw new Error(`${what}: ${errors.slice(0, 5).join("; ")}`);
}

export type Master = { child: Child<{ masters: number }> };

export interface CountedRun<T> {
  /** All masters' objects over first-to-last arrival, per second. */
  rate: number;
  /** First to last arrival, ms. */
  spanMs: number;
  /** Objects expected over all masters minus those received (negative: duplicates). */
  lost: number;
  result: AwaitResult;
  /** What `trigger` returned. */
  triggered: T;
}

/**
 * One counted run: arms the masters for `expect` objects each of `typeId` (COT 3), runs `trigger`
 * (which makes the gateway send them), waits until every master has them or nothing arrives for
 * 3 s. Sequence gaps and socket errors fail it; the caller judges `lost`.
 */
export async function countedRun<T>(
  master: Master,
  typeId: number,
  expect: number,
  trigger: () => Promise<T>,
  mode: "count" | "latency" = "count",
): Promise<CountedRun<T>> {
  await waitForQuiet();
  await master.child.request("arm", { mode, typeId, expect } satisfies ArmArgs);
  const triggered = await trigger();
  const result = await master.child.request<AwaitResult>("await", {
    idleTimeoutMs: 3000,
  } satisfies AwaitArgs);
  assertClean("IEC 104 link", result.errors);
  const readers = result.readers;
  const first = Math.min(...readers.map((r) => r.firstMs));
  const last = Math.max(...readers.map((r) => r.lastMs));
  const arrived = readers.reduce((sum, r) => sum + Math.min(r.counted, expect), 0);
  const total = arrived - Math.min(...readers.map((r) => r.firstFrameObjects));
  const lost = expect * readers.length - readers.reduce((s, r) => s + r.counted, 0);
  return { rate: (total * 1000) / (last - first), spanMs: last - first, lost, result, triggered };
}

/** Busy share of all CPUs (0..1) over `ms`, from /proc/stat; undefined where there is none. */
async function machineBusy(ms: number): Promise<number | undefined> {
  const read = () => {
    const f = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    return { idle, total: f.reduce((s, v) => s + v, 0) };
  };
  try {
    const a = read();
    await new Promise((r) => setTimeout(r, ms));
    const b = read();
    return b.total === a.total ? 0 : 1 - (b.idle - a.idle) / (b.total - a.total);
  } catch {
    return undefined;
  }
}

let busiest = 0;

/**
 * Waits (up to `maxMs`) until the machine is quiet: under 15% of its CPUs busy, so that a run is
 * not measured while other programs (or a gateway still working off a backlog) take the cores.
 * Returns the busy share last seen, to be reported. Quick runs (which only prove the suites work)
 * do not wait.
 */
export async function waitForQuiet(maxMs = 60_000): Promise<number> {
  if (parseSuiteArgs().quick) return 0;
  const until = performance.now() + maxMs;
  let waited = false;
  for (;;) {
    const busy = (await machineBusy(100)) ?? 0;
    if (busy < 0.15 || performance.now() > until) {
      if (busy >= 0.15)
        process.stderr.write(`machine still ${(busy * 100).toFixed(0)}% busy: measuring anyway\n`);
      busiest = Math.max(busiest, busy);
      return busy;
    }
    if (!waited)
      process.stderr.write(`machine ${(busy * 100).toFixed(0)}% busy: waiting for it to go quiet\n`);
    waited = true;
    await new Promise((r) => setTimeout(r, 400));
  }
}

/** The largest busy share seen right before a run since the last call (for a case's params). */
export function takeBusiest(): number {
  const b = busiest;
  busiest = 0;
  return Math.round(b * 100) / 100;
}
