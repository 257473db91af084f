/** System requests of the master against the scripted outstation: GI, counters, read, clock, test, reset. */
import { describe, expect, it } from "vitest";
import { type Asdu, cp56FromEpochMs, TypeId } from "../../../src/iec104/index.js";
import { NegativeConfirmationError, RequestTimeoutError } from "../../../src/iec104/master/index.js";
import { setup } from "./harness.js";

function ioas(asdus: Asdu[]): number[] {
  return asdus.flatMap((a) => a.objects.map((o) => o.ioa)).sort((x, y) => x - y);
}

describe("Master interrogation", () => {
  it("resolves a station GI at ACT_TERM with its data (COT 20, no counters)", async () => {
    const { m } = await setup();
    const r = await m.interrogate(1);
    expect(r.actCon).toMatchObject({ typeId: TypeId.C_IC_NA_1, cot: 7, negative: false, ca: 1 });
    expect(r.actTerm).toMatchObject({ typeId: TypeId.C_IC_NA_1, cot: 10, ca: 1 });
    expect(r.data.every((a) => a.cot === 20 && a.ca === 1)).toBe(true);
    expect(ioas(r.data)).toEqual([100, 101, 200, 300]);
    const measured = r.data.find((a) => a.typeId === TypeId.M_ME_NC_1);
    expect(measured?.objects[0]).toEqual({ ioa: 300, value: 23.5, quality: 0 });
  });

  it("resolves a group interrogation with only the group's data (COT = QOI)", async () => {
    const { m } = await setup();
    const r = await m.interrogate(1, 22);
    expect(r.data.map((a) => a.cot)).toEqual([22]);
    expect(ioas(r.data)).toEqual([300]);
  });

  it("rejects with the negative reply: unknown CA (46) and unsupported QOI (neg ACT_CON)", async () => {
    const { m } = await setup();
    const unknownCa = await m.interrogate(9).catch((e: unknown) => e);
    expect(unknownCa).toBeInstanceOf(NegativeConfirmationError);
    expect((unknownCa as NegativeConfirmationError).reply).toMatchObject({ cot: 46, negative: true, ca: 9 });
    expect((unknownCa as Error).message).toContain("C_IC_NA_1 CA 9 IOA 0: negative UNKNOWN_CA");
    const badQoi = await m.interrogate(1, 50).catch((e: unknown) => e);
    expect((badQoi as NegativeConfirmationError).reply).toMatchObject({ cot: 7, negative: true });
  });

  it("collects a broadcast GI per station, each with its own CA", async () => {
    const { m } = await setup();
    const all = await m.interrogateAll([1, 2]);
    expect([...all.keys()]).toEqual([1, 2]);
    const s2 = all.get(2);
    if (!s2?.ok) throw new Error("station 2 failed");
    expect(s2.result.actCon.ca).toBe(2);
    expect(ioas(s2.result.data)).toEqual([100, 301]);
    expect(s2.result.data.every((a) => a.ca === 2)).toBe(true);
  });

  it("reports per station when a broadcast is refused by one station", async () => {
    const { m } = await setup({
      outstation: {
        respond: (_req, answers) =>
          answers
            .map((a) => (a.ca === 2 && a.cot === 7 ? { ...a, negative: true } : a))
            .filter((a) => !(a.ca === 2 && a.cot !== 7)),
      },
    });
    const all = await m.interrogateAll([1, 2]);
    expect(all.get(1)?.ok).toBe(true);
    const s2 = all.get(2);
    expect(s2?.ok).toBe(false);
    if (s2 && !s2.ok) expect(s2.error.reply).toMatchObject({ ca: 2, cot: 7, negative: true });
  });

  it("refuses a broadcast without expected stations", async () => {
    const { m } = await setup();
    await expect(m.interrogateAll([])).rejects.toThrow(RangeError);
  });

  it("times out a broadcast naming the stations that never answered", async () => {
    const { m } = await setup({ master: { requestTimeoutMs: 150 } });
    const err = await m.interrogateAll([1, 2, 3]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect((err as Error).message).toBe(
      "C_IC_NA_1 CA 65535 IOA 0: no ACTIVATION_CON from CA 3 within 150 ms",
    );
  });
});

describe("Master counter interrogation", () => {
  it("resolves with the counters of COT 37 for the general request", async () => {
    const { m } = await setup();
    const r = await m.counterInterrogate(1);
    expect(r.data).toHaveLength(1);
    expect(r.data[0]).toMatchObject({ typeId: TypeId.M_IT_NA_1, cot: 37, ca: 1 });
    expect(r.data[0]!.objects[0]).toMatchObject({ ioa: 400, value: 1234, sequence: 1 });
  });

  it("matches group counter data by COT 38-41 and collects a broadcast", async () => {
    const { m } = await setup({
      outstation: {
        points: [
          {
            ca: 1,
            typeId: 15,
            group: 2,
            object: { ioa: 9, value: 1, sequence: 0, carry: false, adjusted: false, invalid: false },
          },
        ],
      },
    });
    const r = await m.counterInterrogate(1, 2);
    expect(r.data.map((a) => a.cot)).toEqual([39]);
    const all = await m.counterInterrogateAll([1, 2]);
    expect([...all.values()].map((s) => s.ok)).toEqual([true, true]);
  });

  it("rejects on a negative ACT_CON (RQT 0)", async () => {
    const { m } = await setup();
    await expect(m.counterInterrogate(1, 0)).rejects.toBeInstanceOf(NegativeConfirmationError);
  });
});

describe("Master read", () => {
  it("resolves with the COT 5 reply in the object's own type", async () => {
    const { m } = await setup();
    const r = await m.read(2, 301);
    expect(r).toMatchObject({
      typeId: TypeId.M_ME_NB_1,
      cot: 5,
      ca: 2,
      objects: [{ ioa: 301, value: -42, quality: 0x10 }],
    });
  });

  it("rejects with the mirrored C_RD_NA_1 COT 47 for an unknown or unreadable IOA", async () => {
    const { m } = await setup();
    const err = await m.read(1, 999).catch((e: unknown) => e);
    expect((err as NegativeConfirmationError).reply).toMatchObject({
      typeId: TypeId.C_RD_NA_1,
      cot: 47,
      negative: true,
    });
    await expect(m.read(1, 400)).rejects.toBeInstanceOf(NegativeConfirmationError);
    await expect(m.read(0xffff, 100)).rejects.toThrow(/UNKNOWN_CA/);
  });
});

describe("Master clock sync, test command, reset process", () => {
  it("clockSync sends a Date as CP56 (UTC) and resolves with the ACT_CON", async () => {
    const { m, o } = await setup();
    const at = new Date("2024-03-05T06:07:08.009Z");
    const con = await m.clockSync(1, at);
    expect(con).toMatchObject({ typeId: TypeId.C_CS_NA_1, cot: 7, negative: false });
    const sent = o.received.at(-1)!;
    expect(sent).toMatchObject({ cot: 6, ca: 1, objects: [{ ioa: 0, time: cp56FromEpochMs(at.getTime()) }] });
  });

  it("clockSync takes a CP56Time2a as is", async () => {
    const { m } = await setup();
    const t = cp56FromEpochMs(Date.UTC(2030, 0, 1), { summerTime: true });
    const con = await m.clockSync(2, t);
    expect(con.typeId === TypeId.C_CS_NA_1 && con.objects[0]!.time).toEqual(t);
  });

  it("testCommand echoes the TSC in the ACT_CON", async () => {
    const { m } = await setup();
    const con = await m.testCommand(1, 0x1234);
    expect(con.typeId === TypeId.C_TS_TA_1 && con.objects[0]!.tsc).toBe(0x1234);
    await expect(m.testCommand(0xffff, 1)).rejects.toThrow(/UNKNOWN_CA/);
  });

  it("resetProcess resolves with the ACT_CON; a silent outstation times out with a clear error", async () => {
    const { m } = await setup({
      master: { requestTimeoutMs: 100 },
      outstation: { respond: (req, answers) => (req.typeId === TypeId.C_CS_NA_1 ? [] : answers) },
    });
    const con = await m.resetProcess(1, 2);
    expect(con.typeId === TypeId.C_RP_NA_1 && con.objects[0]!.qrp).toBe(2);
    const err = await m.clockSync(1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect((err as Error).message).toBe("C_CS_NA_1 CA 1 IOA 0: no ACTIVATION_CON within 100 ms");
  });
});

describe("Master with several requests outstanding", () => {
  it("routes interleaved replies of different kinds to their requests", async () => {
    const held: Asdu[] = [];
    const { m } = await setup({
      outstation: {
        // GI: ACT_CON and data now, ACT_TERM only after the next request was answered.
        respond: (req, answers) => {
          if (req.typeId === TypeId.C_IC_NA_1) {
            held.push(answers.pop()!);
            return answers;
          }
          const term = held.shift();
          return term ? [...answers, term] : answers;
        },
      },
    });
    const [gi, rd, cs, ci] = await Promise.all([
      m.interrogate(1),
      m.read(1, 100),
      m.clockSync(2),
      m.counterInterrogate(2),
    ]);
    expect(gi.actTerm.cot).toBe(10);
    expect(ioas(gi.data)).toEqual([100, 101, 200, 300]);
    expect(rd.objects[0]!.ioa).toBe(100);
    expect(cs.ca).toBe(2);
    expect(ioas(ci.data)).toEqual([401]);
  });

  it("answers requests with the same type, CA and IOA in the order sent", async () => {
    const { m } = await setup();
    const [a, b] = await Promise.all([m.interrogate(1), m.interrogate(1, 21)]);
    expect(a.data.every((x) => x.cot === 20)).toBe(true);
    expect(b.data.map((x) => x.cot)).toEqual([21]);
  });
});
