/**
 * The system commands over TCP: read (C_RD_NA_1), clock synchronisation (C_CS_NA_1), test command
 * (C_TS_TA_1; 104 and 106 are not IEC 104), reset process (C_RP_NA_1), and the end of
 * initialization (M_EI_NA_1) that opens every new connection.
 */
import { describe, expect, it } from "vitest";
import { type Asdu, encodeAsdu } from "../../../src/iec104/asdu/asdu.js";
import { BROADCAST_CA, Cot, TypeId } from "../../../src/iec104/asdu/types.js";
import { type Cp56Time2a, cp56FromEpochMs, cp56ToEpochMs } from "../../../src/iec104/codec/time.js";
import type { NegativeConfirmationError } from "../../../src/iec104/master/index.js";
import type { StationDef } from "../../../src/iec104/outstation/station.js";
import {
  brief,
  connect,
  type FixtureInit,
  RawClient,
  SLOW_LINK,
  setPoint,
  sleep,
  startOutstation,
  until,
} from "./fixture.js";
import { ManualClock } from "./manual-clock.js";

const OA = 5;

function neg(e: unknown): Asdu {
  return (e as NegativeConfirmationError).reply;
}

function request(typeId: number, ca: number, cot: number, object: Record<string, unknown>): Asdu {
  return { typeId, sq: false, cot, test: false, negative: false, oa: OA, ca, objects: [object] } as Asdu;
}

async function setup(init: FixtureInit = {}) {
  const fx = await startOutstation(init);
  const peer = await connect(fx, { master: { originator: OA }, waitInit: fx.os.stations.length });
  return { fx, ...peer };
}

/** Sends `asdu`, waits for the replies of type `typeId`, and checks that nothing else follows. */
async function exchange(p: Awaited<ReturnType<typeof setup>>, asdu: Asdu, replies = 1): Promise<Asdu[]> {
  const mark = p.inbox.length;
  p.m.sendAsdu(asdu);
  await p.inbox.waitCount(replies, mark);
  await sleep(25);
  const got = p.inbox.since(mark);
  expect(got).toHaveLength(replies);
  return got;
}

describe("read (C_RD_NA_1)", () => {
  it("answers with the point's value in its configured type, COT 5, and no ACT_CON", async () => {
    const p = await setup();
    const mark = p.inbox.length;
    const a = await p.m.read(1, 42);
    expect(a).toMatchObject({ typeId: TypeId.M_ME_TF_1, cot: 5, negative: false, oa: OA, ca: 1, sq: false });
    expect(a.objects).toMatchObject([{ ioa: 42, value: 23.5, quality: 0 }]);
    const sp = await p.m.read(1, 2);
    expect(sp).toMatchObject({
      typeId: TypeId.M_SP_NA_1,
      cot: 5,
      oa: OA,
      objects: [{ ioa: 2, value: false, quality: 0 }],
    });
    await sleep(20);
    expect(p.inbox.since(mark).map(brief)).toEqual(["M_ME_TF_1 5 ca=1", "M_SP_NA_1 5 ca=1"]);
    expect(p.fx.events).toContainEqual(expect.objectContaining({ type: "read", ca: 1, ioa: 42 }));
  });

  it("reads the current value and time tag after an update", async () => {
    const clock = new ManualClock(Date.UTC(2025, 5, 1, 8, 0, 0));
    const p = await setup({ clock, link: SLOW_LINK });
    clock.advance(1234);
    setPoint(p.fx, 1, 3, 0, 0x80);
    const a = await p.m.read(1, 3);
    if (a.typeId !== TypeId.M_SP_TB_1) throw new Error(brief(a));
    expect(a.objects[0]).toMatchObject({ ioa: 3, value: false, quality: 0x80 });
    expect(cp56ToEpochMs(a.objects[0]!.time)).toBe(Date.UTC(2025, 5, 1, 8, 0, 1, 234));
  });

  it("refuses an unknown IOA, a counter, a protection event and a command point with COT 47", async () => {
    const p = await setup();
    for (const ioa of [999, 50, 51, 60, 1001]) {
      const [r] = await exchange(p, request(TypeId.C_RD_NA_1, 1, Cot.REQUEST, { ioa }));
      expect(r).toEqual({ ...request(TypeId.C_RD_NA_1, 1, 47, { ioa }), negative: true });
    }
    await expect(p.m.read(1, 50)).rejects.toThrow(/negative UNKNOWN_IOA/);
  });

  it("refuses a broadcast read and an unknown CA with COT 46, a read with COT 6 with COT 45", async () => {
    const p = await setup();
    const [b] = await exchange(p, request(TypeId.C_RD_NA_1, BROADCAST_CA, Cot.REQUEST, { ioa: 1 }));
    expect(b).toEqual({ ...request(TypeId.C_RD_NA_1, BROADCAST_CA, 46, { ioa: 1 }), negative: true });
    const [u] = await exchange(p, request(TypeId.C_RD_NA_1, 77, Cot.REQUEST, { ioa: 1 }));
    expect(u).toEqual({ ...request(TypeId.C_RD_NA_1, 77, 46, { ioa: 1 }), negative: true });
    const [c] = await exchange(p, request(TypeId.C_RD_NA_1, 1, Cot.ACTIVATION, { ioa: 1 }));
    expect(c).toEqual({ ...request(TypeId.C_RD_NA_1, 1, 45, { ioa: 1 }), negative: true });
  });
});

