/**
 * Select-before-operate state (IEC 60870-5-101 7.4.4 / 104): a selection belongs to one point and
 * one connection, remembers the selected type, value and qualifier, and lapses after the select
 * timeout. An execute must match it; a deactivation or a lost connection clears it.
 *
 * A lapsed selection is remembered for one more select timeout, so that the late execute of that
 * select-before-operate is refused even on a point that also takes direct execute: the master meant
 * the execute to follow its select, and must not see it operate as a direct command.
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
  /** Lapsed selections: point -> connection and the monotonic time it lapsed. */
  private readonly lapsed = new Map<string, { connId: string; at: number }>();

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
          this.lapsed.set(k, { connId: entry.connId, at: this.clock.monotonic() });
          onExpire(entry);
        }
      }, timeoutMs),
    };
    this.selected.set(k, entry);
  }

  /**
   * True (once) when `connId`'s selection of the point lapsed less than `withinMs` ago: its
   * execute comes too late. Forgets the lapse either way.
   */
  takeLapsed(ca: number, ioa: number, connId: string, withinMs: number): boolean {
    const k = key(ca, ioa);
    const l = this.lapsed.get(k);
    if (l === undefined) return false;
    this.lapsed.delete(k);
    return l.connId === connId && this.clock.monotonic() - l.at < withinMs;
  }

  /** Removes and returns the selection of a point. */
  take(ca: number, ioa: number): Selection | undefined {
    const k = key(ca, ioa);
    this.lapsed.delete(k);
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
    for (const [k, l] of this.lapsed) if (l.connId === connId) this.lapsed.delete(k);
  }

  /** Drops every selection (and lapse) of station `ca`: a general reset of its process. */
  dropStation(ca: number): void {
    for (const s of [...this.selected.values()]) if (s.ca === ca) this.take(s.ca, s.ioa);
    for (const k of [...this.lapsed.keys()]) if (k.startsWith(`${ca}:`)) this.lapsed.delete(k);
  }

  clear(): void {
    for (const s of [...this.selected.values()]) this.take(s.ca, s.ioa);
    this.busy.clear();
    this.lapsed.clear();
  }
}

function key(ca: number, ioa: number): string {
  return `${ca}:${ioa}`;
}
