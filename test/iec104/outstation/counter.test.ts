/**
 * Counter interrogation (C_CI_NA_1) over TCP: RQT 1-4 and 5 with COT 37-41, FRZ 0-3 (read, freeze,
 * freeze and reset, reset), sequence numbers, readFrozen (default) and spontaneousAfterFreeze
 * (mode D) options, broadcast per station, and the refusals.
 */
import { describe, expect, it } from "vitest";
import type { Asdu } from "../../../src/iec104/asdu/asdu.js";
import { Cot, TypeId } from "../../../src/iec104/asdu/types.js";
import { cp56ToEpochMs } from "../../../src/iec104/codec/time.js";
import type { StationDef } from "../../../src/iec104/outstation/station.js";
import { brief, connect, type FixtureInit, setPoint, sleep, startOutstation } from "./fixture.js";
import { ManualClock } from "./manual-clock.js";

const OA = 3;

const COUNTERS: StationDef = {
  ca: 20,
  points: [
    { ioa: 1, typeId: 15, counterGroup: 1, initial: { value: 100 } },
    { ioa: 2, typeId: 15, counterGroup: 2, initial: { value: 200 } },
    { ioa: 3, typeId: 37, counterGroup: 3, initial: { value: 300 } },
    { ioa: 4, typeId: 37, counterGroup: 4, initial: { value: 400 } },
    { ioa: 10, typeId: 1, initial: { value: 1 } },
  ],
};
const OTHER: StationDef = {
  ca: 21,
  points: [{ ioa: 1, typeId: 15, counterGroup: 1, initial: { value: 11 } }],
};

const FRZ = { READ: 0x00, FREEZE: 0x40, FREEZE_RESET: 0x80, RESET: 0xc0 } as const;

async function setup(init: FixtureInit = {}) {
  const fx = await startOutstation({ stations: [COUNTERS, OTHER], ...init });
  const peer = await connect(fx, { master: { originator: OA }, waitInit: 2 });
  return { fx, ...peer };
}

/** ioa -> [value, sequence] of counter data. */
function readings(data: Asdu[]): Record<number, [number, number]> {
  const out: Record<number, [number, number]> = {};
  for (const a of data) {
    if (a.typeId !== TypeId.M_IT_NA_1 && a.typeId !== TypeId.M_IT_TB_1)
      throw new Error(`not a counter: ${brief(a)}`);
    for (const o of a.objects) out[o.ioa] = [o.value, o.sequence];
  }
  return out;
}

function ci(ca: number, qcc: number): Asdu {
  return {
    typeId: TypeId.C_CI_NA_1,
    sq: false,
    cot: Cot.ACTIVATION,
    test: false,
    negative: false,
    oa: OA,
    ca,
    objects: [{ ioa: 0, qcc }],
  };
}

describe("counter interrogation, FRZ 0 (read)", () => {
  it("general (RQT 5): ACT_CON, every counter with COT 37 in its own type, ACT_TERM", async () => {
    const { m, inbox } = await setup();
    const mark = inbox.length;
    const r = await m.counterInterrogate(20, 5);
    expect(inbox.since(mark).map(brief)).toEqual([
      "C_CI_NA_1 7 ca=20",
      "M_IT_NA_1 37 ca=20",
      "M_IT_TB_1 37 ca=20",
      "C_CI_NA_1 10 ca=20",
    ]);
    for (const a of inbox.since(mark)) expect(a.oa).toBe(OA);
    expect(r.actCon.objects).toEqual([{ ioa: 0, qcc: 5 }]);
    expect(r.actTerm.objects).toEqual([{ ioa: 0, qcc: 5 }]);
    expect(r.data[0]!.objects).toEqual([
      { ioa: 1, value: 100, sequence: 0, carry: false, adjusted: false, invalid: false },
      { ioa: 2, value: 200, sequence: 0, carry: false, adjusted: false, invalid: false },
    ]);
    expect(r.data[1]!.objects.map((o) => o.ioa)).toEqual([3, 4]);
    await sleep(20);
    expect(inbox.length).toBe(mark + 4);
  });

  it("group (RQT 1-4): only that group's counters, COT 38-41", async () => {
    const { m } = await setup();
    for (const rqt of [1, 2, 3, 4]) {
      const r = await m.counterInterrogate(20, rqt);
      expect(r.data.map((a) => [a.cot, a.objects.map((o) => o.ioa)])).toEqual([[37 + rqt, [rqt]]]);
    }
  });

  it("a group with no counter, or an RQT outside 1-5, gets exactly one negative ACT_CON", async () => {
    const { m, inbox } = await setup();
    for (const qcc of [0, 6, 63, 2 | FRZ.FREEZE]) {
      const ca = qcc === (2 | FRZ.FREEZE) ? 21 : 20;
      const mark = inbox.length;
      m.sendAsdu(ci(ca, qcc));
      const neg = await inbox.waitFor((a) => a.typeId === TypeId.C_CI_NA_1, mark);
      expect(neg).toEqual({ ...ci(ca, qcc), cot: 7, negative: true });
      await sleep(20);
      expect(inbox.length).toBe(mark + 1);
    }
  });

  it("a counter interrogation with COT 8 is refused with COT 45", async () => {
    const { m, inbox } = await setup();
    const mark = inbox.length;
    m.sendAsdu({ ...ci(20, 5), cot: Cot.DEACTIVATION });
    const neg = await inbox.waitFor((a) => a.typeId === TypeId.C_CI_NA_1, mark);
    expect(neg).toEqual({ ...ci(20, 5), cot: 45, negative: true });
  });
});