describe("clock synchronisation (C_CS_NA_1)", () => {
  const FAR = Date.UTC(2031, 6, 14, 3, 4, 5, 678);
  const CLOCK_STATION: StationDef = {
    ca: 1,
    points: [
      { ioa: 5, typeId: 30 },
      { ioa: 6, typeId: 36 },
    ],
    commands: [{ ioa: 500, typeId: 45, statusIoa: 5 }],
  };

  it("confirms with the received time and stamps later time tags on the synchronised clock", async () => {
    const clock = new ManualClock(Date.UTC(2024, 0, 1, 0, 0, 0));
    const p = await setup({ clock, link: SLOW_LINK, stations: [CLOCK_STATION], maxCommandAgeMs: 0 });
    const mark = p.inbox.length;
    const sent = cp56FromEpochMs(FAR);
    const con = await p.m.clockSync(1, sent);
    expect(con).toMatchObject({
      typeId: 103,
      cot: 7,
      negative: false,
      oa: OA,
      ca: 1,
      objects: [{ ioa: 0, time: sent }],
    });
    expect(p.fx.os.clockOffsetMs).toBe(FAR - Date.UTC(2024, 0, 1));
    clock.advance(2000);
    // an update stamped with the outstation's time
    setPoint(p.fx, 1, 6, 42.5);
    const ev = await p.inbox.waitFor((a) => a.typeId === TypeId.M_ME_TF_1, mark);
    if (ev.typeId !== TypeId.M_ME_TF_1) throw new Error("unreachable");
    expect(ev.cot).toBe(3);
    expect(cp56ToEpochMs(ev.objects[0]!.time)).toBe(FAR + 2000);
    // return information stamped by the outstation itself
    clock.advance(500);
    await p.m.command({ ca: 1, typeId: 45, ioa: 500, value: true });
    const ri = await p.inbox.waitFor((a) => a.typeId === TypeId.M_SP_TB_1 && a.cot === 11, mark);
    if (ri.typeId !== TypeId.M_SP_TB_1) throw new Error("unreachable");
    expect(cp56ToEpochMs(ri.objects[0]!.time)).toBe(FAR + 2500);
    expect(p.fx.events).toContainEqual(
      expect.objectContaining({
        type: "clock-sync",
        ca: 1,
        applied: true,
        time: new Date(FAR).toISOString(),
      }),
    );
  });

  it("refuses an invalid time (IV set, 31 April) with a negative ACT_CON mirroring it", async () => {
    const p = await setup();
    const iv: Cp56Time2a = { ...cp56FromEpochMs(FAR), invalid: true };
    const april31: Cp56Time2a = { ...cp56FromEpochMs(Date.UTC(2024, 3, 30, 12)), day: 31 };
    for (const time of [iv, april31]) {
      const r = neg(await p.m.clockSync(1, time).catch((e: unknown) => e));
      expect(r).toEqual({ ...request(103, 1, 7, { ioa: 0, time }), negative: true });
    }
    expect(p.fx.os.clockOffsetMs).toBe(0);
  });

  it("clockSync 'reject' refuses, 'ignore' confirms without applying the time", async () => {
    const rej = await setup({ clockSync: "reject" });
    const r = neg(await rej.m.clockSync(1, new Date(FAR)).catch((e: unknown) => e));
    expect(r).toMatchObject({ typeId: 103, cot: 7, negative: true, oa: OA, ca: 1 });
    expect(rej.fx.os.clockOffsetMs).toBe(0);
    const ign = await setup({ clockSync: "ignore" });
    const c = await ign.m.clockSync(1, new Date(FAR));
    expect(c).toMatchObject({ typeId: 103, cot: 7, negative: false, ca: 1 });
    expect(ign.fx.os.clockOffsetMs).toBe(0);
    expect(ign.fx.events).toContainEqual(expect.objectContaining({ type: "clock-sync", applied: false }));
  });

  it("confirms a broadcast clock synchronisation once per station, with each station's CA", async () => {
    const p = await setup();
    const time = cp56FromEpochMs(FAR);
    const got = await exchange(p, request(103, BROADCAST_CA, Cot.ACTIVATION, { ioa: 0, time }), 2);
    expect(got).toEqual([request(103, 1, 7, { ioa: 0, time }), request(103, 2, 7, { ioa: 0, time })]);
    expect(p.fx.os.clockOffsetMs).not.toBe(0);
  });

  it("refuses IOA != 0 with COT 47 and COT 3 with COT 45", async () => {
    const p = await setup();
    const time = cp56FromEpochMs(FAR);
    const [a] = await exchange(p, request(103, 1, Cot.ACTIVATION, { ioa: 9, time }));
    expect(a).toEqual({ ...request(103, 1, 47, { ioa: 9, time }), negative: true });
    const [b] = await exchange(p, request(103, 1, Cot.SPONTANEOUS, { ioa: 0, time }));
    expect(b).toEqual({ ...request(103, 1, 45, { ioa: 0, time }), negative: true });
    expect(p.fx.os.clockOffsetMs).toBe(0);
  });

  it("sends the ACT_CON after the events already queued (their time tags predate the new time)", async () => {
    const fx = await startOutstation({ link: { k: 1, w: 1 } });
    const c = await RawClient.connect(fx.port);
    await c.startDt();
    await c.waitAsdus(1); // M_EI of CA 1; the window (k = 1) is now full
    setPoint(fx, 1, 1, 0);
    setPoint(fx, 1, 2, 1);
    const time = cp56FromEpochMs(FAR);
    c.write(c.iframe(request(103, 1, Cot.ACTIVATION, { ioa: 0, time }), 0));
    await sleep(20);
    c.autoAck = true;
    c.write(c.sframe());
    const got = await c.waitAsdus(4);
    expect(got.map(brief)).toEqual([
      "M_EI_NA_1 4 ca=1",
      "M_EI_NA_1 4 ca=2",
      "M_SP_NA_1 3 ca=1",
      "C_CS_NA_1 7 ca=1",
    ]);
    expect(got[2]!.objects).toEqual([
      { ioa: 1, value: false, quality: 0 },
      { ioa: 2, value: true, quality: 0 },
    ]);
  });
});

