/**
 * The gateway process: `points` measured values (built directly or through the Datapoints.json
 * loader), startGateway with the embedded broker and IEC 104 on free ports of 127.0.0.1, HTTP and
 * simulators off, logging silent. Ready once MQTT is connected and the start-up publications
 * (bridge info, retained state of every point) are done, i.e. the process has gone quiet.
 * Commands: `produce` (set values in-process with Station.update, paced by setImmediate so the
 * event queues never run dry), `stats` (memory, peak RSS, dropped events).
 * With BENCH_CPU_PROF_DIR set, it profiles itself from ready to exit (start-up left out) and writes
 * `<label>-<pid>.cpuprofile` there.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { resolve } from "node:path";
import { startGateway } from "../../src/app.js";
import { parseConfig } from "../../src/config/load.js";
import { CPU_PROF_ENV, serveParent } from "../lib/ipc.js";
import { benchCatalog } from "../lib/points.js";
import type {
  GatewayArgs,
  GatewayReady,
  GatewayStats,
  MemorySample,
  ProduceArgs,
  ProduceResult,
} from "../lib/protocol.js";

function memory(): MemorySample {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `connected()` and then until the process uses under 5% CPU for 3 samples of 50 ms. */
async function settle(connected: () => boolean, maxMs: number): Promise<void> {
  const until = performance.now() + maxMs;
  while (!connected()) {
    if (performance.now() > until) throw new Error("MQTT did not connect");
    await sleep(10);
  }
  let quiet = 0;
  while (quiet < 3 && performance.now() < until) {
    const before = process.cpuUsage();
    const t0 = performance.now();
    await sleep(50);
    const used = process.cpuUsage(before);
    const share = (used.user + used.system) / 1000 / (performance.now() - t0);
    quiet = share < 0.05 ? quiet + 1 : 0;
  }
}

/** Starts the V8 profiler; the returned function stops it and writes the profile. */
async function profile(dir: string, label: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return async () => {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(resolve(dir, `${label}-${process.pid}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}

await serveParent(async (args: GatewayArgs) => {
  const t0 = performance.now();
  const catalog = await benchCatalog(args.points, args.typeId, args.catalog, args.datapointsFile);
  const catalogMs = performance.now() - t0;
  const afterCatalog = memory();
  const config = parseConfig({
    iec104: {
      host: "127.0.0.1",
      port: 0,
      maxConnections: args.maxConnections,
      eventQueue: { capacity: args.queueCapacity },
    },
    mqtt: { embedded: { host: "127.0.0.1", port: 0 } },
    bridge: { republishOnConnect: args.republishOnConnect },
    http: { enabled: false },
    simulator: { enabled: false },
    log: { level: "silent" },
  });
  const t1 = performance.now();
  const gw = await startGateway(config, { catalog });
  const startMs = performance.now() - t1;
  const afterStart = memory();
  const t2 = performance.now();
  await settle(() => gw.client.connected, 120_000);
  const settleMs = performance.now() - t2;

  const station = gw.outstation.stations[0]!;
  let seq = 0;
  let next = 0;
  const produce = (a: ProduceArgs): Promise<ProduceResult> =>
    new Promise((resolve) => {
      const started = performance.now();
      let produced = 0;
      const step = () => {
        let backlog = 0;
        for (const g of gw.outstation.groupList()) backlog = Math.max(backlog, g.queue.unsent);
        let room = Math.min(a.batch, a.highWater - backlog, a.count - produced);
        const now = Date.now();
        for (; room > 0; room--) {
          station.update(next, ++seq, 0, now);
          next = next + 1 === station.size ? 0 : next + 1;
          produced++;
        }
        if (produced < a.count) setImmediate(step);
        else resolve({ produced, ms: performance.now() - started });
      };
      step();
    });

  const stats = (): GatewayStats => {
    const cpu = process.cpuUsage();
    return {
      memory: memory(),
      maxRss: process.resourceUsage().maxRSS * 1024,
      dropped: gw.outstation.groupList().reduce((s, g) => s + g.queue.dropped, 0),
      valuesAccepted: gw.bridge.stats.valuesAccepted,
      valuesRejected: gw.bridge.stats.valuesRejected,
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
    };
  };

  const profDir = process.env[CPU_PROF_ENV];
  const stopProfile = profDir ? await profile(profDir, args.label) : undefined;
  const ready: GatewayReady = {
    iec104Port: gw.addresses.iec104,
    mqttPort: gw.addresses.mqtt ?? 0,
    catalogMs,
    startMs,
    settleMs,
    memory: { catalog: afterCatalog, started: afterStart, settled: memory() },
  };
  return {
    ready,
    handlers: { produce, stats },
    onExit: async () => {
      await stopProfile?.();
      await gw.close("benchmark done");
    },
  };
});
