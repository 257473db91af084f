/**
 * `client HOST PORT [options]`: an IEC 104 master on the command line. Connects, starts data transfer,
 * interrogates (broadcast by default), then shows what arrives: a live table refreshed in place on a
 * TTY, one line per object otherwise, or one JSON line per ASDU with --json. Optional one-shot
 * requests (--command, --read, --ci, --sync) run after the interrogation; with any of them and no
 * --duration the client exits when they are done, exit code 1 on a negative confirmation.
 */
import { parseArgs } from "node:util";
import type { Asdu } from "../iec104/asdu/asdu.js";
import { BROADCAST_CA, Cot, cotName, TypeId } from "../iec104/asdu/types.js";
import { cp56FromEpochMs } from "../iec104/codec/time.js";
import { asduToJson } from "../iec104/master/format.js";
import {
  COMMAND_ALIASES,
  type CommandOptions,
  type CommandResult,
  Master,
  NegativeConfirmationError,
} from "../iec104/master/index.js";
import { clock, PointTable, rowLine, rowsOf } from "../iec104/master/point-table.js";

export const CLIENT_USAGE = `usage: client HOST PORT [options]

  --ca N                 common address for every request (default: broadcast 65535 for GI, CI and
                         clock sync, 1 for --read and --command)
  --gi / --no-gi         general interrogation after STARTDT (default: on)
  --json                 one JSON line per received ASDU on stdout (messages go to stderr)
  --command TYPE:IOA:VALUE
                         send a command; TYPE is sc, dc, rc, nc (normalized set-point), bc (scaled),
                         fc (float), bo (bitstring), or a time-tagged form such as sc-t
  --select               select before operate (with --command)
  --read IOA             read one object (C_RD_NA_1)
  --ci                   counter interrogation (C_CI_NA_1)
  --sync                 clock synchronisation with the local time (C_CS_NA_1)
  --duration S           stay connected S seconds, then exit
  -h, --help             this text
`;

/** Where the client writes; `isTTY` selects the live table. */
export interface ClientOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ClientIo {
  stdout: ClientOutput;
  stderr: ClientOutput;
}

interface ClientArgs {
  host: string;
  port: number;
  ca: number | undefined;
  gi: boolean;
  json: boolean;
  command: CommandOptions | undefined;
  select: boolean;
  read: number | undefined;
  ci: boolean;
  sync: boolean;
  durationMs: number | undefined;
}

class UsageError extends Error {}

