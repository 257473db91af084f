/**
 * Drives the timers of a sans-IO session with one real timer: armed at the session's next deadline,
 * re-armed only when that deadline moves earlier (a later one lets the armed timer fire early, which
 * is harmless: `tick` then finds nothing due) or after it fired.
 */

export interface Deadlines {
  /** The earliest time `tick` has work (Infinity when none), on the `now` clock. */
  nextDeadline(): number;
  tick(now: number): void;
}

/** Node's timers cap delays at 2^31-1 ms. */
const MAX_DELAY_MS = 0x7fffffff;

export class DeadlineTimer {
  private readonly target: Deadlines;
  private readonly now: () => number;
  private handle: ReturnType<typeof setTimeout> | undefined;
  /** The deadline the armed timer was set for; Infinity when none is armed. */
  private armedFor = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(target: Deadlines, now: () => number) {
    this.target = target;
    this.now = now;
  }

  /** The deadline the timer is armed for (Infinity when none); for tests and diagnostics. */
  get armedDeadline(): number {
    return this.armedFor;
  }

  /** Call after every input to the target: arms the timer when its deadline moved earlier. */
  update(): void {
    if (this.stopped) return;
    const d = this.target.nextDeadline();
    if (d < this.armedFor) this.arm(d);
  }

  stop(): void {
    this.stopped = true;
    this.disarm();
  }

  private arm(deadline: number): void {
    this.disarm();
    if (deadline === Number.POSITIVE_INFINITY) return;
    const delay = Math.min(MAX_DELAY_MS, Math.max(1, Math.ceil(deadline - this.now())));
    this.armedFor = deadline;
    this.handle = setTimeout(this.fire, delay);
    this.handle.unref?.();
  }

  private disarm(): void {
    if (this.handle !== undefined) clearTimeout(this.handle);
    this.handle = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
  }

  private readonly fire = (): void => {
    this.handle = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    if (this.stopped) return;
    this.target.tick(this.now());
    this.update();
  };
}
