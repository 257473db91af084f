/**
 * Checks the explicit `simulate` specs of a catalog: known profile, known params of the right
 * type and range, consistent params, values that fit the point's IEC type, and an energy source
 * that names a point. Errors read `path: message`, the path starting with the point.
 */
import { typeName } from "../iec104/asdu/types.js";
import type { MonitorPoint } from "../points/model.js";
import type { ParamSpec, ParamValue, Profile } from "./profile.js";
import { typeRange } from "./ranges.js";
import { getProfile, PROFILES, resolveParams } from "./registry.js";

function paramError(spec: ParamSpec, v: ParamValue): string | undefined {
  if (spec.type === "string" || spec.type === "boolean") {
    return typeof v === spec.type ? undefined : `must be a ${spec.type}`;
  }
  if (typeof v !== "number" || !Number.isFinite(v)) return "must be a finite number";
  if (spec.type === "integer" && !Number.isInteger(v)) return "must be an integer";
  if (spec.positive && !(v > 0)) return "must be greater than 0";
  if (spec.min !== undefined && v < spec.min) return `must be at least ${spec.min}`;
  if (spec.max !== undefined && v > spec.max) return `must be at most ${spec.max}`;
  return undefined;
}

function paramErrors(profile: Profile, given: Readonly<Record<string, ParamValue>>): string[] {
  const errors: string[] = [];
  for (const [key, v] of Object.entries(given)) {
    const spec = profile.params[key];
    const known = Object.keys(profile.params).join(", ");
    const err =
      spec === undefined ? `unknown parameter of "${profile.name}" (known: ${known})` : paramError(spec, v);
    if (err !== undefined) errors.push(`params.${key}: ${err}`);
  }
  return errors;
}

type Names = Map<string, MonitorPoint[]>;

function sourceError(point: MonitorPoint, source: string, names: () => Names): string | undefined {
  if (source === "") return undefined;
  const found = names().get(source);
  if (found === undefined) return `no point named "${source}"`;
  const target = found.find((p) => p.ca === point.ca) ?? found[0]!;
  if (target === point) return "a point cannot integrate itself";
  const spec = target.simulate;
  if (spec !== false && spec !== undefined && getProfile(spec.profile)?.derived) {
    return `"${source}" is itself a counter`;
  }
  return undefined;
}

function pointErrors(point: MonitorPoint, names: () => Names): string[] {
  const spec = point.simulate;
  if (spec === false || spec === undefined) return [];
  const profile = getProfile(spec.profile);
  if (profile === undefined) {
    return [`profile: unknown profile "${spec.profile}" (known: ${[...PROFILES.keys()].join(", ")})`];
  }
  const errors = paramErrors(profile, spec.params);
  if (errors.length > 0) return errors;
  const params = resolveParams(profile, spec.params);
  errors.push(...profile.check(params).map((e) => `params.${e}`));
  if (errors.length > 0) return errors;
  const range = typeRange(point.typeId);
  const [lo, hi] = profile.bounds(params);
  if (lo < range.min || hi > range.max) {
    errors.push(
      `profile: values ${lo}..${hi} do not fit ${typeName(point.typeId)} (${range.min}..${range.max})`,
    );
  }
  if (profile.derived) {
    const err = sourceError(point, String(params.source ?? ""), names);
    if (err !== undefined) errors.push(`params.source: ${err}`);
  }
  return errors;
}

/** Names to points, for energy sources (a name may repeat across stations). */
export function pointsByName(points: readonly MonitorPoint[]): Names {
  const names: Names = new Map();
  for (const p of points) {
    const list = names.get(p.name);
    if (list === undefined) names.set(p.name, [p]);
    else list.push(p);
  }
  return names;
}

/** Errors of every explicit `simulate` spec, as `path: message`; empty when all are valid. */
export function validateSimulation(points: readonly MonitorPoint[]): string[] {
  // Only energy counters name a source: the index is built the first time one asks.
  let index: Names | undefined;
  const names = (): Names => {
    index ??= pointsByName(points);
    return index;
  };
  const out: string[] = [];
  for (const p of points) {
    for (const e of pointErrors(p, names)) out.push(`${p.name} (${p.ca}/${p.ioa}).simulate.${e}`);
  }
  return out;
}
