/**
 * Test set-up for the outstation: an Outstation on an ephemeral port of 127.0.0.1 with a small
 * station set, Masters connected to it with an inbox of every ASDU they receive, a raw client for
 * what the Master class will not do (withhold acknowledgements, pipeline frames, send any bytes),
 * a logger that keeps what it is told, and cleanup after each test.
 */

import net from "node:net";
import { afterEach } from "vitest";
import {
  APCI_SIZE,
  type Apci,
  decodeApci,
  encodeIFrame,
  encodeSFrame,
  encodeUFrame,
} from "../../../src/iec104/apci/frames.js";
import { seqAdd } from "../../../src/iec104/apci/seq.js";
import { ApduSplitter } from "../../../src/iec104/apci/splitter.js";
import { type Asdu, decodeAsdu, encodeAsdu } from "../../../src/iec104/asdu/asdu.js";
import { typeName } from "../../../src/iec104/asdu/types.js";
import { DEFAULT_LINK_CONFIG, type LinkConfig } from "../../../src/iec104/link/session.js";
import { Master, type MasterOptions } from "../../../src/iec104/master/index.js";
import type { OutstationEvent } from "../../../src/iec104/outstation/events.js";
import { Outstation, type OutstationInit } from "../../../src/iec104/outstation/server.js";
import type { StationDef } from "../../../src/iec104/outstation/station.js";
import { CaptureLogger } from "../../helpers/logger.js";

export const HOST = "127.0.0.1";

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

/* ---- waiting -------------------------------------------------------------------------------- */

