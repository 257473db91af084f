/**
 * Everything a peer can get wrong, against a running Outstation on real TCP (port 0), each case
 * beside a watcher master that must keep receiving a heartbeat of spontaneous events, every one in
 * order (harness.ts). Unless a case says otherwise the bad connection is closed with the reason
 * logged (a warn line with the code) and counted in `stats.closes`, and nothing else is closed.
 * The outstation runs on a ManualClock, so t1/t2/t3 and the select timeout fire when told.
 */
import { describe, expect, it } from "vitest";
import { encodeIFrame, encodeSFrame, encodeUFrame } from "../../src/iec104/apci/frames.js";
import { type Asdu, encodeAsdu } from "../../src/iec104/asdu/asdu.js";
import { BROADCAST_CA, Cot, TypeId } from "../../src/iec104/asdu/types.js";
import { type Cp56Time2a, cp56FromEpochMs } from "../../src/iec104/codec/time.js";
import type { CloseCode } from "../../src/iec104/link/session.js";
import { connect, type FixtureInit, RawClient, sleep, until } from "../iec104/outstation/fixture.js";
import {
  bufferedInput,
  dialFrom,
  type Hardened,
  harden,
  heartbeatValues,
  mirrored,
  request,
  socketOf,
} from "./harness.js";

const OA = 12;

function asdu(typeId: number, ca: number, cot: number, objects: Record<string, unknown>[], sq = false): Asdu {
  return { typeId, sq, cot, test: false, negative: false, oa: OA, ca, objects } as Asdu;
}

function enc(
  typeId: number,
  ca: number,
  cot: number,
  objects: Record<string, unknown>[],
  sq = false,
): Buffer {
  return encodeAsdu(asdu(typeId, ca, cot, objects, sq), { allowNon104: true });
}

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");
const GI = () => enc(TypeId.C_IC_NA_1, 1, Cot.ACTIVATION, [{ ioa: 0, qoi: 20 }]);
const READ_1 = () => enc(TypeId.C_RD_NA_1, 1, Cot.REQUEST, [{ ioa: 1 }]);
const sc = (ioa: number, value: boolean, select = false, qu = 0) => ({ ioa, value, select, qu });
const dc = (ioa: number, value: number, select = false, qu = 0) => ({ ioa, value, select, qu });

/* ---- frames that close the connection ------------------------------------------------------------ */

interface CloseCase {
  name: string;
  /** STARTDT first, and acknowledge the two M_EI (`ack`) or leave them unacknowledged (`noack`). */
  start?: "ack" | "noack";
  bytes: (c: RawClient) => Buffer[];
  code: CloseCode;
  why: RegExp;
}

const u = (fn: Parameters<typeof encodeUFrame>[0]) => Buffer.from(encodeUFrame(fn));

