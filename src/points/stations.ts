/**
 * PointCatalog -> the outstation's stations: one StationDef per common address, holding its
 * monitoring points and command points, sorted by common address (points keep catalog order; the
 * Station sorts them by IOA).
 */
import { Quality } from "../iec104/codec/quality.js";
import type { CommandPointDef, MonitorPointDef, StationDef } from "../iec104/outstation/station.js";
import type { CommandPointEntry, MonitorPoint, PointCatalog } from "./model.js";

function monitorDef(p: MonitorPoint): MonitorPointDef {
  return {
    ioa: p.ioa,
    typeId: p.typeId,
    name: p.name,
    groups: p.groups,
    counterGroup: p.counterGroup,
    deadband: p.deadband,
    cyclicMs: p.cyclicMs,
    backgroundMs: p.backgroundMs,
    spontaneous: p.spontaneous,
    // A point nobody has published yet is invalid (IV) until its first value arrives.
    initial:
      p.initial === undefined
        ? { value: 0, quality: Quality.IV }
        : { value: p.initial.value, quality: p.initial.quality },
  };
}

function commandDef(p: CommandPointEntry): CommandPointDef {
  return {
    ioa: p.ioa,
    typeId: p.typeId,
    name: p.name,
    mode: p.select,
    statusIoa: p.statusIoa,
    actTerm: p.actTerm,
  };
}

/** The stations of a catalog, by common address; `stationNames` names them (e.g. from the config). */
export function catalogToStations(
  catalog: PointCatalog,
  stationNames?: ReadonlyMap<number, string>,
): StationDef[] {
  const byCa = new Map<number, { points: MonitorPointDef[]; commands: CommandPointDef[] }>();
  for (const p of catalog.points) {
    const s = byCa.get(p.ca) ?? { points: [], commands: [] };
    byCa.set(p.ca, s);
    if (p.kind === "monitor") s.points.push(monitorDef(p));
    else s.commands.push(commandDef(p));
  }
  return [...byCa.entries()]
    .sort(([a], [b]) => a - b)
    .map(([ca, s]) => ({ ca, name: stationNames?.get(ca), points: s.points, commands: s.commands }));
}