describe("test command", () => {
  it("echoes C_TS_TA_1 (TSC and time) as its ACT_CON", async () => {
    const p = await setup();
    const time = cp56FromEpochMs(Date.UTC(2024, 1, 29, 23, 59, 59, 999));
    const mark = p.inbox.length;
    const con = await p.m.testCommand(1, 0xbeef, time);
    expect(con).toEqual(request(107, 1, 7, { ioa: 0, tsc: 0xbeef, time }));
    await sleep(20);
    expect(p.inbox.length).toBe(mark + 1);
    expect(p.fx.events).toContainEqual(expect.objectContaining({ type: "test-command", ca: 1, tsc: 0xbeef }));
  });

  it("refuses C_TS_TA_1 broadcast (46), IOA != 0 (47) and COT 8 (45)", async () => {
    const p = await setup();
    const time = cp56FromEpochMs(Date.UTC(2024, 1, 1));
    const cases: [Asdu, number][] = [
      [request(107, BROADCAST_CA, 6, { ioa: 0, tsc: 1, time }), 46],
      [request(107, 1, 6, { ioa: 3, tsc: 1, time }), 47],
      [request(107, 1, 8, { ioa: 0, tsc: 1, time }), 45],
    ];
    for (const [req, cot] of cases) {
      const [r] = await exchange(p, req);
      expect(r).toEqual({ ...req, cot, negative: true });
    }
  });

  it("refuses C_TS_NA_1 (104) and C_CD_NA_1 (106), which IEC 104 does not use, with COT 44", async () => {
    const fx = await startOutstation();
    const c = await RawClient.connect(fx.port);
    c.autoAck = true;
    await c.startDt();
    await c.waitAsdus(2);
    const reqs = [request(104, 1, 6, { ioa: 0, fbp: 0x55aa }), request(106, 1, 6, { ioa: 0, delayMs: 100 })];
    for (const [i, req] of reqs.entries()) {
      c.write(c.iframe(encodeAsdu(req, { allowNon104: true })));
      await c.waitAsdus(3 + i);
    }
    await sleep(20);
    const got = c.asdus.slice(2);
    expect(got).toEqual(reqs.map((r) => ({ ...r, cot: 44, negative: true })));
    expect(c.closed).toBe(false);
  });
});

