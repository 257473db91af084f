/**
 * The IEC 60870-5-104 link layer of one TCP connection (104 clause 5), sans-IO: bytes and the time
 * go in, frames to send, received ASDUs, acknowledgements, state changes and a close decision come
 * out through a `LinkSink`. No sockets, no real timers: the owner asks `nextDeadline()` and calls
 * `tick(now)` when it passes. `now` is a monotonic millisecond clock (never the wall clock, so a
 * clock synchronisation cannot fire a timer).
 *
 * Rules (IEC 104 5.1-5.3; lib60870 cs104_slave.c; see ../shared/design/IEC104-NOTES.md section 1):
 * - STOPPED: only U-frames; an I-frame, or an S-frame when nothing of ours is unacknowledged, closes.
 * - STARTED: I-frames both ways; N(S) must equal V(R); N(R) must lie in [oldest unacked .. V(S)].
 * - STOPDT act while STARTED: no new I-frames; an S-frame acknowledges what we received; STOPDT con
 *   only once every I-frame we sent is acknowledged (state STOPPING until then; an I-frame then closes).
 * - k: at most k unacknowledged I-frames out. w: an S-frame once w I-frames are unacknowledged in.
 * - t1: our oldest unacknowledged I-frame, TESTFR act or STARTDT/STOPDT act not confirmed -> close.
 * - t2: an S-frame at the latest t2 after the first unacknowledged received I-frame.
 * - t3: TESTFR act after t3 without any received frame.
 */

import {
  APCI_SIZE,
  decodeApci,
  encodeSFrame,
  encodeUFrame,
  MAX_APDU_LENGTH,
  type UFunctionName,
  writeIHeader,
} from "../apci/frames.js";
import { seqAdd, seqDistance } from "../apci/seq.js";
import { ApduSplitter } from "../apci/splitter.js";
import { DecodeError } from "../codec/errors.js";

export interface LinkConfig {
  /** Most unacknowledged I-frames we send before waiting (default 12). */
  k: number;
  /** Acknowledge at the latest after this many received I-frames (default 8). */
  w: number;
  /** Connection establishment timeout, master side only (default 30 s). */
  t0Ms: number;
  /** Timeout for the acknowledgement of sent I-frames and test/start/stop frames (default 15 s). */
  t1Ms: number;
  /** Timeout for acknowledging received I-frames without data of our own (default 10 s). */
  t2Ms: number;
  /** Idle time before a TESTFR act (default 20 s). */
  t3Ms: number;
}

export const DEFAULT_LINK_CONFIG: LinkConfig = {
  k: 12,
  w: 8,
  t0Ms: 30_000,
  t1Ms: 15_000,
  t2Ms: 10_000,
  t3Ms: 20_000,
};

export type LinkRole = "outstation" | "master";
export type LinkState = "STOPPED" | "STARTED" | "STOPPING";

