/**
 * Interrogation (C_IC_NA_1) over TCP: station and group interrogation, untimed answer types, packing,
 * broadcast per station, negative and deactivation cases, and a 10,000-point interrogation through
 * the k/w window against the real master.
 */
import { describe, expect, it } from "vitest";
import type { Asdu } from "../../../src/iec104/asdu/asdu.js";
import { Cot, TypeId } from "../../../src/iec104/asdu/types.js";
import type { MonitorPointDef, StationDef } from "../../../src/iec104/outstation/station.js";
import { brief, connect, NO_ACK_LINK, sleep, startOutstation } from "./fixture.js";

const OA = 7;

function gi(ca: number, qoi: number, cot: number = Cot.ACTIVATION): Asdu {
  return {
    typeId: TypeId.C_IC_NA_1,
    sq: false,
    cot,
    test: false,
    negative: false,
    oa: OA,
    ca,
    objects: [{ ioa: 0, qoi }],
  };
}

/** The (ioa, value) pairs of data ASDUs. */
function values(asdus: Asdu[]): [number, unknown][] {
  return asdus.flatMap((a) =>
    a.objects.map((o) => [o.ioa, "value" in o ? o.value : undefined] as [number, unknown]),
  );
}

describe("station interrogation (QOI 20)", () => {
  it("answers ACT_CON, the points in their untimed types with COT 20 packed per type, then ACT_TERM", async () => {
    const fx = await startOutstation();
    const { m, inbox } = await connect(fx, { master: { originator: OA }, waitInit: 2 });
    const mark = inbox.length;
    const r = await m.interrogate(1, 20);
    const got = inbox.since(mark);
    expect(got.map(brief)).toEqual([
      "C_IC_NA_1 7 ca=1",
      "M_SP_NA_1 20 ca=1",
      "M_DP_NA_1 20 ca=1",
      "M_ST_NA_1 20 ca=1",
      "M_BO_NA_1 20 ca=1",
      "M_ME_NA_1 20 ca=1",
      "M_ME_NB_1 20 ca=1",
      "M_ME_NC_1 20 ca=1",
      "C_IC_NA_1 10 ca=1",
    ]);
    expect(r.data).toHaveLength(7);
    for (const a of got) {
      expect(a.oa).toBe(OA);
      expect(a.negative).toBe(false);
      expect(a.test).toBe(false);
      expect(a.sq).toBe(false);
    }
    expect(r.actCon.objects).toEqual([{ ioa: 0, qoi: 20 }]);
    expect(r.actTerm.objects).toEqual([{ ioa: 0, qoi: 20 }]);
    const [sp, dp, st, bo, nva, sva, flt] = r.data as [Asdu, Asdu, Asdu, Asdu, Asdu, Asdu, Asdu];
    expect(sp.objects).toEqual([
      { ioa: 1, value: true, quality: 0 },
      { ioa: 2, value: false, quality: 0 },
      { ioa: 3, value: true, quality: 0 },
    ]);
    expect(dp.objects).toEqual([{ ioa: 10, value: 2, quality: 0 }]);
    expect(st.objects).toEqual([{ ioa: 20, value: 5, transient: true, quality: 0 }]);
    expect(bo.objects).toEqual([{ ioa: 30, value: 0x12345678, quality: 0 }]);
    expect(nva.objects).toEqual([{ ioa: 40, value: 0.5, quality: 0 }]);
    expect(sva.objects).toEqual([{ ioa: 41, value: 100, quality: 0 }]);
    expect(flt.objects).toEqual([
      { ioa: 42, value: 23.5, quality: 0 },
      { ioa: 70, value: 1.5, quality: 0 },
    ]);
    // no counter (50, 51) and no protection event (60) in an interrogation
    expect(values(r.data).map(([ioa]) => ioa)).not.toContain(50);
    expect(values(r.data).map(([ioa]) => ioa)).not.toContain(51);
    expect(values(r.data).map(([ioa]) => ioa)).not.toContain(60);
    await sleep(30);
    expect(inbox.length).toBe(mark + 9);
    expect(fx.events).toContainEqual(expect.objectContaining({ type: "interrogation", ca: 1, qoi: 20 }));
  });

  it("maps every time-tagged type to its untimed form (30->1 ... 36->13), 15/37 and 38-40 left out", async () => {
    const timed: MonitorPointDef[] = [30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 15].map((t, i) => ({
      ioa: 100 + i,
      typeId: t as MonitorPointDef["typeId"],
    }));
    const fx = await startOutstation({ stations: [{ ca: 9, points: timed }] });
    const { m } = await connect(fx, { waitInit: 1 });
    const r = await m.interrogate(9);
    expect(r.data.map((a) => [a.typeId, a.cot, a.objects.map((o) => o.ioa)])).toEqual([
      [1, 20, [100]],
      [3, 20, [101]],
      [5, 20, [102]],
      [7, 20, [103]],
      [9, 20, [104]],
      [11, 20, [105]],
      [13, 20, [106]],
    ]);
  });

  it("packs many objects per ASDU (SQ=0) and uses SQ=1 for consecutive IOAs with sequenceInterrogation", async () => {
    const points: MonitorPointDef[] = [];
    for (let i = 0; i < 300; i++) points.push({ ioa: 1000 + i, typeId: 1, initial: { value: i % 2 } });
    const station: StationDef = { ca: 3, points };
    const plain = await startOutstation({ stations: [station] });
    const a = await connect(plain, { waitInit: 1 });
    const r1 = await a.m.interrogate(3);
    // SQ=0: 243 octets of objects / 4 per SIQ object = 60 per ASDU
    expect(r1.data.map((x) => [x.sq, x.objects.length])).toEqual([
      [false, 60],
      [false, 60],
      [false, 60],
      [false, 60],
      [false, 60],
    ]);
    const seq = await startOutstation({ stations: [station], sequenceInterrogation: true });
    const b = await connect(seq, { waitInit: 1 });
    const r2 = await b.m.interrogate(3);
    // SQ=1: at most 127 objects (the VSQ), one base IOA
    expect(r2.data.map((x) => [x.sq, x.objects.length, x.objects[0]!.ioa])).toEqual([
      [true, 127, 1000],
      [true, 127, 1127],
      [true, 46, 1254],
    ]);
    for (const run of [r1, r2]) {
      const all = values(run.data);
      expect(all).toEqual(points.map((p) => [p.ioa, p.initial!.value === 1]));
    }
  });

  it("answers SQ=0 where the IOAs are not consecutive, even with sequenceInterrogation", async () => {
    const fx = await startOutstation({
      stations: [
        {
          ca: 4,
          points: [1, 3, 5, 7].map((ioa) => ({ ioa, typeId: 13 as const, initial: { value: ioa } })),
        },
      ],
      sequenceInterrogation: true,
    });
    const { m } = await connect(fx, { waitInit: 1 });
    const r = await m.interrogate(4);
    expect(r.data.map((x) => [x.typeId, x.sq, x.objects.map((o) => o.ioa)])).toEqual([
      [13, false, [1, 3, 5, 7]],
    ]);
  });
});

