/**
 * Process commands 45-51 and their time-tagged forms 58-64 (IEC 101 7.4.4, 104 clause 8):
 * - the IOA must be a command point of this type (else COT 47: unknown, or monitoring-only);
 * - DCS/RCS 0 and 3 are not commands; a time-tagged command with an invalid time, or one further
 *   from our clock than `maxCommandAgeMs`, is refused and never executed;
 * - SELECT (S/E=1) -> handler -> ACT_CON +/-; the selection then lapses after `selectTimeoutMs`;
 * - EXECUTE (S/E=0) must match the selection of this connection (type, value, qualifier), or be a
 *   direct execute where the point allows one -> handler -> ACT_CON +/- -> (operation done) ->
 *   return information on the linked status point (COT 11; the masters get COT 3 for the types that
 *   take no COT 11, see Outstation) -> ACT_TERM;
 * - DEACT (COT 8) cancels this connection's selection -> DEACT_CON (negative when none).
 * The handler answers within `commandTimeoutMs` or the ACT_CON is negative.
 */
import { randomBytes } from "node:crypto";
import type { Asdu } from "../../asdu/asdu.js";
import { elementSpec } from "../../asdu/elements.js";
import { Cot, TypeId, typeName } from "../../asdu/types.js";
import { cp56ToEpochMs } from "../../codec/time.js";
import type { CommandDecision, CommandPhase, CommandRequest } from "../commands.js";
import type { MasterConnection } from "../connection.js";
import { mirror } from "../replies.js";
import type { Outstation } from "../server.js";
import type { CommandPoint, Station } from "../station.js";

interface Parsed {
  value: number;
  qualifier: number;
  select: boolean;
  time: number | undefined;
}

let nextCommandId = 1;

/**
 * A random prefix of this process's command ids: the counters restart with every process, and an
 * executor's late or re-delivered result for a command of an earlier run must not match a new one.
 */
const RUN = randomBytes(3).toString("hex");

export function handleCommand(os: Outstation, conn: MasterConnection, raw: Buffer, asdu: Asdu): void {
  const spec = elementSpec(asdu.typeId);
  const base = spec.untimed;
  const station = os.stationByCa(asdu.ca)!;
  const ioa = asdu.objects[0]!.ioa;
  const point = station.commands.get(ioa);
  if (point === undefined) {
    const why =
      station.indexOf(ioa) >= 0
        ? `IOA ${ioa} is a monitoring-only point`
        : `IOA ${ioa} is not a command point`;
    os.negative(conn, raw, Cot.UNKNOWN_IOA, why);
    return;
  }
  if (point.typeId !== base) {
    os.negative(
      conn,
      raw,
      Cot.UNKNOWN_IOA,
      `IOA ${ioa} takes ${typeName(point.typeId)}, not ${typeName(asdu.typeId)}`,
    );
    return;
  }
  const parsed = parse(asdu, os);
  if (typeof parsed === "string") {
    os.negative(conn, raw, asdu.cot === Cot.DEACTIVATION ? Cot.DEACTIVATION_CON : Cot.ACTIVATION_CON, parsed);
    return;
  }
  const req = request(conn, asdu, station, point, parsed);
  if (asdu.cot === Cot.DEACTIVATION) cancel(os, conn, raw, req);
  else if (parsed.select) void select(os, conn, raw, req, point);
  else void execute(os, conn, raw, req, point, station);
}

function parse(asdu: Asdu, os: Outstation): Parsed | string {
  const o = asdu.objects[0] as unknown as Record<string, unknown>;
  const base = elementSpec(asdu.typeId).untimed;
  let value: number;
  let qualifier = 0;
  let select = false;
  if (base === TypeId.C_SC_NA_1) {
    value = o.value ? 1 : 0;
  } else {
    value = o.value as number;
  }
  if (typeof o.qu === "number") qualifier = o.qu;
  if (typeof o.ql === "number") qualifier = o.ql;
  if (typeof o.select === "boolean") select = o.select;
  if ((base === TypeId.C_DC_NA_1 || base === TypeId.C_RC_NA_1) && (value === 0 || value === 3)) {
    return `${base === TypeId.C_DC_NA_1 ? "DCS" : "RCS"} ${value} is not a valid state (1 or 2)`;
  }
  let time: number | undefined;
  const t = o.time as Parameters<typeof cp56ToEpochMs>[0] | undefined;
  if (t !== undefined) {
    const offsetMin = os.options.timeZone === "local" ? -new Date().getTimezoneOffset() : 0;
    time = cp56ToEpochMs(t, offsetMin);
    if (t.invalid || Number.isNaN(time)) return "the command's time tag is invalid";
    const maxAge = os.options.maxCommandAgeMs;
    const age = os.now() - time;
    if (maxAge > 0 && Math.abs(age) > maxAge) {
      return `the command's time tag is ${Math.round(age)} ms from our clock (allowed ${maxAge} ms)`;
    }
  }
  return { value, qualifier, select, time };
}

