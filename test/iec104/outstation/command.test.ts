/**
 * Process commands 45-51 and 58-64 over TCP: direct execute and select-before-operate, return
 * information (COT 11) before the ACT_TERM, select timeout, mismatches, deactivation, a second
 * master, time-tag windows, the command handler's refusals, failures, silence and `done`, and the
 * command events.
 */
import { describe, expect, it } from "vitest";
import type { Asdu } from "../../../src/iec104/asdu/asdu.js";
import { Cot } from "../../../src/iec104/asdu/types.js";
import { cp56FromEpochMs } from "../../../src/iec104/codec/time.js";
import {
  type CommandOptions,
  commandAsdu,
  type NegativeConfirmationError,
} from "../../../src/iec104/master/index.js";
import type {
  CommandDecision,
  CommandHandler,
  CommandRequest,
} from "../../../src/iec104/outstation/commands.js";
import type { OutstationEvent } from "../../../src/iec104/outstation/events.js";
import {
  brief,
  connect,
  type FixtureInit,
  type Peer,
  SLOW_LINK,
  sleep,
  startOutstation,
  until,
} from "./fixture.js";
import { ManualClock } from "./manual-clock.js";

const OA = 9;

async function setup(init: FixtureInit = {}) {
  const fx = await startOutstation(init);
  const peer = await connect(fx, { master: { originator: OA }, waitInit: 2 });
  return { fx, ...peer };
}

/** The cause the status point reports a command's effect with: 11 where its type takes it, else 3. */
function statusCot(statusType: string): number {
  return /^M_(SP|DP|ST)_/.test(statusType) ? Cot.RETURN_INFO_REMOTE : Cot.SPONTANEOUS;
}

/** `o` with its time tag pinned (58-64), so the sent and the expected ASDU carry the same one. */
function pin(o: CommandOptions): CommandOptions {
  return o.typeId >= 58 && o.time === undefined ? { ...o, time: cp56FromEpochMs(Date.now()) } : o;
}

/** The command ASDU the master sends for `o` (COT 6 unless told). */
function req(o: CommandOptions, cot: number = Cot.ACTIVATION): Asdu {
  return commandAsdu(o, cot, OA);
}

async function negative(p: Promise<unknown>): Promise<Asdu> {
  const e = await p.then(
    () => {
      throw new Error("expected a negative confirmation");
    },
    (err: unknown) => err as NegativeConfirmationError,
  );
  if (!("reply" in e)) throw e;
  return e.reply;
}

/** Sends `o` unmatched and returns what arrives within a short while. */
async function replies(
  peer: Peer,
  o: CommandOptions,
  n: number,
  cot: number = Cot.ACTIVATION,
): Promise<Asdu[]> {
  const mark = peer.inbox.length;
  peer.m.sendAsdu(req(o, cot));
  await peer.inbox.waitCount(n, mark);
  await sleep(30);
  return peer.inbox.since(mark);
}

/** A handler that records every request and answers with `decide`. */
function recording(
  decide: (r: CommandRequest, signal: AbortSignal) => Promise<CommandDecision> | CommandDecision,
) {
  const seen: CommandRequest[] = [];
  const handler: CommandHandler = {
    handle(r, signal) {
      seen.push(r);
      return decide(r, signal);
    },
  };
  return { seen, handler };
}

function commandEvents(events: OutstationEvent[]) {
  return events.flatMap((e) => (e.type === "command" ? [[e.phase, e.ioa, e.outcome] as const] : []));
}