describe("group interrogation (QOI 21-36)", () => {
  it("answers only the group's members, with COT = QOI", async () => {
    const fx = await startOutstation();
    const { m, inbox } = await connect(fx, { master: { originator: OA }, waitInit: 2 });
    const g1 = await m.interrogate(1, 21);
    expect(g1.actCon.cot).toBe(7);
    expect(g1.data.map((a) => [a.typeId, a.cot, a.objects.map((o) => o.ioa)])).toEqual([[1, 21, [1, 2]]]);
    expect(g1.actTerm.objects).toEqual([{ ioa: 0, qoi: 21 }]);
    const mark = inbox.length;
    const g2 = await m.interrogate(1, 22);
    expect(g2.data.map((a) => [a.typeId, a.cot, a.objects.map((o) => o.ioa)])).toEqual([
      [1, 22, [3]],
      [13, 22, [42]],
    ]);
    expect(inbox.since(mark).map(brief)).toEqual([
      "C_IC_NA_1 7 ca=1",
      "M_SP_NA_1 22 ca=1",
      "M_ME_NC_1 22 ca=1",
      "C_IC_NA_1 10 ca=1",
    ]);
  });

  it("refuses a group no point belongs to with a negative ACT_CON (and nothing else)", async () => {
    const fx = await startOutstation();
    const { m, inbox } = await connect(fx, { master: { originator: OA }, waitInit: 2 });
    const mark = inbox.length;
    for (const qoi of [23, 36]) {
      const err = await m.interrogate(1, qoi).catch((e: { reply: Asdu }) => e.reply);
      expect(err).toMatchObject({
        typeId: 100,
        cot: 7,
        negative: true,
        oa: OA,
        ca: 1,
        objects: [{ ioa: 0, qoi }],
      });
    }
    await sleep(30);
    expect(inbox.since(mark).map(brief)).toEqual(["C_IC_NA_1 7- ca=1", "C_IC_NA_1 7- ca=1"]);
  });

  it("refuses an invalid QOI with exactly one negative ACT_CON mirroring the request", async () => {
    const fx = await startOutstation();
    const { m, inbox } = await connect(fx, { master: { originator: OA }, waitInit: 2 });
    for (const qoi of [0, 19, 37, 255]) {
      const mark = inbox.length;
      m.sendAsdu(gi(1, qoi));
      const neg = await inbox.waitFor((a) => a.typeId === 100, mark);
      expect(neg).toEqual({ ...gi(1, qoi), cot: 7, negative: true });
      await sleep(20);
      expect(inbox.length).toBe(mark + 1);
    }
  });
});

