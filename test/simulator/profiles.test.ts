/**
 * Each profile on its own: stays within its bounds for any valid params and seed (the params are
 * also checked to pass validation), and behaves like the equipment it imitates.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  getProfile,
  type ParamValue,
  type Profile,
  resolveParams,
  validateSimulation,
} from "../../src/simulator/index.js";
import { loadShape } from "../../src/simulator/profiles-load.js";
import { Rng } from "../../src/simulator/rng.js";
import { point } from "./fixtures.js";

const T0 = Date.UTC(2026, 5, 1);

function profile(name: string): Profile {
  const p = getProfile(name);
  if (p === undefined) throw new Error(`no profile ${name}`);
  return p;
}

/** Runs a profile through ticks of the given lengths; returns the values. */
function run(
  name: string,
  given: Record<string, ParamValue>,
  seed: number,
  dts: readonly number[],
): number[] {
  const prof = profile(name);
  const gen = prof.create(resolveParams(prof, given), new Rng(seed), { source: undefined });
  let now = T0;
  const out = [gen(0, now)];
  for (const dt of dts) {
    now += dt;
    out.push(gen(dt, now));
  }
  return out;
}

const num = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const range = (lo: number, hi: number) =>
  fc
    .tuple(num(lo, hi), num(lo, hi))
    .filter(([a, b]) => Math.abs(a - b) > 1e-6 * (hi - lo))
    .map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) }));
const loadArb = fc.record({
  range: range(-1e6, 1e6),
  periodMs: fc.integer({ min: 1000, max: 2 * 86_400_000 }),
  noise: num(0, 0.5),
});

const PARAMS: Record<string, fc.Arbitrary<Record<string, ParamValue>>> = {
  voltage: fc.record({ nominal: num(-1e6, 1e6).filter((n) => n !== 0), tolerance: num(0.001, 1) }),
  frequency: fc.record({ nominal: num(0, 1000), deviation: num(0.001, 10) }),
  "power-factor": range(-1, 1),
  "random-walk": range(-1e6, 1e6).chain((r) => num(0, r.max - r.min).map((step) => ({ ...r, step }))),
  constant: fc.record({ value: num(-1e9, 1e9) }),
  breaker: fc.record({
    meanMs: fc.integer({ min: 1, max: 1e7 }),
    intermediateMs: fc.integer({ min: 0, max: 10_000 }),
    initial: fc.constantFrom(1, 2),
  }),
  alarm: fc.record({
    meanMs: fc.integer({ min: 1, max: 1e7 }),
    pulseMs: fc.integer({ min: 0, max: 60_000 }),
  }),
  tap: fc
    .tuple(
      fc.integer({ min: -64, max: 63 }),
      fc.integer({ min: -64, max: 63 }),
      fc.integer({ min: 1, max: 1e7 }),
    )
    .filter(([a, b]) => a !== b)
    .chain(([a, b, meanMs]) =>
      fc.integer({ min: Math.min(a, b), max: Math.max(a, b) }).map((initial) => ({
        min: Math.min(a, b),
        max: Math.max(a, b),
        initial,
        meanMs,
      })),
    ),
  energy: fc
    .record({ rate: num(0, 1e6), initial: num(0, 1e6), integer: fc.boolean() })
    .chain((p) => num(p.initial + 1, 2e9).map((wrap) => ({ ...p, wrap }))),
};
for (const name of ["daily-load", "current", "power", "reactive-power"]) {
  PARAMS[name] = loadArb.map((p) => ({ ...p.range, periodMs: p.periodMs, noise: p.noise }));
}

describe("every profile stays within its bounds", () => {
  it("has an arbitrary for every registered profile", async () => {
    const { PROFILES } = await import("../../src/simulator/index.js");
    expect(Object.keys(PARAMS).sort()).toEqual([...PROFILES.keys()].sort());
  });

  for (const [name, arb] of Object.entries(PARAMS)) {
    it(name, () => {
      const dts = fc.array(fc.integer({ min: 0, max: 3_600_000 }), { minLength: 50, maxLength: 200 });
      fc.assert(
        fc.property(arb, fc.integer({ min: 0, max: 0xffffffff }), dts, (params, seed, steps) => {
          expect(validateSimulation([point({ ioa: 1, simulate: { profile: name, params } })])).toEqual([]);
          const [lo, hi] = profile(name).bounds(resolveParams(profile(name), params));
          const outside = run(name, params, seed, steps).filter((v) => !(v >= lo && v <= hi));
          expect(outside, `bounds ${lo}..${hi}`).toEqual([]);
        }),
        { numRuns: 60 },
      );
    });
  }
});

const SECOND = 1000;
const DAY_TICKS = Array.from({ length: 86_400 }, () => SECOND);

function transitions(values: readonly number[]): number {
  let n = 0;
  for (let i = 1; i < values.length; i++) if (values[i] !== values[i - 1]) n++;
  return n;
}