describe("reset process (C_RP_NA_1)", () => {
  it("QRP 1 drops the selections of the station: the execute that follows is refused", async () => {
    const p = await setup();
    const o = { ca: 1, typeId: 46, ioa: 1002, value: 2 } as const;
    expect((await p.m.command({ ...o, select: true })).actCon.negative).toBe(false);
    await p.m.resetProcess(1, 1);
    const r = await p.m.command(o).catch((e: unknown) => e);
    expect(neg(r)).toMatchObject({ typeId: 46, cot: 7, negative: true });
  });

  it("QRP 1: ACT_CON, then M_EI_NA_1 COI 2 (remote reset) for the station addressed", async () => {
    const p = await setup();
    const mark = p.inbox.length;
    const con = await p.m.resetProcess(1, 1);
    expect(con).toEqual(request(105, 1, 7, { ioa: 0, qrp: 1 }));
    await p.inbox.waitCount(2, mark);
    await sleep(25);
    const got = p.inbox.since(mark);
    expect(got).toEqual([
      request(105, 1, 7, { ioa: 0, qrp: 1 }),
      {
        typeId: 70,
        sq: false,
        cot: 4,
        test: false,
        negative: false,
        oa: 0,
        ca: 1,
        objects: [{ ioa: 0, coi: 2 }],
      },
    ]);
    expect(p.fx.events).toContainEqual(expect.objectContaining({ type: "reset-process", ca: 1, qrp: 1 }));
  });

  it("QRP 1 broadcast: an ACT_CON per station, then an end of initialization per station", async () => {
    const p = await setup();
    const got = await exchange(p, request(105, BROADCAST_CA, 6, { ioa: 0, qrp: 1 }), 4);
    expect(got.map(brief)).toEqual([
      "C_RP_NA_1 7 ca=1",
      "C_RP_NA_1 7 ca=2",
      "M_EI_NA_1 4 ca=1",
      "M_EI_NA_1 4 ca=2",
    ]);
    expect(got.slice(2).map((a) => a.objects)).toEqual([[{ ioa: 0, coi: 2 }], [{ ioa: 0, coi: 2 }]]);
  });

  it("QRP 2: ACT_CON, and the time-tagged events not yet sent are discarded", async () => {
    const fx = await startOutstation({ link: { k: 1, w: 1 } });
    const c = await RawClient.connect(fx.port);
    await c.startDt();
    await c.waitAsdus(1); // M_EI of CA 1; the window (k = 1) is now full
    setPoint(fx, 1, 3, 0); // M_SP_TB_1
    setPoint(fx, 1, 1, 0); // M_SP_NA_1
    setPoint(fx, 1, 10, 1); // M_DP_TB_1
    setPoint(fx, 1, 42, 30); // M_ME_TF_1
    setPoint(fx, 1, 70, 9); // M_ME_NC_1
    c.write(c.iframe(request(105, 1, 6, { ioa: 0, qrp: 2 }), 0));
    await sleep(20);
    c.autoAck = true;
    c.write(c.sframe());
    await c.waitAsdus(5);
    await sleep(30);
    expect(c.asdus.map(brief)).toEqual([
      "M_EI_NA_1 4 ca=1",
      "M_EI_NA_1 4 ca=2",
      "C_RP_NA_1 7 ca=1",
      "M_SP_NA_1 3 ca=1",
      "M_ME_NC_1 3 ca=1",
    ]);
    expect(c.asdus.slice(3).map((a) => a.objects[0]!.ioa)).toEqual([1, 70]);
    expect(fx.os.groupList()[0]!.queue.cleared).toBe(3);
  });

  it("refuses QRP 0 and 3 with a negative ACT_CON", async () => {
    const p = await setup();
    for (const qrp of [0, 3, 255]) {
      const r = neg(await p.m.resetProcess(1, qrp).catch((e: unknown) => e));
      expect(r).toEqual({ ...request(105, 1, 7, { ioa: 0, qrp }), negative: true });
    }
  });
});

