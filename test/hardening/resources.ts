/**
 * Leak checks shared by the fuzz test and the soak run (no vitest here: the soak runs under plain
 * Node): a Clock that counts its live timers, and the process's active handles by kind.
 */
import { readdirSync } from "node:fs";
import type { Clock, TimerHandle } from "../../src/iec104/outstation/clock.js";

/**
 * A Clock over another that counts its live timers (set, neither fired nor cleared): the
 * outstation's timers are unref'd, so process.getActiveResourcesInfo() does not list them.
 */
export class CountingClock implements Clock {
  private readonly base: Clock;
  private readonly live = new Set<{ handle: TimerHandle | undefined }>();

  constructor(base: Clock) {
    this.base = base;
  }

  get activeTimers(): number {
    return this.live.size;
  }

  monotonic(): number {
    return this.base.monotonic();
  }

  wall(): number {
    return this.base.wall();
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const entry: { handle: TimerHandle | undefined } = { handle: undefined };
    this.live.add(entry);
    entry.handle = this.base.setTimer(() => {
      this.live.delete(entry);
      fn();
    }, ms);
    return entry as unknown as TimerHandle;
  }

  clearTimer(handle: TimerHandle): void {
    const entry = handle as unknown as { handle: TimerHandle | undefined };
    if (!this.live.delete(entry)) return;
    if (entry.handle !== undefined) this.base.clearTimer(entry.handle);
  }
}

/** The active handles of the process by kind (timers that keep it alive, sockets, servers...). */
export function activeResources(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}

/** Open file descriptors of the process (Linux /proc; -1 elsewhere). */
export function openFds(): number {
  try {
    return readdirSync("/proc/self/fd").length;
  } catch {
    return -1;
  }
}

/** Heap in use after a full collection (needs node --expose-gc; without it, as it stands). */
export function settledHeap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}