const CLOSE_CASES: CloseCase[] = [
  { name: "start byte 0x69", bytes: () => [hex("69 04 07 00 00 00")], code: "BAD_FRAME", why: /not 0x68/ },
  {
    name: "start byte 0x00 behind a valid frame",
    start: "ack",
    bytes: () => [hex("68 04 43 00 00 00 00 04 07 00 00 00")],
    code: "BAD_FRAME",
    why: /0x00 is not 0x68/,
  },
  ...[0, 1, 2, 3, 254, 255].map(
    (len): CloseCase => ({
      name: `length ${len}`,
      bytes: () => [Buffer.from([0x68, len, 0, 0, 0, 0, 0, 0])],
      code: "BAD_FRAME",
      why: new RegExp(`${len} is outside 4\\.\\.253`),
    }),
  ),
  {
    name: "U-frame with length 5 (68 05 1f 00 05 83 80)",
    bytes: () => [hex("68 05 1f 00 05 83 80")],
    code: "BAD_FRAME",
    why: /U-frame control 1f/,
  },
  {
    name: "STARTDT act with length 5",
    bytes: () => [hex("68 05 07 00 00 00 00")],
    code: "BAD_FRAME",
    why: /U-frame with length 5/,
  },
  {
    name: "U-frame with an extra bit in C2",
    bytes: () => [hex("68 04 07 01 00 00")],
    code: "BAD_FRAME",
    why: /not one of the six/,
  },
  {
    name: "U-frame with an extra bit in C4",
    start: "ack",
    bytes: () => [hex("68 04 43 00 00 80")],
    code: "BAD_FRAME",
    why: /not one of the six/,
  },
  ...["0f", "1f", "ff"].map(
    (octet): CloseCase => ({
      name: `control octet 0x${octet.toUpperCase()}`,
      bytes: () => [hex(`68 04 ${octet} 00 00 00`)],
      code: "BAD_FRAME",
      why: new RegExp(`U-frame control ${octet}`),
    }),
  ),
  {
    name: "S-frame carrying an octet",
    start: "ack",
    bytes: () => [hex("68 05 01 00 04 00 00")],
    code: "BAD_FRAME",
    why: /S-frame with length 5/,
  },
  {
    name: "I-frame without an ASDU",
    start: "noack",
    bytes: () => [hex("68 04 00 00 00 00")],
    code: "BAD_FRAME",
    why: /without an ASDU/,
  },
  {
    name: "I-frame before STARTDT",
    bytes: (c) => [c.iframe(GI())],
    code: "NOT_STARTED",
    why: /before STARTDT/,
  },
  {
    name: "S-frame before STARTDT",
    bytes: () => [encodeSFrame(0)],
    code: "NOT_STARTED",
    why: /S-frame received while data transfer is stopped/,
  },
  ...(
    [
      ["STARTDT_CON", /STARTDT_CON received by the outstation/],
      ["STOPDT_CON", /STOPDT_CON received by the outstation/],
      ["TESTFR_CON", /TESTFR con without a TESTFR act/],
    ] as const
  ).map(
    ([fn, why]): CloseCase => ({
      name: `unsolicited ${fn}`,
      start: "ack",
      bytes: () => [u(fn)],
      code: "UNEXPECTED_U",
      why,
    }),
  ),
  {
    name: "N(S) gap",
    start: "ack",
    bytes: (c) => [encodeIFrame(1, c.vr, GI())],
    code: "SEQ_NS",
    why: /N\(S\)=1 but V\(R\)=0 \(gap\)/,
  },
  {
    name: "N(S) duplicate",
    start: "ack",
    bytes: (c) => [c.iframe(READ_1()), encodeIFrame(0, c.vr, READ_1())],
    code: "SEQ_NS",
    why: /N\(S\)=0 but V\(R\)=1 \(duplicate\)/,
  },
  {
    name: "N(R) ahead of V(S) in an S-frame",
    start: "ack",
    bytes: (c) => [encodeSFrame(c.vr + 100)],
    code: "SEQ_NR",
    why: /outside the unacknowledged window/,
  },
  {
    name: "N(R) ahead of V(S) in an I-frame",
    start: "ack",
    bytes: (c) => [c.iframe(READ_1(), c.vr + 100)],
    code: "SEQ_NR",
    why: /outside the unacknowledged window/,
  },
  {
    name: "N(R) behind the oldest unacknowledged frame",
    start: "ack",
    bytes: () => [encodeSFrame(1)],
    code: "SEQ_NR",
    why: /N\(R\)=1 outside the unacknowledged window \d+\.\./,
  },
  {
    name: "I-frame after STOPDT act, own frames unacknowledged",
    start: "noack",
    bytes: (c) => [u("STOPDT_ACT"), c.iframe(READ_1())],
    code: "STOPPING",
    why: /after STOPDT act/,
  },
  {
    name: "ASDU shorter than its header (68 08 00 00 00 00 00 00 80 68)",
    start: "noack",
    bytes: () => [hex("68 08 00 00 00 00 00 00 80 68")],
    code: "BAD_FRAME",
    why: /malformed ASDU: .*ASDU_TOO_SHORT/,
  },
  {
    name: "VSQ count larger than the payload",
    start: "ack",
    bytes: (c) => [c.iframe(Buffer.from([100, 2, 6, 0, 1, 0, 0, 0, 0, 20]))],
    code: "BAD_FRAME",
    why: /count too large/,
  },
  {
    name: "VSQ count smaller than the payload",
    start: "ack",
    bytes: (c) => [c.iframe(Buffer.from([100, 1, 6, 0, 1, 0, 0, 0, 0, 20, 0, 0, 0, 21]))],
    code: "BAD_FRAME",
    why: /count too small/,
  },
  {
    name: "SQ=1 without the base IOA",
    start: "ack",
    bytes: (c) => [c.iframe(Buffer.from([100, 0x81, 6, 0, 1, 0]))],
    code: "BAD_FRAME",
    why: /SQ=1 without the base IOA/,
  },
  {
    name: "count 0",
    start: "ack",
    bytes: (c) => [c.iframe(Buffer.from([100, 0, 6, 0, 1, 0, 0, 0, 0, 20]))],
    code: "BAD_FRAME",
    why: /number of objects is 0/,
  },
  {
    name: "trailing octets",
    start: "ack",
    bytes: (c) => [c.iframe(Buffer.from([100, 1, 6, 0, 1, 0, 0, 0, 0, 20, 0xaa]))],
    code: "BAD_FRAME",
    why: /1 trailing octets/,
  },
  {
    name: "command with a short element",
    start: "ack",
    bytes: (c) => [c.iframe(Buffer.from([45, 1, 6, 0, 1, 0, 0xe9, 3]))],
    code: "BAD_FRAME",
    why: /malformed C_SC_NA_1 ASDU/,
  },
];

