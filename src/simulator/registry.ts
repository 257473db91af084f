/**
 * Every simulation profile by name, with its parameters and defaults (for docs and validation),
 * and the resolution of a spec's params: given values over defaults, then derived defaults.
 */
import type { Params, ParamValue, Profile } from "./profile.js";
import { constant, frequency, powerFactor, randomWalk, voltage } from "./profiles-analog.js";
import { alarm, breaker, tap } from "./profiles-discrete.js";
import { energy } from "./profiles-energy.js";
import { current, dailyLoad, power, reactivePower } from "./profiles-load.js";

const ALL: readonly Profile[] = [
  voltage,
  frequency,
  current,
  power,
  reactivePower,
  powerFactor,
  randomWalk,
  dailyLoad,
  energy,
  breaker,
  alarm,
  tap,
  constant,
];

export const PROFILES: ReadonlyMap<string, Profile> = new Map(ALL.map((p) => [p.name, p]));

export function getProfile(name: string): Profile | undefined {
  return PROFILES.get(name);
}

/** The full params of a profile: `given` over the defaults, then the derived defaults. */
export function resolveParams(profile: Profile, given: Params): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  const open: string[] = [];
  for (const [key, spec] of Object.entries(profile.params)) {
    const v = given[key] ?? spec.default;
    if (v === undefined) open.push(key);
    else out[key] = v;
  }
  if (open.length > 0) {
    const derived = profile.derive(out);
    for (const key of open) {
      const v = derived[key];
      if (v !== undefined) out[key] = v;
    }
  }
  return out;
}