describe("direct execute", () => {
  const cases: [string, CommandOptions, string, Record<string, unknown>, boolean][] = [
    [
      "C_SC_NA_1",
      { ca: 1, typeId: 45, ioa: 1001, value: false, qu: 1 },
      "M_SP_NA_1",
      { ioa: 1, value: false },
      true,
    ],
    [
      "C_RC_NA_1",
      { ca: 1, typeId: 47, ioa: 1003, value: 2 },
      "M_ST_TB_1",
      { ioa: 20, value: 6, transient: false },
      true,
    ],
    [
      "C_SE_NA_1 (no ACT_TERM)",
      { ca: 1, typeId: 48, ioa: 1005, value: 0.25, ql: 3 },
      "M_ME_TD_1",
      { ioa: 40, value: 0.25 },
      false,
    ],
    [
      "C_SE_NB_1",
      { ca: 1, typeId: 49, ioa: 1006, value: -1234 },
      "M_ME_TE_1",
      { ioa: 41, value: -1234 },
      true,
    ],
    [
      "C_SE_NC_1",
      { ca: 1, typeId: 50, ioa: 1004, value: 12.25 },
      "M_ME_TF_1",
      { ioa: 42, value: 12.25 },
      true,
    ],
    [
      "C_BO_NA_1",
      { ca: 1, typeId: 51, ioa: 1007, value: 0xdeadbeef },
      "M_BO_TB_1",
      { ioa: 30, value: 0xdeadbeef },
      true,
    ],
    [
      "C_SC_TA_1",
      { ca: 1, typeId: 58, ioa: 1001, value: false },
      "M_SP_NA_1",
      { ioa: 1, value: false },
      true,
    ],
    [
      "C_RC_TA_1",
      { ca: 1, typeId: 60, ioa: 1003, value: 1 },
      "M_ST_TB_1",
      { ioa: 20, value: 4, transient: false },
      true,
    ],
    [
      "C_SE_TA_1",
      { ca: 1, typeId: 61, ioa: 1005, value: -0.5 },
      "M_ME_TD_1",
      { ioa: 40, value: -0.5 },
      false,
    ],
    ["C_SE_TB_1", { ca: 1, typeId: 62, ioa: 1006, value: 77 }, "M_ME_TE_1", { ioa: 41, value: 77 }, true],
    ["C_SE_TC_1", { ca: 1, typeId: 63, ioa: 1004, value: -3.5 }, "M_ME_TF_1", { ioa: 42, value: -3.5 }, true],
    ["C_BO_TA_1", { ca: 1, typeId: 64, ioa: 1007, value: 5 }, "M_BO_TB_1", { ioa: 30, value: 5 }, true],
  ];

  it.each(cases)(
    "%s: ACT_CON, the status point's change (COT 11 or 3), ACT_TERM",
    async (_n, given, statusType, status, term) => {
      const o = pin(given);
      const p = await setup();
      const mark = p.inbox.length;
      const r = await p.m.command(o);
      const sent = req(o);
      expect(r.actCon).toEqual({ ...sent, cot: 7 });
      if (term) expect(await r.actTerm).toEqual({ ...sent, cot: 10 });
      await sleep(30);
      const got = p.inbox.since(mark);
      const name = brief(sent).split(" ")[0];
      expect(got.map(brief)).toEqual([
        `${name} 7 ca=1`,
        `${statusType} ${statusCot(statusType)} ca=1`,
        ...(term ? [`${name} 10 ca=1`] : []),
      ]);
      expect(got[1]!.objects).toHaveLength(1);
      expect(got[1]!.objects[0]).toMatchObject({ ...status });
      expect(commandEvents(p.fx.events)).toEqual([["execute", o.ioa, "confirmed"]]);
    },
  );

  it("sends COT 11 only for status types that take it (1, 3, 5, 30-32), COT 3 for the others", async () => {
    const types = [1, 3, 5, 30, 31, 32, 7, 33, 9, 34, 11, 35, 13, 36, 21] as const;
    const fx = await startOutstation({
      stations: [
        {
          ca: 1,
          points: types.map((t, i) => ({ ioa: 10 + i, typeId: t })),
          commands: types.map((_t, i) => ({ ioa: 100 + i, typeId: 50, statusIoa: 10 + i })),
        },
      ],
      commandHandler: { handle: () => ({ ok: true, returnInfo: { value: 1 } }) },
    });
    const hook: number[] = [];
    fx.os.pointChanged = (_st, _i, cot) => hook.push(cot);
    const p = await connect(fx, { waitInit: 1 });
    const got: [number, number][] = [];
    for (const [i] of types.entries()) {
      const mark = p.inbox.length;
      await (await p.m.command({ ca: 1, typeId: 50, ioa: 100 + i, value: 1 })).actTerm;
      const status = p.inbox.since(mark).filter((a) => a.typeId !== 50);
      expect(status).toHaveLength(1);
      got.push([status[0]!.typeId, status[0]!.cot]);
    }
    expect(got).toEqual(types.map((t) => [t, [1, 3, 5, 30, 31, 32].includes(t) ? 11 : 3]));
    // the owner (the bridge) is still told the change came from a command
    expect(hook).toEqual(types.map(() => 11));
  });

  it("a test command (T=1) is confirmed with T=1 and leaves the status point as it is", async () => {
    const p = await setup();
    const o: CommandOptions = { ca: 1, typeId: 47, ioa: 1003, value: 2 };
    const st = p.fx.os.stations[0]!;
    const before = st.value[st.indexOf(20)];
    const mark = p.inbox.length;
    p.m.sendAsdu({ ...req(o), test: true });
    await p.inbox.waitCount(2, mark);
    await sleep(30);
    expect(p.inbox.since(mark)).toEqual([
      { ...req(o), test: true, cot: 7 },
      { ...req(o), test: true, cot: 10 },
    ]);
    expect(st.value[st.indexOf(20)]).toBe(before);
  });

  it("sends no ACT_TERM when the point has actTerm false", async () => {
    const p = await setup();
    const got = await replies(p, { ca: 1, typeId: 48, ioa: 1005, value: 0.75 }, 2);
    expect(got.map(brief)).toEqual(["C_SE_NA_1 7 ca=1", "M_ME_TD_1 3 ca=1"]);
  });

  it("confirms a direct execute without a linked status point with ACT_CON and ACT_TERM only", async () => {
    const p = await setup({
      stations: [
        { ca: 1, points: [{ ioa: 1, typeId: 1 }], commands: [{ ioa: 7, typeId: 45 }] },
        { ca: 2, points: [] },
      ],
    });
    const got = await replies(p, { ca: 1, typeId: 45, ioa: 7, value: true }, 2);
    expect(got).toEqual([
      { ...req({ ca: 1, typeId: 45, ioa: 7, value: true }), cot: 7 },
      { ...req({ ca: 1, typeId: 45, ioa: 7, value: true }), cot: 10 },
    ]);
  });
});

