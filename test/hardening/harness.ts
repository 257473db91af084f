/**
 * Shared set-up of the hardening tests: an outstation (the fixture of test/iec104/outstation) with a
 * "watcher" master connected beside the misbehaving peers. A heartbeat point changes every few
 * milliseconds through `Station.update`; whatever a bad peer does, the watcher must receive every
 * heartbeat value, in order, and never be disconnected. Also: a way to reach a connection's socket
 * and splitter, and a request helper.
 */
import net, { type Socket } from "node:net";
import { expect } from "vitest";
import type { ApduSplitter } from "../../src/iec104/apci/splitter.js";
import { Cot, TypeId } from "../../src/iec104/asdu/types.js";
import type { CloseCode } from "../../src/iec104/link/session.js";
import type { MasterConnection } from "../../src/iec104/outstation/connection.js";
import type { StationDef } from "../../src/iec104/outstation/station.js";
import {
  connect,
  type Fixture,
  type FixtureInit,
  HOST,
  onCleanup,
  type Peer,
  RawClient,
  STATION_1,
  STATION_2,
  sleep,
  startOutstation,
  until,
} from "../iec104/outstation/fixture.js";
import { ManualClock } from "../iec104/outstation/manual-clock.js";

/** The heartbeat: a bitstring (M_BO_NA_1) of station 2, so every new value is a spontaneous event. */
export const HB_CA = 2;
export const HB_IOA = 900;

/** STATION_1 and STATION_2 of the fixture, station 2 with the heartbeat point added. */
export const HARDENING_STATIONS: StationDef[] = [
  STATION_1,
  { ...STATION_2, points: [...STATION_2.points, { ioa: HB_IOA, typeId: TypeId.M_BO_NA_1 }] },
];

/** The heartbeat values a master received (spontaneous M_BO_NA_1 of IOA 900), in arrival order. */
export function heartbeatValues(peer: Peer): number[] {
  const out: number[] = [];
  for (const { asdu } of peer.inbox.items) {
    if (asdu.typeId !== TypeId.M_BO_NA_1 || asdu.ca !== HB_CA || asdu.cot !== Cot.SPONTANEOUS) continue;
    for (const o of asdu.objects) if (o.ioa === HB_IOA) out.push(o.value);
  }
  return out;
}

/** Changes the heartbeat point every `periodMs` while started. */
export class Heartbeat {
  value = 0;
  private readonly fx: Fixture;
  private readonly index: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly periodMs: number;

  constructor(fx: Fixture, periodMs = 5) {
    this.fx = fx;
    this.periodMs = periodMs;
    this.index = fx.os.stationByCa(HB_CA)!.indexOf(HB_IOA);
    onCleanup(() => this.stop());
  }

  /** Sets the next value now (a spontaneous event for every group). */
  beat(): void {
    this.value++;
    this.fx.os.stationByCa(HB_CA)!.update(this.index, this.value, 0, this.fx.os.now());
  }

