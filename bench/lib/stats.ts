/** Repeated timing runs and their median / min / max. */

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** Number of runs summarized. */
  runs: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function summarize(values: readonly number[]): Summary {
  return {
    median: median(values),
    min: values.length ? Math.min(...values) : Number.NaN,
    max: values.length ? Math.max(...values) : Number.NaN,
    runs: values.length,
  };
}

/** Monotonic time in milliseconds (sub-microsecond resolution). */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export interface RateOptions {
  /** Timed runs (at least 5 are reported). */
  runs: number;
  /** Target duration of one run; the iteration count is calibrated to reach it. */
  runMs: number;
}

/**
 * Calls `op(i)` in a loop and returns the rate in operations per second of each timed run. The
 * untimed passes first calibrate the iteration count, then warm the JIT with one full run. `op` returns a number
 * that is accumulated so the work cannot be optimized away.
 */
export function measureRate(
  op: (i: number) => number,
  opts: RateOptions,
): { rates: number[]; iterations: number } {
  let sink = 0;
  let iterations = 16;
  // Calibrate: double until one pass takes a tenth of a run, then scale.
  for (;;) {
    const t0 = nowMs();
    for (let i = 0; i < iterations; i++) sink += op(i);
    const dt = nowMs() - t0;
    if (dt >= opts.runMs / 10 || iterations >= 2 ** 30) {
      iterations = Math.max(1, Math.round((iterations * opts.runMs) / Math.max(dt, 1e-3)));
      break;
    }
    iterations *= 2;
  }
  // One untimed run at full length, so the timed runs start with the optimized code.
  for (let i = 0; i < iterations; i++) sink += op(i);
  const gc = (globalThis as { gc?: () => void }).gc;
  const rates: number[] = [];
  for (let r = 0; r < opts.runs; r++) {
    gc?.();
    const t0 = nowMs();
    for (let i = 0; i < iterations; i++) sink += op(i);
    const dt = nowMs() - t0;
    rates.push((iterations * 1000) / dt);
  }
  if (sink === Number.MIN_VALUE) console.log("");
  return { rates, iterations };
}

/**
 * Wall-clock time in milliseconds with sub-microsecond resolution (time origin + monotonic time),
 * comparable between the processes of one machine: a publisher's send time against a master's
 * receive time.
 */
export function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

/** The `q` quantile (0..1) of values sorted ascending (nearest rank). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}
