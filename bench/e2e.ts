/**
 * End-to-end suite: publisher process -> embedded broker (in the gateway process) -> bridge -> point
 * image -> event queue -> master process, all over loopback, QoS 0.
 *
 *   single: one value per message on iec104/point/1/<ioa>, as fast as the publisher's socket takes
 *           them; every value a change (a new number), so every message must reach the master as
 *           one object: none may be lost
 *   batch:  iec104/batch messages of 100 and of 1,000 [ca, ioa, value] entries
 *
 * Rates are from the first publish to the last object received (wall clock, shared by the
 * processes). `gateway CPU` is the gateway process's CPU time over that span (1 = one core busy).
 * Values go round robin to 10,000 points; the gateway's event queue is large enough not to drop.
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
import { type Child, spawnChild } from "./lib/ipc.js";
import type { PublishArgs, PublishResult } from "./lib/protocol.js";
import type { CaseResult } from "./lib/results.js";
import { runSuite } from "./lib/suite.js";

const POINTS = 10_000;
const M_ME_NC_1 = 13;

interface Plan {
  warmupValues: number;
  runSeconds: number;
  minValues: number;
  runs: number;
}

const FULL: Plan = { warmupValues: 200_000, runSeconds: 2, minValues: 20_000, runs: 5 };
const QUICK: Plan = { warmupValues: 2_000, runSeconds: 0.1, minValues: 2_000, runs: 2 };

interface Shape {
  name: string;
  mode: "single" | "batch";
  perMessage: number;
}

const SHAPES: readonly Shape[] = [
  { name: "e2e single value per message", mode: "single", perMessage: 1 },
  { name: "e2e batch x100", mode: "batch", perMessage: 100 },
  { name: "e2e batch x1000", mode: "batch", perMessage: 1000 },
];

interface RunFigures {
  messagesPerS: number;
  objectsPerS: number;
  publisherMessagesPerS: number;
  lost: number;
  gatewayCpu: number;
}

async function run(
  gw: Gateway,
  master: Master,
  publisher: Child<unknown>,
  shape: Shape,
  values: number,
): Promise<RunFigures> {
  const messages = Math.max(1, Math.round(values / shape.perMessage));
  const args: PublishArgs = {
    mode: shape.mode,
    messages,
    perMessage: shape.perMessage,
    points: POINTS,
    rate: 0,
    value: "seq",
  };
  const cpu0 = await gatewayCpuMs(gw);
  const r = await countedRun(master, M_ME_NC_1, messages * shape.perMessage, () =>
    publisher.request<PublishResult>("publish", args),
  );
  const cpu = (await gatewayCpuMs(gw)) - cpu0;
  const pub = r.triggered;
  const reader = r.result.readers[0]!;
  // With values lost, the rate of what arrived (0 if nothing did).
  const arrived = Math.min(reader.counted, pub.values);
  const spanMs = reader.lastMs - pub.firstMs;
  const rate = (n: number) => (arrived === 0 ? 0 : (n * 1000) / spanMs);
  return {
    messagesPerS: rate(arrived / shape.perMessage),
    objectsPerS: rate(arrived),
    publisherMessagesPerS: (pub.sent * 1000) / (pub.lastMs - pub.firstMs),
    lost: r.lost,
    gatewayCpu: cpu / spanMs,
  };
}

await runSuite("e2e", async ({ quick, log }) => {
  const p = quick ? QUICK : FULL;
  const cases: CaseResult[] = [];
  for (const shape of SHAPES) {
    await withChildren(async (own) => {
      log(`${shape.name}: gateway with ${POINTS} points, publisher, master`);
      const gw = own(
        await startGateway(gatewayArgs(`e2e-${shape.mode}-${shape.perMessage}`, POINTS, M_ME_NC_1)),
      );
      const master = own(await startMaster(gw.ready.iec104Port, 1));
      const publisher = own(await spawnChild("publisher", { mqttPort: gw.ready.mqttPort }));
      const warm = await run(gw, master, publisher.child, shape, p.warmupValues);
      const values = Math.max(p.minValues, Math.round(warm.objectsPerS * p.runSeconds));
      const figures: RunFigures[] = [];
      for (let i = 0; i < p.runs; i++) figures.push(await run(gw, master, publisher.child, shape, values));
      const lost = figures.reduce((s, f) => s + Math.abs(f.lost), 0) + Math.abs(warm.lost);
      const pick = (f: (x: RunFigures) => number) => figures.map(f);
      const metrics = {
        "messages/s": metric(
          pick((f) => f.messagesPerS),
          "messages/s",
        ),
        "objects/s": metric(
          pick((f) => f.objectsPerS),
          "objects/s",
        ),
        "publisher messages/s": metric(
          pick((f) => f.publisherMessagesPerS),
          "messages/s",
        ),
        "gateway CPU": metric(
          pick((f) => f.gatewayCpu),
          "cores",
        ),
        lost: metric(
          pick((f) => f.lost),
          "objects",
        ),
      };
      const single = shape.mode === "single";
      const key = single ? "messages/s" : "objects/s";
      const target = single ? 50_000 : 300_000;
      cases.push(
        benchCase(shape.name, metrics, {
          points: POINTS,
          valuesPerMessage: shape.perMessage,
          valuesPerRun: values,
          qos: 0,
          target: `${key} >= ${target}${single ? ", none lost" : ""}`,
          meets: metrics[key].median >= target && (!single || lost === 0),
        }),
      );
    });
  }
  return cases;
});
