/**
 * A Clock on fake time for the outstation's tests: nothing fires until `advance` moves the time.
 * Timers run in due order (ties in the order they were set), each at its own due time, so a timer
 * that re-arms itself (a cyclic scan) fires once per interval passed.
 */
import type { Clock, TimerHandle } from "../../../src/iec104/outstation/clock.js";

interface Entry {
  id: number;
  at: number;
  fn: () => void;
}

export class ManualClock implements Clock {
  private mono = 0;
  private readonly wallAtZero: number;
  private nextId = 1;
  private readonly timers = new Map<number, Entry>();

  /** `wallStart`: the wall-clock time at monotonic 0 (default: now). */
  constructor(wallStart = Date.now()) {
    this.wallAtZero = wallStart;
  }

  monotonic(): number {
    return this.mono;
  }

  wall(): number {
    return this.wallAtZero + this.mono;
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, at: this.mono + Math.max(0, ms), fn });
    return { id } as unknown as TimerHandle;
  }

  clearTimer(handle: TimerHandle): void {
    this.timers.delete((handle as unknown as { id: number }).id);
  }

  /** Moves the time on by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const end = this.mono + ms;
    for (;;) {
      let next: Entry | undefined;
      for (const t of this.timers.values()) {
        if (t.at <= end && (next === undefined || t.at < next.at || (t.at === next.at && t.id < next.id)))
          next = t;
      }
      if (next === undefined) break;
      this.timers.delete(next.id);
      this.mono = Math.max(this.mono, next.at);
      next.fn();
    }
    this.mono = end;
  }
}
