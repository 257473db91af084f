/**
 * General interrogation suite: a gateway process serving N measured values, a master process
 * (lean readers, bench/lib/reader.ts) sending C_IC_NA_1 act; the time from sending the ACT to
 * receiving the ACT_TERM, with every point checked to arrive exactly once (and ACT_CON positive).
 *
 *   headline: 100,000 points of M_ME_NC_1, and of M_ME_TF_1 (answered as M_ME_NC_1), one master
 *   curves:   1k / 10k / 100k points (one master); 1 / 10 / 50 masters interrogating at once
 *
 * Default link parameters (k 12, w 8), SQ=0 answers (sequenceInterrogation off, the default).
 * Each configuration runs warm-up interrogations first, then the timed ones, on the same connections.
 */
import {
  benchCase,
  type Gateway,
  gatewayArgs,
  metric,
  startGateway,
  startMaster,
  waitForQuiet,
  withChildren,
} from "./lib/harness.js";
import { BENCH_CA, type MeasuredType } from "./lib/points.js";
import type { GiResult } from "./lib/protocol.js";
import type { CaseResult } from "./lib/results.js";
import { runSuite } from "./lib/suite.js";

const TARGET = { op: "<=" as const, value: 175, unit: "ms" };
const M_ME_NC_1 = 13;

interface Plan {
  headlinePoints: number;
  pointCurve: number[];
  masterCurve: number[];
  warmup: number;
  runs: number;
}

const FULL: Plan = {
  headlinePoints: 100_000,
  pointCurve: [1_000, 10_000],
  masterCurve: [10, 50],
  warmup: 2,
  runs: 7,
};
const QUICK: Plan = { headlinePoints: 2_000, pointCurve: [200], masterCurve: [3], warmup: 1, runs: 2 };

/** Interrogates `runs` times (after `warmup`) with `masters` masters; per-run total and per-master times. */
async function measure(gw: Gateway, points: number, masters: number, p: Plan) {
  return withChildren(async (own) => {
    const { child } = own(await startMaster(gw.ready.iec104Port, masters));
    const totals: number[] = [];
    const perMaster: number[] = [];
    for (let i = 0; i < p.warmup + p.runs; i++) {
      await waitForQuiet();
      const r = await child.request<GiResult>("gi", { ca: BENCH_CA, points, typeId: M_ME_NC_1 });
      if (r.errors.length > 0) throw new Error(`interrogation ${i}: ${r.errors.slice(0, 3).join("; ")}`);
      if (i < p.warmup) continue;
      totals.push(r.totalMs);
      perMaster.push(...r.perMasterMs);
    }
    return { totals, perMaster };
  });
}

function giCase(
  name: string,
  points: number,
  typeId: MeasuredType,
  masters: number,
  t: { totals: number[]; perMaster: number[] },
  headline: boolean,
): CaseResult {
  const metrics = {
    "ACT->ACT_TERM": metric(t.totals, "ms"),
    "objects/s": metric(
      t.totals.map((ms) => (points * masters * 1000) / ms),
      "objects/s",
    ),
    ...(masters > 1 ? { "per master": metric(t.perMaster, "ms") } : {}),
  };
  const params = { points, typeId, masters, answeredAs: M_ME_NC_1 };
  return benchCase(name, metrics, params, headline ? { key: "ACT->ACT_TERM", target: TARGET } : undefined);
}

await runSuite("gi", async ({ quick, log }) => {
  const p = quick ? QUICK : FULL;
  const cases: CaseResult[] = [];
  for (const typeId of [13, 36] as const) {
    await withChildren(async (own) => {
      const n = p.headlinePoints;
      log(`gateway: ${n} points of type ${typeId}`);
      const gw = own(await startGateway(gatewayArgs(`gi-${n}-${typeId}`, n, typeId)));
      log(`1 master, ${p.runs} runs`);
      cases.push(
        giCase(
          `GI ${n} ${typeId === 13 ? "M_ME_NC_1" : "M_ME_TF_1"}`,
          n,
          typeId,
          1,
          await measure(gw, n, 1, p),
          true,
        ),
      );
      if (typeId !== 13) return;
      for (const masters of p.masterCurve) {
        log(`${masters} masters at once, ${p.runs} runs`);
        cases.push(
          giCase(`GI ${n} x${masters} masters`, n, typeId, masters, await measure(gw, n, masters, p), false),
        );
      }
    });
  }
  for (const n of p.pointCurve) {
    await withChildren(async (own) => {
      log(`gateway: ${n} points, 1 master`);
      const gw = own(await startGateway(gatewayArgs(`gi-${n}-13`, n, 13)));
      cases.push(giCase(`GI ${n} M_ME_NC_1`, n, 13, 1, await measure(gw, n, 1, p), false));
    });
  }
  return cases;
});
