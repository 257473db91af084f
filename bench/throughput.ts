/**
 * Spontaneous throughput suite: the gateway process sets values in-process (Station.update, paced by
 * setImmediate so its event queues never run dry, queues large enough that nothing drops: a drop
 * fails the run), a master process counts the objects with COT 3; objects/s from the first to the
 * last object at the masters, each master checked to get every event exactly once.
 *
 *   headline: 100,000 points, one master, M_ME_NC_1 (30 objects per ASDU) and M_ME_TF_1 (15)
 *   curves:   1k / 10k / 100k points (one master); 1 / 10 / 50 masters (every event to each: the
 *             aggregate rate is reported)
 *   reference: a fake outstation sending ready-made M_ME_NC_1 frames, under the same k/w window
 *             (what the window's round trips over loopback allow a sender that does no work) and
 *             under a wide one (what the master process can take: it must never be the limit)
 *
 * Each configuration does a warm-up run that also sizes the timed runs (about RUN_SECONDS each).
 */
import {
  benchCase,
  countedRun,
  type Gateway,
  gatewayArgs,
  gatewayCpuMs,
  type Master,
  metric,
  startGateway,
  startMaster,
  withChildren,
} from "./lib/harness.js";
import { spawnChild } from "./lib/ipc.js";
import type { MeasuredType } from "./lib/points.js";
import type { FakeReady, FakeSendArgs, GatewayStats, ProduceArgs } from "./lib/protocol.js";
import type { CaseResult } from "./lib/results.js";
import { runSuite } from "./lib/suite.js";

const TARGETS: Record<MeasuredType, number> = { 13: 650_000, 36: 330_000 };
const TYPE_NAME: Record<MeasuredType, string> = { 13: "M_ME_NC_1", 36: "M_ME_TF_1" };

interface Plan {
  headlinePoints: number;
  pointCurve: number[];
  masterCurve: number[];
  /** Objects per master in the warm-up run. */
  warmupObjects: number;
  runSeconds: number;
  minObjects: number;
  runs: number;
}

const FULL: Plan = {
  headlinePoints: 100_000,
  pointCurve: [1_000, 10_000],
  masterCurve: [10, 50],
  warmupObjects: 300_000,
  runSeconds: 2,
  minObjects: 100_000,
  runs: 5,
};
const QUICK: Plan = {
  headlinePoints: 2_000,
  pointCurve: [],
  masterCurve: [3],
  warmupObjects: 5_000,
  runSeconds: 0.1,
  minObjects: 5_000,
  runs: 2,
};

/** One timed run: aggregate objects/s, and the CPU (in cores) the gateway and the master used. */
interface Run {
  rate: number;
  gatewayCpu: number;
  masterCpu: number;
}

/** Warm-up, then `runs` timed runs with `masters` masters. */
async function measure(gw: Gateway, typeId: MeasuredType, masters: number, p: Plan): Promise<Run[]> {
  return withChildren(async (own) => {
    const master: Master = own(await startMaster(gw.ready.iec104Port, masters));
    const run = async (perMaster: number): Promise<Run> => {
      const produce: ProduceArgs = { count: perMaster, batch: 2048, highWater: 16_384 };
      const cpu0 = await gatewayCpuMs(gw);
      const r = await countedRun(master, typeId, perMaster, () => gw.child.request("produce", produce));
      const cpu = (await gatewayCpuMs(gw)) - cpu0;
      if (r.lost !== 0) throw new Error(`${r.lost} events lost (negative: duplicated)`);
      return { rate: r.rate, gatewayCpu: cpu / r.spanMs, masterCpu: r.result.cpuMs / r.spanMs };
    };
    const warm = await run(Math.max(1, Math.round(p.warmupObjects / masters)));
    const perMaster = Math.max(p.minObjects / masters, Math.round((warm.rate * p.runSeconds) / masters));
    const runs: Run[] = [];
    for (let i = 0; i < p.runs; i++) runs.push(await run(Math.round(perMaster)));
    const dropped = (await gw.child.request<GatewayStats>("stats")).dropped;
    if (dropped > 0) throw new Error(`${dropped} events dropped by full queues`);
    return runs;
  });
}