describe("plausible behaviour", () => {
  it("frequency stays mostly within +-0.05 Hz of 50", () => {
    const v = run("frequency", {}, 3, DAY_TICKS.slice(0, 20_000));
    const near = v.filter((f) => Math.abs(f - 50) <= 0.05).length / v.length;
    expect(near).toBeGreaterThan(0.95);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(49.5);
  });

  it("voltage wanders around nominal, in the band, and moves every tick", () => {
    const v = run("voltage", { nominal: 230, tolerance: 0.1 }, 5, DAY_TICKS.slice(0, 20_000));
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    expect(Math.abs(mean - 230)).toBeLessThan(230 * 0.02);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(207);
    expect(Math.max(...v)).toBeLessThanOrEqual(253);
    expect(transitions(v)).toBe(v.length - 1);
  });

  it("the daily load curve has a night low, a morning peak and a higher evening peak", () => {
    const at = (h: number) => loadShape(h * 3_600_000);
    expect(at(3)).toBeLessThan(0.1);
    expect(at(8)).toBeGreaterThan(at(5));
    expect(at(8)).toBeGreaterThan(at(11));
    expect(at(19)).toBeGreaterThan(0.9);
    expect(at(19)).toBeGreaterThan(at(8));
    expect(loadShape(19 * 1000, 24_000)).toBeCloseTo(at(19), 6);
  });

  it("power follows the curve over a compressed day", () => {
    const v = run(
      "power",
      { min: 0, max: 100, periodMs: 24_000, noise: 0 },
      1,
      Array(24_000 / 250).fill(250),
    );
    const hour = (h: number) => v[(h * 1000) / 250]!;
    expect(hour(19)).toBeGreaterThan(hour(3) + 50);
  });

  it("a breaker toggles about once per meanMs, between 1 and 2", () => {
    const v = run("breaker", { meanMs: 60_000 }, 11, DAY_TICKS);
    expect(new Set(v)).toEqual(new Set([1, 2]));
    expect(transitions(v)).toBeGreaterThan(1440 * 0.85);
    expect(transitions(v)).toBeLessThan(1440 * 1.15);
    expect(transitions(run("breaker", {}, 11, DAY_TICKS))).toBeLessThan(60);
  });

  it("a breaker passes through intermediate 0 when asked", () => {
    const v = run("breaker", { meanMs: 60_000, intermediateMs: 2500 }, 12, DAY_TICKS.slice(0, 3600));
    const i = v.indexOf(0);
    expect(i).toBeGreaterThan(0);
    expect(v.slice(i - 1, i + 5)).toEqual([2, 0, 0, 0, 1, 1]);
  });

  it("an alarm is mostly 0 with short 1 pulses", () => {
    const v = run("alarm", { meanMs: 60_000, pulseMs: 5000 }, 13, DAY_TICKS);
    let pulses = 0;
    for (let i = 1; i < v.length; i++) if (v[i] === 1 && v[i - 1] === 0) pulses++;
    expect(pulses).toBeGreaterThan(1300 * 0.85);
    expect(pulses).toBeLessThan(1300 * 1.15);
    expect(v.filter((x) => x === 1).length).toBe(pulses * 5);
    expect(transitions(run("alarm", {}, 13, DAY_TICKS))).toBeLessThan(150);
  });

  it("a tap steps by 1, rarely, and stays near its initial position", () => {
    const v = run("tap", {}, 17, [...DAY_TICKS, ...DAY_TICKS]);
    let biggest = 0;
    for (let i = 1; i < v.length; i++) biggest = Math.max(biggest, Math.abs(v[i]! - v[i - 1]!));
    expect(biggest).toBe(1);
    expect(transitions(v)).toBeGreaterThan(288 * 0.75);
    expect(transitions(v)).toBeLessThan(288 * 1.25);
    expect(v.reduce((m, x) => Math.max(m, Math.abs(x)), 0)).toBeLessThan(16);
  });

  it("a random walk moves at about `step` per second", () => {
    const v = run("random-walk", { min: 0, max: 1000, step: 1 }, 19, DAY_TICKS.slice(0, 1000));
    const d = v.slice(1).map((x, i) => Math.abs(x - v[i]!));
    const meanAbs = d.reduce((a, b) => a + b, 0) / d.length;
    expect(meanAbs).toBeGreaterThan(0.6);
    expect(meanAbs).toBeLessThan(1);
  });

  it("an energy counter without a source counts up at its rate", () => {
    const v = run("energy", { rate: 3600, initial: 5 }, 1, DAY_TICKS.slice(0, 100));
    expect(v[0]).toBe(5);
    expect(v.at(-1)).toBeCloseTo(105, 6);
    const ints = run("energy", { rate: 1800, integer: true, wrap: 10 }, 1, DAY_TICKS.slice(0, 30));
    expect(ints.every(Number.isInteger)).toBe(true);
    expect(Math.max(...ints)).toBe(9);
  });
});
