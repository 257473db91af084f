/**
 * Energy counters for inference: the power point a counter integrates (same station, same power
 * family, preferably the same phase L1/L2/L3 or none) and the scale between their units.
 */
import type { MonitorPoint } from "../points/model.js";
import type { ParamValue } from "./profile.js";
import { typeRange } from "./ranges.js";
import { pointSeed } from "./rng.js";
import { isEnergyBase, parseUnit, powerFamily, type UnitFamily } from "./units.js";

type SourceIndex = Map<number, Map<UnitFamily, MonitorPoint[]>>;

const indexCache = new WeakMap<readonly MonitorPoint[], SourceIndex>();

function sourceIndex(points: readonly MonitorPoint[]): SourceIndex {
  let index = indexCache.get(points);
  if (index !== undefined) return index;
  index = new Map();
  for (const p of points) {
    const base = parseUnit(p.unit).base;
    const family = powerFamily(base);
    if (family === undefined || isEnergyBase(base) || !typeRange(p.typeId).measured) continue;
    let byFamily = index.get(p.ca);
    if (byFamily === undefined) {
      byFamily = new Map();
      index.set(p.ca, byFamily);
    }
    const list = byFamily.get(family);
    if (list === undefined) byFamily.set(family, [p]);
    else list.push(p);
  }
  indexCache.set(points, index);
  return index;
}

const PHASE = /\bL([123])\b/;

function phaseOf(name: string): string {
  return PHASE.exec(name)?.[1] ?? "";
}

/** The power point of `family` in the point's station to integrate, if any. */
export function findPowerSource(
  point: MonitorPoint,
  family: UnitFamily,
  points: readonly MonitorPoint[],
): MonitorPoint | undefined {
  const list = sourceIndex(points).get(point.ca)?.get(family);
  if (list === undefined) return undefined;
  const phase = phaseOf(point.name);
  return list.find((p) => phaseOf(p.name) === phase) ?? list[0];
}

/** Average power (W) a counter without a source counts at. */
const DEFAULT_POWER_W = 100_000;

/**
 * Params of an energy counter for `point`: its unit says the family and the counter unit (kWh
 * when the unit is not an energy unit); it integrates the matching power point when there is one.
 * The reading starts at 1000..100000 kWh (in the counter's unit), fixed by the address, so meters
 * sharing a power point do not show the same number.
 */
export function energyParams(
  point: MonitorPoint,
  points: readonly MonitorPoint[],
  integer: boolean,
): Record<string, ParamValue> {
  const unit = parseUnit(point.unit);
  const energyUnit = isEnergyBase(unit.base);
  const family = (energyUnit && powerFamily(unit.base)) || "W";
  const perUnit = energyUnit ? unit.factor : 1000;
  const initial = Math.round((1000 + (pointSeed(0, point.ca, point.ioa) % 99_000)) * (1000 / perUnit));
  const source = findPowerSource(point, family, points);
  if (source === undefined) return { rate: DEFAULT_POWER_W / perUnit, initial, integer };
  return { source: source.name, scale: parseUnit(source.unit).factor / perUnit, initial, integer };
}