describe("end of initialization", () => {
  it("opens every new connection: M_EI_NA_1 COI 0, COT 4, IOA 0, one per station", async () => {
    const fx = await startOutstation();
    for (let n = 0; n < 2; n++) {
      const { inbox } = await connect(fx);
      const got = await inbox.waitCount(2);
      await sleep(20);
      expect(inbox.asdus).toEqual(
        [1, 2].map((ca) => ({
          typeId: 70,
          sq: false,
          cot: 4,
          test: false,
          negative: false,
          oa: 0,
          ca,
          objects: [{ ioa: 0, coi: 0 }],
        })),
      );
      expect(got).toHaveLength(2);
    }
  });

  it("comes before the reply to a request sent in the same segment as the STARTDT act", async () => {
    const fx = await startOutstation();
    const c = await RawClient.connect(fx.port);
    c.autoAck = true;
    c.write(Buffer.concat([c.u("STARTDT_ACT"), c.iframe(request(100, 1, 6, { ioa: 0, qoi: 21 }))]));
    await c.waitAsdus(5);
    expect(c.asdus.map(brief)).toEqual([
      "M_EI_NA_1 4 ca=1",
      "M_EI_NA_1 4 ca=2",
      "C_IC_NA_1 7 ca=1",
      "M_SP_NA_1 21 ca=1",
      "C_IC_NA_1 10 ca=1",
    ]);
    await until(() => c.frames.some((f) => f.format === "U" && f.fn === "STARTDT_CON"), "STARTDT con");
  });
});
