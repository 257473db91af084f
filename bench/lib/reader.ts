/**
 * A lean receiving master for the benchmarks: a raw TCP client that starts data transfer, cuts the
 * byte stream into APDUs in place (only a frame split across TCP chunks is copied, into one fixed
 * buffer), checks that N(S) counts on without a gap, acknowledges with an S-frame once `w` I-frames
 * are unacknowledged (and when the stream goes idle), answers TESTFR, and counts information objects
 * from the VSQ octet without decoding them. Whatever a figure needs beyond counts (the ACT_TERM of
 * an interrogation, the IOAs, a value carrying a timestamp) its `onAsdu` handler reads from the
 * frame in place. src/iec104/master decodes every object; this must never be the bottleneck.
 */
import { connect, type Socket } from "node:net";

const START = 0x68;
const U_STARTDT_ACT = 0x07;
const U_STARTDT_CON = 0x0b;
const U_TESTFR_ACT = 0x43;
const U_TESTFR_CON = 0x83;

/** Octets of one information element (after its IOA), for the types the suites decode. */
export const ELEMENT_SIZE: Readonly<Record<number, number>> = { 13: 5, 36: 12, 70: 1, 100: 1 };

/**
 * Called for every in-sequence I-frame: its type, cause (6 bits), VSQ octet, and the frame with the
 * ASDU at `off`..`end`. The buffer is a view of the socket's chunk: read it now, do not keep it.
 */
export type AsduHandler = (
  typeId: number,
  cot: number,
  vsq: number,
  buf: Buffer,
  off: number,
  end: number,
) => void;

export interface ReaderOptions {
  /** Acknowledge after this many unacknowledged I-frames (IEC 104 w, default 8). */
  w?: number;
  /** Acknowledge what is unacknowledged after this long without a new I-frame (default 2 ms). */
  idleAckMs?: number;
}

export class Reader {
  /** Information objects received, by type id. */
  readonly objectsByType = new Float64Array(256);
  iFrames = 0;
  objects = 0;
  sFramesSent = 0;
  onAsdu: AsduHandler | undefined;
  /** Why the connection failed (a sequence gap, a framing error, a socket error), if it did. */
  error: string | undefined;
  private readonly socket: Socket;
  private readonly w: number;
  private readonly idleAckMs: number;
  private readonly partial = Buffer.allocUnsafe(255);
  private partialLength = 0;
  /** Next N(S) expected from the outstation, and our own next N(S). */
  private vr = 0;
  private vs = 0;
  private unacked = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private framesAtIdleCheck = 0;
  private onStarted: (() => void) | undefined;

