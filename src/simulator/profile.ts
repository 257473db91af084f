/**
 * What a simulation profile is: a small pure generator (`init(params, rng)`, then
 * `next(state, dtMs, nowMs)` for each tick) with its parameters described for docs and validation.
 * Profiles are type-erased through `defineProfile` so the registry can hold them side by side.
 */
import type { Rng } from "./rng.js";

export type ParamValue = number | string | boolean;
export type Params = Readonly<Record<string, ParamValue>>;

export interface ParamSpec {
  type: "number" | "integer" | "string" | "boolean";
  /** Undefined: derived from the other parameters (see `doc`). */
  default: ParamValue | undefined;
  doc: string;
  min?: number;
  max?: number;
  /** Must be > 0. */
  positive?: boolean;
  /** A value in the point's unit: inference scales it with the unit prefix and the IEC type. */
  magnitude?: boolean;
}

/** A simulated value another point can read (energy integrates a power point's). */
export interface Cell {
  value: number;
  /** The value before the last tick (equal to `value` after the first). */
  prev: number;
}

export interface InitContext {
  /** The cell of the point this one reads (`source` param), resolved by the simulator. */
  source: Cell | undefined;
}

export interface ProfileDef<S> {
  name: string;
  doc: string;
  params: Readonly<Record<string, ParamSpec>>;
  /** Reads another point (the `source` param): evaluated after the points it may read. */
  derived?: boolean;
  /** Values of derived defaults, given the resolved params. */
  derive?: (p: Params) => Record<string, ParamValue>;
  /** Cross-parameter errors as `param: message`. */
  check?: (p: Params) => string[];
  /** Least and greatest value the generator can produce. */
  bounds(p: Params): [number, number];
  /** Decimals to publish for float types; default from the magnitude of the bounds. */
  decimals?: (p: Params) => number;
  init(p: Params, rng: Rng, ctx: InitContext): S;
  next(state: S, dtMs: number, nowMs: number): number;
}

/** A running generator: the next value after `dtMs`, at `nowMs`. */
export type Generator = (dtMs: number, nowMs: number) => number;

export interface Profile {
  readonly name: string;
  readonly doc: string;
  readonly params: Readonly<Record<string, ParamSpec>>;
  readonly derived: boolean;
  derive(p: Params): Record<string, ParamValue>;
  check(p: Params): string[];
  bounds(p: Params): [number, number];
  decimals: ((p: Params) => number) | undefined;
  create(p: Params, rng: Rng, ctx: InitContext): Generator;
}

export function defineProfile<S>(def: ProfileDef<S>): Profile {
  return {
    name: def.name,
    doc: def.doc,
    params: def.params,
    derived: def.derived ?? false,
    derive: def.derive ?? (() => ({})),
    check: def.check ?? (() => []),
    bounds: def.bounds,
    decimals: def.decimals,
    create(p, rng, ctx) {
      const state = def.init(p, rng, ctx);
      return (dtMs, nowMs) => def.next(state, dtMs, nowMs);
    },
  };
}

export function num(p: Params, key: string): number {
  const v = p[key];
  return typeof v === "number" ? v : Number.NaN;
}

export function str(p: Params, key: string): string {
  const v = p[key];
  return typeof v === "string" ? v : "";
}

export function bool(p: Params, key: string): boolean {
  return p[key] === true;
}

export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * One step of an Ornstein-Uhlenbeck process: reverts to `mu` with time constant `tauMs`, with
 * stationary standard deviation `sd`; exact for any `dtMs`, so the tick rate does not matter.
 */
export function ouStep(x: number, mu: number, sd: number, tauMs: number, dtMs: number, rng: Rng): number {
  if (dtMs <= 0) return x;
  const a = Math.exp(-dtMs / tauMs);
  return mu + (x - mu) * a + sd * Math.sqrt(1 - a * a) * rng.normal();
}

/** Probability that a Poisson event with mean interval `meanMs` happens within `dtMs`. */
export function eventChance(dtMs: number, meanMs: number): number {
  return dtMs <= 0 ? 0 : 1 - Math.exp(-dtMs / meanMs);
}

export function minMaxCheck(p: Params): string[] {
  return num(p, "min") < num(p, "max") ? [] : ["max: must be greater than min"];
}