describe("freeze and reset (FRZ 1-3)", () => {
  it("FRZ 1 freezes (sequence + 1), answers ACT_CON and ACT_TERM with no data", async () => {
    const { fx, m, inbox } = await setup();
    setPoint(fx, 20, 1, 150);
    const mark = inbox.length;
    const r = await m.counterInterrogate(20, 5 | FRZ.FREEZE);
    expect(r.data).toEqual([]);
    expect(inbox.since(mark).map(brief)).toEqual(["C_CI_NA_1 7 ca=20", "C_CI_NA_1 10 ca=20"]);
    expect(readings((await m.counterInterrogate(20, 5)).data)).toEqual({
      1: [150, 1],
      2: [200, 1],
      3: [300, 1],
      4: [400, 1],
    });
    await m.counterInterrogate(20, 1 | FRZ.FREEZE);
    expect(readings((await m.counterInterrogate(20, 5)).data)).toEqual({
      1: [150, 2],
      2: [200, 1],
      3: [300, 1],
      4: [400, 1],
    });
  });

  it("FRZ 2 freezes and resets: the read gives the frozen total, the sequence goes up", async () => {
    const { fx, m } = await setup();
    setPoint(fx, 20, 1, 120);
    await m.counterInterrogate(20, 1 | FRZ.FREEZE_RESET);
    expect(readings((await m.counterInterrogate(20, 1)).data)).toEqual({ 1: [120, 1] });
    setPoint(fx, 20, 1, 150);
    expect(readings((await m.counterInterrogate(20, 1)).data)).toEqual({ 1: [120, 1] });
    await m.counterInterrogate(20, 1 | FRZ.FREEZE_RESET);
    expect(readings((await m.counterInterrogate(20, 1)).data)).toEqual({ 1: [30, 2] });
  });

  it("a counter never frozen reads its current reading; once frozen, the frozen one", async () => {
    const { fx, m } = await setup();
    setPoint(fx, 20, 1, 110);
    expect(readings((await m.counterInterrogate(20, 1)).data)).toEqual({ 1: [110, 0] });
    await m.counterInterrogate(20, 1 | FRZ.FREEZE);
    setPoint(fx, 20, 1, 140);
    expect(readings((await m.counterInterrogate(20, 1)).data)).toEqual({ 1: [110, 1] });
  });

  it("readFrozen false: FRZ 0 always reads the current readings (after FRZ 2, from zero)", async () => {
    const { fx, m } = await setup({ counters: { readFrozen: false, spontaneousAfterFreeze: false } });
    await m.counterInterrogate(20, 1 | FRZ.FREEZE_RESET);
    expect(readings((await m.counterInterrogate(20, 1)).data)).toEqual({ 1: [0, 1] });
    setPoint(fx, 20, 1, 130);
    expect(readings((await m.counterInterrogate(20, 1)).data)).toEqual({ 1: [30, 1] });
  });

  it("FRZ 3 resets without freezing (sequence unchanged)", async () => {
    const { fx, m, inbox } = await setup();
    setPoint(fx, 20, 2, 250);
    const mark = inbox.length;
    await m.counterInterrogate(20, 2 | FRZ.RESET);
    expect(inbox.since(mark).map(brief)).toEqual(["C_CI_NA_1 7 ca=20", "C_CI_NA_1 10 ca=20"]);
    expect(readings((await m.counterInterrogate(20, 2)).data)).toEqual({ 2: [0, 0] });
    setPoint(fx, 20, 2, 260);
    expect(readings((await m.counterInterrogate(20, 2)).data)).toEqual({ 2: [10, 0] });
  });

  it("sends no spontaneous counter events by default", async () => {
    const { fx, inbox } = await setup();
    const mark = inbox.length;
    setPoint(fx, 20, 1, 999);
    await sleep(30);
    expect(inbox.length).toBe(mark);
  });
});

