/**
 * One simulated point while the simulator runs: its generator, its last output value (clamped and
 * rounded for its IEC type) and the cell other points read it through.
 */
import type { MonitorPoint } from "../points/model.js";
import type { Cell, Generator, ParamValue, Profile } from "./profile.js";
import { decimalsFor, gridBounds, outputValue, type TypeRange, typeRange } from "./ranges.js";
import { pointSeed, Rng } from "./rng.js";

export class PointRuntime {
  readonly point: MonitorPoint;
  readonly profile: Profile;
  readonly params: Record<string, ParamValue>;
  /** Only simulated because another point reads it: never published. */
  readonly hidden: boolean;
  readonly cell: Cell = { value: Number.NaN, prev: Number.NaN };
  readonly range: TypeRange;
  readonly topic: string;
  /** Last output value (NaN before the first tick). */
  out = Number.NaN;
  changed = false;
  /** No longer published (a real publisher took over). */
  disabled = false;
  /** Read by another point: keeps running when disabled or hidden. */
  isSource = false;
  private readonly pow10: number;
  private readonly lo: number;
  private readonly hi: number;
  private gen: Generator | undefined;

  constructor(
    point: MonitorPoint,
    profile: Profile,
    params: Record<string, ParamValue>,
    baseTopic: string,
    hidden: boolean,
  ) {
    this.point = point;
    this.profile = profile;
    this.params = params;
    this.hidden = hidden;
    this.range = typeRange(point.typeId);
    this.topic = `${baseTopic}/point/${point.ca}/${point.ioa}`;
    const [lo, hi] = profile.bounds(params);
    this.pow10 = 10 ** (profile.decimals?.(params) ?? decimalsFor(lo, hi));
    [this.lo, this.hi] = gridBounds(lo, hi, this.range, this.pow10);
  }

  /** Creates the generator; `source` is the cell of the point it reads, if any. */
  start(seed: number, source: Cell | undefined): void {
    const rng = new Rng(pointSeed(seed, this.point.ca, this.point.ioa));
    this.gen = this.profile.create(this.params, rng, { source });
  }

  step(dtMs: number, nowMs: number): void {
    if (this.gen === undefined || (this.disabled && !this.isSource)) return;
    const out = outputValue(this.gen(dtMs, nowMs), this.range, this.pow10, this.lo, this.hi);
    this.changed = out !== this.out;
    this.cell.prev = Number.isNaN(this.cell.value) ? out : this.cell.value;
    this.cell.value = out;
    this.out = out;
  }

  /** Whether this tick publishes the point: always on the first, every tick for measured values. */
  publishes(first: boolean): boolean {
    return !this.hidden && !this.disabled && (first || this.range.measured || this.changed);
  }
}