describe("frames that close the connection", () => {
  it.each(CLOSE_CASES)("$name -> $code", async (k) => {
    const h = await harden();
    const { c, conn } = await h.raw({ start: k.start !== undefined, ack: false });
    if (k.start === "ack") c.write(c.sframe());
    await sleep(10);
    for (const b of k.bytes(c)) c.write(b);
    await h.expectClosed(c, conn, k.code, k.why);
    await h.finish({ [k.code]: 1 });
  });
});

/* ---- requests refused with a negative reply (the connection stays) ------------------------------ */

interface NegativeCase {
  name: string;
  init?: Omit<FixtureInit, "clock">;
  req: (h: Hardened) => Buffer;
  cot: number;
}

/** A CP56Time2a `offsetMs` from the outstation's clock. */
const timeFrom = (h: Hardened, offsetMs: number, invalid = false) =>
  cp56FromEpochMs(h.fx.os.now() + offsetMs, { invalid });
const APRIL_31: Cp56Time2a = {
  ms: 0,
  minute: 0,
  hour: 12,
  day: 31,
  dayOfWeek: 0,
  month: 4,
  year: 2025,
  invalid: false,
  summerTime: false,
};

const NEGATIVE_CASES: NegativeCase[] = [
  {
    name: "a command with two objects",
    req: () => enc(45, 1, 6, [sc(1001, true), sc(1008, true)]),
    cot: Cot.ACTIVATION_CON,
  },
  {
    name: "a command with SQ=1 and two objects",
    req: () => enc(45, 1, 6, [sc(1001, true), sc(1002, true)], true),
    cot: Cot.ACTIVATION_CON,
  },
  { name: "unknown type id 0", req: () => Buffer.from([0, 1, 6, OA, 1, 0, 0, 0, 0, 1]), cot: 44 },
  { name: "unknown type id 200", req: () => Buffer.from([200, 1, 6, OA, 1, 0, 5, 0, 0, 7, 7]), cot: 44 },
  { name: "C_TS_NA_1 (not used in 104)", req: () => enc(104, 1, 6, [{ ioa: 0, fbp: 0x55aa }]), cot: 44 },
  { name: "wrong COT 3 on a command", req: () => enc(45, 1, 3, [sc(1001, true)]), cot: 45 },
  { name: "wrong COT 5 on an interrogation", req: () => enc(100, 1, 5, [{ ioa: 0, qoi: 20 }]), cot: 45 },
  { name: "wrong COT 6 on a read", req: () => enc(102, 1, 6, [{ ioa: 1 }]), cot: 45 },
  { name: "unknown CA on a command", req: () => enc(45, 3, 6, [sc(1001, true)]), cot: 46 },
  { name: "broadcast CA on a command", req: () => enc(45, BROADCAST_CA, 6, [sc(1001, true)]), cot: 46 },
  { name: "broadcast CA on a read", req: () => enc(102, BROADCAST_CA, 5, [{ ioa: 1 }]), cot: 46 },
  { name: "unknown IOA on a command", req: () => enc(45, 1, 6, [sc(4242, true)]), cot: 47 },
  { name: "a command on a monitoring-only IOA", req: () => enc(45, 1, 6, [sc(1, true)]), cot: 47 },
  { name: "a read of an unknown IOA", req: () => enc(102, 1, 5, [{ ioa: 0xabcdef }]), cot: 47 },
  { name: "C_IC_NA_1 with IOA 1", req: () => enc(100, 1, 6, [{ ioa: 1, qoi: 20 }]), cot: 47 },
  { name: "C_CI_NA_1 with IOA 50", req: () => enc(101, 1, 6, [{ ioa: 50, qcc: 5 }]), cot: 47 },
  { name: "C_RP_NA_1 with IOA 2", req: () => enc(105, 1, 6, [{ ioa: 2, qrp: 1 }]), cot: 47 },
  {
    name: "C_CS_NA_1 with IOA 0x10000",
    req: (h) => enc(103, 1, 6, [{ ioa: 0x10000, time: timeFrom(h, 0) }]),
    cot: 47,
  },
  {
    name: "C_TS_TA_1 with IOA 7",
    req: (h) => enc(107, 1, 6, [{ ioa: 7, tsc: 1, time: timeFrom(h, 0) }]),
    cot: 47,
  },
  ...[0, 19, 37, 255].map(
    (qoi): NegativeCase => ({
      name: `invalid QOI ${qoi}`,
      req: () => enc(100, 1, 6, [{ ioa: 0, qoi }]),
      cot: Cot.ACTIVATION_CON,
    }),
  ),
  {
    name: "invalid QCC (request 0)",
    req: () => enc(101, 1, 6, [{ ioa: 0, qcc: 0 }]),
    cot: Cot.ACTIVATION_CON,
  },
  { name: "invalid QRP 0", req: () => enc(105, 1, 6, [{ ioa: 0, qrp: 0 }]), cot: Cot.ACTIVATION_CON },
  { name: "invalid DCS 3", req: () => enc(46, 1, 6, [dc(1002, 3, true)]), cot: Cot.ACTIVATION_CON },
  {
    name: "originator not allowed (allowedOriginators)",
    init: { allowedOriginators: [0, 1] },
    req: () => enc(100, 1, 6, [{ ioa: 0, qoi: 20 }]),
    cot: Cot.ACTIVATION_CON,
  },
  {
    name: "time-tagged command 60 s old (window 10 s)",
    req: (h) => enc(58, 1, 6, [{ ...sc(1001, false), time: timeFrom(h, -60_000) }]),
    cot: Cot.ACTIVATION_CON,
  },
  {
    name: "time-tagged command 60 s ahead (window 10 s)",
    req: (h) => enc(59, 1, 6, [{ ...dc(1002, 2, true), time: timeFrom(h, 60_000) }]),
    cot: Cot.ACTIVATION_CON,
  },
  {
    name: "time-tagged command with IV set",
    req: (h) => enc(58, 1, 6, [{ ...sc(1001, false), time: timeFrom(h, 0, true) }]),
    cot: Cot.ACTIVATION_CON,
  },
  {
    name: "time-tagged command on 31 April",
    req: () => enc(58, 1, 6, [{ ...sc(1001, false), time: APRIL_31 }]),
    cot: Cot.ACTIVATION_CON,
  },
  {
    name: "deactivation with nothing selected",
    req: () => enc(46, 1, 8, [dc(1002, 2, true)]),
    cot: Cot.DEACTIVATION_CON,
  },
];

