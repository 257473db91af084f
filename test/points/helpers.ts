/** Shared helpers of the Datapoints.json tests. */
import { DatapointsError, type DatapointsOptions, loadDatapoints } from "../../src/points/datapoints.js";
import type { CatalogPoint, CommandPointEntry, MonitorPoint, PointCatalog } from "../../src/points/model.js";

export const OPTS: DatapointsOptions = { source: "test.json", defaultCa: 1, startAddress: 1 };

function text(input: string | object): string {
  return typeof input === "string" ? input : JSON.stringify(input, null, 2);
}

export function load(input: string | object, opts: Partial<DatapointsOptions> = {}): PointCatalog {
  return loadDatapoints(text(input), { ...OPTS, ...opts }).catalog;
}

/** The `path: message` lines of the DatapointsError the input must raise. */
export function problems(input: string | object, opts: Partial<DatapointsOptions> = {}): string[] {
  try {
    load(input, opts);
  } catch (e) {
    if (e instanceof DatapointsError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  throw new Error("expected a DatapointsError, the input loaded");
}

export function point(catalog: PointCatalog, name: string): CatalogPoint {
  const p = catalog.points.find((x) => x.name === name);
  if (p === undefined) throw new Error(`no point ${name}`);
  return p;
}

export function monitor(catalog: PointCatalog, name: string): MonitorPoint {
  const p = point(catalog, name);
  if (p.kind !== "monitor") throw new Error(`${name} is a command`);
  return p;
}

export function command(catalog: PointCatalog, name: string): CommandPointEntry {
  const p = point(catalog, name);
  if (p.kind !== "command") throw new Error(`${name} is a monitoring point`);
  return p;
}
