/**
 * Status points that change rarely, as Poisson events: a breaker (double point 1 OFF / 2 ON with an
 * optional brief intermediate 0), an alarm (single point, short 1 pulses) and a tap changer (step
 * position, +-1 steps pulled back towards its initial position).
 */

import { clamp, defineProfile, eventChance, num, type Params } from "./profile.js";
import type { Rng } from "./rng.js";

const MINUTE = 60_000;

interface Breaker {
  rng: Rng;
  value: number;
  target: number;
  until: number;
  meanMs: number;
  intermediateMs: number;
}

export const breaker = defineProfile<Breaker>({
  name: "breaker",
  doc: "double point: 1 OFF / 2 ON, toggling on average every meanMs, through 0 for intermediateMs",
  params: {
    meanMs: { type: "integer", default: 60 * MINUTE, positive: true, doc: "mean time between toggles (ms)" },
    intermediateMs: {
      type: "integer",
      default: 0,
      min: 0,
      doc: "time in the intermediate state 0 (0: none)",
    },
    initial: { type: "integer", default: 2, min: 1, max: 2, doc: "state at start: 1 OFF, 2 ON" },
  },
  bounds: (p) => [num(p, "intermediateMs") > 0 ? 0 : 1, 2],
  init: (p, rng) => ({
    rng,
    value: num(p, "initial"),
    target: num(p, "initial"),
    until: 0,
    meanMs: num(p, "meanMs"),
    intermediateMs: num(p, "intermediateMs"),
  }),
  next(s, dtMs, nowMs) {
    if (s.value === 0) {
      if (nowMs >= s.until) s.value = s.target;
      return s.value;
    }
    if (!s.rng.chance(eventChance(dtMs, s.meanMs))) return s.value;
    s.target = s.value === 2 ? 1 : 2;
    if (s.intermediateMs > 0) {
      s.value = 0;
      s.until = nowMs + s.intermediateMs;
    } else {
      s.value = s.target;
    }
    return s.value;
  },
});

interface Alarm {
  rng: Rng;
  value: number;
  until: number;
  meanMs: number;
  pulseMs: number;
}

export const alarm = defineProfile<Alarm>({
  name: "alarm",
  doc: "single point: mostly 0, a 1 pulse of pulseMs on average every meanMs",
  params: {
    meanMs: { type: "integer", default: 30 * MINUTE, positive: true, doc: "mean time between pulses (ms)" },
    pulseMs: { type: "integer", default: 5000, min: 0, doc: "pulse length (ms; at least one tick)" },
  },
  bounds: () => [0, 1],
  init: (p, rng) => ({ rng, value: 0, until: 0, meanMs: num(p, "meanMs"), pulseMs: num(p, "pulseMs") }),
  next(s, dtMs, nowMs) {
    if (s.value === 1) {
      if (nowMs >= s.until) s.value = 0;
      return s.value;
    }
    if (s.rng.chance(eventChance(dtMs, s.meanMs))) {
      s.value = 1;
      s.until = nowMs + s.pulseMs;
    }
    return s.value;
  },
});

interface Tap {
  rng: Rng;
  value: number;
  centre: number;
  span: number;
  lo: number;
  hi: number;
  meanMs: number;
}

function tapCheck(p: Params): string[] {
  const lo = num(p, "min");
  const hi = num(p, "max");
  if (lo >= hi) return ["max: must be greater than min"];
  const i = num(p, "initial");
  return i < lo || i > hi ? [`initial: must be within ${lo}..${hi}`] : [];
}

export const tap = defineProfile<Tap>({
  name: "tap",
  doc: "step position: +-1 steps on average every meanMs, drawn back towards the initial position",
  params: {
    min: { type: "integer", default: -16, min: -64, max: 63, doc: "lowest position" },
    max: { type: "integer", default: 16, min: -64, max: 63, doc: "highest position" },
    initial: { type: "integer", default: 0, min: -64, max: 63, doc: "position at start, the walk's centre" },
    meanMs: { type: "integer", default: 10 * MINUTE, positive: true, doc: "mean time between steps (ms)" },
  },
  check: tapCheck,
  bounds: (p) => [num(p, "min"), num(p, "max")],
  init(p, rng) {
    const lo = num(p, "min");
    const hi = num(p, "max");
    const c = num(p, "initial");
    return { rng, value: c, centre: c, span: Math.max(hi - c, c - lo, 1), lo, hi, meanMs: num(p, "meanMs") };
  },
  next(s, dtMs) {
    if (!s.rng.chance(eventChance(dtMs, s.meanMs))) return s.value;
    const up = clamp(0.5 - (0.5 * (s.value - s.centre)) / s.span, 0, 1);
    s.value = clamp(s.value + (s.rng.chance(up) ? 1 : -1), s.lo, s.hi);
    return s.value;
  },
});