describe("requests refused with a negative reply, the connection kept", () => {
  it.each(NEGATIVE_CASES)("$name -> negative COT $cot", async (k) => {
    const h = await harden(k.init);
    const { c, conn } = await h.raw({ start: true, ack: true });
    const req = k.req(h);
    expect(await request(c, req)).toEqual([mirrored(req, k.cot)]);
    expect(h.fx.os.stats.negatives.get(k.cot)).toBe(1);
    // refused before the command handler: nothing executed
    expect(h.fx.events.filter((e) => e.type === "command")).toEqual([]);
    expect(h.fx.os.stationByCa(1)!.value[h.fx.os.stationByCa(1)!.indexOf(1)]).toBe(1);
    expect(c.closed).toBe(false);
    expect(h.fx.os.connections.has(conn)).toBe(true);
    await h.finish();
  });

  it("a time-tagged command inside the window is executed (the control case)", async () => {
    const h = await harden();
    const { c } = await h.raw({ start: true, ack: true });
    const req = enc(58, 1, 6, [{ ...sc(1001, false), time: timeFrom(h, -5_000) }]);
    const replies = await request(c, req, 3);
    expect(replies.map((r) => [r[0], r[2]])).toEqual([
      [58, Cot.ACTIVATION_CON],
      [TypeId.M_SP_NA_1, Cot.RETURN_INFO_REMOTE],
      [58, Cot.ACTIVATION_TERMINATION],
    ]);
    expect(h.fx.events).toContainEqual(
      expect.objectContaining({ type: "command", phase: "execute", outcome: "confirmed" }),
    );
    await h.finish();
  });
});

/* ---- select before operate ------------------------------------------------------------------------ */

