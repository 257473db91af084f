/**
 * Spontaneous transmission (COT 3) with deadbands and quality changes, time tags kept, packing of
 * queued events, and the periodic (COT 1) and background (COT 2) scans on fake time, coalesced when
 * a scan is still queued.
 */
import { describe, expect, it } from "vitest";
import type { Asdu } from "../../../src/iec104/asdu/asdu.js";
import { normalizedToRaw, rawToNormalized } from "../../../src/iec104/asdu/elements.js";
import { TypeId } from "../../../src/iec104/asdu/types.js";
import { cp56ToEpochMs } from "../../../src/iec104/codec/time.js";
import type { StationDef } from "../../../src/iec104/outstation/station.js";
import { brief, connect, RawClient, SLOW_LINK, setPoint, sleep, startOutstation, until } from "./fixture.js";
import { ManualClock } from "./manual-clock.js";

function objects(asdus: Asdu[]): Record<string, unknown>[] {
  return asdus.flatMap((a) => a.objects.map((o) => ({ ...o }) as Record<string, unknown>));
}

describe("spontaneous events (COT 3)", () => {
  it("analog: a change below the deadband is not sent, at or above it is; measured from the last sent", async () => {
    const fx = await startOutstation();
    const { inbox } = await connect(fx, { waitInit: 2 });
    const mark = inbox.length;
    // IOA 42: M_ME_TF_1, deadband 1, starts at 23.5
    const sent = [24, 24.5, 25, 23.4, 23.5].map((v) => setPoint(fx, 1, 42, v));
    expect(sent).toEqual([false, true, false, true, false]);
    // IOA 41: M_ME_TE_1 (scaled), deadband 10, starts at 100
    expect([109, 110, 101, 100].map((v) => setPoint(fx, 1, 41, v))).toEqual([false, true, false, true]);
    // IOA 40: M_ME_TD_1 (normalized), deadband 0.1, starts at 0.5: 0.6 is exactly the deadband away
    expect([0.55, 0.6, 0.5].map((v) => setPoint(fx, 1, 40, v))).toEqual([false, true, true]);
    await inbox.waitCount(3, mark);
    await sleep(20);
    const got = inbox.since(mark);
    expect(got.map(brief)).toEqual(["M_ME_TF_1 3 ca=1", "M_ME_TE_1 3 ca=1", "M_ME_TD_1 3 ca=1"]);
    expect(got.map((a) => a.objects.map((o) => [o.ioa, "value" in o ? o.value : undefined]))).toEqual([
      [
        [42, 24.5],
        [42, Math.fround(23.4)],
      ],
      [
        [41, 110],
        [41, 100],
      ],
      [
        [40, rawToNormalized(normalizedToRaw(0.6))],
        [40, 0.5],
      ],
    ]);
  });

  it("analog: a quality change is always sent, whatever the deadband", async () => {
    const fx = await startOutstation();
    const { inbox } = await connect(fx, { waitInit: 2 });
    const mark = inbox.length;
    expect(setPoint(fx, 1, 42, 23.5, 0x80)).toBe(true);
    expect(setPoint(fx, 1, 42, 23.6, 0x80)).toBe(false);
    expect(setPoint(fx, 1, 42, 23.6, 0)).toBe(true);
    const st = fx.os.stationByCa(1)!;
    expect(st.setQuality(st.indexOf(42), 0x40, fx.os.now())).toBe(true);
    expect(st.setQuality(st.indexOf(42), 0x40, fx.os.now())).toBe(false);
    await inbox.waitCount(1, mark);
    await sleep(20);
    expect(objects(inbox.since(mark)).map((o) => [o.value, o.quality])).toEqual([
      [23.5, 0x80],
      [23.600000381469727, 0],
      [23.600000381469727, 0x40],
    ]);
  });

  it("digital: any change of value (or transient flag) is sent, a repeat is not", async () => {
    const fx = await startOutstation();
    const { inbox } = await connect(fx, { waitInit: 2 });
    const mark = inbox.length;
    expect(setPoint(fx, 1, 1, 0)).toBe(true);
    expect(setPoint(fx, 1, 1, 0)).toBe(false);
    expect(setPoint(fx, 1, 10, 1)).toBe(true);
    expect(setPoint(fx, 1, 20, 5, 0, 0)).toBe(true); // transient 1 -> 0
    expect(setPoint(fx, 1, 30, 0x12345678)).toBe(false);
    expect(setPoint(fx, 1, 30, 0x12345679)).toBe(true);
    expect(setPoint(fx, 1, 60, 1, 0, 120)).toBe(true); // protection events: every one is an event
    await inbox.waitCount(5, mark);
    await sleep(20);
    expect(inbox.since(mark).map(brief)).toEqual([
      "M_SP_NA_1 3 ca=1",
      "M_DP_TB_1 3 ca=1",
      "M_ST_TB_1 3 ca=1",
      "M_BO_TB_1 3 ca=1",
      "M_EP_TD_1 3 ca=1",
    ]);
    expect(inbox.since(mark)[2]!.objects[0]).toMatchObject({ ioa: 20, value: 5, transient: false });
  });

  it("keeps the configured type and its time tag (the source time given with the update)", async () => {
    const fx = await startOutstation();
    const { inbox } = await connect(fx, { waitInit: 2 });
    const mark = inbox.length;
    const t = Date.UTC(2024, 6, 1, 12, 30, 15, 250);
    setPoint(fx, 1, 3, 0, 0, 0, t);
    setPoint(fx, 1, 10, 1, 0x20, 0, t + 1);
    const got = await inbox.waitCount(2, mark);
    const [sp, dp] = got as [Asdu, Asdu];
    if (sp.typeId !== TypeId.M_SP_TB_1 || dp.typeId !== TypeId.M_DP_TB_1)
      throw new Error(got.map(brief).join());
    expect(sp).toMatchObject({ cot: 3, oa: 0, ca: 1, negative: false, test: false, sq: false });
    expect(sp.objects[0]).toMatchObject({ ioa: 3, value: false, quality: 0 });
    expect(cp56ToEpochMs(sp.objects[0]!.time)).toBe(t);
    expect(dp.objects[0]).toMatchObject({ ioa: 10, value: 1, quality: 0x20 });
    expect(cp56ToEpochMs(dp.objects[0]!.time)).toBe(t + 1);
  });

  it("packs queued events of one type and station into one ASDU, in order, without merging across", async () => {
    const fx = await startOutstation();
    const { inbox } = await connect(fx, { waitInit: 2 });
    const mark = inbox.length;
    setPoint(fx, 1, 1, 0);
    setPoint(fx, 1, 2, 1);
    setPoint(fx, 1, 1, 1);
    setPoint(fx, 1, 42, 99);
    setPoint(fx, 2, 1, 1);
    setPoint(fx, 1, 2, 0);
    await inbox.waitCount(4, mark);
    await sleep(20);
    const got = inbox.since(mark);
    expect(got.map(brief)).toEqual([
      "M_SP_NA_1 3 ca=1",
      "M_ME_TF_1 3 ca=1",
      "M_SP_NA_1 3 ca=2",
      "M_SP_NA_1 3 ca=1",
    ]);
    expect(got[0]!.objects.map((o) => [o.ioa, "value" in o ? o.value : undefined])).toEqual([
      [1, false],
      [2, true],
      [1, true],
    ]);
  });

  it("tells pointChanged of every reported change, with its cause (3, or 11 for return information)", async () => {
    const fx = await startOutstation();
    const seen: [number, number, number][] = [];
    fx.os.pointChanged = (st, index, cot) => seen.push([st.ca, st.ioas[index]!, cot]);
    const { m } = await connect(fx, { waitInit: 2 });
    setPoint(fx, 1, 1, 0);
    setPoint(fx, 1, 1, 0);
    setPoint(fx, 1, 42, 23.6);
    const r = await m.command({ ca: 1, typeId: 45, ioa: 1001, value: true });
    await r.actTerm;
    expect(seen).toEqual([
      [1, 1, 3],
      [1, 1, 11],
    ]);
  });

  it("does not report points with spontaneous: false", async () => {
    const fx = await startOutstation({
      stations: [
        {
          ca: 1,
          points: [
            { ioa: 1, typeId: 13, spontaneous: false },
            { ioa: 2, typeId: 13 },
          ],
        },
      ],
    });
    const { inbox } = await connect(fx, { waitInit: 1 });
    const mark = inbox.length;
    expect(setPoint(fx, 1, 1, 5)).toBe(false);
    expect(setPoint(fx, 1, 2, 5)).toBe(true);
    await inbox.waitCount(1, mark);
    await sleep(20);
    expect(inbox.since(mark).map((a) => a.objects[0]!.ioa)).toEqual([2]);
  });
});

