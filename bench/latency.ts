/**
 * Latency suite: MQTT publish -> master receives, through the embedded broker, over loopback. The
 * publisher process sends one value per message (QoS 0) at a steady rate (1,000 and 10,000 values/s,
 * paced on a 1 ms timer), each value being its own send time (wall-clock ms modulo 100 s, which a
 * float32 M_ME_NC_1 carries to 1/128 ms); the master process subtracts it from its receive time.
 * The processes share the machine's clock. p50 / p99 / p99.9 / max per run; each figure is the
 * median (min-max) over the runs.
 */
import {
  benchCase,
  countedRun,
  gatewayArgs,
  metric,
  startGateway,
  startMaster,
  withChildren,
} from "./lib/harness.js";
import { spawnChild } from "./lib/ipc.js";
import type { LatencySummary, PublishArgs } from "./lib/protocol.js";
import type { CaseResult } from "./lib/results.js";
import { runSuite } from "./lib/suite.js";

const POINTS = 10_000;
const M_ME_NC_1 = 13;
const RATES = [1_000, 10_000];

interface Plan {
  warmupSeconds: number;
  runSeconds: number;
  runs: number;
}

const FULL: Plan = { warmupSeconds: 1, runSeconds: 3, runs: 5 };
const QUICK: Plan = { warmupSeconds: 0.2, runSeconds: 0.3, runs: 1 };

await runSuite("latency", async ({ quick, log }) => {
  const p = quick ? QUICK : FULL;
  const cases: CaseResult[] = [];
  for (const rate of RATES) {
    await withChildren(async (own) => {
      log(`${rate} values/s: gateway with ${POINTS} points, publisher, master`);
      const gw = own(await startGateway(gatewayArgs(`latency-${rate}`, POINTS, M_ME_NC_1)));
      const master = own(await startMaster(gw.ready.iec104Port, 1));
      const publisher = own(await spawnChild("publisher", { mqttPort: gw.ready.mqttPort }));
      const run = async (seconds: number): Promise<LatencySummary> => {
        const messages = Math.round(rate * seconds);
        const args: PublishArgs = {
          mode: "single",
          messages,
          perMessage: 1,
          points: POINTS,
          rate,
          value: "time",
        };
        const r = await countedRun(
          master,
          M_ME_NC_1,
          messages,
          () => publisher.child.request("publish", args),
          "latency",
        );
        if (r.lost !== 0) throw new Error(`${r.lost} values lost`);
        return r.result.latency!;
      };
      await run(p.warmupSeconds);
      const runs: LatencySummary[] = [];
      for (let i = 0; i < p.runs; i++) runs.push(await run(p.runSeconds));
      const metrics = {
        p50: metric(
          runs.map((r) => r.p50),
          "ms",
        ),
        p99: metric(
          runs.map((r) => r.p99),
          "ms",
        ),
        "p99.9": metric(
          runs.map((r) => r.p999),
          "ms",
        ),
        max: metric(
          runs.map((r) => r.max),
          "ms",
        ),
      };
      const meets = metrics.p50.median < 1 && metrics.p99.median < 5;
      const params = { rate, points: POINTS, samplesPerRun: Math.round(rate * p.runSeconds) };
      cases.push(
        benchCase(`latency ${rate} values/s`, metrics, {
          ...params,
          target: "p50 < 1 ms, p99 < 5 ms",
          meets,
        }),
      );
    });
  }
  return cases;
});
