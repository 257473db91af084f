/**
 * Values that follow the daily load curve: a low at night, a morning peak (about 08:00) and a
 * higher evening peak (about 19:00), by UTC time of day, compressed into `periodMs` so a test can
 * see a whole day quickly. Each point adds its own slow wander and noise to the shared curve.
 */

import {
  clamp,
  defineProfile,
  minMaxCheck,
  num,
  ouStep,
  type ParamSpec,
  type Params,
  type Profile,
} from "./profile.js";
import type { Rng } from "./rng.js";

export const DAY_MS = 86_400_000;

function bump(h: number, centre: number, width: number): number {
  let d = Math.abs(h - centre);
  if (d > 12) d = 24 - d;
  return Math.exp(-0.5 * (d / width) * (d / width));
}

function rawShape(h: number): number {
  return 0.2 + 0.2 * bump(h, 13, 4) + 0.45 * bump(h, 8, 1.5) + 0.6 * bump(h, 19, 2);
}

const SAMPLES = 1440;
const CURVE = new Float64Array(SAMPLES + 1);
{
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i <= SAMPLES; i++) {
    const v = rawShape((24 * i) / SAMPLES);
    CURVE[i] = v;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  for (let i = 0; i <= SAMPLES; i++) CURVE[i] = (CURVE[i]! - lo) / (hi - lo);
}

/** The load curve in [0, 1] at `nowMs`, for a day of `periodMs` (linear between minute samples). */
export function loadShape(nowMs: number, periodMs = DAY_MS): number {
  const phase = (((nowMs % periodMs) + periodMs) % periodMs) / periodMs;
  const x = phase * SAMPLES;
  const i = Math.floor(x);
  const a = CURVE[i]!;
  const b = CURVE[Math.min(i + 1, SAMPLES)]!;
  return a + (b - a) * (x - i);
}

interface Load {
  rng: Rng;
  lo: number;
  hi: number;
  periodMs: number;
  noise: number;
  w: number;
}

function loadParams(min: number, max: number, unit: string): Record<string, ParamSpec> {
  return {
    min: { type: "number", default: min, doc: `value at the night low (${unit})`, magnitude: true },
    max: { type: "number", default: max, doc: `value at the evening peak (${unit})`, magnitude: true },
    periodMs: { type: "integer", default: DAY_MS, min: 1000, doc: "length of one simulated day (ms)" },
    noise: { type: "number", default: 0.02, min: 0, max: 0.5, doc: "noise sd, a fraction of max - min" },
  };
}

function loadProfile(name: string, doc: string, min: number, max: number, unit: string): Profile {
  return defineProfile<Load>({
    name,
    doc,
    params: loadParams(min, max, unit),
    check: minMaxCheck,
    bounds: (p: Params) => [num(p, "min"), num(p, "max")],
    init: (p, rng) => ({
      rng,
      lo: num(p, "min"),
      hi: num(p, "max"),
      periodMs: num(p, "periodMs"),
      noise: num(p, "noise"),
      w: 0,
    }),
    next(s, dtMs, nowMs) {
      s.w = ouStep(s.w, 0, 0.03, 300_000, dtMs, s.rng);
      const f = loadShape(nowMs, s.periodMs) + s.w + s.noise * s.rng.normal();
      return clamp(s.lo + (s.hi - s.lo) * f, s.lo, s.hi);
    },
  });
}

export const dailyLoad = loadProfile(
  "daily-load",
  "the daily load curve between min and max",
  0,
  1,
  "any unit",
);
export const current = loadProfile(
  "current",
  "phase current (A) following the daily load curve",
  0,
  400,
  "A",
);
export const power = loadProfile(
  "power",
  "active (or apparent) power (kW) following the daily load curve",
  20,
  250,
  "kW",
);
export const reactivePower = loadProfile(
  "reactive-power",
  "reactive power (kvar) following the daily load curve",
  5,
  80,
  "kvar",
);