describe("select before operate", () => {
  it("SELECT -> ACT_CON, EXECUTE -> ACT_CON, return information, ACT_TERM", async () => {
    const p = await setup();
    const o: CommandOptions = { ca: 1, typeId: 46, ioa: 1002, value: 1, qu: 2 };
    const mark = p.inbox.length;
    const r = await p.m.selectAndExecute(o);
    expect(r.selectCon).toEqual({ ...req({ ...o, select: true }), cot: 7 });
    expect(r.actCon).toEqual({ ...req(o), cot: 7 });
    expect(await r.actTerm).toEqual({ ...req(o), cot: 10 });
    await sleep(20);
    expect(p.inbox.since(mark).map(brief)).toEqual([
      "C_DC_NA_1 7 ca=1",
      "C_DC_NA_1 7 ca=1",
      "M_DP_TB_1 11 ca=1",
      "C_DC_NA_1 10 ca=1",
    ]);
    expect(p.inbox.since(mark)[2]!.objects[0]).toMatchObject({ ioa: 10, value: 1, quality: 0 });
    expect(commandEvents(p.fx.events)).toEqual([
      ["select", 1002, "confirmed"],
      ["execute", 1002, "confirmed"],
    ]);
  });

  const SBO: FixtureInit["stations"] = [
    {
      ca: 5,
      points: [30, 31, 32, 34, 35, 36].map((t, i) => ({
        ioa: 10 + i,
        typeId: t as 30 | 31 | 32 | 34 | 35 | 36,
      })),
      commands: [45, 46, 47, 48, 49, 50].map((t, i) => ({
        ioa: 100 + i,
        typeId: t,
        mode: "select" as const,
        statusIoa: 10 + i,
      })),
    },
  ];
  const sboCases: [number, number, number, string][] = [
    [45, 100, 1, "M_SP_TB_1"],
    [46, 101, 2, "M_DP_TB_1"],
    [47, 102, 2, "M_ST_TB_1"],
    [48, 103, 0.5, "M_ME_TD_1"],
    [49, 104, -7, "M_ME_TE_1"],
    [50, 105, 2.5, "M_ME_TF_1"],
  ];
  it.each(sboCases.flatMap(([t, ioa, v, st]) => [[t, ioa, v, st] as const, [t + 13, ioa, v, st] as const]))(
    "type %i: select, execute, return information, ACT_TERM",
    async (typeId, ioa, value, statusType) => {
      const fx = await startOutstation({ stations: SBO });
      const p = await connect(fx, { master: { originator: OA }, waitInit: 1 });
      const base = typeId > 51 ? typeId - 13 : typeId;
      const qualifier = base <= 47 ? { qu: 1 } : { ql: 5 };
      const o = pin({ ca: 5, typeId: typeId as CommandOptions["typeId"], ioa, value, ...qualifier });
      const mark = p.inbox.length;
      const r = await p.m.selectAndExecute(o);
      expect(r.selectCon).toEqual({ ...req({ ...o, select: true }), cot: 7 });
      expect(r.actCon).toEqual({ ...req(o), cot: 7 });
      expect(await r.actTerm).toEqual({ ...req(o), cot: 10 });
      await sleep(20);
      const name = brief(req(o)).split(" ")[0];
      expect(p.inbox.since(mark).map(brief)).toEqual([
        `${name} 7 ca=5`,
        `${name} 7 ca=5`,
        `${statusType} ${statusCot(statusType)} ca=5`,
        `${name} 10 ca=5`,
      ]);
      // without the select, the same execute is refused
      expect(await negative(p.m.command(o))).toEqual({ ...req(o), cot: 7, negative: true });
    },
  );

  it("accepts the time-tagged form for the select and the execute (C_SC_TA_1 on a select point)", async () => {
    const p = await setup();
    const r = await p.m.selectAndExecute({ ca: 1, typeId: 58, ioa: 1008, value: true });
    expect((await r.actTerm).cot).toBe(10);
  });

  it("refuses an execute after the select timed out (fake clock), accepts one just before", async () => {
    const clock = new ManualClock();
    const p = await setup({ clock, selectTimeoutMs: 5000, link: SLOW_LINK });
    const o: CommandOptions = { ca: 1, typeId: 46, ioa: 1002, value: 2 };
    await p.m.command({ ...o, select: true });
    clock.advance(4999);
    expect((await p.m.command(o)).actCon.negative).toBe(false);
    await p.m.command({ ...o, select: true });
    clock.advance(5000);
    const n = await negative(p.m.command(o));
    expect(n).toEqual({ ...req(o), cot: 7, negative: true });
  });

  it("on a point that also takes direct execute, the late execute of a lapsed select is refused once", async () => {
    const clock = new ManualClock();
    const p = await setup({ clock, selectTimeoutMs: 5000, link: SLOW_LINK });
    const o: CommandOptions = { ca: 1, typeId: 45, ioa: 1001, value: true };
    await p.m.command({ ...o, select: true });
    clock.advance(5000);
    expect(await negative(p.m.command(o))).toEqual({ ...req(o), cot: 7, negative: true });
    expect((await p.m.command(o)).actCon.negative).toBe(false);
    await p.m.command({ ...o, select: true });
    clock.advance(10_000);
    expect((await p.m.command(o)).actCon.negative).toBe(false);
  });

  it("refuses an execute that does not match the selected value or qualifier", async () => {
    const p = await setup();
    const o: CommandOptions = { ca: 1, typeId: 46, ioa: 1002, value: 2, qu: 1 };
    await p.m.command({ ...o, select: true });
    const v = await negative(p.m.command({ ...o, value: 1 }));
    expect(v).toEqual({ ...req({ ...o, value: 1 }), cot: 7, negative: true });
    await p.m.command({ ...o, select: true });
    const q = await negative(p.m.command({ ...o, qu: 2 }));
    expect(q).toEqual({ ...req({ ...o, qu: 2 }), cot: 7, negative: true });
    // the refused execute also ended the selection
    await negative(p.m.command(o));
  });

  it("refuses an execute without a select on a select-only point, and a select on a direct-only point", async () => {
    const p = await setup();
    const e = await replies(p, { ca: 1, typeId: 46, ioa: 1002, value: 2 }, 1);
    expect(e).toEqual([{ ...req({ ca: 1, typeId: 46, ioa: 1002, value: 2 }), cot: 7, negative: true }]);
    const s = await replies(p, { ca: 1, typeId: 47, ioa: 1003, value: 2, select: true }, 1);
    expect(s).toEqual([
      { ...req({ ca: 1, typeId: 47, ioa: 1003, value: 2, select: true }), cot: 7, negative: true },
    ]);
  });

  it("DEACT cancels the selection with DEACT_CON; the execute that follows is refused", async () => {
    const { seen, handler } = recording(() => ({ ok: true }));
    const p = await setup({ commandHandler: handler });
    const o: CommandOptions = { ca: 1, typeId: 46, ioa: 1002, value: 2 };
    await p.m.command({ ...o, select: true });
    const mark = p.inbox.length;
    const con = await p.m.deactivate(o);
    expect(con).toEqual({ ...req({ ...o, select: true }, Cot.DEACTIVATION), cot: 9 });
    await negative(p.m.command(o));
    await sleep(20);
    expect(p.inbox.since(mark).map(brief)).toEqual(["C_DC_NA_1 9 ca=1", "C_DC_NA_1 7- ca=1"]);
    await until(() => seen.length === 2, "the cancel at the handler");
    expect(seen.map((r) => r.phase)).toEqual(["select", "cancel"]);
    expect(commandEvents(p.fx.events)).toEqual([
      ["select", 1002, "confirmed"],
      ["cancel", 1002, "confirmed"],
    ]);
  });

  it("DEACT with nothing selected gets a negative DEACT_CON", async () => {
    const p = await setup();
    const o: CommandOptions = { ca: 1, typeId: 46, ioa: 1002, value: 2, select: true };
    const got = await replies(p, o, 1, Cot.DEACTIVATION);
    expect(got).toEqual([{ ...req(o, Cot.DEACTIVATION), cot: 9, negative: true }]);
  });

  it("a second master can neither execute nor take over another master's selection", async () => {
    const fx = await startOutstation();
    const a = await connect(fx, { master: { originator: OA }, waitInit: 2 });
    const b = await connect(fx, { master: { originator: OA }, waitInit: 2 });
    const o: CommandOptions = { ca: 1, typeId: 45, ioa: 1001, value: true };
    await a.m.command({ ...o, select: true });
    expect(await negative(b.m.command(o))).toMatchObject({ cot: 7, negative: true });
    expect(await negative(b.m.command({ ...o, select: true }))).toMatchObject({ cot: 7, negative: true });
    expect(await negative(b.m.deactivate(o))).toMatchObject({ cot: 9, negative: true });
    const r = await a.m.command(o);
    expect((await r.actTerm).cot).toBe(10);
  });

  it("drops the selection of a master whose connection closes", async () => {
    const fx = await startOutstation();
    const a = await connect(fx, { waitInit: 2 });
    const b = await connect(fx, { waitInit: 2 });
    const o: CommandOptions = { ca: 1, typeId: 46, ioa: 1002, value: 1 };
    await a.m.command({ ...o, select: true });
    await a.m.close();
    await until(() => fx.os.connections.size === 1, "the close");
    expect(fx.os.selections.get(1, 1002)).toBeUndefined();
    const r = await b.m.selectAndExecute(o);
    expect((await r.actTerm).cot).toBe(10);
  });
});

