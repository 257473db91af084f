/**
 * Measured values that wander around a setpoint: voltage, frequency, power factor, a bounded
 * random walk and a constant. Wander and noise are relative to the params, so a profile scaled to
 * another unit or IEC type keeps its shape.
 */

import { clamp, defineProfile, minMaxCheck, num, ouStep, type Params } from "./profile.js";
import type { Rng } from "./rng.js";

const MINUTE = 60_000;

interface Wander {
  rng: Rng;
  x: number;
  mu: number;
  sd: number;
  tauMs: number;
  noise: number;
  lo: number;
  hi: number;
}

function wander(
  rng: Rng,
  mu: number,
  sd: number,
  tauMs: number,
  noise: number,
  lo: number,
  hi: number,
): Wander {
  return { rng, x: mu + sd * rng.normal(), mu, sd, tauMs, noise, lo, hi };
}

function nextWander(s: Wander, dtMs: number): number {
  s.x = ouStep(s.x, s.mu, s.sd, s.tauMs, dtMs, s.rng);
  return clamp(s.x + s.noise * s.rng.normal(), s.lo, s.hi);
}

function band(p: Params, centre: string, half: number): [number, number] {
  const c = num(p, centre);
  return [Math.min(c - half, c + half), Math.max(c - half, c + half)];
}

export const voltage = defineProfile<Wander>({
  name: "voltage",
  doc: "RMS voltage: a slow wander (sd 1 % of nominal, 10 min) plus small noise, held within nominal +- tolerance",
  params: {
    nominal: { type: "number", default: 230, doc: "nominal voltage in the point's unit", magnitude: true },
    tolerance: {
      type: "number",
      default: 0.1,
      min: 0,
      max: 1,
      positive: true,
      doc: "half band, a fraction of nominal",
    },
  },
  bounds: (p) => band(p, "nominal", Math.abs(num(p, "nominal")) * num(p, "tolerance")),
  init(p, rng) {
    const n = num(p, "nominal");
    const [lo, hi] = band(p, "nominal", Math.abs(n) * num(p, "tolerance"));
    return wander(rng, n, Math.abs(n) * 0.01, 10 * MINUTE, Math.abs(n) * 0.0005, lo, hi);
  },
  next: nextWander,
});

export const frequency = defineProfile<Wander>({
  name: "frequency",
  doc: "grid frequency: mostly within +- a tenth of the deviation (sd deviation/25, 30 s), never beyond it",
  params: {
    nominal: { type: "number", default: 50, doc: "nominal frequency", magnitude: true },
    deviation: {
      type: "number",
      default: 0.5,
      positive: true,
      doc: "largest deviation from nominal",
      magnitude: true,
    },
  },
  bounds: (p) => band(p, "nominal", num(p, "deviation")),
  init(p, rng) {
    const d = num(p, "deviation");
    const [lo, hi] = band(p, "nominal", d);
    return wander(rng, num(p, "nominal"), d / 25, 30_000, d / 500, lo, hi);
  },
  next: nextWander,
});

export const powerFactor = defineProfile<Wander>({
  name: "power-factor",
  doc: "cos phi: a slow wander between min and max",
  params: {
    min: { type: "number", default: 0.85, doc: "lowest value", magnitude: true },
    max: { type: "number", default: 0.99, doc: "highest value", magnitude: true },
  },
  check: minMaxCheck,
  bounds: (p) => [num(p, "min"), num(p, "max")],
  init(p, rng) {
    const lo = num(p, "min");
    const hi = num(p, "max");
    return wander(rng, (lo + hi) / 2, (hi - lo) / 6, 5 * MINUTE, (hi - lo) / 500, lo, hi);
  },
  next: nextWander,
});

interface Walk {
  rng: Rng;
  x: number;
  lo: number;
  hi: number;
  step: number;
}

export const randomWalk = defineProfile<Walk>({
  name: "random-walk",
  doc: "a bounded random walk (reflected at min and max), `step` the typical change per second",
  params: {
    min: { type: "number", default: 0, doc: "lowest value", magnitude: true },
    max: { type: "number", default: 100, doc: "highest value", magnitude: true },
    step: {
      type: "number",
      default: undefined,
      min: 0,
      doc: "sd of the change per second (default: (max - min) / 100)",
      magnitude: true,
    },
  },
  derive: (p) => ({ step: (num(p, "max") - num(p, "min")) / 100 }),
  check: minMaxCheck,
  bounds: (p) => [num(p, "min"), num(p, "max")],
  init(p, rng) {
    const lo = num(p, "min");
    const hi = num(p, "max");
    return { rng, lo, hi, step: num(p, "step"), x: lo + (hi - lo) * rng.next() };
  },
  next(s, dtMs) {
    if (dtMs <= 0) return s.x;
    let x = s.x + s.step * Math.sqrt(dtMs / 1000) * s.rng.normal();
    if (x > s.hi) x = 2 * s.hi - x;
    if (x < s.lo) x = 2 * s.lo - x;
    s.x = clamp(x, s.lo, s.hi);
    return s.x;
  },
});

export const constant = defineProfile<{ value: number }>({
  name: "constant",
  doc: "always the same value",
  params: { value: { type: "number", default: 0, doc: "the value", magnitude: true } },
  bounds: (p) => [num(p, "value"), num(p, "value")],
  init: (p) => ({ value: num(p, "value") }),
  next: (s) => s.value,
});