describe("select and execute that do not belong together", () => {
  /** Sends `req` and returns the COT octet of its (first) reply: 7 positive, 0x47 negative. */
  async function cotOf(c: RawClient, req: Buffer): Promise<number> {
    const replies = await request(c, req, 1);
    return replies.find((r) => r[0] === req[0])![2]!;
  }

  it("execute with another value or qualifier than the select: negative ACT_CON", async () => {
    const h = await harden();
    const { c } = await h.raw({ start: true, ack: true });
    expect(await cotOf(c, enc(46, 1, 6, [dc(1002, 2, true)]))).toBe(7);
    expect(await cotOf(c, enc(46, 1, 6, [dc(1002, 1)]))).toBe(0x47);
    expect(await cotOf(c, enc(46, 1, 6, [dc(1002, 2, true, 0)]))).toBe(7);
    expect(await cotOf(c, enc(46, 1, 6, [dc(1002, 2, false, 1)]))).toBe(0x47);
    // the mismatch consumed the selection: the matching execute is refused too
    expect(await cotOf(c, enc(46, 1, 6, [dc(1002, 2)]))).toBe(0x47);
    expect(h.fx.log.entries.some((l) => /does not match the selection/.test(l.msg))).toBe(true);
    await h.finish();
  });

  it("execute without a select on a select-before-operate point: negative ACT_CON", async () => {
    const h = await harden();
    const { c } = await h.raw({ start: true, ack: true });
    expect(await cotOf(c, enc(45, 1, 6, [sc(1008, true)]))).toBe(0x47);
    expect(await cotOf(c, enc(46, 1, 6, [dc(1002, 2)]))).toBe(0x47);
    await h.finish();
  });

  it("execute after the select timeout: negative ACT_CON", async () => {
    const h = await harden();
    const { c } = await h.raw({ start: true, ack: true });
    expect(await cotOf(c, enc(46, 1, 6, [dc(1002, 2, true)]))).toBe(7);
    await h.advance(10_001);
    expect(h.fx.log.entries.some((l) => /selection of IOA 1002 lapsed/.test(l.msg))).toBe(true);
    expect(await cotOf(c, enc(46, 1, 6, [dc(1002, 2)]))).toBe(0x47);
    await h.finish();
  });

  it("execute from another master than the select: negative ACT_CON, the select holds", async () => {
    const h = await harden();
    const a = await h.raw({ start: true, ack: true });
    const b = await h.raw({ start: true, ack: true });
    expect(await cotOf(a.c, enc(46, 1, 6, [dc(1002, 2, true)]))).toBe(7);
    expect(await cotOf(b.c, enc(46, 1, 6, [dc(1002, 2)]))).toBe(0x47);
    expect(await cotOf(b.c, enc(46, 1, 6, [dc(1002, 2, true)]))).toBe(0x47);
    expect(await cotOf(a.c, enc(46, 1, 6, [dc(1002, 2)]))).toBe(7);
    await h.finish();
  });
});

/* ---- framing: chunking and silence ------------------------------------------------------------- */