export const CloseCode = {
  /** The bytes could not be framed or the APCI is invalid. */
  BAD_FRAME: "BAD_FRAME",
  /** N(S) of a received I-frame is not V(R): a gap or a duplicate. */
  SEQ_NS: "SEQ_NS",
  /** N(R) acknowledges a frame we never sent or one already acknowledged. */
  SEQ_NR: "SEQ_NR",
  /** I- or S-frame while the data transfer is stopped. */
  NOT_STARTED: "NOT_STARTED",
  /** I-frame after STOPDT act. */
  STOPPING: "STOPPING",
  /** A U-frame this side must never receive (a confirmation nobody asked for, a master's act). */
  UNEXPECTED_U: "UNEXPECTED_U",
  /** t1 expired. */
  T1: "T1",
  /** The owner closed the link (shutdown, takeover...). */
  LOCAL: "LOCAL",
  /** The peer closed the TCP connection (set by the socket's owner, not the session). */
  PEER_CLOSED: "PEER_CLOSED",
  /** The socket failed: reset, unreachable (set by the socket's owner, not the session). */
  SOCKET_ERROR: "SOCKET_ERROR",
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

export interface CloseReason {
  code: CloseCode;
  message: string;
}

/** Frames by APCI format: I (numbered, with an ASDU), S (acknowledgement), U (STARTDT, TESTFR...). */
export interface FrameCounts {
  I: number;
  S: number;
  U: number;
}

export interface LinkSink {
  /** Bytes to write to the socket, in order. */
  send(frame: Buffer): void;
  /** The ASDU of a received, in-sequence I-frame (a view of the frame). */
  asdu(asdu: Buffer): void;
  /** Our `count` oldest unacknowledged I-frames were confirmed. */
  acked(count: number): void;
  stateChange(state: LinkState): void;
  /** The connection must close; the session ignores every input afterwards. */
  close(reason: CloseReason): void;
}

/** Checks the timer and window rules of IEC 104 (t2 < t1 < t3, k and w in range, w <= k). */
export function validateLinkConfig(c: LinkConfig): string[] {
  const errors: string[] = [];
  if (!Number.isInteger(c.k) || c.k < 1 || c.k > 32767) errors.push("k: must be an integer 1..32767");
  if (!Number.isInteger(c.w) || c.w < 1 || c.w > 32767) errors.push("w: must be an integer 1..32767");
  if (c.w > c.k) errors.push("w: must not exceed k");
  for (const t of ["t0Ms", "t1Ms", "t2Ms", "t3Ms"] as const) {
    if (!(c[t] > 0 && Number.isFinite(c[t]))) errors.push(`${t}: must be positive and finite`);
  }
  if (c.t2Ms >= c.t1Ms) errors.push("t2Ms: must be shorter than t1 (else the peer's t1 fires first)");
  if (c.t1Ms >= c.t3Ms) errors.push("t3Ms: must be longer than t1");
  return errors;
}

export class LinkSession {
  readonly role: LinkRole;
  private readonly cfg: LinkConfig;
  private readonly sink: LinkSink;
  private readonly splitter = new ApduSplitter();

  /** Frames received (well-formed) and sent, by format. */
  readonly received: FrameCounts = { I: 0, S: 0, U: 0 };
  readonly sent: FrameCounts = { I: 0, S: 0, U: 0 };
  private _state: LinkState = "STOPPED";
  private closed = false;

  /** V(S): N(S) of our next I-frame. */
  private vs = 0;
  /** V(R): the N(S) we expect next. */
  private vr = 0;
  /** N(S) of our oldest unacknowledged I-frame. */
  private ackedUpTo = 0;
  /** Send times of our unacknowledged I-frames, a ring of capacity k. */
  private readonly sentAt: Float64Array;
  private sentHead = 0;
  private sentCount = 0;
  /** Received I-frames not yet acknowledged, and when the first of them arrived. */
  private unackedIn = 0;
  private firstUnackedInAt = 0;
  /** Start of the t3 idle period: the last received frame, or the last TESTFR act we sent. */
  private lastRxAt: number;
  /** Pending TESTFR act (t1) and pending STARTDT/STOPDT act of a master (t1); NaN when none. */
  private testSentAt = Number.NaN;
  private uActSentAt = Number.NaN;

  constructor(role: LinkRole, cfg: LinkConfig, sink: LinkSink, now: number) {
    this.role = role;
    this.cfg = cfg;
    this.sink = sink;
    this.sentAt = new Float64Array(cfg.k);
    this.lastRxAt = now;
  }

  get state(): LinkState {
    return this._state;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Our I-frames sent and not yet acknowledged. */
  get unacknowledged(): number {
    return this.sentCount;
  }

  /** True when an I-frame may be sent now (started and fewer than k unacknowledged). */
  get canSend(): boolean {
    return !this.closed && this._state === "STARTED" && this.sentCount < this.cfg.k;
  }

  /** Send time of our oldest unacknowledged I-frame (NaN when every frame is acknowledged). */
  get oldestUnackedAt(): number {
    return this.sentCount > 0 ? this.sentAt[this.sentHead]! : Number.NaN;
  }

  get sendSeq(): number {
    return this.vs;
  }

  get receiveSeq(): number {
    return this.vr;
  }

  /**
   * Feeds bytes from the socket. The frames in front of a bad start or length octet are handled
   * before the link closes, so the outcome does not depend on how TCP chunked the bytes.
   */
  receive(chunk: Uint8Array, now: number): void {
    if (this.closed) return;
    const frames: Buffer[] = [];
    let error: string | undefined;
    try {
      this.splitter.pushInto(chunk, frames);
    } catch (e) {
      error = (e as Error).message;
    }
    for (const frame of frames) {
      if (this.closed) return;
      this.receiveFrame(frame, now);
    }
    if (error !== undefined) this.fail(CloseCode.BAD_FRAME, error);
  }

  private receiveFrame(frame: Buffer, now: number): void {
    let apci: ReturnType<typeof decodeApci>;
    try {
      apci = decodeApci(frame, 0);
    } catch (e) {
      this.fail(CloseCode.BAD_FRAME, e instanceof DecodeError ? e.message : String(e));
      return;
    }
    this.lastRxAt = now;
    this.received[apci.format]++;
    switch (apci.format) {
      case "I":
        this.receiveI(frame, apci.ns, apci.nr, now);
        return;
      case "S":
        if (this._state === "STOPPED" && this.sentCount === 0) {
          this.fail(CloseCode.NOT_STARTED, "S-frame received while data transfer is stopped");
          return;
        }
        this.acknowledge(apci.nr);
        return;
      case "U":
        this.receiveU(apci.fn);
    }
  }

  private receiveI(frame: Buffer, ns: number, nr: number, now: number): void {
    if (frame.length <= APCI_SIZE) {
      this.fail(CloseCode.BAD_FRAME, `I-frame N(S)=${ns} without an ASDU`);
      return;
    }
    if (this._state === "STOPPED") {
      this.fail(CloseCode.NOT_STARTED, `I-frame N(S)=${ns} received before STARTDT`);
      return;
    }
    if (this._state === "STOPPING" && this.role === "outstation") {
      this.fail(CloseCode.STOPPING, `I-frame N(S)=${ns} received after STOPDT act`);
      return;
    }
    if (ns !== this.vr) {
      const what = seqDistance(ns, this.vr) <= seqDistance(this.vr, ns) ? "duplicate" : "gap";
      this.fail(CloseCode.SEQ_NS, `I-frame N(S)=${ns} but V(R)=${this.vr} (${what})`);
      return;
    }
    if (!this.acknowledge(nr)) return;
    this.vr = seqAdd(this.vr, 1);
    if (this.unackedIn === 0) this.firstUnackedInAt = now;
    this.unackedIn++;
    if (this.unackedIn >= this.cfg.w) this.sendS();
    if (!this.closed) this.sink.asdu(frame.subarray(APCI_SIZE));
  }

  /**
   * Applies a received N(R); false when it lies outside [oldest unacked .. V(S)] (the link is then
   * closed) or when the sink closed the link while told of the acknowledgement.
   */
  private acknowledge(nr: number): boolean {
    const n = seqDistance(this.ackedUpTo, nr);
    if (n > this.sentCount) {
      this.fail(
        CloseCode.SEQ_NR,
        `N(R)=${nr} outside the unacknowledged window ${this.ackedUpTo}..${this.vs} (V(S)=${this.vs})`,
      );
      return false;
    }
    if (n === 0) return true;
    this.ackedUpTo = nr;
    this.sentHead = (this.sentHead + n) % this.cfg.k;
    this.sentCount -= n;
    this.sink.acked(n);
    if (this.closed) return false;
    if (this._state === "STOPPING" && this.sentCount === 0 && this.role === "outstation") this.confirmStop();
    return true;
  }

  private receiveU(fn: UFunctionName): void {
    switch (fn) {
      case "TESTFR_ACT":
        this.out(encodeUFrame("TESTFR_CON"));
        return;
      case "TESTFR_CON":
        if (Number.isNaN(this.testSentAt)) {
          this.fail(CloseCode.UNEXPECTED_U, "TESTFR con without a TESTFR act");
          return;
        }
        this.testSentAt = Number.NaN;
        return;
      default:
        if (this.role === "outstation") this.receiveUAsOutstation(fn);
        else this.receiveUAsMaster(fn);
    }
  }

  private receiveUAsOutstation(fn: UFunctionName): void {
    switch (fn) {
      case "STARTDT_ACT":
        this.out(encodeUFrame("STARTDT_CON"));
        this.setState("STARTED");
        return;
      case "STOPDT_ACT":
        if (this.unackedIn > 0) this.sendS();
        if (this._state === "STOPPED") {
          this.out(encodeUFrame("STOPDT_CON"));
          return;
        }
        this.setState("STOPPING");
        if (this.sentCount === 0) this.confirmStop();
        return;
      default:
        this.fail(CloseCode.UNEXPECTED_U, `${fn} received by the outstation`);
    }
  }

  private receiveUAsMaster(fn: UFunctionName): void {
    if (fn === "STARTDT_CON" && !Number.isNaN(this.uActSentAt) && this._state === "STOPPED") {
      this.uActSentAt = Number.NaN;
      this.setState("STARTED");
      return;
    }
    if (fn === "STOPDT_CON" && !Number.isNaN(this.uActSentAt) && this._state === "STOPPING") {
      this.uActSentAt = Number.NaN;
      this.setState("STOPPED");
      return;
    }
    this.fail(CloseCode.UNEXPECTED_U, `${fn} received by the master in state ${this._state}`);
  }

  private confirmStop(): void {
    this.out(encodeUFrame("STOPDT_CON"));
    this.setState("STOPPED");
  }

  /** Every frame leaves through here: nothing is sent once the link is closed (a sink may close it). */
  private out(frame: Buffer): void {
    if (this.closed) return;
    const c1 = frame[2]!;
    if ((c1 & 1) === 0) this.sent.I++;
    else if ((c1 & 3) === 1) this.sent.S++;
    else this.sent.U++;
    this.sink.send(frame);
  }

  private setState(s: LinkState): void {
    if (this.closed || this._state === s) return;
    this._state = s;
    this.sink.stateChange(s);
  }

  private sendS(): void {
    this.out(encodeSFrame(this.vr));
    this.unackedIn = 0;
  }

  /**
   * Sends an I-frame. `frame` holds the ASDU from octet 6 on; octets 0-5 are filled here with the
   * APCI (so the ASDU is encoded once, in place, with no copy). Returns false, sending nothing, when
   * `canSend` is false. Throws a RangeError when `frame` holds no ASDU or one over 249 octets.
   */
  sendIFrame(frame: Buffer, now: number): boolean {
    if (frame.length <= APCI_SIZE || frame.length > MAX_APDU_LENGTH + 2) {
      throw new RangeError(`I-frame of ${frame.length} octets: the ASDU must be 1..249 octets`);
    }
    if (!this.canSend) return false;
    writeIHeader(frame, 0, this.vs, this.vr, frame.length - APCI_SIZE);
    this.sentAt[(this.sentHead + this.sentCount) % this.cfg.k] = now;
    this.sentCount++;
    this.vs = seqAdd(this.vs, 1);
    this.unackedIn = 0;
    this.out(frame);
    return true;
  }

  /** Master: asks the outstation to start data transfer (nothing when a STARTDT act is pending). */
  startDataTransfer(now: number): void {
    if (this.closed || this.role !== "master" || this._state !== "STOPPED") return;
    if (!Number.isNaN(this.uActSentAt)) return;
    this.uActSentAt = now;
    this.out(encodeUFrame("STARTDT_ACT"));
  }

  /** Master: asks the outstation to stop data transfer (acknowledging what we received first). */
  stopDataTransfer(now: number): void {
    if (this.closed || this.role !== "master" || this._state !== "STARTED") return;
    if (this.unackedIn > 0) this.sendS();
    this.uActSentAt = now;
    this.setState("STOPPING");
    this.out(encodeUFrame("STOPDT_ACT"));
  }

  /** Sends a TESTFR act now (t1 then runs for its confirmation). */
  test(now: number): void {
    if (this.closed || !Number.isNaN(this.testSentAt)) return;
    this.testSentAt = now;
    this.out(encodeUFrame("TESTFR_ACT"));
  }

  /** The earliest time at which `tick` has something to do (Infinity when nothing is pending). */
  nextDeadline(): number {
    if (this.closed) return Number.POSITIVE_INFINITY;
    const { t1Ms, t2Ms, t3Ms } = this.cfg;
    let d = Number.isNaN(this.testSentAt) ? this.lastRxAt + t3Ms : Number.POSITIVE_INFINITY;
    if (this.sentCount > 0) d = Math.min(d, this.sentAt[this.sentHead]! + t1Ms);
    if (this.unackedIn > 0) d = Math.min(d, this.firstUnackedInAt + t2Ms);
    if (!Number.isNaN(this.testSentAt)) d = Math.min(d, this.testSentAt + t1Ms);
    if (!Number.isNaN(this.uActSentAt)) d = Math.min(d, this.uActSentAt + t1Ms);
    return d;
  }

  /** Runs the timers due at `now`. */
  tick(now: number): void {
    if (this.closed) return;
    const { t1Ms, t2Ms, t3Ms } = this.cfg;
    if (this.sentCount > 0 && now >= this.sentAt[this.sentHead]! + t1Ms) {
      this.fail(
        CloseCode.T1,
        `t1 expired: I-frame N(S)=${this.ackedUpTo} not acknowledged within ${t1Ms} ms`,
      );
      return;
    }
    if (!Number.isNaN(this.testSentAt) && now >= this.testSentAt + t1Ms) {
      this.fail(CloseCode.T1, `t1 expired: no TESTFR con within ${t1Ms} ms`);
      return;
    }
    if (!Number.isNaN(this.uActSentAt) && now >= this.uActSentAt + t1Ms) {
      const what = this._state === "STOPPING" ? "STOPDT" : "STARTDT";
      this.fail(CloseCode.T1, `t1 expired: no ${what} con within ${t1Ms} ms`);
      return;
    }
    if (this.unackedIn > 0 && now >= this.firstUnackedInAt + t2Ms) this.sendS();
    if (now >= this.lastRxAt + t3Ms && Number.isNaN(this.testSentAt)) {
      this.lastRxAt = now;
      this.test(now);
    }
  }

  /**
   * Redundancy takeover: another connection of the group became the active one. The link returns to
   * STOPPED without a STOPDT con (the master never asked). Only possible when none of our I-frames
   * is unacknowledged; returns false otherwise, and the owner closes the connection (the frames are
   * re-sent on the new active connection, and a late acknowledgement here would be ambiguous).
   */
  deactivate(): boolean {
    if (this.closed || this.sentCount > 0) return false;
    if (this.unackedIn > 0) this.sendS();
    this.setState("STOPPED");
    return true;
  }

  /**
   * Marks the link closed by its owner (socket closed, shutdown, a redundancy takeover). Reports
   * nothing to the sink: the owner knows why.
   */
  dispose(): void {
    this.closed = true;
  }

  /** Closes the link for a protocol reason, telling the sink once. */
  fail(code: CloseCode, message: string): void {
    if (this.closed) return;
    this.closed = true;
    this.sink.close({ code, message });
  }
}