function runMetrics(runs: readonly Run[], masters: number) {
  return {
    "objects/s": metric(
      runs.map((r) => r.rate),
      "objects/s",
    ),
    ...(masters > 1
      ? {
          "objects/s per master": metric(
            runs.map((r) => r.rate / masters),
            "objects/s",
          ),
        }
      : {}),
    "gateway CPU": metric(
      runs.map((r) => r.gatewayCpu),
      "cores",
    ),
    "master CPU": metric(
      runs.map((r) => r.masterCpu),
      "cores",
    ),
  };
}

function throughputCase(
  name: string,
  points: number,
  typeId: MeasuredType,
  masters: number,
  runs: Run[],
  headline: boolean,
): CaseResult {
  const params = { points, typeId, masters };
  const target = { op: ">=" as const, value: TARGETS[typeId], unit: "objects/s" };
  return benchCase(
    name,
    runMetrics(runs, masters),
    params,
    headline ? { key: "objects/s", target } : undefined,
  );
}

/**
 * The fake outstation (a sender that does nothing but write ready-made frames) and the master
 * process: with the gateway's window (k 12, w 8), what the window's round trips over loopback allow;
 * with a wide one (k 120, w 80), what the master process itself can take.
 */
async function reference(p: Plan, k: number, w: number): Promise<Run[]> {
  return withChildren(async (own) => {
    const fake = own(await spawnChild<FakeReady>("fake-outstation", {}));
    const master = own(await startMaster(fake.ready.port, 1, w));
    const run = async (frames: number): Promise<Run> => {
      const args: FakeSendArgs = { frames, objectsPerFrame: 30, k };
      const r = await countedRun(master, 13, frames * 30, () => fake.child.request("send", args));
      if (r.lost !== 0) throw new Error(`${r.lost} objects lost`);
      return { rate: r.rate, gatewayCpu: Number.NaN, masterCpu: r.result.cpuMs / r.spanMs };
    };
    const warm = await run(Math.ceil(p.warmupObjects / 30));
    const frames = Math.max(Math.ceil(p.minObjects / 30), Math.round((warm.rate * p.runSeconds) / 30));
    const runs: Run[] = [];
    for (let i = 0; i < p.runs; i++) runs.push(await run(frames));
    return runs;
  });
}

await runSuite("throughput", async ({ quick, log }) => {
  const p = quick ? QUICK : FULL;
  const cases: CaseResult[] = [];
  for (const typeId of [13, 36] as const) {
    await withChildren(async (own) => {
      const n = p.headlinePoints;
      log(`gateway: ${n} points of ${TYPE_NAME[typeId]}, 1 master`);
      const gw = own(await startGateway(gatewayArgs(`throughput-${n}-${typeId}`, n, typeId)));
      const name = `spontaneous ${n} ${TYPE_NAME[typeId]}`;
      cases.push(throughputCase(name, n, typeId, 1, await measure(gw, typeId, 1, p), true));
      if (typeId !== 13) return;
      for (const masters of p.masterCurve) {
        log(`${masters} masters`);
        const rates = await measure(gw, typeId, masters, p);
        cases.push(throughputCase(`spontaneous ${n} x${masters} masters`, n, typeId, masters, rates, false));
      }
    });
  }
  for (const n of p.pointCurve) {
    await withChildren(async (own) => {
      log(`gateway: ${n} points, 1 master`);
      const gw = own(await startGateway(gatewayArgs(`throughput-${n}-13`, n, 13)));
      cases.push(throughputCase(`spontaneous ${n} M_ME_NC_1`, n, 13, 1, await measure(gw, 13, 1, p), false));
    });
  }
  for (const [k, w] of [
    [12, 8],
    [120, 80],
  ] as const) {
    log(`reference: fake outstation -> master process, k ${k}, w ${w}`);
    const { "gateway CPU": _, ...metrics } = runMetrics(await reference(p, k, w), 1);
    const name = `reference: minimal sender, k ${k} w ${w}, M_ME_NC_1 x30`;
    cases.push(benchCase(name, metrics, { objectsPerFrame: 30, masters: 1, k, w }));
  }
  return cases;
});