function int(text: string, what: string, min: number, max: number): number {
  const n = /^(0x[0-9a-f]+|-?\d+)$/i.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${what}: ${text} is not an integer ${min}..${max}`);
  return n;
}

function commandValue(alias: string, text: string): boolean | number {
  const base = alias.replace(/-t$/, "");
  if (base === "sc") {
    if (/^(1|on|true)$/i.test(text)) return true;
    if (/^(0|off|false)$/i.test(text)) return false;
    throw new UsageError(`--command: ${text} is not 0/1/on/off`);
  }
  if (base === "nc" || base === "fc") {
    const v = Number(text);
    if (text.trim() === "" || Number.isNaN(v)) throw new UsageError(`--command: ${text} is not a number`);
    return v;
  }
  if (base === "bc") return int(text, "--command value", -32768, 32767);
  return int(text, "--command value", 0, base === "bo" ? 0xffffffff : 3);
}

function parseCommand(spec: string, ca: number, select: boolean): CommandOptions {
  const [alias = "", ioa = "", value, ...extra] = spec.split(":");
  const typeId = COMMAND_ALIASES[alias.toLowerCase()];
  if (typeId === undefined || value === undefined || extra.length > 0) {
    throw new UsageError(
      `--command: ${spec} is not TYPE:IOA:VALUE with TYPE one of ${Object.keys(COMMAND_ALIASES).join(", ")}`,
    );
  }
  return {
    ca,
    typeId,
    ioa: int(ioa, "--command IOA", 0, 0xffffff),
    value: commandValue(alias.toLowerCase(), value),
    select,
  };
}

function parse(argv: string[]): ClientArgs | "help" {
  const { values: v, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ca: { type: "string" },
      gi: { type: "boolean" },
      "no-gi": { type: "boolean" },
      json: { type: "boolean" },
      command: { type: "string" },
      select: { type: "boolean" },
      read: { type: "string" },
      ci: { type: "boolean" },
      sync: { type: "boolean" },
      duration: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (v.help) return "help";
  if (positionals.length !== 2)
    throw new UsageError(`expected HOST and PORT, got ${positionals.length} arguments`);
  if (v.select && v.command === undefined) throw new UsageError("--select needs --command");
  const ca = v.ca === undefined ? undefined : int(v.ca, "--ca", 0, 0xffff);
  const duration = v.duration === undefined ? undefined : Number(v.duration);
  if (duration !== undefined && !(duration >= 0))
    throw new UsageError(`--duration: ${v.duration} is not a number of seconds`);
  return {
    host: positionals[0]!,
    port: int(positionals[1]!, "PORT", 1, 65535),
    ca,
    gi: v["no-gi"] ? false : (v.gi ?? true),
    json: v.json ?? false,
    command: v.command === undefined ? undefined : parseCommand(v.command, ca ?? 1, v.select ?? false),
    select: v.select ?? false,
    read: v.read === undefined ? undefined : int(v.read, "--read", 0, 0xffffff),
    ci: v.ci ?? false,
    sync: v.sync ?? false,
    durationMs: duration === undefined ? undefined : duration * 1000,
  };
}

/** Prints what arrives: JSON lines, plain lines, or the live table on a TTY. */
class View {
  private readonly table = new PointTable();
  private readonly log: string[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  private readonly io: ClientIo;
  private readonly json: boolean;

  constructor(io: ClientIo, json: boolean) {
    this.io = io;
    this.json = json;
  }

  private get live(): boolean {
    return !this.json && this.io.stdout.isTTY === true;
  }

  asdu(asdu: Asdu): void {
    if (this.json) {
      this.io.stdout.write(`${JSON.stringify(asduToJson(asdu))}\n`);
    } else if (!this.live) {
      for (const r of rowsOf(asdu, new Date())) this.io.stdout.write(`${rowLine(r)}\n`);
    } else if (!this.table.update(asdu)) {
      for (const r of rowsOf(asdu, new Date())) this.note(rowLine(r));
    } else this.schedule();
  }

  /** A message: stderr beside JSON, stdout otherwise (under the table on a TTY). */
  info(text: string): void {
    if (this.json) this.io.stderr.write(`${text}\n`);
    else if (this.live) this.note(`${clock(new Date())} ${text}`);
    else this.io.stdout.write(`${text}\n`);
  }

  private note(line: string): void {
    this.log.push(line);
    if (this.log.length > 8) this.log.shift();
    this.schedule();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), 100);
  }

  /** Draws the table once more (on a TTY) and stops refreshing. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.live) return;
    this.io.stdout.write(`\x1b[H\x1b[2J${this.table.render()}\n\n${this.log.join("\n")}\n`);
  }
}

/** `ACT_CON`, `negative ACT_CON`, `ACT_TERM`... of a reply. */
function outcome(a: Asdu): string {
  const name =
    a.cot === Cot.ACTIVATION_CON
      ? "ACT_CON"
      : a.cot === Cot.ACTIVATION_TERMINATION
        ? "ACT_TERM"
        : cotName(a.cot);
  return `${a.negative ? "negative " : ""}${name}`;
}

async function runCommand(m: Master, c: CommandOptions, view: View): Promise<boolean> {
  const what = `command ${c.typeId} CA ${c.ca} IOA ${c.ioa} value ${String(c.value)}`;
  let r: CommandResult;
  try {
    if (c.select) {
      const s = await m.selectAndExecute(c);
      view.info(`${what}: select ${outcome(s.selectCon)}`);
      r = s;
    } else r = await m.command(c);
  } catch (e) {
    view.info(`${what}: ${(e as Error).message}`);
    return false;
  }
  view.info(`${what}: ${outcome(r.actCon)}`);
  try {
    view.info(`${what}: ${outcome(await r.actTerm)}`);
  } catch (e) {
    view.info(`${what}: ${(e as Error).message}`);
    return !(e instanceof NegativeConfirmationError);
  }
  return true;
}

/** A station interrogation, counter interrogation or clock sync to the broadcast CA (sent unmatched). */
function broadcastAsdu(typeId: 100 | 101 | 103, oa: number): Asdu {
  const h = { sq: false, cot: Cot.ACTIVATION, test: false, negative: false, oa, ca: BROADCAST_CA };
  if (typeId === TypeId.C_IC_NA_1) return { ...h, typeId, objects: [{ ioa: 0, qoi: 20 }] };
  if (typeId === TypeId.C_CI_NA_1) return { ...h, typeId, objects: [{ ioa: 0, qcc: 5 }] };
  return { ...h, typeId, objects: [{ ioa: 0, time: cp56FromEpochMs(Date.now()) }] };
}

async function actions(m: Master, a: ClientArgs, view: View): Promise<boolean> {
  let ok = true;
  const step = async (label: string, run: () => Promise<string>) => {
    try {
      view.info(`${label}: ${await run()}`);
    } catch (e) {
      view.info(`${label}: ${(e as Error).message}`);
      ok = false;
    }
  };
  const broadcast = (label: string, typeId: 100 | 101 | 103) =>
    step(`${label} CA ${BROADCAST_CA}`, async () => {
      m.sendAsdu(broadcastAsdu(typeId, m.originator));
      return "sent";
    });
  if (a.gi && a.ca !== undefined) {
    await step(
      `GI CA ${a.ca}`,
      async () => `complete, ${(await m.interrogate(a.ca!)).data.length} data ASDUs`,
    );
  } else if (a.gi) await broadcast("GI", TypeId.C_IC_NA_1);
  if (a.sync && a.ca !== undefined) {
    await step(`clock sync CA ${a.ca}`, async () => outcome(await m.clockSync(a.ca!)));
  } else if (a.sync) await broadcast("clock sync", TypeId.C_CS_NA_1);
  if (a.ci && a.ca !== undefined) {
    await step(
      `CI CA ${a.ca}`,
      async () => `complete, ${(await m.counterInterrogate(a.ca!)).data.length} data ASDUs`,
    );
  } else if (a.ci) await broadcast("CI", TypeId.C_CI_NA_1);
  if (a.read !== undefined) {
    const ca = a.ca ?? 1;
    await step(`read CA ${ca} IOA ${a.read}`, async () =>
      rowsOf(await m.read(ca, a.read!), new Date())
        .map((r) => r.value)
        .join(", "),
    );
  }
  if (a.command !== undefined && !(await runCommand(m, a.command, view))) ok = false;
  return ok;
}

/** Runs `client`; resolves with the exit code (0 ok, 1 failure or negative confirmation, 2 usage). */
export async function runClient(
  argv: string[],
  io: ClientIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let a: ClientArgs | "help";
  try {
    a = parse(argv);
  } catch (e) {
    io.stderr.write(`error: ${(e as Error).message}\n\n${CLIENT_USAGE}`);
    return 2;
  }
  if (a === "help") {
    io.stdout.write(CLIENT_USAGE);
    return 0;
  }
  const view = new View(io, a.json);
  let m: Master | undefined;
  try {
    m = await Master.connect({ host: a.host, port: a.port });
    m.on("asdu", (asdu) => view.asdu(asdu));
    await m.startDataTransfer();
  } catch (e) {
    io.stderr.write(`error: ${(e as Error).message}\n`);
    await m?.close();
    return 1;
  }
  view.info(`connected to ${a.host}:${a.port}, data transfer started`);
  return session(m, a, view);
}

async function session(m: Master, a: ClientArgs, view: View): Promise<number> {
  const started = Date.now();
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const closed = m.whenClosed.then((r) => {
    if (r.code !== "LOCAL") view.info(`connection closed: ${r.code}: ${r.message}`);
    return r;
  });
  const aborted = new Promise<void>((r) => stop.signal.addEventListener("abort", () => r()));
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const ok = await Promise.race([actions(m, a, view), closed.then(() => false)]);
    const oneShot = a.command !== undefined || a.read !== undefined || a.ci || a.sync;
    const waits: Promise<unknown>[] = [closed, aborted];
    if (a.durationMs !== undefined) {
      const ms = Math.max(0, started + a.durationMs - Date.now());
      waits.push(
        new Promise<void>((r) => {
          timer = setTimeout(r, ms);
        }),
      );
    } else if (oneShot) waits.push(Promise.resolve());
    await Promise.race(waits);
    const lost = m.isClosed && m.closeReason?.code !== "LOCAL";
    await m.close();
    return ok && !lost ? 0 : 1;
  } finally {
    clearTimeout(timer);
    view.flush();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