describe("time-tagged commands", () => {
  it("refuses a time tag outside maxCommandAgeMs or invalid, without asking the handler", async () => {
    const { seen, handler } = recording(() => ({ ok: true }));
    const p = await setup({ commandHandler: handler, maxCommandAgeMs: 10_000 });
    const now = Date.now();
    const times = [
      cp56FromEpochMs(now - 60_000),
      cp56FromEpochMs(now + 60_000),
      cp56FromEpochMs(now, { invalid: true }),
      { ...cp56FromEpochMs(now), month: 2, day: 30 },
    ];
    for (const time of times) {
      const o: CommandOptions = { ca: 1, typeId: 58, ioa: 1001, value: true, time };
      const got = await replies(p, o, 1);
      expect(got).toEqual([{ ...req(o), cot: 7, negative: true }]);
    }
    expect(seen).toEqual([]);
    const ok = await p.m.command({ ca: 1, typeId: 58, ioa: 1001, value: true, time: new Date(now - 2000) });
    expect(ok.actCon.negative).toBe(false);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ phase: "execute", typeId: 58, baseTypeId: 45, originator: OA });
  });

  it("judges the time tag against the synchronised clock", async () => {
    const p = await setup({ maxCommandAgeMs: 10_000 });
    const far = Date.UTC(2033, 0, 1);
    await p.m.clockSync(1, new Date(far));
    await negative(p.m.command({ ca: 1, typeId: 58, ioa: 1001, value: true, time: new Date() }));
    const r = await p.m.command({ ca: 1, typeId: 58, ioa: 1001, value: true, time: new Date(far + 1000) });
    expect((await r.actTerm).cot).toBe(10);
  });
});

