/**
 * Memory suite: a fresh gateway process per run with 100,000 points, 10 masters (one master process)
 * interrogating at once; the gateway's peak RSS (process.resourceUsage().maxRSS, which covers its
 * whole life: loading, start-up publications, the interrogations) and its RSS at each stage.
 *
 *   Datapoints.json: the gateway reads the file the suite wrote, through the loader, as in real
 *                    use (headline)
 *   built directly:  the same catalog without the loader, to separate loading from serving
 *   republishOnConnect off: without the retained state of every point published at MQTT connect,
 *                    to show what that costs (a configuration setting, default on)
 * The gateway runs compiled (lib/build.ts), as in production.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  benchCase,
  gatewayArgs,
  metric,
  startGateway,
  startMaster,
  waitForQuiet,
  withChildren,
} from "./lib/harness.js";
import { BENCH_CA, type CatalogSource, writeDatapointsFile } from "./lib/points.js";
import type { GatewayStats, GiResult } from "./lib/protocol.js";
import type { CaseResult } from "./lib/results.js";
import { runSuite } from "./lib/suite.js";

const MB = 2 ** 20;
const MASTERS = 10;
const M_ME_NC_1 = 13;

interface Sample {
  peak: number;
  catalog: number;
  started: number;
  settled: number;
  afterGi: number;
  heapAfterGi: number;
  giMs: number;
  catalogMs: number;
  startMs: number;
  settleMs: number;
}

interface Variant {
  name: string;
  catalog: CatalogSource;
  republishOnConnect: boolean;
  headline: boolean;
}

const VARIANTS: readonly Variant[] = [
  { name: "Datapoints.json", catalog: "file", republishOnConnect: true, headline: true },
  { name: "catalog built directly", catalog: "direct", republishOnConnect: true, headline: false },
  {
    name: "built directly, republishOnConnect off",
    catalog: "direct",
    republishOnConnect: false,
    headline: false,
  },
];

async function once(points: number, v: Variant, datapointsFile: string): Promise<Sample> {
  await waitForQuiet();
  return withChildren(async (own) => {
    const args = gatewayArgs(`memory-${v.catalog}`, points, M_ME_NC_1, {
      catalog: v.catalog,
      datapointsFile: v.catalog === "file" ? datapointsFile : undefined,
      republishOnConnect: v.republishOnConnect,
    });
    const gw = own(await startGateway(args));
    const { child } = own(await startMaster(gw.ready.iec104Port, MASTERS));
    const gi = await child.request<GiResult>("gi", { ca: BENCH_CA, points, typeId: M_ME_NC_1 });
    if (gi.errors.length > 0) throw new Error(`interrogation: ${gi.errors.slice(0, 3).join("; ")}`);
    const s = await gw.child.request<GatewayStats>("stats");
    const m = gw.ready.memory;
    return {
      peak: s.maxRss / MB,
      catalog: m.catalog.rss / MB,
      started: m.started.rss / MB,
      settled: m.settled.rss / MB,
      afterGi: s.memory.rss / MB,
      heapAfterGi: s.memory.heapUsed / MB,
      giMs: gi.totalMs,
      catalogMs: gw.ready.catalogMs,
      startMs: gw.ready.startMs,
      settleMs: gw.ready.settleMs,
    };
  });
}

await runSuite("memory", async ({ quick, log }) => {
  const points = quick ? 2_000 : 100_000;
  const runs = quick ? 1 : 5;
  const cases: CaseResult[] = [];
  // Written here, read by each gateway process: the text's making is not the gateway's memory.
  const dir = mkdtempSync(join(tmpdir(), "bench-memory-"));
  const datapointsFile = writeDatapointsFile(dir, points, M_ME_NC_1);
  try {
    for (const v of VARIANTS) {
      const samples: Sample[] = [];
      for (let i = 0; i < runs; i++) {
        log(`${points} points (${v.name}), ${MASTERS} masters interrogating, run ${i + 1}/${runs}`);
        samples.push(await once(points, v, datapointsFile));
      }
      const pick = (f: (s: Sample) => number, unit = "MB") => metric(samples.map(f), unit);
      const metrics = {
        "peak RSS": pick((s) => s.peak),
        "RSS after catalog": pick((s) => s.catalog),
        "RSS after start": pick((s) => s.started),
        "RSS settled": pick((s) => s.settled),
        "RSS after GI": pick((s) => s.afterGi),
        "heap after GI": pick((s) => s.heapAfterGi),
        "GI x10 ACT->ACT_TERM": pick((s) => s.giMs, "ms"),
        "catalog built in": pick((s) => s.catalogMs, "ms"),
        "startGateway took": pick((s) => s.startMs, "ms"),
        "MQTT connect + start-up publications (until quiet)": pick((s) => s.settleMs, "ms"),
      };
      const name = `memory ${points} points (${v.name}), ${MASTERS} masters GI`;
      const target = { key: "peak RSS", target: { op: "<=" as const, value: 150, unit: "MB" } };
      const params = {
        points,
        masters: MASTERS,
        catalog: v.catalog,
        republishOnConnect: v.republishOnConnect,
      };
      cases.push(benchCase(name, metrics, params, v.headline ? target : undefined));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return cases;
});
