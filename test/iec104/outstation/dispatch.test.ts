/**
 * The checks every request passes before a handler (dispatch.ts), over TCP: negative replies with
 * COT 44-47 mirroring the request with P/N=1 and exactly one reply each; one-object rules; the
 * originator allowlist; malformed ASDUs closing that connection (with the reason logged and
 * reported) while another master carries on; and parameter loading (P_ME / P_AC).
 */
import { describe, expect, it } from "vitest";
import { encodeIFrame } from "../../../src/iec104/apci/frames.js";
import { type Asdu, encodeAsdu } from "../../../src/iec104/asdu/asdu.js";
import { BROADCAST_CA, Cot, TypeId } from "../../../src/iec104/asdu/types.js";
import { cp56FromEpochMs } from "../../../src/iec104/codec/time.js";
import { connect, type FixtureInit, RawClient, setPoint, sleep, startOutstation, until } from "./fixture.js";

const OA = 12;

function asdu(typeId: number, ca: number, cot: number, objects: Record<string, unknown>[], sq = false): Asdu {
  return { typeId, sq, cot, test: false, negative: false, oa: OA, ca, objects } as Asdu;
}

/** The reply a negative confirmation should be: the request's octets, COT octet `cot | P/N (| T)`. */
function mirrored(request: Buffer, cot: number): Buffer {
  const r = Buffer.from(request);
  r[2] = (cot & 0x3f) | 0x40 | (request[2]! & 0x80);
  return r;
}

async function raw(init: FixtureInit = {}) {
  const fx = await startOutstation(init);
  const c = await RawClient.connect(fx.port);
  c.autoAck = true;
  await c.startDt();
  await c.waitAsdus(2);
  return { fx, c };
}

/** Sends the ASDU octets `req`, and returns the octets of the replies (exactly `n` expected). */
async function send(c: RawClient, req: Buffer, n = 1): Promise<Buffer[]> {
  const from = c.frames.length;
  c.write(c.iframe(req));
  await until(() => c.frames.slice(from).filter((f) => f.format === "I").length >= n, `${n} replies`);
  await sleep(25);
  const got = c.frames.slice(from).flatMap((f) => (f.format === "I" ? [Buffer.from(f.raw)] : []));
  expect(got).toHaveLength(n);
  return got;
}