describe("broadcast interrogation (CA 0xFFFF)", () => {
  it("answers each station in its own block with its own CA: ACT_CON, data, ACT_TERM", async () => {
    const fx = await startOutstation();
    const { m, inbox } = await connect(fx, { master: { originator: OA }, waitInit: 2 });
    const mark = inbox.length;
    const out = await m.interrogateAll([1, 2]);
    expect(out.get(1)?.ok).toBe(true);
    expect(out.get(2)?.ok).toBe(true);
    expect(inbox.since(mark).map(brief)).toEqual([
      "C_IC_NA_1 7 ca=1",
      "M_SP_NA_1 20 ca=1",
      "M_DP_NA_1 20 ca=1",
      "M_ST_NA_1 20 ca=1",
      "M_BO_NA_1 20 ca=1",
      "M_ME_NA_1 20 ca=1",
      "M_ME_NB_1 20 ca=1",
      "M_ME_NC_1 20 ca=1",
      "C_IC_NA_1 10 ca=1",
      "C_IC_NA_1 7 ca=2",
      "M_SP_NA_1 20 ca=2",
      "M_ME_NB_1 20 ca=2",
      "C_IC_NA_1 10 ca=2",
    ]);
    for (const a of inbox.since(mark)) expect(a.oa).toBe(OA);
    const ca2 = inbox.since(mark).slice(10, 12);
    expect(ca2.map((a) => a.objects)).toEqual([
      [{ ioa: 1, value: false, quality: 0 }],
      [{ ioa: 2, value: -42, quality: 0x10 }],
    ]);
  });

  it("keeps the station order when one station has no member of the group", async () => {
    const fx = await startOutstation();
    const { m, inbox } = await connect(fx, { master: { originator: OA }, waitInit: 2 });
    const mark = inbox.length;
    const out = await m.interrogateAll([1, 2], 21);
    expect(out.get(1)?.ok).toBe(true);
    expect(out.get(2)?.ok).toBe(false);
    await sleep(20);
    expect(inbox.since(mark).map(brief)).toEqual([
      "C_IC_NA_1 7 ca=1",
      "M_SP_NA_1 21 ca=1",
      "C_IC_NA_1 10 ca=1",
      "C_IC_NA_1 7- ca=2",
    ]);
  });
});

