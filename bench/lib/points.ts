/**
 * The points of the process benchmarks: `n` measured values in station 1 at IOAs 1..n, not
 * simulated, with a good initial value (so an interrogation answers them at once). Either as a
 * Datapoints.json text, which the gateway loads as in real use, or as a PointCatalog built directly
 * (what the loader would produce, without its cost), for suites that measure serving, not loading.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadDatapointsFile } from "../../src/points/datapoints.js";
import type { MonitorPoint, PointCatalog } from "../../src/points/model.js";

export const BENCH_CA = 1;

/** Measured value types the suites serve: 13 M_ME_NC_1 (short float) and 36 M_ME_TF_1 (with CP56Time2a). */
export type MeasuredType = 13 | 36;

/** How the gateway process gets its points: through the Datapoints.json loader, or built directly. */
export type CatalogSource = "file" | "direct";

export function datapointsJson(n: number, typeId: MeasuredType): string {
  const parts: string[] = [];
  for (let i = 1; i <= n; i++) {
    parts.push(
      `"P${i}":{"IOAddress":${i},"Type IEC":${typeId},"ca":${BENCH_CA},"simulate":false,"initial":${i}.5}`,
    );
  }
  return `{${parts.join(",")}}`;
}

function directCatalog(n: number, typeId: MeasuredType): PointCatalog {
  const points: MonitorPoint[] = [];
  for (let i = 1; i <= n; i++) {
    points.push({
      kind: "monitor",
      name: `P${i}`,
      ca: BENCH_CA,
      ioa: i,
      unit: "",
      typeId,
      groups: [],
      counterGroup: undefined,
      deadband: 0,
      cyclicMs: 0,
      backgroundMs: 0,
      spontaneous: undefined,
      source: { topic: undefined, field: undefined },
      staleAfterMs: undefined,
      simulate: false,
      initial: { value: i + 0.5, quality: 0 },
    });
  }
  return { points, source: "bench" };
}

/** Writes the Datapoints.json of `n` points into `dir`, for a gateway to read (catalog "file"). */
export function writeDatapointsFile(dir: string, n: number, typeId: MeasuredType): string {
  const file = join(dir, `Datapoints-${n}-${typeId}.json`);
  writeFileSync(file, datapointsJson(n, typeId));
  return file;
}

/**
 * The catalog a gateway process serves: read from the suite's file through the loader, as the
 * gateway does in real use, or built directly.
 */
export async function benchCatalog(
  n: number,
  typeId: MeasuredType,
  from: CatalogSource,
  file: string | undefined,
): Promise<PointCatalog> {
  if (from === "direct") return directCatalog(n, typeId);
  if (file === undefined) throw new Error('catalog "file" needs the Datapoints.json the suite wrote');
  return (await loadDatapointsFile(file, { defaultCa: BENCH_CA, startAddress: 1 })).catalog;
}
