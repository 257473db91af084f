/** Process commands 45-51 and 58-64: direct execute, select-before-operate, deactivation, negatives. */
import { describe, expect, it } from "vitest";
import { cp56FromEpochMs, TypeId } from "../../../src/iec104/index.js";
import {
  COMMAND_TYPE_IDS,
  type CommandOptions,
  type CommandTypeId,
  NegativeConfirmationError,
  RequestTimeoutError,
} from "../../../src/iec104/master/index.js";
import { setup } from "./harness.js";

/** A valid command of each type, and the object the outstation must receive. */
function sample(typeId: CommandTypeId): { opts: CommandOptions; object: Record<string, unknown> } {
  const time = new Date("2025-01-02T03:04:05.678Z");
  const tag = typeId >= 58 ? { time: cp56FromEpochMs(time.getTime()) } : {};
  const base = { ca: 1, typeId, time };
  switch (typeId >= 58 ? typeId - 13 : typeId) {
    case 45:
      return {
        opts: { ...base, ioa: 5000, value: true, qu: 1 },
        object: { ioa: 5000, value: true, select: false, qu: 1, ...tag },
      };
    case 46:
      return {
        opts: { ...base, ioa: 5002, value: 2, qu: 3 },
        object: { ioa: 5002, value: 2, select: false, qu: 3, ...tag },
      };
    case 47:
      return {
        opts: { ...base, ioa: 5002, value: 1 },
        object: { ioa: 5002, value: 1, select: false, qu: 0, ...tag },
      };
    case 48:
      return {
        opts: { ...base, ioa: 6000, value: 0.5, ql: 3 },
        object: { ioa: 6000, value: 0.5, select: false, ql: 3, ...tag },
      };
    case 49:
      return {
        opts: { ...base, ioa: 6001, value: -1234 },
        object: { ioa: 6001, value: -1234, select: false, ql: 0, ...tag },
      };
    case 50:
      return {
        opts: { ...base, ioa: 6002, value: 2.5 },
        object: { ioa: 6002, value: 2.5, select: false, ql: 0, ...tag },
      };
    default:
      return {
        opts: { ...base, ioa: 7000, value: 0xdeadbeef },
        object: { ioa: 7000, value: 0xdeadbeef, ...tag },
      };
  }
}

