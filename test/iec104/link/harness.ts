/**
 * Test harness for the sans-IO link session: a sink that records everything the session emits, and
 * builders for the frames a peer sends (with the codec's encoders) around a simple ASDU that carries
 * a tag (a single-point information object whose IOA is the tag), so order and identity can be
 * checked on delivery.
 */
import fc from "fast-check";
import {
  APCI_SIZE,
  type Apci,
  decodeApci,
  encodeIFrame,
  encodeSFrame,
  encodeUFrame,
  type UFunctionName,
} from "../../../src/iec104/apci/frames.js";
import { decodeAsdu, encodeAsdu } from "../../../src/iec104/asdu/asdu.js";
import {
  type CloseReason,
  DEFAULT_LINK_CONFIG,
  type LinkConfig,
  type LinkRole,
  LinkSession,
  type LinkSink,
  type LinkState,
} from "../../../src/iec104/link/session.js";

export type LinkEvent =
  | { kind: "send"; frame: Buffer; apci: Apci }
  | { kind: "asdu"; tag: number; asdu: Buffer }
  | { kind: "acked"; count: number }
  | { kind: "state"; state: LinkState }
  | { kind: "close"; reason: CloseReason };

/** Records every call, copying buffers (the session may hand out views or shared U-frames). */
export class RecordingSink implements LinkSink {
  events: LinkEvent[] = [];
  /** Called after each recorded event (to wire two sessions together or to react re-entrantly). */
  onEvent: ((e: LinkEvent) => void) | undefined;

  send(frame: Buffer): void {
    const copy = Buffer.from(frame);
    this.push({ kind: "send", frame: copy, apci: decodeApci(copy, 0) });
  }
  asdu(asdu: Buffer): void {
    const copy = Buffer.from(asdu);
    this.push({ kind: "asdu", tag: tagOf(copy), asdu: copy });
  }
  acked(count: number): void {
    this.push({ kind: "acked", count });
  }
  stateChange(state: LinkState): void {
    this.push({ kind: "state", state });
  }
  close(reason: CloseReason): void {
    this.push({ kind: "close", reason });
  }

  private push(e: LinkEvent): void {
    this.events.push(e);
    this.onEvent?.(e);
  }

  /** Returns the events recorded so far and forgets them. */
  take(): LinkEvent[] {
    const e = this.events;
    this.events = [];
    return e;
  }

  clear(): void {
    this.events = [];
  }

  /** The APCIs of the frames sent (since the last take/clear). */
  get sent(): Apci[] {
    return this.events.flatMap((e) => (e.kind === "send" ? [e.apci] : []));
  }

  /** The sent frames in a short readable form: "U:TESTFR_CON", "S:3", "I:2/5". */
  get sentShort(): string[] {
    return this.sent.map(short);
  }

  get tags(): number[] {
    return this.events.flatMap((e) => (e.kind === "asdu" ? [e.tag] : []));
  }

  get ackedCounts(): number[] {
    return this.events.flatMap((e) => (e.kind === "acked" ? [e.count] : []));
  }

  get states(): LinkState[] {
    return this.events.flatMap((e) => (e.kind === "state" ? [e.state] : []));
  }

  get closes(): CloseReason[] {
    return this.events.flatMap((e) => (e.kind === "close" ? [e.reason] : []));
  }
}

export function short(a: Apci): string {
  switch (a.format) {
    case "I":
      return `I:${a.ns}/${a.nr}`;
    case "S":
      return `S:${a.nr}`;
    case "U":
      return `U:${a.fn}`;
  }
}

/** A small ASDU: M_SP_NA_1, spontaneous, CA 1, one object whose IOA is `tag` (0..0xffffff). */
export function asdu(tag: number): Buffer {
  return encodeAsdu({
    typeId: 1,
    sq: false,
    cot: 3,
    test: false,
    negative: false,
    oa: 0,
    ca: 1,
    objects: [{ ioa: tag, value: (tag & 1) === 1, quality: 0 }],
  });
}

export function tagOf(asduBytes: Buffer): number {
  const a = decodeAsdu(asduBytes);
  return a.objects[0]!.ioa;
}

/** A peer's I-frame carrying `asdu(tag)`. */
export function iFrame(ns: number, nr: number, tag = 0): Buffer {
  return encodeIFrame(ns, nr, asdu(tag));
}

export function sFrame(nr: number): Buffer {
  return encodeSFrame(nr);
}

export function uFrame(fn: UFunctionName): Buffer {
  return Buffer.from(encodeUFrame(fn));
}

/** A buffer for `LinkSession.sendIFrame`: 6 free octets, then `asdu(tag)`. */
export function outFrame(tag: number): Buffer {
  const a = asdu(tag);
  const buf = Buffer.alloc(APCI_SIZE + a.length);
  a.copy(buf, APCI_SIZE);
  return buf;
}

export const CFG: LinkConfig = { ...DEFAULT_LINK_CONFIG };

export interface Rig {
  session: LinkSession;
  sink: RecordingSink;
  cfg: LinkConfig;
}

export function makeSession(role: LinkRole, cfg: LinkConfig = CFG, now = 0): Rig {
  const sink = new RecordingSink();
  return { session: new LinkSession(role, cfg, sink, now), sink, cfg };
}

/** A session in state STARTED (STARTDT exchanged at `now`), with the sink cleared. */
export function startedSession(role: LinkRole, cfg: LinkConfig = CFG, now = 0): Rig {
  const rig = makeSession(role, cfg, now);
  if (role === "outstation") {
    rig.session.receive(uFrame("STARTDT_ACT"), now);
  } else {
    rig.session.startDataTransfer(now);
    rig.session.receive(uFrame("STARTDT_CON"), now);
  }
  if (rig.session.state !== "STARTED") throw new Error("could not start the session");
  rig.sink.clear();
  return rig;
}

/** Cuts `bytes` at the given (sorted or not, deduplicated here) positions. */
export function cutAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}

/** A number in [0, 1], uniform in steps of 1/1000 (fc.double leans hard towards 0 and 1). */
export function fraction(): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000);
}