describe("framing", () => {
  it("valid frames one octet at a time, and 100 frames in one write, are served normally", async () => {
    const h = await harden();
    const { c, conn } = await h.raw();
    // no acknowledgements while a frame goes out in pieces: an S-frame would land inside it
    const oneByOne = async (b: Buffer) => {
      for (const octet of b) {
        c.write(Buffer.from([octet]));
        await sleep(1);
        expect(bufferedInput(conn)).toBeLessThan(255);
      }
    };
    await oneByOne(u("STARTDT_ACT"));
    await c.waitFrame((f) => f.format === "U" && f.fn === "STARTDT_CON");
    await c.waitAsdus(2);
    await oneByOne(c.iframe(GI()));
    c.autoAck = true;
    c.write(c.sframe());
    await c.waitFrame((f) => f.format === "I" && f.asdu?.typeId === 100 && f.asdu.cot === 10);
    const gi = c.asdus.filter((a) => a.cot === 20 || a.typeId === 100);
    expect(gi[0]).toMatchObject({ typeId: 100, cot: 7 });
    expect(gi.at(-1)).toMatchObject({ typeId: 100, cot: 10 });
    expect(gi.slice(1, -1).flatMap((a) => a.objects.map((o) => o.ioa))).toEqual([
      1, 2, 3, 10, 20, 30, 40, 41, 42, 70,
    ]);

    const from = c.frames.length;
    const ioas = [1, 2, 3, 10, 20, 30, 40, 41, 42, 70];
    const reqs = Array.from({ length: 100 }, (_, i) =>
      c.iframe(enc(102, 1, 5, [{ ioa: ioas[i % ioas.length]! }])),
    );
    c.write(Buffer.concat(reqs));
    const reads = () =>
      c.frames.slice(from).flatMap((f) => (f.format === "I" && f.asdu?.cot === Cot.REQUEST ? [f.asdu] : []));
    await until(() => reads().length === 100, "100 read replies");
    expect(reads().map((a) => a.objects[0]!.ioa)).toEqual(reqs.map((_, i) => ioas[i % ioas.length]));
    expect(c.closed).toBe(false);
    await h.finish();
  });

  it("a header then silence: one frame's octets at most held, TESTFR act at t3, closed at t1", async () => {
    const h = await harden();
    const { c, conn } = await h.raw();
    // a complete TESTFR act (answered), then the start of a 253-octet frame, in small pieces
    c.write(u("TESTFR_ACT"));
    await c.waitFrame((f) => f.format === "U" && f.fn === "TESTFR_CON");
    const partial = Buffer.concat([Buffer.from([0x68, 0xfd]), Buffer.alloc(200, 0x11)]);
    for (let i = 0; i < partial.length; i += 50) {
      c.write(partial.subarray(i, i + 50));
      await sleep(2);
      expect(bufferedInput(conn)).toBeLessThanOrEqual(255);
    }
    await until(() => bufferedInput(conn) === partial.length, "the partial frame held");
    const from = c.frames.length;
    await h.advance(20_000);
    await c.waitFrame((f) => f.format === "U" && f.fn === "TESTFR_ACT", from);
    expect(c.closed).toBe(false);
    await h.advance(15_000);
    await h.expectClosed(c, conn, "T1", /no TESTFR con within 15000 ms/);
    await h.finish({ T1: 1 });
  });

  it("a connection that never sends a byte: TESTFR act at t3, closed at t1", async () => {
    const h = await harden();
    const { c, conn } = await h.raw();
    await h.advance(20_000);
    await c.waitFrame((f) => f.format === "U" && f.fn === "TESTFR_ACT");
    await h.advance(15_000);
    await h.expectClosed(c, conn, "T1", /no TESTFR con/);
    await h.finish({ T1: 1 });
  });
});

/* ---- sequence numbers ------------------------------------------------------------------------------ */

describe("sequence numbers", () => {
  it("wrap past 32767 both ways without a false close (33,000 requests and replies)", async () => {
    const h = await harden();
    const { c, conn } = await h.raw({ start: true, ack: true });
    const N = 33_000;
    const read = READ_1();
    let replies = 0;
    let scanned = 0;
    const count = () => {
      for (; scanned < c.frames.length; scanned++) {
        const f = c.frames[scanned]!;
        if (f.format === "I" && f.asdu?.cot === Cot.REQUEST) replies++;
      }
      return replies;
    };
    let sent = 0;
    while (sent < N) {
      const n = Math.min(400, N - sent);
      c.write(Buffer.concat(Array.from({ length: n }, () => c.iframe(read))));
      sent += n;
      await until(() => count() >= sent - 200, `replies to ${sent - 200} reads`, 10_000);
      expect(conn.session.unacknowledged).toBeLessThanOrEqual(12);
    }
    await until(() => count() === N, "every read answered", 10_000);
    expect(c.vs).toBe(N % 32768);
    expect(conn.session.receiveSeq).toBe(N % 32768);
    h.hb.stop();
    await until(
      () => conn.session.unacknowledged === 0 && conn.group!.queue.unsent === 0,
      "the last acknowledgement",
    );
    expect(c.vr).toBe(conn.session.sendSeq);
    expect(c.frames.filter((f) => f.format === "I").length).toBeGreaterThan(32768);
    expect(c.closed).toBe(false);
    await h.finish();
  }, 60_000);

  it("STOPDT with frames outstanding: STOPDT con only after the acknowledgement, nothing sent meanwhile", async () => {
    const h = await harden();
    const { c, conn } = await h.raw({ start: true, ack: false });
    // the window full: nothing more can be on its way
    await until(() => conn.session.unacknowledged === 12, "k frames out");
    await until(() => c.frames.filter((f) => f.format === "I").length === 12, "k frames received");
    const from = c.frames.length;
    c.write(u("STOPDT_ACT"));
    await sleep(40);
    expect(conn.state).toBe("STOPPING");
    expect(c.frames.slice(from)).toEqual([]);
    c.write(c.sframe());
    await c.waitFrame((f) => f.format === "U" && f.fn === "STOPDT_CON", from);
    await sleep(30);
    expect(c.frames.slice(from)).toEqual([{ format: "U", fn: "STOPDT_CON" }]);
    expect(conn.state).toBe("STOPPED");
    // the heartbeats held meanwhile arrive after the next STARTDT, in order
    c.autoAck = true;
    await c.startDt();
    const last = h.hb.value;
    await until(
      () => c.asdus.some((a) => a.typeId === TypeId.M_BO_NA_1 && a.objects.some((o) => o.value === last)),
      "the held heartbeats",
    );
    const seen = c.asdus.flatMap((a) =>
      a.typeId === TypeId.M_BO_NA_1 ? a.objects.map((o) => o.value as number) : [],
    );
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => seen[0]! + i));
    await h.finish();
  });
});

