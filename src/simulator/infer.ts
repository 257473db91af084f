/**
 * The profile of a point without a `simulate` spec: by IEC type first (status points, steps,
 * counters), then for measured values by unit, refined by hints in the name (`cos phi`, `THD`,
 * `u12`...). Magnitudes are given in base units (V, A, W), divided by the unit's prefix, then
 * fitted to the type: normalized values are shrunk by a power of ten below 1, scaled values get a
 * power of ten that gives them 1000..32767 (so 50 Hz is carried as 5000).
 */
import type { MonitorPoint, SimulationSpec } from "../points/model.js";
import { energyParams } from "./infer-energy.js";
import type { ParamValue } from "./profile.js";
import { NORMALIZED_MAX, type TypeRange, typeRange } from "./ranges.js";
import { getProfile, resolveParams } from "./registry.js";
import { isEnergyBase, parseUnit, type Unit } from "./units.js";

interface Draft {
  profile: string;
  params: Record<string, ParamValue>;
  /** Params already in the point's unit and type: no scaling. */
  fixed?: boolean;
}

const LINE_TO_LINE = /u12|u23|u31|L1-L2|L2-L3|L3-L1|verkettet|line-to-line|phase-to-phase/i;
const NEUTRAL_VOLTAGE = /u0E|uNE|displacement|Verlagerung/i;
const SMALL_CURRENT =
  /Gegensystem|Nullsystem|iE\/N|\biN\b|neutral|negative.sequence|zero.sequence|THC|PHC|harmonic/i;
const PER_PHASE = /\bL[123]\b|Strang/;
const HARMONICS = /THD|PWHD|harmonic|Oberschwing/i;
const UNBALANCE = /Unsymmetrie|unbalance|asymmetr/i;
const COS_PHI = /\bcos\b|power.factor|Leistungsfaktor|Wirkfaktor/i;
const SIN_PHI = /\bsin\b|Blindfaktor/i;
const K_FACTOR = /K-Faktor|k-factor/i;
const COUNT = /Anzahl|\bcount|Zähler|number of/i;
const TIMESTAMP = /Zeitpunkt|timestamp|time of/i;

/** Counts of events (recorder triggers...): one every 10 minutes on average. */
const counting = (): Draft => ({ profile: "energy", params: { rate: 6, integer: true }, fixed: true });
const walk = (min: number, max: number): Draft => ({ profile: "random-walk", params: { min, max } });
const load = (profile: string, min: number, max: number, name: string): Draft => {
  const k = PER_PHASE.test(name) ? 3 : 1;
  return { profile, params: { min: min / k, max: max / k } };
};

function voltage(name: string, unit: Unit): Draft {
  if (NEUTRAL_VOLTAGE.test(name)) return walk(0, 5);
  if (unit.factor >= 1000) return { profile: "voltage", params: { nominal: 20_000 } };
  return { profile: "voltage", params: { nominal: LINE_TO_LINE.test(name) ? 400 : 230 } };
}

function unitless(name: string, range: TypeRange): Draft {
  if (COS_PHI.test(name)) return { profile: "power-factor", params: {} };
  if (SIN_PHI.test(name)) return walk(0.1, 0.5);
  if (K_FACTOR.test(name)) return walk(1, 3);
  if (TIMESTAMP.test(name)) return { profile: "constant", params: { value: 0 }, fixed: true };
  if (range.kind === "normalized") return { ...walk(0, 0.99), fixed: true };
  if (range.kind === "scaled") return { ...walk(0, 1000), fixed: true };
  return { ...walk(0, 1), fixed: true };
}

