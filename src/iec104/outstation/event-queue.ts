/**
 * The bounded event queue of a redundancy group: every spontaneous change (a snapshot of value,
 * quality and time, not a reference to the point) in arrival order, held in parallel typed arrays.
 *
 * Positions are absolute and only grow: `head` is the oldest event not yet acknowledged by the
 * master, `sent` the next one to transmit, `tail` the next free slot. Acknowledged frames move head;
 * a lost or replaced connection rewinds `sent` to `head`, so unacknowledged events are sent again,
 * in order, on the next active connection (IEC 104 redundancy; lib60870 re-queues them the same way).
 *
 * The arrays start small and double up to `capacity`. When full, the overflow policy decides:
 * `drop-oldest` discards the head, `drop-newest` refuses the new event. Every drop is counted.
 */

export type OverflowPolicy = "drop-oldest" | "drop-newest";

const INITIAL = 256;

export class EventQueue {
  readonly capacity: number;
  readonly policy: OverflowPolicy;
  private size = 0;
  private mask = 0;
  private station = new Uint16Array(0);
  private point = new Uint32Array(0);
  private type = new Uint8Array(0);
  private cot = new Uint8Array(0);
  private qual = new Uint8Array(0);
  private val = new Float64Array(0);
  private ax = new Float64Array(0);
  private tm = new Float64Array(0);
  head = 0;
  sent = 0;
  tail = 0;
  /** Events discarded by the overflow policy since creation. */
  dropped = 0;
  /** Events discarded by a master's reset of pending events (C_RP_NA_1 QRP 2). */
  cleared = 0;

  constructor(capacity: number, policy: OverflowPolicy = "drop-oldest") {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`event queue capacity ${capacity}`);
    this.capacity = capacity;
    this.policy = policy;
    this.resize(Math.min(INITIAL, pow2(capacity)));
  }

  /** Events held (sent-but-unacknowledged included). */
  get length(): number {
    return this.tail - this.head;
  }

  get unsent(): number {
    return this.tail - this.sent;
  }

  /** Appends an event; false when it was refused (drop-newest on a full queue). */
  push(
    station: number,
    point: number,
    typeId: number,
    cot: number,
    value: number,
    aux: number,
    quality: number,
    time: number,
  ): boolean {
    if (this.tail - this.head >= this.capacity) {
      if (this.policy === "drop-newest") {
        this.dropped++;
        return false;
      }
      this.head++;
      if (this.sent < this.head) this.sent = this.head;
      this.dropped++;
    } else if (this.tail - this.head >= this.size) {
      this.resize(this.size * 2);
    }
    const i = this.tail & this.mask;
    this.station[i] = station;
    this.point[i] = point;
    this.type[i] = typeId;
    this.cot[i] = cot;
    this.qual[i] = quality;
    this.val[i] = value;
    this.ax[i] = aux;
    this.tm[i] = time;
    this.tail++;
    return true;
  }

  stationAt(pos: number): number {
    return this.station[pos & this.mask]!;
  }
  pointAt(pos: number): number {
    return this.point[pos & this.mask]!;
  }
  typeAt(pos: number): number {
    return this.type[pos & this.mask]!;
  }
  cotAt(pos: number): number {
    return this.cot[pos & this.mask]!;
  }
  qualityAt(pos: number): number {
    return this.qual[pos & this.mask]!;
  }
  valueAt(pos: number): number {
    return this.val[pos & this.mask]!;
  }
  auxAt(pos: number): number {
    return this.ax[pos & this.mask]!;
  }
  timeAt(pos: number): number {
    return this.tm[pos & this.mask]!;
  }

  /** The master acknowledged every event before `pos`. */
  acknowledge(pos: number): void {
    if (pos > this.head) this.head = Math.min(pos, this.sent);
  }

  /** Sends again from the oldest unacknowledged event. */
  rewind(): void {
    this.sent = this.head;
  }

  /**
   * Discards the events not yet sent, or only those whose type `discard` picks (QRP 2 resets the
   * pending events with a time tag), keeping the others in order; returns how many went.
   */
  clearUnsent(discard: (typeId: number) => boolean = () => true): number {
    let to = this.sent;
    for (let p = this.sent; p < this.tail; p++) {
      if (discard(this.typeAt(p))) continue;
      if (to !== p) this.copy(p, to);
      to++;
    }
    const n = this.tail - to;
    this.tail = to;
    this.cleared += n;
    return n;
  }

  private copy(from: number, to: number): void {
    const f = from & this.mask;
    const t = to & this.mask;
    this.station[t] = this.station[f]!;
    this.point[t] = this.point[f]!;
    this.type[t] = this.type[f]!;
    this.cot[t] = this.cot[f]!;
    this.qual[t] = this.qual[f]!;
    this.val[t] = this.val[f]!;
    this.ax[t] = this.ax[f]!;
    this.tm[t] = this.tm[f]!;
  }

  private resize(size: number): void {
    const s = pow2(size);
    const copy = <T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(
      old: T,
      make: (n: number) => T,
    ): T => {
      const next = make(s);
      for (let p = this.head; p < this.tail; p++) next[p & (s - 1)] = old[p & this.mask]!;
      return next;
    };
    this.station = copy(this.station, (n) => new Uint16Array(n));
    this.point = copy(this.point, (n) => new Uint32Array(n));
    this.type = copy(this.type, (n) => new Uint8Array(n));
    this.cot = copy(this.cot, (n) => new Uint8Array(n));
    this.qual = copy(this.qual, (n) => new Uint8Array(n));
    this.val = copy(this.val, (n) => new Float64Array(n));
    this.ax = copy(this.ax, (n) => new Float64Array(n));
    this.tm = copy(this.tm, (n) => new Float64Array(n));
    this.size = s;
    this.mask = s - 1;
  }
}

function pow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