describe("the command handler", () => {
  it("a refusal gives a negative ACT_CON and no return information", async () => {
    const { handler } = recording(() => ({ ok: false, reason: "interlocked" }));
    const p = await setup({ commandHandler: handler });
    const o: CommandOptions = { ca: 1, typeId: 45, ioa: 1001, value: false };
    const got = await replies(p, o, 1);
    expect(got).toEqual([{ ...req(o), cot: 7, negative: true }]);
    expect(p.fx.events).toContainEqual(
      expect.objectContaining({
        type: "command",
        phase: "execute",
        outcome: "refused",
        reason: "interlocked",
      }),
    );
    expect(p.fx.os.stats.commands.refused).toBe(1);
  });

  it("a handler that throws (or rejects) gives a negative ACT_CON", async () => {
    const thrower = await setup({
      commandHandler: {
        handle() {
          throw new Error("boom");
        },
      },
    });
    const o: CommandOptions = { ca: 1, typeId: 50, ioa: 1004, value: 1 };
    expect(await replies(thrower, o, 1)).toEqual([{ ...req(o), cot: 7, negative: true }]);
    expect(thrower.fx.events).toContainEqual(
      expect.objectContaining({
        type: "command",
        outcome: "refused",
        reason: "command handler failed: boom",
      }),
    );
    const rejecter = await setup({ commandHandler: { handle: () => Promise.reject(new Error("nope")) } });
    expect(await replies(rejecter, o, 1)).toEqual([{ ...req(o), cot: 7, negative: true }]);
  });

  it("a handler that never answers: negative ACT_CON after commandTimeoutMs (fake clock), signal aborted", async () => {
    const clock = new ManualClock();
    const signals: AbortSignal[] = [];
    const p = await setup({
      clock,
      link: SLOW_LINK,
      commandTimeoutMs: 3000,
      commandHandler: {
        handle(_r, signal) {
          signals.push(signal);
          return new Promise<CommandDecision>(() => {});
        },
      },
    });
    const o: CommandOptions = { ca: 1, typeId: 45, ioa: 1001, value: true };
    const mark = p.inbox.length;
    p.m.sendAsdu(req(o));
    await until(() => signals.length === 1, "the handler");
    clock.advance(2999);
    await sleep(20);
    expect(p.inbox.length).toBe(mark);
    clock.advance(1);
    const n = await p.inbox.waitFor(() => true, mark);
    expect(n).toEqual({ ...req(o), cot: 7, negative: true });
    expect(signals[0]!.aborted).toBe(true);
    expect(p.fx.events).toContainEqual(expect.objectContaining({ type: "command", outcome: "timeout" }));
    expect(p.fx.os.stats.commands.timeout).toBe(1);
    // the point is free again
    expect(p.fx.os.selections.isBusy(1, 1001)).toBe(false);
  });

  it("a short real command timeout works the same way", async () => {
    const p = await setup({
      commandTimeoutMs: 50,
      commandHandler: { handle: () => new Promise<CommandDecision>(() => {}) },
    });
    const o: CommandOptions = { ca: 1, typeId: 46, ioa: 1002, value: 1, select: true };
    expect(await negative(p.m.command(o))).toEqual({ ...req(o), cot: 7, negative: true });
  });

  it("`done` holds the return information and the ACT_TERM until the operation has finished", async () => {
    let finish: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const { handler } = recording((r) => ({ ok: true, returnInfo: { value: r.value }, done }));
    const p = await setup({ commandHandler: handler });
    const o: CommandOptions = { ca: 1, typeId: 45, ioa: 1001, value: false };
    const mark = p.inbox.length;
    const r = await p.m.command(o);
    await sleep(40);
    expect(p.inbox.since(mark).map(brief)).toEqual(["C_SC_NA_1 7 ca=1"]);
    finish();
    expect((await r.actTerm).cot).toBe(10);
    expect(p.inbox.since(mark).map(brief)).toEqual([
      "C_SC_NA_1 7 ca=1",
      "M_SP_NA_1 11 ca=1",
      "C_SC_NA_1 10 ca=1",
    ]);
    expect(r.actCon).toEqual({ ...req(o), cot: 7 });
  });

  it("`done` that fails or outlasts the command timeout: no ACT_TERM", async () => {
    const p = await setup({
      commandTimeoutMs: 60,
      commandHandler: {
        handle: (r) => ({
          ok: true,
          done: r.ioa === 1004 ? Promise.reject(new Error("x")) : new Promise(() => {}),
        }),
      },
    });
    for (const o of [
      { ca: 1, typeId: 50, ioa: 1004, value: 1 },
      { ca: 1, typeId: 49, ioa: 1006, value: 1 },
    ] satisfies CommandOptions[]) {
      const mark = p.inbox.length;
      await p.m.command(o);
      await sleep(120);
      expect(p.inbox.since(mark).map((a) => a.cot)).toEqual([7]);
    }
  });

  it("tells the handler the request: phase, value, qualifier, time, originator and the status point", async () => {
    const { seen, handler } = recording(() => ({ ok: true }));
    const p = await setup({ commandHandler: handler });
    const t = Date.now();
    await p.m.command({ ca: 1, typeId: 59, ioa: 1002, value: 2, qu: 3, select: true, time: new Date(t) });
    expect(seen[0]).toMatchObject({
      phase: "select",
      ca: 1,
      ioa: 1002,
      typeId: 59,
      baseTypeId: 46,
      value: 2,
      qualifier: 3,
      time: t,
      originator: OA,
      test: false,
      status: { ioa: 10, typeId: 31, value: 2, quality: 0 },
    });
  });
});