describe("negative replies mirror the request with P/N=1", () => {
  it("COT 44: type 0, type 200, 104 and 106, and monitoring types sent by a master", async () => {
    const { fx, c } = await raw();
    const requests = [
      Buffer.from([0, 1, 6, OA, 1, 0, 0, 0, 0, 1]),
      Buffer.from([200, 1, 6, OA, 1, 0, 5, 0, 0, 7, 7]),
      Buffer.from([200, 1, 6 | 0x80, OA, 1, 0, 5, 0, 0]),
      encodeAsdu(asdu(TypeId.M_SP_NA_1, 1, 3, [{ ioa: 1, value: true, quality: 0 }])),
      encodeAsdu(asdu(TypeId.M_ME_NC_1, 1, 6, [{ ioa: 42, value: 1, quality: 0 }])),
      encodeAsdu(asdu(TypeId.M_EI_NA_1, 1, 4, [{ ioa: 0, coi: 0 }])),
      encodeAsdu(asdu(104, 1, 6, [{ ioa: 0, fbp: 0x55aa }]), { allowNon104: true }),
    ];
    for (const req of requests) expect(await send(c, req)).toEqual([mirrored(req, 44)]);
    expect(c.closed).toBe(false);
    expect(fx.os.stats.negatives.get(44)).toBe(requests.length);
    expect(fx.events).toContainEqual(
      expect.objectContaining({
        type: "rejected",
        typeId: 200,
        ca: 1,
        ioa: 5,
        cot: 44,
        reason: "unknown type id 200",
      }),
    );
  });

  it("COT 45: a cause the type does not take", async () => {
    const { c } = await raw();
    const time = cp56FromEpochMs(Date.UTC(2024, 0, 1));
    const requests = [
      encodeAsdu(asdu(100, 1, Cot.SPONTANEOUS, [{ ioa: 0, qoi: 20 }])),
      encodeAsdu(asdu(100, 1, Cot.REQUEST, [{ ioa: 0, qoi: 20 }])),
      encodeAsdu(asdu(102, 1, Cot.ACTIVATION, [{ ioa: 1 }])),
      encodeAsdu(asdu(103, 1, Cot.SPONTANEOUS, [{ ioa: 0, time }])),
      encodeAsdu(asdu(105, 1, Cot.DEACTIVATION, [{ ioa: 0, qrp: 1 }])),
      encodeAsdu(asdu(110, 1, Cot.DEACTIVATION, [{ ioa: 40, value: 0.1, qpm: 1 }])),
      encodeAsdu(asdu(113, 1, Cot.SPONTANEOUS, [{ ioa: 0, qpa: 1 }])),
      encodeAsdu(asdu(45, 1, Cot.ACTIVATION_CON, [{ ioa: 1001, value: true, select: false, qu: 0 }])),
      encodeAsdu(asdu(64, 1, Cot.DEACTIVATION, [{ ioa: 1007, value: 1, time }])),
    ];
    for (const req of requests) expect(await send(c, req)).toEqual([mirrored(req, 45)]);
  });

  it("COT 46: an unknown CA, and the broadcast address on types that do not allow it", async () => {
    const { c } = await raw();
    const time = cp56FromEpochMs(Date.UTC(2024, 0, 1));
    const requests = [
      encodeAsdu(asdu(100, 3, 6, [{ ioa: 0, qoi: 20 }])),
      encodeAsdu(asdu(100, 0, 6, [{ ioa: 0, qoi: 20 }])),
      encodeAsdu(asdu(101, 0x1234, 6, [{ ioa: 0, qcc: 5 }])),
      encodeAsdu(asdu(102, BROADCAST_CA, 5, [{ ioa: 1 }])),
      encodeAsdu(asdu(107, BROADCAST_CA, 6, [{ ioa: 0, tsc: 1, time }])),
      encodeAsdu(asdu(45, BROADCAST_CA, 6, [{ ioa: 1001, value: true, select: false, qu: 0 }])),
      encodeAsdu(asdu(50, BROADCAST_CA, 6, [{ ioa: 1004, value: 1, select: false, ql: 0 }])),
      encodeAsdu(asdu(113, BROADCAST_CA, 6, [{ ioa: 0, qpa: 1 }])),
    ];
    for (const req of requests) expect(await send(c, req)).toEqual([mirrored(req, 46)]);
  });

  it("COT 47: an unknown IOA, and a system command with IOA != 0", async () => {
    const { c } = await raw();
    const time = cp56FromEpochMs(Date.UTC(2024, 0, 1));
    const requests = [
      encodeAsdu(asdu(102, 1, 5, [{ ioa: 0xabcdef }])),
      encodeAsdu(asdu(100, 1, 6, [{ ioa: 1, qoi: 20 }])),
      encodeAsdu(asdu(101, 1, 6, [{ ioa: 50, qcc: 5 }])),
      encodeAsdu(asdu(103, 1, 6, [{ ioa: 0x10000, time }])),
      encodeAsdu(asdu(105, 1, 6, [{ ioa: 2, qrp: 1 }])),
      encodeAsdu(asdu(107, 1, 6, [{ ioa: 7, tsc: 1, time }])),
      encodeAsdu(asdu(100, BROADCAST_CA, 6, [{ ioa: 1, qoi: 20 }])),
    ];
    for (const req of requests) expect(await send(c, req)).toEqual([mirrored(req, 47)]);
  });

  it("keeps the T bit and the originator of the request", async () => {
    const { c } = await raw();
    const req = encodeAsdu({ ...asdu(100, 9, 6, [{ ioa: 0, qoi: 20 }]), test: true, oa: 0xfe });
    const [r] = await send(c, req);
    expect(r).toEqual(mirrored(req, 46));
    expect([r![2]! & 0xc0, r![3]]).toEqual([0xc0, 0xfe]);
  });

  it("refuses a request with more than one object (or SQ=1) with a negative confirmation", async () => {
    const { c } = await raw();
    const cases: [Buffer, number][] = [
      [
        encodeAsdu(
          asdu(45, 1, 6, [
            { ioa: 1001, value: true, select: false, qu: 0 },
            { ioa: 1008, value: true, select: false, qu: 0 },
          ]),
        ),
        7,
      ],
      [
        encodeAsdu(
          asdu(
            45,
            1,
            6,
            [
              { ioa: 1001, value: true, select: false, qu: 0 },
              { ioa: 1002, value: true, select: false, qu: 0 },
            ],
            true,
          ),
        ),
        7,
      ],
      [encodeAsdu(asdu(46, 1, 8, [{ ioa: 1002, value: 1, select: true, qu: 0 }], true)), 9],
      [
        encodeAsdu(
          asdu(100, 1, 6, [
            { ioa: 0, qoi: 20 },
            { ioa: 0, qoi: 21 },
          ]),
        ),
        7,
      ],
    ];
    for (const [req, cot] of cases) expect(await send(c, req)).toEqual([mirrored(req, cot)]);
  });

  it("refuses an originator not in allowedOriginators with a negative confirmation", async () => {
    const fx = await startOutstation({ allowedOriginators: [1, 2] });
    const bad = await connect(fx, { master: { originator: OA }, waitInit: 2 });
    const good = await connect(fx, { master: { originator: 2 }, waitInit: 2 });
    const mark = bad.inbox.length;
    const err = await bad.m.interrogate(1).catch((e: { reply: Asdu }) => e.reply);
    expect(err).toEqual({ ...asdu(100, 1, 7, [{ ioa: 0, qoi: 20 }]), negative: true });
    const cmd = await bad.m
      .command({ ca: 1, typeId: 45, ioa: 1001, value: true })
      .catch((e: { reply: Asdu }) => e.reply);
    expect(cmd).toMatchObject({ typeId: 45, cot: 7, negative: true, oa: OA });
    await sleep(20);
    expect(bad.inbox.length).toBe(mark + 2);
    expect((await good.m.interrogate(1)).data.length).toBeGreaterThan(0);
    expect(fx.events).toContainEqual(
      expect.objectContaining({
        type: "rejected",
        cot: 7,
        reason: `originator address ${OA} is not allowed`,
      }),
    );
  });
});