describe("counter modes", () => {
  it("readFrozen (the default): FRZ 0 reads the readings and time of the last freeze", async () => {
    const clock = new ManualClock(Date.UTC(2024, 2, 1, 12, 0, 0));
    const { fx, m } = await setup({ clock });
    setPoint(fx, 20, 3, 350);
    clock.advance(5000);
    const frozenAt = fx.os.now();
    await m.counterInterrogate(20, 3 | FRZ.FREEZE);
    setPoint(fx, 20, 3, 380);
    clock.advance(5000);
    const r = await m.counterInterrogate(20, 3);
    expect(r.data).toHaveLength(1);
    const a = r.data[0]!;
    if (a.typeId !== TypeId.M_IT_TB_1) throw new Error(brief(a));
    expect(a.objects[0]).toMatchObject({ ioa: 3, value: 350, sequence: 1 });
    expect(cp56ToEpochMs(a.objects[0]!.time)).toBe(frozenAt);
  });

  it("spontaneousAfterFreeze (mode D): the frozen readings follow with COT 3 after ACT_TERM", async () => {
    const { fx, m, inbox } = await setup({ counters: { readFrozen: false, spontaneousAfterFreeze: true } });
    setPoint(fx, 20, 1, 101);
    const mark = inbox.length;
    await m.counterInterrogate(20, 5 | FRZ.FREEZE);
    await inbox.waitCount(4, mark);
    await sleep(20);
    const got = inbox.since(mark);
    expect(got.map(brief)).toEqual([
      "C_CI_NA_1 7 ca=20",
      "C_CI_NA_1 10 ca=20",
      "M_IT_NA_1 3 ca=20",
      "M_IT_TB_1 3 ca=20",
    ]);
    expect(readings(got.slice(2))).toEqual({ 1: [101, 1], 2: [200, 1], 3: [300, 1], 4: [400, 1] });
  });
});

describe("broadcast counter interrogation", () => {
  it("answers each station in its own block with its own CA", async () => {
    const { m, inbox } = await setup();
    const mark = inbox.length;
    const out = await m.counterInterrogateAll([20, 21], 1);
    expect([out.get(20)?.ok, out.get(21)?.ok]).toEqual([true, true]);
    expect(inbox.since(mark).map(brief)).toEqual([
      "C_CI_NA_1 7 ca=20",
      "M_IT_NA_1 38 ca=20",
      "C_CI_NA_1 10 ca=20",
      "C_CI_NA_1 7 ca=21",
      "M_IT_NA_1 38 ca=21",
      "C_CI_NA_1 10 ca=21",
    ]);
    expect(readings(inbox.since(mark).slice(4, 5))).toEqual({ 1: [11, 0] });
  });

  it("refuses a station without the group in its turn", async () => {
    const { m, inbox } = await setup();
    const mark = inbox.length;
    const out = await m.counterInterrogateAll([20, 21], 2);
    expect([out.get(20)?.ok, out.get(21)?.ok]).toEqual([true, false]);
    await sleep(20);
    expect(inbox.since(mark).map(brief)).toEqual([
      "C_CI_NA_1 7 ca=20",
      "M_IT_NA_1 39 ca=20",
      "C_CI_NA_1 10 ca=20",
      "C_CI_NA_1 7- ca=21",
    ]);
  });

  it("freezes every station on a broadcast FRZ 1", async () => {
    const { m } = await setup();
    await m.counterInterrogateAll([20, 21], 1 | FRZ.FREEZE);
    expect(readings((await m.counterInterrogate(20, 1)).data)).toEqual({ 1: [100, 1] });
    expect(readings((await m.counterInterrogate(21, 1)).data)).toEqual({ 1: [11, 1] });
  });
});