  private constructor(socket: Socket, opts: ReaderOptions) {
    this.socket = socket;
    this.w = opts.w ?? 8;
    this.idleAckMs = opts.idleAckMs ?? 2;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (e) => this.fail(`socket error: ${e.message}`));
    socket.on("close", () => {
      if (this.error === undefined) this.error = "closed by the outstation";
      if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    });
  }

  static connect(port: number, host = "127.0.0.1", opts: ReaderOptions = {}): Promise<Reader> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host });
      socket.once("error", reject);
      socket.once("connect", () => {
        socket.off("error", reject);
        resolve(new Reader(socket, opts));
      });
    });
  }

  /** Sends STARTDT act and resolves on STARTDT con. */
  startDataTransfer(): Promise<void> {
    return new Promise((resolve) => {
      this.onStarted = resolve;
      this.socket.write(Buffer.from([START, 4, U_STARTDT_ACT, 0, 0, 0]));
    });
  }

  /** Sends an ASDU in an I-frame (which also acknowledges everything received). */
  sendAsdu(asdu: Uint8Array): void {
    const frame = Buffer.allocUnsafe(6 + asdu.length);
    frame[0] = START;
    frame[1] = asdu.length + 4;
    frame.writeUInt16LE(this.vs << 1, 2);
    frame.writeUInt16LE(this.vr << 1, 4);
    frame.set(asdu, 6);
    this.vs = (this.vs + 1) & 0x7fff;
    this.unacked = 0;
    this.socket.write(frame);
  }

  /** C_IC_NA_1 act for common address `ca`, QOI `qoi` (20: station interrogation). */
  interrogate(ca: number, qoi = 20): void {
    this.sendAsdu(Uint8Array.of(100, 1, 6, 0, ca & 0xff, ca >> 8, 0, 0, 0, qoi));
  }

  close(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    let pos = 0;
    const end = chunk.length;
    if (this.partialLength > 0) {
      pos = this.completePartial(chunk);
      if (pos < 0) return;
    }
    while (end - pos >= 2) {
      if (chunk[pos] !== START) {
        this.fail(`framing lost: 0x${chunk[pos]!.toString(16)} is not 0x68`);
        return;
      }
      const total = chunk[pos + 1]! + 2;
      if (end - pos < total) break;
      this.frame(chunk, pos, total);
      pos += total;
    }
    if (pos < end) {
      chunk.copy(this.partial, 0, pos, end);
      this.partialLength = end - pos;
    }
    if (this.unacked > 0 && this.idleTimer === undefined) this.armIdle();
  }

  /** Fills the held-back frame from the head of `chunk`; returns where the rest starts, -1 if used up. */
  private completePartial(chunk: Buffer): number {
    let pos = 0;
    if (this.partial[0] !== START) {
      this.fail(`framing lost: 0x${this.partial[0]!.toString(16)} is not 0x68`);
      return -1;
    }
    if (this.partialLength === 1) {
      this.partial[1] = chunk[0]!;
      this.partialLength = 2;
      pos = 1;
    }
    const total = this.partial[1]! + 2;
    const take = Math.min(total - this.partialLength, chunk.length - pos);
    chunk.copy(this.partial, this.partialLength, pos, pos + take);
    this.partialLength += take;
    pos += take;
    if (this.partialLength < total) return -1;
    this.partialLength = 0;
    this.frame(this.partial, 0, total);
    return pos;
  }

  private frame(buf: Buffer, off: number, total: number): void {
    const c1 = buf[off + 2]!;
    if ((c1 & 1) === 0) {
      const ns = (c1 >> 1) | (buf[off + 3]! << 7);
      if (ns !== this.vr) {
        this.fail(`sequence gap: N(S) ${ns}, expected ${this.vr}`);
        return;
      }
      this.vr = (this.vr + 1) & 0x7fff;
      this.iFrames++;
      if (++this.unacked >= this.w) this.acknowledge();
      const a = off + 6;
      const typeId = buf[a]!;
      const vsq = buf[a + 1]!;
      const n = vsq & 0x7f;
      this.objects += n;
      this.objectsByType[typeId]! += n;
      this.onAsdu?.(typeId, buf[a + 2]! & 0x3f, vsq, buf, a, off + total);
    } else if ((c1 & 3) === 3) {
      if (c1 === U_STARTDT_CON) {
        this.onStarted?.();
        this.onStarted = undefined;
      } else if (c1 === U_TESTFR_ACT) {
        this.socket.write(Buffer.from([START, 4, U_TESTFR_CON, 0, 0, 0]));
      }
    }
  }

  private acknowledge(): void {
    const s = Buffer.allocUnsafe(6);
    s[0] = START;
    s[1] = 4;
    s[2] = 1;
    s[3] = 0;
    s.writeUInt16LE(this.vr << 1, 4);
    this.unacked = 0;
    this.sFramesSent++;
    this.socket.write(s);
  }

  /** After `idleAckMs` without a new I-frame, acknowledges what is unacknowledged. */
  private armIdle(): void {
    this.framesAtIdleCheck = this.iFrames;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.unacked === 0) return;
      if (this.iFrames === this.framesAtIdleCheck) this.acknowledge();
      else this.armIdle();
    }, this.idleAckMs);
  }

  private fail(why: string): void {
    if (this.error !== undefined) return;
    this.error = why;
    this.socket.destroy();
  }
}