describe("malformed ASDUs close the connection", () => {
  const cases: [string, number[]][] = [
    ["an ASDU shorter than its header", [100, 1, 6]],
    ["a VSQ count larger than the objects", [100, 2, 6, 0, 1, 0, 0, 0, 0, 20]],
    ["a VSQ count smaller than the objects", [100, 1, 6, 0, 1, 0, 0, 0, 0, 20, 0, 0, 0, 21]],
    ["SQ=1 without the base IOA", [100, 0x81, 6, 0, 1, 0]],
    ["a count of 0", [100, 0, 6, 0, 1, 0, 0, 0, 0, 20]],
    ["trailing octets", [100, 1, 6, 0, 1, 0, 0, 0, 0, 20, 0xaa]],
    ["a command with a short element", [45, 1, 6, 0, 1, 0, 0xe9, 3, 0]],
  ];

  it.each(cases)(
    "%s: the connection closes with the reason, another master carries on",
    async (_n, bytes) => {
      const fx = await startOutstation();
      const bad = await connect(fx, { waitInit: 2 });
      const other = await connect(fx, { waitInit: 2 });
      // the bad master has sent no I-frame (N(S) 0) and received two (N(R) 2)
      bad.m.sendRaw(encodeIFrame(0, 2, Buffer.from(bytes)));
      const reason = await bad.m.whenClosed;
      expect(reason.code).toMatch(/PEER_CLOSED|SOCKET_ERROR/);
      await until(() => fx.events.some((e) => e.type === "master-closed"), "master-closed");
      const closed = fx.events.find((e) => e.type === "master-closed");
      expect(closed).toMatchObject({ code: "BAD_FRAME", reason: expect.stringMatching(/^malformed /) });
      expect(
        fx.log.entries.some(
          (l) =>
            l.level === "warn" &&
            l.msg.startsWith("connection closed: malformed") &&
            l.obj.code === "BAD_FRAME",
        ),
      ).toBe(true);
      expect(fx.os.connections.size).toBe(1);
      const mark = other.inbox.length;
      setPoint(fx, 1, 1, 0);
      const ev = await other.inbox.waitFor((a) => a.cot === Cot.SPONTANEOUS, mark);
      expect(ev.objects).toEqual([{ ioa: 1, value: false, quality: 0 }]);
      expect((await other.m.interrogate(2)).data.length).toBe(2);
    },
  );
});