function request(
  conn: MasterConnection,
  asdu: Asdu,
  station: Station,
  point: CommandPoint,
  p: Parsed,
): Omit<CommandRequest, "phase"> {
  const si = point.statusIndex;
  return {
    id: `${RUN}-${conn.id}-${nextCommandId++}`,
    ca: asdu.ca,
    ioa: point.ioa,
    typeId: asdu.typeId,
    baseTypeId: point.typeId,
    name: point.name,
    value: p.value,
    qualifier: p.qualifier,
    time: p.time,
    originator: asdu.oa,
    test: asdu.test,
    connection: { id: conn.id, remote: conn.remote },
    status:
      si >= 0
        ? {
            ioa: station.ioas[si]!,
            typeId: station.typeIds[si]!,
            value: station.value[si]!,
            aux: station.aux[si]!,
            quality: station.quality[si]!,
          }
        : undefined,
  };
}

async function decide(os: Outstation, req: CommandRequest): Promise<CommandDecision & { timeout?: boolean }> {
  const { clock, commandTimeoutMs, commandHandler } = os.options;
  const ac = new AbortController();
  let timer: ReturnType<typeof clock.setTimer> | undefined;
  const timeout = new Promise<CommandDecision & { timeout: boolean }>((resolve) => {
    timer = clock.setTimer(() => {
      ac.abort();
      resolve({ ok: false, reason: `no answer within ${commandTimeoutMs} ms`, timeout: true });
    }, commandTimeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(() => commandHandler.handle(req, ac.signal)), timeout]);
  } catch (e) {
    return { ok: false, reason: `command handler failed: ${(e as Error).message}` };
  } finally {
    if (timer !== undefined) clock.clearTimer(timer);
  }
}

function report(
  os: Outstation,
  conn: MasterConnection,
  req: Omit<CommandRequest, "phase">,
  phase: CommandPhase,
  d: CommandDecision & { timeout?: boolean },
): void {
  const outcome = d.ok ? "confirmed" : d.timeout ? "timeout" : "refused";
  os.stats.commands[outcome]++;
  const log = d.ok ? conn.log.info.bind(conn.log) : conn.log.warn.bind(conn.log);
  log(
    {
      id: req.id,
      ca: req.ca,
      ioa: req.ioa,
      typeId: req.typeId,
      value: req.value,
      phase,
      outcome,
      reason: d.reason,
    },
    `${phase} ${typeName(req.typeId)} IOA ${req.ioa}: ${outcome}${d.reason ? ` (${d.reason})` : ""}`,
  );
  os.emitEvent({
    type: "command",
    conn: conn.id,
    remote: conn.remote,
    id: req.id,
    phase,
    ca: req.ca,
    ioa: req.ioa,
    typeId: req.typeId,
    value: req.value,
    outcome,
    reason: d.reason,
  });
}

async function select(
  os: Outstation,
  conn: MasterConnection,
  raw: Buffer,
  req: Omit<CommandRequest, "phase">,
  point: CommandPoint,
): Promise<void> {
  const { selections } = os;
  if (point.mode === "direct")
    return void os.negative(conn, raw, Cot.ACTIVATION_CON, `IOA ${req.ioa} takes direct execute only`);
  if (selections.isBusy(req.ca, req.ioa)) {
    return void os.negative(conn, raw, Cot.ACTIVATION_CON, `a command on IOA ${req.ioa} is in progress`);
  }
  const held = selections.get(req.ca, req.ioa);
  if (held !== undefined && held.connId !== conn.id) {
    return void os.negative(conn, raw, Cot.ACTIVATION_CON, `IOA ${req.ioa} is selected by another master`);
  }
  selections.setBusy(req.ca, req.ioa, true);
  const d = await decide(os, { ...req, phase: "select" });
  selections.setBusy(req.ca, req.ioa, false);
  report(os, conn, req, "select", d);
  if (!d.ok) return void os.negative(conn, raw, Cot.ACTIVATION_CON, d.reason ?? "select refused");
  if (!conn.isOpen) return;
  selections.select(
    {
      connId: conn.id,
      ca: req.ca,
      ioa: req.ioa,
      baseTypeId: req.baseTypeId,
      value: req.value,
      qualifier: req.qualifier,
    },
    os.options.selectTimeoutMs,
    () =>
      conn.log.info(
        { ca: req.ca, ioa: req.ioa },
        `selection of IOA ${req.ioa} lapsed after ${os.options.selectTimeoutMs} ms`,
      ),
  );
  conn.reply(mirror(raw, { cot: Cot.ACTIVATION_CON }));
}