function measured(point: MonitorPoint, unit: Unit, range: TypeRange, points: readonly MonitorPoint[]): Draft {
  const name = point.name;
  if (isEnergyBase(unit.base))
    return { profile: "energy", params: energyParams(point, points, false), fixed: true };
  switch (unit.base) {
    case "V":
      return voltage(name, unit);
    case "A":
      return SMALL_CURRENT.test(name) ? walk(0, 20) : { profile: "current", params: { min: 0, max: 400 } };
    case "W":
      return load("power", 20_000, 250_000, name);
    case "VA":
      return load("power", 25_000, 270_000, name);
    case "var":
      return load("reactive-power", 5_000, 80_000, name);
    case "Hz":
      return { profile: "frequency", params: { nominal: 50, deviation: 0.5 } };
    case "%":
      return HARMONICS.test(name) ? walk(0, 8) : UNBALANCE.test(name) ? walk(0, 2) : walk(0, 100);
    case "°":
      return walk(-180, 180);
    case "°C":
      return walk(10, 40);
    case "":
      return COUNT.test(name) ? counting() : unitless(name, range);
    default:
      return walk(0, 100);
  }
}

function byType(point: MonitorPoint, range: TypeRange, points: readonly MonitorPoint[]): Draft | undefined {
  switch (range.kind) {
    case "single":
      return { profile: "alarm", params: {} };
    case "double":
    case "protection":
      return { profile: "breaker", params: {} };
    case "step":
      return { profile: "tap", params: {} };
    case "counter":
      if (COUNT.test(point.name) && !isEnergyBase(parseUnit(point.unit).base)) return counting();
      return { profile: "energy", params: energyParams(point, points, true) };
    case "bitstring":
    case "packed":
    case "protection-bits":
      return { profile: "constant", params: { value: 0 } };
    default:
      return undefined;
  }
}

/** The power of ten that fits values up to `mag` to a normalized or scaled type (1 otherwise). */
function typeFactor(range: TypeRange, mag: number): number {
  if (!(mag > 0) || !Number.isFinite(mag)) return 1;
  if (range.kind === "normalized") {
    let k = Math.min(0, Math.floor(Math.log10(NORMALIZED_MAX / mag)));
    while (mag * 10 ** k > NORMALIZED_MAX) k--;
    return 10 ** k;
  }
  if (range.kind !== "scaled") return 1;
  if (mag < 1000) return 10 ** Math.ceil(Math.log10(1000 / mag));
  if (mag > 32767) return 10 ** Math.floor(Math.log10(32767 / mag));
  return 1;
}

function scaleParams(draft: Draft, unit: Unit, range: TypeRange): Record<string, ParamValue> {
  const profile = getProfile(draft.profile)!;
  const params = resolveParams(profile, draft.params);
  if (draft.fixed) return params;
  const unitScaled: Record<string, ParamValue> = { ...params };
  const magnitudes = Object.entries(profile.params).filter(([, s]) => s.magnitude);
  for (const [key] of magnitudes) unitScaled[key] = round((params[key] as number) / unit.factor);
  const [lo, hi] = profile.bounds(unitScaled);
  const f = typeFactor(range, Math.max(Math.abs(lo), Math.abs(hi)));
  if (f !== 1) for (const [key] of magnitudes) unitScaled[key] = round((unitScaled[key] as number) * f);
  return unitScaled;
}

function round(v: number): number {
  return Number(v.toPrecision(6));
}

/**
 * The inferred simulation of `point` (profile and every param resolved). `points` is the catalog,
 * where a counter looks for the power point it integrates.
 */
export function inferProfile(point: MonitorPoint, points: readonly MonitorPoint[] = []): SimulationSpec {
  const range = typeRange(point.typeId);
  const unit = parseUnit(point.unit);
  const draft = byType(point, range, points) ?? measured(point, unit, range, points);
  if (draft.profile === "energy") fitEnergy(draft.params, range);
  return { profile: draft.profile, params: scaleParams(draft, unit, range) };
}

/** Counters on int16 or normalized types restart before leaving the type's range. */
function fitEnergy(params: Record<string, ParamValue>, range: TypeRange): void {
  if (range.kind === "scaled") {
    params.integer = true;
    params.wrap = 32767;
    params.initial = 0;
  } else if (range.kind === "normalized") {
    params.wrap = NORMALIZED_MAX;
    params.initial = 0;
  }
}