  start(): void {
    if (this.timer === undefined) this.timer = setInterval(() => this.beat(), this.periodMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops, sends one last value and checks `peer` got 1..value, every one, in order. */
  async verify(peer: Peer, timeoutMs = 5000): Promise<void> {
    this.stop();
    this.beat();
    const last = this.value;
    await until(
      () => heartbeatValues(peer).at(-1) === last,
      `heartbeat ${last} at the watcher (last seen ${heartbeatValues(peer).at(-1)})`,
      timeoutMs,
    );
    const got = heartbeatValues(peer);
    expect(got.length).toBe(last);
    expect(got).toEqual(Array.from({ length: last }, (_, i) => i + 1));
  }
}

/** The outstation's side of a connection: found by the client's local port. */
export async function connectionOf(fx: Fixture, localPort: number | undefined): Promise<MasterConnection> {
  let found: MasterConnection | undefined;
  await until(() => {
    found = [...fx.os.connections].find((c) => c.remote === `${HOST}:${localPort}`);
    return found !== undefined;
  }, `the outstation to accept the connection from port ${localPort}`);
  return found!;
}

/** The socket of a connection (private to MasterConnection). */
export function socketOf(conn: MasterConnection): Socket {
  return Reflect.get(conn, "socket") as Socket;
}

/** Octets of an incomplete frame the connection holds back (its splitter's buffer). */
export function bufferedInput(conn: MasterConnection): number {
  return (Reflect.get(conn.session, "splitter") as ApduSplitter).pending;
}

export interface Hardened {
  fx: Fixture;
  clock: ManualClock;
  watcher: Peer;
  watcherConn: MasterConnection;
  hb: Heartbeat;
  /** A raw client and its connection on the outstation. */
  raw(opts?: { start?: boolean; ack?: boolean }): Promise<{ c: RawClient; conn: MasterConnection }>;
  /**
   * Moves the outstation's clock on by `ms`, in steps of at most 5 s with a pause between them (the
   * watcher answers a TESTFR act in real time), the heartbeat held and the watcher fully
   * acknowledged first (its t1 runs on this clock too).
   */
  advance(ms: number): Promise<void>;
  /** Waits for `conn` to close with `code`, logged (warn, with the code) and counted. */
  expectClosed(c: RawClient, conn: MasterConnection, code: CloseCode, why?: RegExp): Promise<void>;
  /**
   * The end of every case: the watcher got every heartbeat in order and is still connected, the
   * closes counted are exactly `closes`, and the outstation still listens and serves a new master.
   */
  finish(closes?: Record<string, number>): Promise<void>;
}

/**
 * An outstation on a ManualClock (default link parameters: k 12, w 8, t1 15 s, t2 10 s, t3 20 s)
 * with the watcher connected, started, acknowledging every I-frame at once, and the heartbeat running.
 */
export async function harden(init: Omit<FixtureInit, "clock"> = {}): Promise<Hardened> {
  const clock = new ManualClock();
  const fx = await startOutstation({ stations: HARDENING_STATIONS, ...init, clock });
  const watcher = await connect(fx, { master: { link: { w: 1 }, requestTimeoutMs: 5000 }, waitInit: 2 });
  const watcherConn = [...fx.os.connections][0]!;
  const hb = new Heartbeat(fx);
  hb.start();

  const raw = async (opts: { start?: boolean; ack?: boolean } = {}) => {
    const c = await RawClient.connect(fx.port);
    const conn = await connectionOf(fx, c.socket.localPort);
    if (opts.start) {
      await c.startDt();
      await c.waitAsdus(2);
      if (opts.ack !== false) c.write(c.sframe());
    }
    if (opts.ack) c.autoAck = true;
    return { c, conn };
  };

  const advance = async (ms: number) => {
    hb.stop();
    await until(
      () =>
        watcherConn.session.unacknowledged === 0 &&
        watcherConn.group!.queue.unsent === 0 &&
        !watcherConn.hasPendingReplies(),
      "the watcher to acknowledge everything",
    );
    for (let left = ms; left > 0; left -= 5000) {
      clock.advance(Math.min(5000, left));
      await sleep(25);
    }
    hb.start();
  };

  const expectClosed = async (c: RawClient, conn: MasterConnection, code: CloseCode, why?: RegExp) => {
    await until(() => c.closed, `the connection to close with ${code}`);
    await until(() => !fx.os.connections.has(conn), "the outstation to drop the connection");
    const line = fx.log.entries.find((l) => l.obj.conn === conn.id && l.msg.startsWith("connection closed:"));
    expect(line, `a "connection closed" log line for ${conn.id}`).toBeDefined();
    expect(line!.level).toBe("warn");
    expect(line!.obj.code).toBe(code);
    if (why !== undefined) expect(line!.msg).toMatch(why);
    expect(fx.events).toContainEqual(expect.objectContaining({ type: "master-closed", conn: conn.id, code }));
    expect(fx.os.stats.closes.get(code)).toBeGreaterThanOrEqual(1);
  };

  const finish = async (closes: Record<string, number> = {}) => {
    await hb.verify(watcher);
    expect(watcher.m.isClosed).toBe(false);
    expect(fx.os.connections.has(watcherConn)).toBe(true);
    expect(Object.fromEntries(fx.os.stats.closes)).toEqual(closes);
    expect(fx.os.listening).toBe(true);
    const probe = await RawClient.connect(fx.port);
    await probe.startDt();
    await probe.close();
  };

  return { fx, clock, watcher, watcherConn, hb, raw, advance, expectClosed, finish };
}

function isHeartbeat(asdu: Buffer): boolean {
  return asdu[0] === TypeId.M_BO_NA_1 && asdu[2] === Cot.SPONTANEOUS && asdu[4] === HB_CA && asdu[5] === 0;
}

/**
 * Sends the ASDU octets `asdu` in an I-frame, waits for `n` replies (the heartbeats left out) and a
 * little longer, and returns every reply that came.
 */
export async function request(c: RawClient, asdu: Buffer, n = 1): Promise<Buffer[]> {
  const from = c.frames.length;
  c.write(c.iframe(asdu));
  const replies = () =>
    c.frames
      .slice(from)
      .flatMap((f) => (f.format === "I" && !isHeartbeat(f.raw) ? [Buffer.from(f.raw)] : []));
  await until(() => replies().length >= n, `${n} replies`);
  await sleep(20);
  return replies();
}

/** The negative reply to `req`: its own octets with COT `cot` and P/N=1 (T kept). */
export function mirrored(req: Buffer, cot: number): Buffer {
  const r = Buffer.from(req);
  r[2] = (cot & 0x3f) | 0x40 | (req[2]! & 0x80);
  return r;
}

/** A bare TCP connection from `localAddress` that records what it receives. */
export async function dialFrom(
  port: number,
  localAddress: string,
): Promise<{ socket: Socket; received: Buffer[]; closed: Promise<void> }> {
  const socket = net.connect({ host: HOST, port, localAddress });
  socket.on("error", () => {});
  const received: Buffer[] = [];
  socket.on("data", (b: Buffer) => received.push(b));
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });
  onCleanup(() => {
    socket.destroy();
  });
  return { socket, received, closed };
}