describe("periodic (COT 1) and background (COT 2) scans", () => {
  const SCANNED: StationDef = {
    ca: 7,
    points: [
      { ioa: 100, typeId: 36, cyclicMs: 1000, initial: { value: 1.25 } },
      { ioa: 101, typeId: 34, cyclicMs: 1000, initial: { value: -0.5 } },
      { ioa: 102, typeId: 35, cyclicMs: 3000, initial: { value: 7 } },
      { ioa: 200, typeId: 30, backgroundMs: 5000, initial: { value: 1 } },
      { ioa: 201, typeId: 13, backgroundMs: 5000, initial: { value: 2.5 } },
    ],
  };

  it("sends the points of one interval together, in their untimed types, on fake time", async () => {
    const clock = new ManualClock();
    const fx = await startOutstation({ clock, link: SLOW_LINK, stations: [SCANNED] });
    const { inbox } = await connect(fx, { waitInit: 1 });
    const mark = inbox.length;
    clock.advance(999);
    await sleep(20);
    expect(inbox.length).toBe(mark);
    clock.advance(1);
    await inbox.waitCount(2, mark);
    await sleep(20);
    const first = inbox.since(mark);
    expect(first.map(brief)).toEqual(["M_ME_NC_1 1 ca=7", "M_ME_NA_1 1 ca=7"]);
    expect(first.map((a) => [a.oa, a.sq, a.objects])).toEqual([
      [0, false, [{ ioa: 100, value: 1.25, quality: 0 }]],
      [0, false, [{ ioa: 101, value: -0.5, quality: 0 }]],
    ]);
    const mark2 = inbox.length;
    // one interval at a time: a scan still queued when the next falls due is coalesced
    const counts = [2, 5, 7, 11];
    for (const n of counts) {
      clock.advance(1000); // 2000: the 1 s scan; 3000: with the 3 s scan; 5000: with the background scan
      await inbox.waitCount(n, mark2);
    }
    await sleep(20);
    const got = inbox.since(mark2);
    expect(
      got
        .filter((a) => a.cot === 1)
        .map(brief)
        .sort(),
    ).toEqual([...Array(4).fill(["M_ME_NC_1 1 ca=7", "M_ME_NA_1 1 ca=7"]).flat(), "M_ME_NB_1 1 ca=7"].sort());
    expect(got.filter((a) => a.cot === 2).map((a) => [a.typeId, a.objects])).toEqual([
      [1, [{ ioa: 200, value: true, quality: 0 }]],
      [13, [{ ioa: 201, value: 2.5, quality: 0 }]],
    ]);
    expect(got).toHaveLength(11);
  });

  it("coalesces a scan still queued (the window full) into one", async () => {
    const clock = new ManualClock();
    const fx = await startOutstation({
      clock,
      link: { ...SLOW_LINK, k: 1, w: 1 },
      stations: [{ ca: 7, points: SCANNED.points.slice(0, 2) }],
    });
    const c = await RawClient.connect(fx.port);
    await c.startDt();
    await c.waitAsdus(1);
    clock.advance(1000);
    clock.advance(1000);
    clock.advance(1000);
    await sleep(20);
    expect(c.asdus).toHaveLength(1);
    c.autoAck = true;
    c.write(c.sframe());
    await c.waitAsdus(3);
    await sleep(30);
    expect(c.asdus.map(brief)).toEqual(["M_EI_NA_1 4 ca=7", "M_ME_NC_1 1 ca=7", "M_ME_NA_1 1 ca=7"]);
  });

  it("sends the end of initialization before a scan that falls due right after STARTDT", async () => {
    const clock = new ManualClock();
    const fx = await startOutstation({
      clock,
      link: { ...SLOW_LINK, k: 1, w: 1 },
      stations: [SCANNED, { ca: 9, points: [{ ioa: 1, typeId: 1 }] }],
    });
    const c = await RawClient.connect(fx.port);
    await c.startDt();
    await c.waitAsdus(1); // the first M_EI; the window (k = 1) is full
    clock.advance(1000);
    c.autoAck = true;
    c.write(c.sframe());
    await c.waitAsdus(4);
    expect(c.asdus.map(brief)).toEqual([
      "M_EI_NA_1 4 ca=7",
      "M_EI_NA_1 4 ca=9",
      "M_ME_NC_1 1 ca=7",
      "M_ME_NA_1 1 ca=7",
    ]);
  });

  it("scans nothing for a master that has not started data transfer", async () => {
    const clock = new ManualClock();
    const fx = await startOutstation({ clock, link: SLOW_LINK, stations: [SCANNED] });
    const { m, inbox } = await connect(fx, { start: false });
    clock.advance(3000);
    await sleep(20);
    expect(inbox.length).toBe(0);
    await m.startDataTransfer();
    await inbox.waitCount(1);
    clock.advance(1000);
    await inbox.waitCount(3);
  });

  it("never sends COT 1 or COT 2 for types the COT table forbids (logging the points it skips)", async () => {
    const clock = new ManualClock();
    const fx = await startOutstation({
      clock,
      link: SLOW_LINK,
      stations: [
        {
          ca: 8,
          points: [
            { ioa: 1, typeId: 1, cyclicMs: 1000 },
            { ioa: 2, typeId: 31, cyclicMs: 1000, backgroundMs: 1000 },
            { ioa: 3, typeId: 15, cyclicMs: 1000, backgroundMs: 1000 },
            { ioa: 4, typeId: 37, backgroundMs: 1000 },
            { ioa: 5, typeId: 38, cyclicMs: 1000, backgroundMs: 1000 },
            { ioa: 6, typeId: 21, cyclicMs: 1000, backgroundMs: 1000 },
            { ioa: 7, typeId: 7, cyclicMs: 1000 },
          ],
        },
      ],
    });
    const { inbox } = await connect(fx, { waitInit: 1 });
    const mark = inbox.length;
    clock.advance(1000);
    await inbox.waitCount(3, mark);
    await sleep(30);
    const got = inbox.since(mark).map((a) => [a.typeId, a.cot, a.objects.map((o) => o.ioa)]);
    expect(got).toContainEqual([21, 1, [6]]);
    expect(got).toContainEqual([3, 2, [2]]);
    expect(got).toContainEqual([21, 2, [6]]);
    expect(got).toHaveLength(3);
    await until(
      () => fx.log.entries.some((l) => l.level === "warn" && /not scanned/.test(l.msg)),
      "the warning",
    );
  });
});
