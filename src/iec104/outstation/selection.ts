/**
 * Select-before-operate state (IEC 60870-5-101 7.4.4 / 104): a selection belongs to one point and
 * one connection, remembers the selected type, value and qualifier, and lapses after the select
 * timeout. An execute must match it; a deactivation or a lost connection clears it.
 */
import type { Clock, TimerHandle } from "./clock.js";

export interface Selection {
  connId: string;
  ca: number;
  ioa: number;
  baseTypeId: number;
  value: number;
  qualifier: number;
  timer: TimerHandle;
}

export class SelectionTable {
  private readonly clock: Clock;
  private readonly selected = new Map<string, Selection>();
  /** Points with a command being executed (a second one is refused until it is decided). */
  private readonly busy = new Set<string>();

  constructor(clock: Clock) {
    this.clock = clock;
  }

  get(ca: number, ioa: number): Selection | undefined {
    return this.selected.get(key(ca, ioa));
  }

  select(sel: Omit<Selection, "timer">, timeoutMs: number, onExpire: (s: Selection) => void): void {
    this.take(sel.ca, sel.ioa);
    const k = key(sel.ca, sel.ioa);
    const entry: Selection = {
      ...sel,
      timer: this.clock.setTimer(() => {
        if (this.selected.get(k) === entry) {
          this.selected.delete(k);
          onExpire(entry);
        }
      }, timeoutMs),
    };
    this.selected.set(k, entry);
  }

  /** Removes and returns the selection of a point. */
  take(ca: number, ioa: number): Selection | undefined {
    const k = key(ca, ioa);
    const s = this.selected.get(k);
    if (s === undefined) return undefined;
    this.clock.clearTimer(s.timer);
    this.selected.delete(k);
    return s;
  }

  isBusy(ca: number, ioa: number): boolean {
    return this.busy.has(key(ca, ioa));
  }

  setBusy(ca: number, ioa: number, busy: boolean): void {
    if (busy) this.busy.add(key(ca, ioa));
    else this.busy.delete(key(ca, ioa));
  }

  dropConnection(connId: string): void {
    for (const s of [...this.selected.values()]) if (s.connId === connId) this.take(s.ca, s.ioa);
  }

  clear(): void {
    for (const s of [...this.selected.values()]) this.take(s.ca, s.ioa);
    this.busy.clear();
  }
}

function key(ca: number, ioa: number): string {
  return `${ca}:${ioa}`;
}