/* ---- masters that do not read or do not acknowledge ---------------------------------------------- */

describe("slow and silent masters", () => {
  it("a master that stops reading: at most k frames out, output and queue bounded, closed at t1", async () => {
    const h = await harden({ eventQueue: { capacity: 500, overflow: "drop-oldest" } });
    const { c, conn } = await h.raw({ start: true });
    c.socket.pause();
    const sock = socketOf(conn);
    const st = h.fx.os.stationByCa(1)!;
    const sp = st.indexOf(1);
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 300; i++) st.update(sp, (round * 300 + i) % 2, 0, h.fx.os.now());
      await sleep(40);
      expect(conn.session.unacknowledged).toBeLessThanOrEqual(12);
      expect(sock.writableLength).toBeLessThan(16 * 1024);
      expect(conn.group!.queue.length).toBeLessThanOrEqual(500);
    }
    expect(conn.session.unacknowledged).toBe(12);
    expect(conn.group!.queue.dropped).toBeGreaterThan(0);
    expect(h.fx.events).toContainEqual(
      expect.objectContaining({ type: "events-dropped", group: conn.group!.key }),
    );
    // the watcher, with the same capacity, kept up and lost nothing
    expect(h.watcherConn.group!.queue.dropped).toBe(0);
    await h.advance(15_000);
    c.socket.resume();
    await h.expectClosed(c, conn, "T1", /not acknowledged within 15000 ms/);
    await h.finish({ T1: 1 });
  });

  it.each(["TESTFR_ACT", "STARTDT_ACT"] as const)(
    "a master that floods %s without reading: the outstation's output stays bounded",
    async (fn) => {
      const h = await harden();
      const { c, conn } = await h.raw();
      c.socket.pause();
      const sock = socketOf(conn);
      const flood = Buffer.concat(Array.from({ length: 10_000 }, () => u(fn)));
      for (let i = 0; i < 140; i++) c.socket.write(flood);
      // it reads until its output backs up, then stops reading until that drains (never, here)
      let stable = 0;
      for (let read = -1, n = 0; stable < 5 && n < 250; n++, await sleep(40)) {
        stable = sock.bytesRead === read ? stable + 1 : 0;
        read = sock.bytesRead;
      }
      // Paused, though on a busy machine a bit of output may drain now and then and let it read on
      // for a moment: it must be paused again soon after.
      await until(() => sock.isPaused(), "the outstation to stop reading");
      expect(sock.bytesRead).toBeLessThan(flood.length * 140);
      expect(sock.writableLength).toBeLessThan(256 * 1024);
      expect(c.closed).toBe(false);
      // Not reading, it receives no frame: TESTFR act at t3, closed at t1 (the kernel may still take
      // a little of its output now and then, letting it read a little more: time runs until it closes)
      for (let t = 0; t < 120_000 && conn.isOpen; t += 5000) {
        await h.advance(5000);
        expect(sock.writableLength).toBeLessThan(256 * 1024);
      }
      c.socket.resume();
      await h.expectClosed(c, conn, "T1", /t1 expired/);
      await h.finish({ T1: 1 });
    },
  );

  it("a master that resets its connection (RST): closed by the master, not a socket error", async () => {
    const h = await harden();
    const { conn } = await h.raw({ start: true });
    // What a master's RST looks like on our side (a close with data in flight): ECONNRESET.
    socketOf(conn).destroy(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }));
    await until(() => !conn.isOpen, "the close");
    const closed = h.fx.log.entries.find(
      (l) => l.msg.startsWith("connection closed") && l.obj.conn === conn.id,
    );
    expect(closed?.msg).toBe("connection closed: connection reset by the master (ECONNRESET)");
    await h.finish({ PEER_CLOSED: 1 });
  });

  it("a master that reads but never acknowledges: k frames, then closed at t1", async () => {
    const h = await harden();
    const { c, conn } = await h.raw({ start: true, ack: false });
    await until(() => conn.session.unacknowledged === 12, "k unacknowledged frames");
    await sleep(30);
    expect(c.frames.filter((f) => f.format === "I")).toHaveLength(12);
    await h.advance(15_000);
    await h.expectClosed(c, conn, "T1", /t1 expired: I-frame N\(S\)=0 not acknowledged/);
    await h.finish({ T1: 1 });
  });
});

