/**
 * Master commands out to MQTT, results back in. Every command a master sends (select, execute,
 * deactivate) is published on `<base>/command/<ca>/<ioa>` (QoS 1, never retained); the point's mode
 * decides the confirmation:
 *  - `auto`: confirmed at once and mirrored into the linked status point (pure simulation);
 *  - `mqtt`: the executor's `<base>/command/<ca>/<ioa>/result` decides; no result within the command
 *    timeout, or no broker, gives a negative ACT_CON. `{"id","ok":true,"pending":true}` confirms and
 *    holds the ACT_TERM until `{"id","done":true}`;
 *  - `reject`: refused.
 */
import type { MqttClient } from "mqtt";
import type { MonitorTypeId } from "../iec104/asdu/scalar.js";
import { typeName } from "../iec104/asdu/types.js";
import {
  autoCommandHandler,
  type CommandDecision,
  type CommandHandler,
  type CommandRequest,
} from "../iec104/outstation/commands.js";
import type { Logger } from "../iec104/outstation/log.js";
import { type CommandResult, commandResultSchema, parseValue } from "../mqtt/payload.js";
import type { Topics } from "../mqtt/topics.js";
import type { CommandMode, PointCatalog } from "../points/model.js";

interface Pending {
  req: CommandRequest;
  resolve: (d: CommandDecision) => void;
  /** Set once confirmed with `pending: true`: resolves the operation's `done`. */
  finish?: (ok: boolean) => void;
}

export class CommandRouter implements CommandHandler {
  private client: MqttClient | undefined;
  private readonly topics: Topics;
  private readonly modes = new Map<string, CommandMode>();
  private readonly defaultMode: CommandMode;
  private readonly pending = new Map<string, Pending>();
  private readonly log: Logger;
  /** Commands published to MQTT (metrics: part of the MQTT messages out). */
  published = 0;
  /** Reported on `bridge/event` (late or unknown results, bad result payloads). */
  onProblem: (topic: string, reason: string) => void = () => {};

  /** How long an operation confirmed with `pending: true` may take to send `done`. */
  private readonly operationTimeoutMs: number;

  constructor(
    topics: Topics,
    catalog: PointCatalog,
    defaultMode: CommandMode,
    log: Logger,
    operationTimeoutMs = 10_000,
  ) {
    this.operationTimeoutMs = operationTimeoutMs;
    this.topics = topics;
    this.defaultMode = defaultMode;
    this.log = log;
    for (const p of catalog.points)
      if (p.kind === "command" && p.mode !== undefined) this.modes.set(`${p.ca}:${p.ioa}`, p.mode);
  }

  attach(client: MqttClient): void {
    this.client = client;
    // Results can no longer arrive: answer at once instead of at the timeout.
    client.on("close", () => {
      if (this.pending.size > 0) this.failAll("MQTT connection lost while waiting for the executor");
    });
  }

  modeOf(ca: number, ioa: number): CommandMode {
    return this.modes.get(`${ca}:${ioa}`) ?? this.defaultMode;
  }

  async handle(req: CommandRequest, signal: AbortSignal): Promise<CommandDecision> {
    const mode = this.modeOf(req.ca, req.ioa);
    const published = this.publishCommand(req, mode);
    if (mode === "reject") return { ok: false, reason: "commands to this point are refused (mode reject)" };
    if (mode === "auto" || req.phase === "cancel") return autoCommandHandler.handle(req, signal);
    if (!published)
      return { ok: false, reason: "MQTT broker not connected: the command cannot reach its executor" };
    return new Promise<CommandDecision>((resolve) => {
      this.pending.set(req.id, { req, resolve });
      signal.addEventListener("abort", () => {
        const p = this.pending.get(req.id);
        if (p !== undefined && p.finish === undefined) this.pending.delete(req.id);
      });
    });
  }

  /** Publishes the command for observers and executors; false when there is no broker connection. */
  private publishCommand(req: CommandRequest, mode: CommandMode): boolean {
    const client = this.client;
    if (client === undefined || !client.connected) return false;
    const base = typeName(req.baseTypeId);
    const payload = {
      id: req.id,
      type: typeName(req.typeId),
      phase: req.phase,
      value: base === "C_SC_NA_1" ? req.value === 1 : req.value,
      select: req.phase === "select",
      [base === "C_SE_NA_1" || base === "C_SE_NB_1" || base === "C_SE_NC_1" ? "ql" : "qu"]: req.qualifier,
      ts: new Date().toISOString(),
      time: req.time === undefined ? undefined : new Date(req.time).toISOString(),
      originator: req.originator,
      test: req.test,
      name: req.name,
      mode,
      master: req.connection.remote,
    };
    this.published++;
    client.publish(this.topics.command(req.ca, req.ioa), JSON.stringify(payload), { qos: 1, retain: false });
    return true;
  }

  /** A message on `<base>/command/<ca>/<ioa>/result`. */
  result(topic: string, payload: Buffer): void {
    let json: unknown;
    try {
      json = JSON.parse(payload.toString("utf8"));
    } catch {
      this.onProblem(topic, "command result is not JSON");
      return;
    }
    const r = commandResultSchema.safeParse(json);
    if (!r.success) {
      const i = r.error.issues[0]!;
      this.onProblem(topic, `command result: ${i.path.join(".") || "payload"}: ${i.message}`);
      return;
    }
    this.apply(topic, r.data);
  }

  private apply(topic: string, res: CommandResult): void {
    const p = this.pending.get(res.id);
    if (p === undefined) {
      this.onProblem(topic, `result for unknown or expired command id ${res.id}`);
      return;
    }
    // Only the commanded point's result topic may answer: ids are all an executor echoes, and one
    // that answers on another point's topic is confused about what it executed.
    const addr = this.topics.parseCommandResult(topic);
    if (addr === undefined || addr[0] !== p.req.ca || addr[1] !== p.req.ioa) {
      this.onProblem(
        topic,
        `result for command id ${res.id} on another point's topic: the command is for CA ${p.req.ca} IOA ${p.req.ioa}`,
      );
      return;
    }
    if (p.finish !== undefined) {
      if (res.done) {
        this.pending.delete(res.id);
        p.finish(res.ok !== false);
      }
      return;
    }
    if (res.ok === undefined) {
      this.onProblem(topic, `result for ${res.id} has no "ok"`);
      return;
    }
    const decision: CommandDecision = { ok: res.ok, reason: res.reason };
    // The new status value, read like a value payload for the status point's type: true/false are
    // on/off (2/1 for a double point), and the range is checked. No status point: nothing to set.
    const status = p.req.status;
    if (res.returnInfo !== undefined && status !== undefined) {
      const r = parseValue(res.returnInfo, status.typeId as MonitorTypeId);
      if (!r.ok) {
        this.onProblem(topic, `result for ${res.id}: returnInfo: ${r.reason}`);
        return;
      }
      decision.returnInfo = { value: r.value.value, aux: r.value.aux };
    }
    if (res.ok && res.pending && !res.done) {
      decision.done = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.pending.delete(res.id);
          p.finish?.(false);
        }, this.operationTimeoutMs);
        timer.unref();
        p.finish = (ok) => {
          clearTimeout(timer);
          if (ok) resolve();
          else reject(new Error("operation failed"));
        };
      });
    } else {
      this.pending.delete(res.id);
    }
    p.resolve(decision);
  }

  /** Answers every command still waiting (shutdown: negative ACT_CON). */
  failAll(reason: string): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      if (p.finish) p.finish(false);
      else p.resolve({ ok: false, reason });
    }
    this.log.debug({ reason }, "pending commands answered negatively");
  }
}