describe("Master commands", () => {
  it.each(COMMAND_TYPE_IDS.map((t) => [t]))(
    "type %i: ACT_CON then ACT_TERM, object encoded as given",
    async (typeId) => {
      const { m, o } = await setup();
      const { opts, object } = sample(typeId);
      const r = await m.command(opts);
      expect(r.actCon).toMatchObject({ typeId, cot: 7, negative: false, ca: 1 });
      expect(await r.actTerm).toMatchObject({ typeId, cot: 10, negative: false });
      expect(o.received.at(-1)).toMatchObject({ typeId, cot: 6, ca: 1, oa: 0, objects: [object] });
    },
  );

  it("time-tagged commands default to the current time", async () => {
    const { m, o } = await setup();
    const before = Date.now();
    await m.command({ ca: 1, typeId: TypeId.C_SC_TA_1, ioa: 5000, value: false });
    const sent = o.received.at(-1)!;
    const t = sent.typeId === TypeId.C_SC_TA_1 ? sent.objects[0]!.time : undefined;
    expect(t?.year).toBe(new Date(before).getUTCFullYear());
    expect(t?.minute).toBeGreaterThanOrEqual(0);
  });

  it("puts the originator address in what it sends", async () => {
    const { m, o } = await setup({ master: { originator: 7 } });
    await m.command({ ca: 1, typeId: TypeId.C_SC_NA_1, ioa: 5000, value: 1 });
    expect(o.received.at(-1)?.oa).toBe(7);
  });

  it("rejects on negatives: unknown IOA (47), invalid DCS (neg ACT_CON), execute without select", async () => {
    const { m } = await setup();
    const e1 = await m
      .command({ ca: 1, typeId: TypeId.C_SC_NA_1, ioa: 1, value: true })
      .catch((e: unknown) => e);
    expect((e1 as NegativeConfirmationError).reply).toMatchObject({ cot: 47, negative: true });
    const e2 = await m
      .command({ ca: 1, typeId: TypeId.C_DC_NA_1, ioa: 5000, value: 3 })
      .catch((e: unknown) => e);
    expect((e2 as NegativeConfirmationError).reply).toMatchObject({ cot: 7, negative: true });
    await expect(
      m.command({ ca: 1, typeId: TypeId.C_SC_NA_1, ioa: 5001, value: true }),
    ).rejects.toBeInstanceOf(NegativeConfirmationError);
  });

  it("rejects bad arguments before sending anything", async () => {
    const { m, o } = await setup();
    const n = o.received.length;
    await expect(m.command({ ca: 1, typeId: 100 as CommandTypeId, ioa: 1, value: 1 })).rejects.toThrow(
      /not a command/,
    );
    await expect(m.command({ ca: 1, typeId: TypeId.C_SC_NA_1, ioa: 1, value: 2 })).rejects.toThrow(
      /0\/1 or a boolean/,
    );
    await expect(m.command({ ca: 1, typeId: TypeId.C_SE_NB_1, ioa: 1, value: 40000 })).rejects.toThrow(
      /SVA.value/,
    );
    await expect(m.command({ ca: 1, typeId: TypeId.C_DC_NA_1, ioa: 1, value: true })).rejects.toThrow(
      /not a number/,
    );
    expect(o.received.length).toBe(n);
  });

  it("select: ACT_CON only; its actTerm rejects without an unhandled rejection", async () => {
    const { m, o } = await setup();
    const r = await m.command({ ca: 1, typeId: TypeId.C_SC_NA_1, ioa: 5001, value: true, select: true });
    expect(r.actCon).toMatchObject({ cot: 7, negative: false });
    expect(o.received.at(-1)?.objects[0]).toMatchObject({ select: true });
    await expect(r.actTerm).rejects.toThrow(/select is not terminated/);
  });

  it("selectAndExecute selects, then executes", async () => {
    const { m, o } = await setup();
    const r = await m.selectAndExecute({ ca: 1, typeId: TypeId.C_SC_NA_1, ioa: 5001, value: true });
    expect(r.selectCon.objects[0]).toMatchObject({ select: true });
    expect(r.actCon.objects[0]).toMatchObject({ select: false });
    expect((await r.actTerm).cot).toBe(10);
    expect(o.received.map((a) => a.objects[0])).toMatchObject([{ select: true }, { select: false }]);
  });

  it("deactivate (COT 8) resolves with the DEACT_CON and cancels the selection", async () => {
    const { m, o } = await setup();
    const cmd = { ca: 1, typeId: TypeId.C_DC_NA_1, ioa: 5001, value: 2 } as const;
    await m.command({ ...cmd, select: true });
    const con = await m.deactivate(cmd);
    expect(con).toMatchObject({ cot: 9, negative: false });
    expect(o.received.at(-1)).toMatchObject({ cot: 8, objects: [{ select: true }] });
    await expect(m.command(cmd)).rejects.toBeInstanceOf(NegativeConfirmationError);
    await expect(m.deactivate({ ...cmd, ioa: 1 })).rejects.toThrow(/UNKNOWN_IOA/);
  });

  it("actTerm times out when the outstation never terminates (set-point without ACT_TERM)", async () => {
    const { m } = await setup({
      master: { requestTimeoutMs: 100 },
      outstation: { respond: (_req, answers) => answers.filter((a) => a.cot !== 10) },
    });
    const r = await m.command({ ca: 1, typeId: TypeId.C_SE_NC_1, ioa: 6002, value: 1.5 });
    expect(r.actCon.cot).toBe(7);
    const err = await r.actTerm.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect((err as Error).message).toBe("C_SE_NC_1 CA 1 IOA 6002: no ACTIVATION_TERMINATION within 100 ms");
  });

  it("a negative ACT_TERM rejects actTerm", async () => {
    const { m } = await setup({
      outstation: {
        respond: (_req, answers) => answers.map((a) => (a.cot === 10 ? { ...a, negative: true } : a)),
      },
    });
    const r = await m.command({ ca: 1, typeId: TypeId.C_SC_NA_1, ioa: 5000, value: true });
    await expect(r.actTerm).rejects.toBeInstanceOf(NegativeConfirmationError);
  });
});