describe("refused commands", () => {
  it("DCS and RCS 0 and 3 are not commands: negative ACT_CON", async () => {
    const p = await setup();
    for (const given of [
      { ca: 1, typeId: 46, ioa: 1002, value: 0, select: true },
      { ca: 1, typeId: 46, ioa: 1002, value: 3, select: true },
      { ca: 1, typeId: 47, ioa: 1003, value: 0 },
      { ca: 1, typeId: 60, ioa: 1003, value: 3 },
    ] satisfies CommandOptions[]) {
      const o = pin(given);
      expect(await replies(p, o, 1)).toEqual([{ ...req(o), cot: 7, negative: true }]);
    }
  });

  it("an unknown IOA, a monitoring point and a command of the wrong type get COT 47", async () => {
    const p = await setup();
    for (const given of [
      { ca: 1, typeId: 45, ioa: 4242, value: true },
      { ca: 1, typeId: 45, ioa: 1, value: true },
      { ca: 1, typeId: 46, ioa: 1001, value: 2 },
      { ca: 1, typeId: 50, ioa: 1006, value: 1 },
      { ca: 1, typeId: 64, ioa: 1001, value: 1 },
    ] satisfies CommandOptions[]) {
      const o = pin(given);
      expect(await replies(p, o, 1)).toEqual([{ ...req(o), cot: 47, negative: true }]);
    }
  });

  it("a command to the broadcast address or an unknown CA gets COT 46, COT 5 gets COT 45", async () => {
    const p = await setup();
    const o: CommandOptions = { ca: 0xffff, typeId: 45, ioa: 1001, value: true };
    expect(await replies(p, o, 1)).toEqual([{ ...req(o), cot: 46, negative: true }]);
    const u: CommandOptions = { ca: 3, typeId: 45, ioa: 1001, value: true };
    expect(await replies(p, u, 1)).toEqual([{ ...req(u), cot: 46, negative: true }]);
    const c: CommandOptions = { ca: 1, typeId: 45, ioa: 1001, value: true };
    expect(await replies(p, c, 1, Cot.REQUEST)).toEqual([
      { ...req(c, Cot.REQUEST), cot: 45, negative: true },
    ]);
    const bo: CommandOptions = { ca: 1, typeId: 51, ioa: 1007, value: 1 };
    expect(await replies(p, bo, 1, Cot.DEACTIVATION)).toEqual([
      { ...req(bo, Cot.DEACTIVATION), cot: 45, negative: true },
    ]);
  });
});