/* ---- connections refused, and churn ---------------------------------------------------------------- */

describe("refused connections and churn", () => {
  it("beyond maxConnections: refused before any protocol handling", async () => {
    const h = await harden({ maxConnections: 2 });
    const ok = await h.raw({ start: true, ack: true });
    const extra = await RawClient.connect(h.fx.port);
    const port = extra.socket.localPort;
    extra.write(u("STARTDT_ACT"));
    await extra.whenClosed;
    expect(extra.frames).toEqual([]);
    expect(h.fx.os.stats.connectionsRefused).toBe(1);
    expect(h.fx.os.connections.size).toBe(2);
    expect(h.fx.events).toContainEqual({
      type: "master-refused",
      remote: `127.0.0.1:${port}`,
      reason: "already 2 connections (the maximum)",
    });
    expect(h.fx.log.entries.some((l) => l.msg.startsWith("connection refused: already 2"))).toBe(true);
    await ok.c.close();
    await until(() => h.fx.os.connections.size === 1, "the close");
    await h.finish({ PEER_CLOSED: 1 });
  });

  it("from an address outside the allowlist: refused before any protocol handling", async () => {
    const h = await harden({ allowlist: ["127.0.0.1"] });
    const stranger = await dialFrom(h.fx.port, "127.0.0.2");
    stranger.socket.write(u("STARTDT_ACT"));
    await stranger.closed;
    expect(stranger.received).toEqual([]);
    expect(h.fx.os.stats.connectionsRefused).toBe(1);
    expect(h.fx.events).toContainEqual({
      type: "master-refused",
      remote: expect.stringMatching(/^127\.0\.0\.2:\d+$/),
      reason: "127.0.0.2 is not in the allowlist",
    });
    expect(h.fx.events.filter((e) => e.type === "master-connected")).toHaveLength(1);
    await h.finish();
  });

  it("many masters connecting and dropping abruptly while a good master interrogates", async () => {
    const h = await harden({ maxConnections: 200 });
    const good = await connect(h.fx, { waitInit: 2, master: { requestTimeoutMs: 5000 } });
    const objects = (r: { data: Asdu[] }) => r.data.reduce((n, a) => n + a.objects.length, 0);
    const expected = objects(await good.m.interrogate(1));
    expect(expected).toBe(10);
    let churning = true;
    let interrogations = 0;
    const interrogating = (async () => {
      while (churning) {
        expect(objects(await good.m.interrogate(1))).toBe(expected);
        interrogations++;
      }
    })();
    const churn = async (i: number) => {
      const c = await RawClient.connect(h.fx.port);
      switch (i % 5) {
        case 0:
          c.socket.destroy();
          break;
        case 1:
          c.write(u("STARTDT_ACT"));
          c.socket.destroy();
          break;
        case 2:
          await c.startDt();
          c.write(c.iframe(GI()));
          c.socket.resetAndDestroy();
          break;
        case 3:
          c.write(hex("68 0e 00 00 00"));
          await sleep(1);
          c.socket.resetAndDestroy();
          break;
        default:
          await c.startDt();
          await c.waitAsdus(2);
          c.socket.end();
      }
      await c.whenClosed;
    };
    const WAVES = 10;
    const PER_WAVE = 12;
    for (let w = 0; w < WAVES; w++) {
      await Promise.all(Array.from({ length: PER_WAVE }, (_, i) => churn(w * PER_WAVE + i)));
    }
    churning = false;
    await interrogating;
    expect(interrogations).toBeGreaterThan(0);
    await until(() => h.fx.os.connections.size === 2, "the churned connections to be gone");
    expect(h.fx.os.stats.connectionsAccepted).toBe(2 + WAVES * PER_WAVE);
    expect(heartbeatValues(good).length).toBeGreaterThan(0);
    // an orderly close or a reset: which one the outstation sees first is the kernel's timing
    const closes = Object.fromEntries(h.fx.os.stats.closes);
    expect(Object.keys(closes).every((k) => k === "PEER_CLOSED" || k === "SOCKET_ERROR")).toBe(true);
    expect((closes.PEER_CLOSED ?? 0) + (closes.SOCKET_ERROR ?? 0)).toBe(WAVES * PER_WAVE);
    await h.finish(closes);
  });
});
