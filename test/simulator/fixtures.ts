/**
 * Minimal catalog points for the simulator tests, and the seed file as such points (the real
 * Datapoints.json loader lives elsewhere; these tests only need name, address, unit and type).
 */
import { readFileSync } from "node:fs";
import type { MonitorTypeId } from "../../src/iec104/asdu/scalar.js";
import type { MonitorPoint } from "../../src/points/model.js";

export function point(over: Partial<MonitorPoint> & { ioa: number }): MonitorPoint {
  return {
    name: `p${over.ioa}`,
    ca: 1,
    unit: "",
    kind: "monitor",
    typeId: 13,
    groups: [],
    counterGroup: undefined,
    deadband: 0,
    cyclicMs: 0,
    backgroundMs: 0,
    spontaneous: undefined,
    source: { topic: undefined, field: undefined },
    staleAfterMs: undefined,
    simulate: undefined,
    initial: undefined,
    ...over,
  };
}

export const SEED_FILE = "/work/shared/seed/Datapoints.json";

interface SeedEntry {
  IOAddress: number;
  "Type IEC": number;
  "Unit / Einheit": string;
}

export function seedPoints(): MonitorPoint[] {
  const json = JSON.parse(readFileSync(SEED_FILE, "utf8")) as Record<string, SeedEntry>;
  return Object.entries(json).map(([name, e]) =>
    point({ name, ioa: e.IOAddress, unit: e["Unit / Einheit"], typeId: e["Type IEC"] as MonitorTypeId }),
  );
}

/** A clock whose intervals run only when the test says so. */
export class FakeClock {
  nowMs = 1_700_000_000_000;
  readonly timers = new Map<number, { fn: () => void; ms: number }>();
  private nextId = 1;

  now(): number {
    return this.nowMs;
  }

  setInterval(fn: () => void, ms: number): () => void {
    const id = this.nextId++;
    this.timers.set(id, { fn, ms });
    return () => this.timers.delete(id);
  }

  /** Advances by `ms`, firing each interval once per elapsed period. */
  advance(ms: number): void {
    const period = Math.min(...[...this.timers.values()].map((t) => t.ms));
    if (!Number.isFinite(period)) {
      this.nowMs += ms;
      return;
    }
    let left = ms;
    for (; left >= period; left -= period) {
      this.nowMs += period;
      for (const timer of [...this.timers.values()]) timer.fn();
    }
    this.nowMs += left;
  }
}
