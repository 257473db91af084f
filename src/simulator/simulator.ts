/**
 * The simulator: one seeded generator per simulated point, advanced on ticks of an injected
 * clock, publishing plain values to `<base>/point/<ca>/<ioa>` like an external publisher would.
 * `tick(nowMs)` is pure with respect to I/O (it returns the messages), so tests drive it directly.
 */
import type { MonitorPoint, SimulationSpec } from "../points/model.js";
import { inferProfile } from "./infer.js";
import type { ParamValue } from "./profile.js";
import { getProfile, resolveParams } from "./registry.js";
import { PointRuntime } from "./runtime.js";
import { pointsByName, validateSimulation } from "./validate.js";

export interface SimPublisher {
  publish(topic: string, payload: string): void;
}

export interface SimClock {
  now(): number;
  /** Calls `fn` every `ms`; returns the cancel function. */
  setInterval(fn: () => void, ms: number): () => void;
}

export interface SimulatorOptions {
  seed: number;
  intervalMs: number;
  baseTopic: string;
  /** False disables every point (default true). */
  enabled?: boolean;
  clock?: SimClock;
}

export interface PlanEntry {
  ca: number;
  ioa: number;
  name: string;
  profile: string;
  params: Record<string, ParamValue>;
}

export interface SimMessage {
  topic: string;
  payload: string;
}

const systemClock: SimClock = {
  now: () => Date.now(),
  setInterval(fn, ms) {
    const h = setInterval(fn, ms);
    h.unref();
    return () => clearInterval(h);
  },
};

/** The spec a point runs with, or undefined when it is not simulated. */
function specOf(point: MonitorPoint, points: readonly MonitorPoint[]): SimulationSpec | undefined {
  const s = point.simulate;
  if (s === false || (s === undefined && point.source.topic !== undefined)) return undefined;
  return s ?? inferProfile(point, points);
}

function runtimeOf(
  point: MonitorPoint,
  spec: SimulationSpec,
  baseTopic: string,
  hidden: boolean,
): PointRuntime {
  const profile = getProfile(spec.profile)!;
  return new PointRuntime(point, profile, resolveParams(profile, spec.params), baseTopic, hidden);
}

export class Simulator {
  private readonly runtimes: PointRuntime[] = [];
  private readonly order: PointRuntime[];
  private readonly byAddress = new Map<string, PointRuntime>();
  private readonly clock: SimClock;
  private readonly opts: SimulatorOptions;
  private readonly publisher: SimPublisher;
  private lastNow: number | undefined;
  private cancel: (() => void) | undefined;

  constructor(points: readonly MonitorPoint[], opts: SimulatorOptions, publisher: SimPublisher) {
    this.opts = opts;
    this.publisher = publisher;
    if (!(opts.intervalMs > 0)) throw new Error(`simulator: intervalMs must be > 0, got ${opts.intervalMs}`);
    const errors = validateSimulation(points);
    if (errors.length > 0) throw new Error(`invalid simulation settings:\n${errors.join("\n")}`);
    this.clock = opts.clock ?? systemClock;
    if (opts.enabled !== false) this.build(points);
    const derived = this.runtimes.filter((r) => r.profile.derived);
    this.order = [...this.runtimes.filter((r) => !r.profile.derived), ...derived];
  }

  private build(points: readonly MonitorPoint[]): void {
    for (const p of points) {
      const spec = specOf(p, points);
      if (spec === undefined) continue;
      const r = runtimeOf(p, spec, this.opts.baseTopic, false);
      this.runtimes.push(r);
      this.byAddress.set(`${p.ca}/${p.ioa}`, r);
    }
    const names = pointsByName(points);
    for (const r of [...this.runtimes]) {
      const name = r.profile.derived ? String(r.params.source ?? "") : "";
      const found = name === "" ? undefined : names.get(name);
      const target = found?.find((p) => p.ca === r.point.ca) ?? found?.[0];
      const source = target === undefined ? undefined : this.sourceRuntime(target, points);
      if (source !== undefined) source.isSource = true;
      r.start(this.opts.seed, source?.cell);
    }
  }

  /** The runtime of a point another one reads, created hidden when the point is not simulated. */
  private sourceRuntime(point: MonitorPoint, points: readonly MonitorPoint[]): PointRuntime | undefined {
    const key = `${point.ca}/${point.ioa}`;
    const existing = this.byAddress.get(key);
    if (existing !== undefined) return existing;
    const explicit = point.simulate === false || point.simulate === undefined ? undefined : point.simulate;
    const spec = explicit ?? inferProfile(point, points);
    if (getProfile(spec.profile)?.derived) return undefined;
    const r = runtimeOf(point, spec, this.opts.baseTopic, true);
    r.start(this.opts.seed, undefined);
    this.runtimes.push(r);
    this.byAddress.set(key, r);
    return r;
  }

  /** What each simulated point will do, in catalog order. */
  plan(): PlanEntry[] {
    return this.runtimes
      .filter((r) => !r.hidden)
      .map((r) => ({
        ca: r.point.ca,
        ioa: r.point.ioa,
        name: r.point.name,
        profile: r.profile.name,
        params: { ...r.params },
      }));
  }

  /** Advances to `nowMs` and returns this tick's messages without publishing them. */
  tick(nowMs: number): SimMessage[] {
    const out: SimMessage[] = [];
    this.advance(nowMs, (topic, payload) => out.push({ topic, payload }));
    return out;
  }

  /** Publishes an initial value for every simulated point, then a tick every `intervalMs`. */
  start(): void {
    if (this.cancel !== undefined || this.runtimes.length === 0) return;
    const publish = (topic: string, payload: string) => this.publisher.publish(topic, payload);
    this.advance(this.clock.now(), publish);
    this.cancel = this.clock.setInterval(() => this.advance(this.clock.now(), publish), this.opts.intervalMs);
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  /** Stops publishing a point (a real publisher took it over); a counter reading it keeps counting. */
  disable(ca: number, ioa: number): boolean {
    const r = this.byAddress.get(`${ca}/${ioa}`);
    if (r !== undefined) r.disabled = true;
    return r !== undefined;
  }

  /** Publishes a disabled point again. */
  enable(ca: number, ioa: number): boolean {
    const r = this.byAddress.get(`${ca}/${ioa}`);
    if (r !== undefined) r.disabled = false;
    return r !== undefined;
  }

  get running(): boolean {
    return this.cancel !== undefined;
  }

  private advance(nowMs: number, emit: (topic: string, payload: string) => void): void {
    const first = this.lastNow === undefined;
    const dt = first ? 0 : Math.max(0, nowMs - this.lastNow!);
    this.lastNow = first || nowMs > this.lastNow! ? nowMs : this.lastNow;
    for (const r of this.order) r.step(dt, nowMs);
    for (const r of this.runtimes) if (r.publishes(first)) emit(r.topic, String(r.out));
  }
}