/** Resolves once `cond` holds (checked every few ms); rejects after `timeoutMs` with `what`. */
export async function until(cond: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(2);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/* ---- the outstation ---------------------------------------------------------------------------- */

/** The default stations: CA 1 with one point of most types and command points, CA 2 small. */
export const STATION_1: StationDef = {
  ca: 1,
  name: "one",
  points: [
    { ioa: 1, typeId: 1, groups: [1], initial: { value: 1 } },
    { ioa: 2, typeId: 1, groups: [1], initial: { value: 0 } },
    { ioa: 3, typeId: 30, groups: [2], initial: { value: 1 } },
    { ioa: 10, typeId: 31, initial: { value: 2 } },
    { ioa: 20, typeId: 32, initial: { value: 5, aux: 1 } },
    { ioa: 30, typeId: 33, initial: { value: 0x12345678 } },
    { ioa: 40, typeId: 34, deadband: 0.1, initial: { value: 0.5 } },
    { ioa: 41, typeId: 35, deadband: 10, initial: { value: 100 } },
    { ioa: 42, typeId: 36, deadband: 1, groups: [2], initial: { value: 23.5 } },
    { ioa: 50, typeId: 37, counterGroup: 1, initial: { value: 1000 } },
    { ioa: 51, typeId: 15, counterGroup: 2, initial: { value: 5 } },
    { ioa: 60, typeId: 38, initial: { value: 1, aux: 120 } },
    { ioa: 70, typeId: 13, initial: { value: 1.5 } },
  ],
  commands: [
    { ioa: 1001, typeId: 45, mode: "both", statusIoa: 1 },
    { ioa: 1002, typeId: 46, mode: "select", statusIoa: 10 },
    { ioa: 1003, typeId: 47, mode: "direct", statusIoa: 20 },
    { ioa: 1004, typeId: 50, statusIoa: 42 },
    { ioa: 1005, typeId: 48, statusIoa: 40, actTerm: false },
    { ioa: 1006, typeId: 49, statusIoa: 41 },
    { ioa: 1007, typeId: 51, statusIoa: 30 },
    { ioa: 1008, typeId: 45, mode: "select", statusIoa: 3 },
  ],
};

export const STATION_2: StationDef = {
  ca: 2,
  name: "two",
  points: [
    { ioa: 1, typeId: 1, initial: { value: 0 } },
    { ioa: 2, typeId: 11, initial: { value: -42, quality: 0x10 } },
    { ioa: 5, typeId: 15, counterGroup: 1, initial: { value: 7 } },
  ],
};

export interface Fixture {
  os: Outstation;
  port: number;
  events: OutstationEvent[];
  log: CaptureLogger;
}

export type FixtureInit = Omit<OutstationInit, "stations" | "link"> & {
  stations?: StationDef[];
  /** Completed with the defaults (the Outstation merges them too). */
  link?: Partial<LinkConfig>;
};

/** Starts an outstation on 127.0.0.1, port 0, with STATION_1 and STATION_2 unless told otherwise. */
export async function startOutstation(init: FixtureInit = {}): Promise<Fixture> {
  const log = new CaptureLogger();
  const os = new Outstation({
    logger: log,
    ...init,
    link: { ...DEFAULT_LINK_CONFIG, ...init.link },
    stations: init.stations ?? [STATION_1, STATION_2],
    host: HOST,
    port: 0,
  });
  const events: OutstationEvent[] = [];
  os.on("event", (e) => events.push(e));
  const { port } = await os.listen();
  onCleanup(() => os.close());
  return { os, port, events, log };
}

/** Sets a point of station `ca` by IOA (the bridge's way in), stamped with the outstation's time. */
export function setPoint(
  fx: Fixture,
  ca: number,
  ioa: number,
  value: number,
  quality = 0,
  aux = 0,
  time?: number,
): boolean {
  const st = fx.os.stationByCa(ca)!;
  const i = st.indexOf(ioa);
  if (i < 0) throw new Error(`no IOA ${ioa} in station ${ca}`);
  return st.update(i, value, quality, time ?? fx.os.now(), aux);
}

/* ---- masters ----------------------------------------------------------------------------------- */

export interface Received {
  asdu: Asdu;
  raw: Buffer;
}

/** One line per ASDU for sequence assertions: `TYPE cot[-] ca=N`, `-` for P/N=1. */
export function brief(a: Asdu): string {
  return `${typeName(a.typeId)} ${a.cot}${a.negative ? "-" : ""} ca=${a.ca}`;
}

/** Every ASDU a master receives, in order. */
export class Inbox {
  readonly items: Received[] = [];

  constructor(m: Master) {
    m.on("asdu", (asdu, raw) => this.items.push({ asdu, raw: Buffer.from(raw) }));
  }

  get asdus(): Asdu[] {
    return this.items.map((r) => r.asdu);
  }

  get length(): number {
    return this.items.length;
  }

  /** The ASDUs from position `from` on. */
  since(from: number): Asdu[] {
    return this.items.slice(from).map((r) => r.asdu);
  }

  /** Waits for an ASDU at position `from` or later that matches; returns it. */
  async waitFor(pred: (a: Asdu) => boolean, from = 0, timeoutMs = 2000): Promise<Asdu> {
    let found: Asdu | undefined;
    await until(
      () => {
        found = this.items.slice(from).find((r) => pred(r.asdu))?.asdu;
        return found !== undefined;
      },
      "a matching ASDU",
      timeoutMs,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; got: ${this.since(from).map(brief).join(" | ")}`);
    });
    return found!;
  }

  /** Waits until `n` ASDUs arrived from position `from` on. */
  async waitCount(n: number, from = 0, timeoutMs = 2000): Promise<Asdu[]> {
    await until(() => this.items.length - from >= n, `${n} ASDUs`, timeoutMs).catch((e: Error) => {
      throw new Error(`${e.message}; got: ${this.since(from).map(brief).join(" | ")}`);
    });
    return this.since(from);
  }
}

export interface Peer {
  m: Master;
  inbox: Inbox;
}

/** Connects a master (and by default starts data transfer and waits for the end of initialization). */
export async function connect(
  fx: { port: number },
  opts: { start?: boolean; master?: Partial<MasterOptions>; waitInit?: number } = {},
): Promise<Peer> {
  const m = await Master.connect({ host: HOST, port: fx.port, requestTimeoutMs: 2000, ...opts.master });
  const inbox = new Inbox(m);
  onCleanup(async () => {
    if (!m.isClosed) await m.close();
  });
  if (opts.start !== false) {
    await m.startDataTransfer();
    const n = opts.waitInit ?? 0;
    if (n > 0) await inbox.waitCount(n);
  }
  return { m, inbox };
}

/* ---- a raw client ------------------------------------------------------------------------------ */

export type RawFrame =
  | { format: "I"; ns: number; nr: number; asdu: Asdu | undefined; raw: Buffer }
  | { format: "S"; nr: number }
  | { format: "U"; fn: Extract<Apci, { format: "U" }>["fn"] };

/**
 * A master on a bare socket: it sends exactly what it is told (frames with correct sequence numbers,
 * or any bytes) and acknowledges nothing unless told to (`autoAck`).
 */
export class RawClient {
  readonly frames: RawFrame[] = [];
  readonly socket: net.Socket;
  /** V(S) and V(R) of this side. */
  vs = 0;
  vr = 0;
  closed = false;
  /** Acknowledge every received I-frame at once with an S-frame. */
  autoAck = false;
  readonly whenClosed: Promise<void>;
  private readonly splitter = new ApduSplitter();

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      let gotI = false;
      for (const f of this.splitter.push(chunk)) {
        const frame = this.decode(Buffer.from(f));
        this.frames.push(frame);
        if (frame.format === "I") gotI = true;
      }
      if (gotI && this.autoAck && !socket.destroyed) this.write(this.sframe());
    });
    socket.on("error", () => {});
    this.whenClosed = new Promise((resolve) =>
      socket.once("close", () => {
        this.closed = true;
        resolve();
      }),
    );
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: HOST, port }, () => resolve(s));
      s.once("error", reject);
    });
    socket.setNoDelay(true);
    const c = new RawClient(socket);
    onCleanup(() => c.close());
    return c;
  }

  private decode(f: Buffer): RawFrame {
    const apci = decodeApci(f, 0);
    if (apci.format !== "I") return apci;
    this.vr = seqAdd(this.vr, 1);
    let asdu: Asdu | undefined;
    try {
      asdu = decodeAsdu(f, APCI_SIZE);
    } catch {
      asdu = undefined;
    }
    return { format: "I", ns: apci.ns, nr: apci.nr, asdu, raw: f.subarray(APCI_SIZE) };
  }

  /** The received I-frames' ASDUs (those our codec decodes). */
  get asdus(): Asdu[] {
    return this.frames.flatMap((f) => (f.format === "I" && f.asdu !== undefined ? [f.asdu] : []));
  }

  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  u(fn: Extract<Apci, { format: "U" }>["fn"]): Buffer {
    return Buffer.from(encodeUFrame(fn));
  }

  /** An I-frame with the next N(S) and N(R) = `nr` (default V(R), acknowledging all), counted as sent. */
  iframe(asdu: Asdu | Buffer, nr = this.vr): Buffer {
    const bytes = Buffer.isBuffer(asdu) ? asdu : encodeAsdu(asdu);
    const f = encodeIFrame(this.vs, nr, bytes);
    this.vs = seqAdd(this.vs, 1);
    return f;
  }

  /** An S-frame acknowledging everything received so far. */
  sframe(): Buffer {
    return encodeSFrame(this.vr);
  }

  async startDt(): Promise<void> {
    const from = this.frames.length;
    this.write(this.u("STARTDT_ACT"));
    await this.waitFrame((f) => f.format === "U" && f.fn === "STARTDT_CON", from);
  }

  async waitFrame(pred: (f: RawFrame) => boolean, from = 0, timeoutMs = 2000): Promise<RawFrame> {
    let found: RawFrame | undefined;
    await until(
      () => {
        found = this.frames.slice(from).find(pred);
        return found !== undefined;
      },
      `a frame (have ${this.frames.length})`,
      timeoutMs,
    );
    return found!;
  }

  async waitAsdus(n: number, timeoutMs = 2000): Promise<Asdu[]> {
    await until(() => this.asdus.length >= n, `${n} ASDUs (have ${this.asdus.length})`, timeoutMs);
    return this.asdus;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.socket.destroy();
    await this.whenClosed;
  }
}

/** A link configuration for a master that leaves I-frames unacknowledged for long (w = k = 100). */
export const NO_ACK_LINK: Partial<LinkConfig> = { k: 100, w: 100, t1Ms: 60_000, t2Ms: 50_000, t3Ms: 120_000 };

/** A lazy link for an outstation on fake time: its t1/t2/t3 never get in the way of long advances. */
export const SLOW_LINK: Partial<LinkConfig> = { t1Ms: 500_000, t2Ms: 400_000, t3Ms: 1_000_000 };