describe("parameter loading", () => {
  it("P_ME_NC_1 KPA 1 sets the deadband of a measured value (ACT_CON mirrors it)", async () => {
    const fx = await startOutstation();
    const p = await connect(fx, { master: { originator: OA }, waitInit: 2 });
    const req = asdu(112, 1, 6, [{ ioa: 42, value: 5, qpm: 1 }]);
    const mark = p.inbox.length;
    p.m.sendAsdu(req);
    const con = await p.inbox.waitFor(() => true, mark);
    expect(con).toEqual({ ...req, cot: 7 });
    expect(setPoint(fx, 1, 42, 27)).toBe(false); // 3.5 from 23.5: below the new deadband of 5
    expect(setPoint(fx, 1, 42, 28.5)).toBe(true);
    expect(fx.events).toContainEqual(
      expect.objectContaining({ type: "parameter", ioa: 42, typeId: 112, value: 5, qualifier: 1 }),
    );
  });

  it("refuses P_ME on a point that is not a measured value (47) and a KPA outside 1-4", async () => {
    const { c } = await raw();
    const a = encodeAsdu(asdu(110, 1, 6, [{ ioa: 1, value: 0.1, qpm: 1 }]));
    expect(await send(c, a)).toEqual([mirrored(a, 47)]);
    const b = encodeAsdu(asdu(111, 1, 6, [{ ioa: 41, value: 5, qpm: 9 }]));
    expect(await send(c, b)).toEqual([mirrored(b, 7)]);
  });

  it("refuses a P_ME type that does not fit the point's form (P_ME_NA_1 on a short float)", async () => {
    const { c } = await raw();
    const a = encodeAsdu(asdu(110, 1, 6, [{ ioa: 42, value: 0.5, qpm: 1 }]));
    expect(await send(c, a)).toEqual([mirrored(a, 7)]);
    const b = encodeAsdu(asdu(112, 1, 6, [{ ioa: 40, value: 0.5, qpm: 1 }]));
    expect(await send(c, b)).toEqual([mirrored(b, 7)]);
  });

  it("a threshold with POP set (not in operation) is confirmed but leaves the deadband", async () => {
    const fx = await startOutstation();
    const p = await connect(fx, { master: { originator: OA }, waitInit: 2 });
    const req = asdu(112, 1, 6, [{ ioa: 42, value: 5, qpm: 0x81 }]);
    const mark = p.inbox.length;
    p.m.sendAsdu(req);
    expect(await p.inbox.waitFor(() => true, mark)).toEqual({ ...req, cot: 7 });
    expect(setPoint(fx, 1, 42, 25)).toBe(true); // 1.5 from 23.5: over the deadband of 1 still in force
  });

  it("P_AC_NA_1: ACT -> ACT_CON, DEACT -> DEACT_CON, QPA 0 refused", async () => {
    const { c } = await raw();
    const act = encodeAsdu(asdu(113, 1, 6, [{ ioa: 0, qpa: 3 }]));
    const [con] = await send(c, act);
    expect(con![2]).toBe(7);
    expect(con!.subarray(3)).toEqual(act.subarray(3));
    const deact = encodeAsdu(asdu(113, 1, 8, [{ ioa: 0, qpa: 3 }]));
    const [dcon] = await send(c, deact);
    expect(dcon![2]).toBe(9);
    const zero = encodeAsdu(asdu(113, 1, 6, [{ ioa: 0, qpa: 0 }]));
    expect(await send(c, zero)).toEqual([mirrored(zero, 7)]);
  });
});