describe("deactivation of an interrogation", () => {
  it("DEACT of a running interrogation: DEACT_CON, the rest of the data dropped, no ACT_TERM", async () => {
    const points: MonitorPointDef[] = [];
    for (let i = 0; i < 3000; i++) points.push({ ioa: i + 1, typeId: 1 });
    const fx = await startOutstation({ stations: [{ ca: 5, points }] });
    // the master withholds acknowledgements, so the outstation stops after k = 12 I-frames
    const { m, inbox } = await connect(fx, { master: { link: NO_ACK_LINK, originator: OA }, waitInit: 1 });
    const mark = inbox.length;
    m.sendAsdu(gi(5, 20));
    await inbox.waitCount(12, mark);
    await sleep(20);
    // the request acknowledged the M_EI: ACT_CON + 11 data frames fill k = 12
    expect(inbox.length - mark).toBe(12);
    m.sendAsdu(gi(5, 20, Cot.DEACTIVATION));
    const con = await inbox.waitFor((a) => a.typeId === 100 && a.cot === Cot.DEACTIVATION_CON, mark);
    expect(con).toEqual({ ...gi(5, 20), cot: 9 });
    await sleep(50);
    const after = inbox.since(mark);
    expect(after.map(brief).at(-1)).toBe("C_IC_NA_1 9 ca=5");
    expect(after.filter((a) => a.cot === Cot.ACTIVATION_TERMINATION)).toEqual([]);
    expect(fx.os.connections.size).toBe(1);
  });

  it("DEACT with another QOI than the running interrogation's is refused; that one goes on", async () => {
    const points: MonitorPointDef[] = [];
    for (let i = 0; i < 3000; i++) points.push({ ioa: i + 1, typeId: 1 });
    const fx = await startOutstation({ stations: [{ ca: 5, points }] });
    const { m, inbox } = await connect(fx, { master: { link: NO_ACK_LINK, originator: OA }, waitInit: 1 });
    const mark = inbox.length;
    m.sendAsdu(gi(5, 20));
    await inbox.waitCount(12, mark);
    m.sendAsdu(gi(5, 21, Cot.DEACTIVATION));
    const neg = await inbox.waitFor((a) => a.typeId === 100 && a.cot === Cot.DEACTIVATION_CON, mark);
    expect(neg).toEqual({ ...gi(5, 21), cot: 9, negative: true });
    m.sendAsdu(gi(5, 20, Cot.DEACTIVATION));
    const con = await inbox.waitFor(
      (a) => a.typeId === 100 && a.cot === Cot.DEACTIVATION_CON && !a.negative,
      mark,
    );
    expect(con).toEqual({ ...gi(5, 20), cot: 9 });
  });

  it("DEACT with no interrogation running gets a negative DEACT_CON", async () => {
    const fx = await startOutstation();
    const { m, inbox } = await connect(fx, { master: { originator: OA }, waitInit: 2 });
    const mark = inbox.length;
    m.sendAsdu(gi(1, 20, Cot.DEACTIVATION));
    const neg = await inbox.waitFor((a) => a.typeId === 100, mark);
    expect(neg).toEqual({ ...gi(1, 20), cot: 9, negative: true });
    await sleep(20);
    expect(inbox.length).toBe(mark + 1);
  });
});

describe("a large interrogation", () => {
  it("delivers 10,000 points exactly once through the k/w window", async () => {
    const points: MonitorPointDef[] = [];
    for (let i = 0; i < 5000; i++)
      points.push({ ioa: 10_000 + i, typeId: 30, initial: { value: i % 3 === 0 ? 1 : 0 } });
    for (let i = 0; i < 5000; i++) points.push({ ioa: 20_000 + i, typeId: 36, initial: { value: i / 4 } });
    const fx = await startOutstation({ stations: [{ ca: 6, points }] });
    const { m, inbox } = await connect(fx, { waitInit: 1 });
    const mark = inbox.length;
    const r = await m.interrogate(6);
    const seen = new Map<number, unknown>();
    const problems: string[] = [];
    for (const a of r.data) {
      if (a.typeId !== TypeId.M_SP_NA_1 && a.typeId !== TypeId.M_ME_NC_1) problems.push(`type ${a.typeId}`);
      if (a.cot !== 20) problems.push(`COT ${a.cot}`);
      for (const o of a.objects) {
        if (seen.has(o.ioa)) problems.push(`IOA ${o.ioa} twice`);
        seen.set(o.ioa, "value" in o ? o.value : undefined);
      }
    }
    for (const p of points) {
      const want = p.typeId === 30 ? p.initial!.value === 1 : p.initial!.value;
      if (seen.get(p.ioa) !== want) problems.push(`IOA ${p.ioa}: ${String(seen.get(p.ioa))}, want ${want}`);
    }
    expect(problems).toEqual([]);
    expect(seen.size).toBe(10_000);
    const all = inbox.since(mark);
    expect(brief(all[0]!)).toBe("C_IC_NA_1 7 ca=6");
    expect(brief(all.at(-1)!)).toBe("C_IC_NA_1 10 ca=6");
    expect(all).toHaveLength(r.data.length + 2);
    expect(fx.os.connections.size).toBe(1);
  });
});
