/**
 * Time as the outstation sees it, injectable so protocol timers run on fake time in tests.
 * `monotonic` drives every protocol timer (it never jumps); `wall` stamps time tags.
 */
export interface Clock {
  /** Monotonic milliseconds (performance.now in production). */
  monotonic(): number;
  /** Wall-clock epoch milliseconds (Date.now in production). */
  wall(): number;
  setTimer(fn: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly __timer: unique symbol;
}

export const systemClock: Clock = {
  monotonic: () => performance.now(),
  wall: () => Date.now(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t as unknown as TimerHandle;
  },
  clearTimer(handle) {
    clearTimeout(handle as unknown as NodeJS.Timeout);
  },
};