async function execute(
  os: Outstation,
  conn: MasterConnection,
  raw: Buffer,
  req: Omit<CommandRequest, "phase">,
  point: CommandPoint,
  station: Station,
): Promise<void> {
  const { selections } = os;
  const held = selections.get(req.ca, req.ioa);
  if (held !== undefined) {
    if (held.connId !== conn.id) {
      return void os.negative(conn, raw, Cot.ACTIVATION_CON, `IOA ${req.ioa} is selected by another master`);
    }
    selections.take(req.ca, req.ioa);
    if (held.baseTypeId !== req.baseTypeId || held.value !== req.value || held.qualifier !== req.qualifier) {
      const why = `execute (value ${req.value}, qualifier ${req.qualifier}) does not match the selection (value ${held.value}, qualifier ${held.qualifier})`;
      return void os.negative(conn, raw, Cot.ACTIVATION_CON, why);
    }
  } else if (selections.takeLapsed(req.ca, req.ioa, conn.id, os.options.selectTimeoutMs)) {
    return void os.negative(
      conn,
      raw,
      Cot.ACTIVATION_CON,
      `execute after the selection of IOA ${req.ioa} lapsed (${os.options.selectTimeoutMs} ms)`,
    );
  } else if (point.mode === "select") {
    return void os.negative(
      conn,
      raw,
      Cot.ACTIVATION_CON,
      `execute without a valid select on IOA ${req.ioa} (select-before-operate)`,
    );
  }
  if (selections.isBusy(req.ca, req.ioa)) {
    return void os.negative(conn, raw, Cot.ACTIVATION_CON, `a command on IOA ${req.ioa} is in progress`);
  }
  selections.setBusy(req.ca, req.ioa, true);
  try {
    const d = await decide(os, { ...req, phase: "execute" });
    report(os, conn, req, "execute", d);
    if (!d.ok) return void os.negative(conn, raw, Cot.ACTIVATION_CON, d.reason ?? "execute refused");
    conn.reply(mirror(raw, { cot: Cot.ACTIVATION_CON }));
    if (d.done !== undefined && !(await settled(os, d.done))) {
      conn.log.warn({ id: req.id, ioa: req.ioa }, "operation did not complete: no ACT_TERM");
      return;
    }
    if (d.returnInfo !== undefined && point.statusIndex >= 0) {
      const r = d.returnInfo;
      station.update(
        point.statusIndex,
        r.value,
        r.quality ?? 0,
        os.now(),
        r.aux ?? 0,
        Cot.RETURN_INFO_REMOTE,
      );
    }
    if (point.actTerm)
      conn.reply(mirror(raw, { cot: Cot.ACTIVATION_TERMINATION }), conn.group?.queue.tail ?? 0);
  } finally {
    selections.setBusy(req.ca, req.ioa, false);
  }
}

/** Waits for an operation to finish, at most the command timeout; false when it failed or timed out. */
async function settled(os: Outstation, done: Promise<void>): Promise<boolean> {
  const { clock, commandTimeoutMs } = os.options;
  let timer: ReturnType<typeof clock.setTimer> | undefined;
  try {
    return await Promise.race([
      done.then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => {
        timer = clock.setTimer(() => resolve(false), commandTimeoutMs);
      }),
    ]);
  } finally {
    if (timer !== undefined) clock.clearTimer(timer);
  }
}

function cancel(
  os: Outstation,
  conn: MasterConnection,
  raw: Buffer,
  req: Omit<CommandRequest, "phase">,
): void {
  const held = os.selections.get(req.ca, req.ioa);
  if (held === undefined || held.connId !== conn.id) {
    os.negative(conn, raw, Cot.DEACTIVATION_CON, `nothing selected on IOA ${req.ioa} to deactivate`);
    return;
  }
  os.selections.take(req.ca, req.ioa);
  conn.reply(mirror(raw, { cot: Cot.DEACTIVATION_CON }));
  report(os, conn, req, "cancel", { ok: true });
  Promise.resolve()
    .then(() => os.options.commandHandler.handle({ ...req, phase: "cancel" }, new AbortController().signal))
    .catch((e: unknown) => conn.log.warn({ err: (e as Error).message }, "command handler failed on cancel"));
}
