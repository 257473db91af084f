/**
 * The bridge between MQTT and the outstation's point image:
 *  - values in: `<base>/point/<ca>/<ioa>`, `<base>/batch` and points' own source topics -> point
 *    image (bad payloads refused with a log line and a `bridge/event` error; the point keeps its
 *    last good value, or is flagged IV when `badPayload: invalid`);
 *  - state out: retained `<base>/state/<ca>/<ioa>` with what the outstation holds, coalesced per
 *    point over `stateInterval` (the embedded broker serves it from the point image, retainedState);
 *    `bridge/state` (online, and offline as the will), `bridge/info`,
 *    `bridge/masters`, `bridge/event`; request/response ops on `bridge/request/<op>`;
 *  - quality the bridge knows: NT after `staleAfter` without an update, IV while an availability
 *    topic says the publisher is offline.
 * Commands go out through the CommandRouter, which the outstation calls.
 */
import type { MqttClient } from "mqtt";
import { Cot, typeName } from "../iec104/asdu/types.js";
import { qualityToFlags } from "../iec104/codec/quality.js";
import type { OutstationEvent } from "../iec104/outstation/events.js";
import type { Logger } from "../iec104/outstation/log.js";
import type { Outstation } from "../iec104/outstation/server.js";
import { parseBatch, parseValue, parseValuePayload, type ValueUpdate } from "../mqtt/payload.js";
import type { RetainedMessage, RetainedSource } from "../mqtt/retained.js";
import type { StateFilter, Topics } from "../mqtt/topics.js";
import type { PointCatalog } from "../points/model.js";
import type { CommandRouter } from "./commands.js";
import { effectiveQuality, type Target, TargetIndex } from "./targets.js";

export interface AvailabilityRule {
  topic: string;
  offline: string;
  online: string;
  /** Names of the points this publisher feeds, or all points. */
  points: "all" | string[];
}

export interface BridgeOptions {
  id: string;
  version: string;
  topics: Topics;
  outstation: Outstation;
  catalog: PointCatalog;
  router: CommandRouter;
  staleAfterMs: number;
  badPayload: "keep" | "invalid";
  availability: AvailabilityRule[];
  republishOnConnect: boolean;
  /** QoS of the `state/<ca>/<ioa>` publications (`mqtt.qos`; default 1). */
  stateQos?: 0 | 1;
  /**
   * State publications are coalesced per point over this interval (0: at the end of the current
   * turn of the event loop). A point changing 50 times a second is published at most 1000/interval
   * times: the retained state is what the outstation holds, not a stream of every value.
   */
  stateIntervalMs?: number;
  /**
   * Publishes the retained state (and calls `done` once the broker has it). Default: the MQTT
   * client. With the embedded broker the gateway publishes into it in-process, which saves the
   * encoding, the loopback socket and the parsing of every state message.
   */
  publishState?: StatePublisher;
  /**
   * Subscribes to the value topics inside the embedded broker, `handler` getting each message and a
   * `release` to call once it may have more. Default: the values come through the MQTT client like
   * everything else (an external broker).
   */
  valueIntake?: (
    topics: readonly string[],
    handler: (topic: string, payload: Buffer, release: () => void) => void,
  ) => Promise<void>;
  /** Facts for `bridge/info` (broker mode, listeners...). */
  info: Record<string, unknown>;
  monotonic: () => number;
  logger: Logger;
  /** The built-in simulators, switched off (or on) at run time by the `simulator` request. */
  simulator?: SimulatorControl;
}

/** What the `simulator` request can do: all points, or some, off and on again. */
export interface SimulatorControl {
  readonly running: boolean;
  start(): void;
  stop(): void;
  enable(ca: number, ioa: number): boolean;
  disable(ca: number, ioa: number): boolean;
}

export type StatePublisher = (topic: string, payload: string, qos: 0 | 1, done: () => void) => void;

/** The quality object of every quality octet, as JSON. */
const QUALITY_JSON: readonly string[] = Array.from({ length: 256 }, (_, q) =>
  JSON.stringify(qualityToFlags(q)),
);

/** How often refused subscriptions are asked for again. */
const RESUBSCRIBE_MS = 30_000;

/** MQTT intake pauses while an active master's queue is this full, and resumes below BACKLOG_LOW. */
const BACKLOG_HIGH = 0.5;
const BACKLOG_LOW = 0.25;

/** State publications built per turn of the event loop. */
const FLUSH_SLICE = 64;

/** bridge/info lists every point up to this many; beyond, counts only (a 100k list is megabytes). */
const INFO_POINT_LIST_MAX = 5000;

/** State messages in flight at most while every point's state is republished (bounds memory). */
const REPUBLISH_CHUNK = 500;

export class Bridge {
  private readonly o: BridgeOptions;
  readonly targets: TargetIndex;
  private client: MqttClient | undefined;
  private readonly dirty = new Set<Target>();
  private flushScheduled = false;
  /** The republication of every point's state under way (one at a time). */
  private republishing: Promise<void> | undefined;
  private staleTimer: NodeJS.Timeout | undefined;
  private readonly startedAt = Date.now();
  private readonly problemLog = new Map<string, { at: number; suppressed: number }>();
  /** A hash of the last payload handled on each value topic, to spot retained re-deliveries. */
  private readonly lastPayload = new Map<string, number>();
  /** Counters for metrics. */
  readonly stats = { messagesIn: 0, messagesOut: 0, valuesAccepted: 0, valuesRejected: 0 };
  /** The in-process value subscriptions (valueIntake), in place once this resolves. */
  private intakeReady: Promise<void> | undefined;
  /** Subscriptions the broker refused at the last connect (retried; /readyz names them). */
  refusedSubscriptions: string[] = [];
  private resubscribeTimer: NodeJS.Timeout | undefined;
  /** Times MQTT intake was held because a master fell behind (metrics). */
  intakeHeld = 0;

  constructor(o: BridgeOptions) {
    this.o = o;
    this.targets = new TargetIndex(o.outstation, o.catalog, o.staleAfterMs, o.monotonic());
    o.router.onProblem = (topic, reason) => this.problem(topic, reason);
    o.outstation.on("event", (e) => this.onOutstationEvent(e));
    // Changes that did not come from MQTT (return information of a command, COT 11) still change state.
    o.outstation.pointChanged = (station, index, cot) => {
      if (cot === Cot.SPONTANEOUS) return;
      const t = this.targets.at(station.ca, station.ioas[index]!);
      if (t !== undefined) this.markDirty(t);
    };
  }

  get log(): Logger {
    return this.o.logger;
  }

  /** Takes over an MQTT client: subscribes, announces, republishes state on every (re)connect. */
  attach(client: MqttClient): void {
    this.client = client;
    // Flow control: mqtt.js reads the next packet only once this calls back, so while an active
    // master is behind, the broker (and through it the publisher) waits instead of values being
    // dropped from a full event queue.
    client.handleMessage = (_packet, callback) => {
      if (this.o.outstation.backlog() < BACKLOG_HIGH) callback();
      else this.holdIntake(callback, () => !(this.client?.connected ?? false));
    };
    this.o.router.attach(client);
    client.on("message", (topic, payload, packet) => this.onMessage(topic, payload, packet.retain));
    const intake = this.o.valueIntake;
    if (intake !== undefined) {
      // Values straight from the embedded broker, with the same flow control: a publisher's
      // connection reads on once its last packets are released.
      this.intakeReady = intake(this.valueTopics(), (topic, payload, release) => {
        if (this.waiting.length === 0 && this.o.outstation.backlog() < BACKLOG_HIGH) {
          this.onMessage(topic, payload);
          release();
          return;
        }
        // The broker hands over every packet of a read at once: those after the limit wait here,
        // in order, and the publisher's connection reads no further until they are released.
        this.waiting.push({ topic, payload, release });
        if (this.waiting.length === 1) this.holdIntake(() => this.takeWaiting());
      });
    }
    client.on("connect", () => void this.onConnect());
    if (client.connected) void this.onConnect();
    const minStale = Math.min(...this.targets.all.map((t) => t.staleAfterMs).filter((ms) => ms > 0));
    if (Number.isFinite(minStale)) {
      this.staleTimer = setInterval(() => this.checkStale(), Math.max(100, Math.min(1000, minStale / 4)));
      this.staleTimer.unref();
    }
  }

  private async onConnect(): Promise<void> {
    const client = this.client!;
    const { topics } = this.o;
    await this.intakeReady;
    const subs = [
      ...(this.o.valueIntake === undefined ? this.valueTopics() : []),
      ...topics.controlSubscriptions(),
      ...this.o.availability.map((a) => a.topic),
    ];
    const refused = await this.subscribe(client, subs);
    if (refused === undefined) return;
    this.refusedSubscriptions = refused;
    for (const topic of refused) {
      this.log.error(
        { topic },
        "MQTT subscription refused by the broker (its ACL?): nothing on this topic is received",
      );
      this.problem(topic, "subscription refused by the broker: nothing on this topic is received");
    }
    this.scheduleResubscribe();
    this.publish(
      topics.bridgeState,
      JSON.stringify({ state: "online", ts: new Date().toISOString() }),
      1,
      true,
    );
    this.publishInfo();
    this.publishMasters();
    if (this.o.republishOnConnect) {
      // Served from the point image, every point's state is there at once: nothing to publish at
      // start-up. After a reconnect the live subscribers get it again, as from an external broker.
      if (this.servesRetained && !this.connectedBefore)
        for (const t of this.targets.all) t.stateRetained = true;
      else void this.republish();
    }
    this.connectedBefore = true;
    this.log.info({ subscriptions: subs.length }, "MQTT bridge online");
  }

  /** The topics values arrive on: the gateway's own, the batch topic, the points' source topics. */
  private valueTopics(): string[] {
    return [...this.o.topics.valueSubscriptions(), ...this.targets.sourceTopics()];
  }

  /**
   * Subscribes to `topics` in one SUBSCRIBE: the ones the broker refused (SUBACK 0x80), or
   * undefined when the subscription failed as a whole (connection lost: the next connect retries).
   */
  private async subscribe(client: MqttClient, topics: readonly string[]): Promise<string[] | undefined> {
    try {
      await client.subscribeAsync([...topics], { qos: 1 });
      return [];
    } catch (e) {
      const granted = (e as { packet?: { granted?: unknown } }).packet?.granted;
      if (Array.isArray(granted) && granted.length === topics.length) {
        return topics.filter((_, i) => typeof granted[i] !== "number" || (granted[i] & 0x80) !== 0);
      }
      this.log.error({ err: (e as Error).message }, "MQTT subscribe failed");
      return undefined;
    }
  }

  /** Asks again for refused subscriptions every RESUBSCRIBE_MS (the broker's ACL may be fixed meanwhile). */
  private scheduleResubscribe(): void {
    if (this.refusedSubscriptions.length === 0 || this.resubscribeTimer !== undefined) return;
    this.resubscribeTimer = setTimeout(() => {
      this.resubscribeTimer = undefined;
      const c = this.client;
      if (c === undefined || !c.connected) return;
      void this.subscribe(c, this.refusedSubscriptions).then((still) => {
        if (still === undefined) return;
        for (const topic of this.refusedSubscriptions) {
          if (!still.includes(topic)) this.log.info({ topic }, "MQTT subscription granted after all");
        }
        this.refusedSubscriptions = still;
        this.scheduleResubscribe();
      });
    }, RESUBSCRIBE_MS);
    this.resubscribeTimer.unref();
  }

  private publish(topic: string, payload: string, qos: 0 | 1, retain: boolean): void {
    const c = this.client;
    if (c === undefined || !c.connected) return;
    this.stats.messagesOut++;
    c.publish(topic, payload, { qos, retain });
  }

  /** Messages of the in-process intake waiting for the masters to catch up (a read's worth at most). */
  private readonly waiting: { topic: string; payload: Buffer; release: () => void }[] = [];

  /** Takes the waiting messages in order, holding again when the masters fall behind. */
  private takeWaiting(): void {
    while (this.waiting.length > 0) {
      if (this.o.outstation.backlog() >= BACKLOG_HIGH) {
        this.holdIntake(() => this.takeWaiting());
        return;
      }
      const m = this.waiting.shift()!;
      this.onMessage(m.topic, m.payload);
      m.release();
    }
  }

  /**
   * Holds MQTT intake until the masters are below BACKLOG_LOW again (checked every few ms), or
   * until `pointless` says holding no longer serves anything.
   */
  private holdIntake(resume: () => void, pointless: () => boolean = () => false): void {
    this.intakeHeld++;
    const check = () => {
      if (this.o.outstation.backlog() <= BACKLOG_LOW || pointless()) resume();
      else setTimeout(check, 2);
    };
    setTimeout(check, 2);
  }

  /* ---- values in ---- */

  /**
   * One MQTT message. `retained` marks a retained message the broker sends because of a (re)
   * subscription: on a value topic it is news only when it differs from the last payload handled
   * there; the same one again (after a reconnect) is no update, and must not clear NT or re-send an
   * old value with a new time tag.
   */
  onMessage(topic: string, payload: Buffer, retained = false): void {
    this.stats.messagesIn++;
    const { topics } = this.o;
    const addr = topics.parsePoint(topic);
    if (addr !== undefined) {
      const t = this.targets.at(addr[0], addr[1]);
      if (t === undefined) {
        this.stats.valuesRejected++;
        this.problem(topic, `no monitoring point CA ${addr[0]} IOA ${addr[1]}`);
        return;
      }
      if (this.seen(topic, payload, retained)) return;
      this.apply(t, parseValuePayload(payload, t.typeId), topic);
      return;
    }
    const external = this.targets.onTopic(topic);
    if (external !== undefined && !this.seen(topic, payload, retained)) {
      for (const t of external) this.apply(t, parseValuePayload(payload, t.typeId, t.field), topic);
    }
    const op = topics.parseRequest(topic);
    if (topic === topics.batch) this.onBatch(topic, payload);
    else if (topics.parseCommandResult(topic) !== undefined) this.o.router.result(topic, payload);
    else if (op !== undefined) this.onRequest(op, payload);
    else {
      for (const a of this.o.availability) {
        if (a.topic === topic) this.onAvailability(a, payload.toString("utf8").trim());
      }
    }
  }

  /**
   * Records the payload of a value topic; true for a retained re-delivery of the last one (after a
   * reconnect the broker sends retained values again: they are not news). A 32-bit hash stands for
   * the payload, so the hot path neither copies nor keeps payloads.
   */
  private seen(topic: string, payload: Buffer, retained: boolean): boolean {
    const h = fnv1a(payload);
    if (this.lastPayload.get(topic) === h) return retained;
    this.lastPayload.set(topic, h);
    return false;
  }

  private onBatch(topic: string, payload: Buffer): void {
    const r = parseBatch(payload);
    if (!r.ok) {
      this.stats.valuesRejected++;
      this.problem(topic, r.reason);
      return;
    }
    const defaultCa = this.o.outstation.stations[0]?.ca ?? 1;
    for (const e of r.value.entries) {
      const t = this.targets.at(e.ca ?? defaultCa, e.ioa);
      if (t === undefined) {
        this.stats.valuesRejected++;
        this.problem(topic, `no monitoring point CA ${e.ca ?? defaultCa} IOA ${e.ioa}`);
        continue;
      }
      this.apply(t, parseValue(e.value, t.typeId), topic);
    }
    this.stats.valuesRejected += r.value.errors.length;
    for (const err of r.value.errors) this.problem(topic, err);
  }

  private apply(
    t: Target,
    r: { ok: true; value: ValueUpdate } | { ok: false; reason: string },
    topic: string,
  ): void {
    if (!r.ok) {
      this.stats.valuesRejected++;
      this.problem(topic, `${t.point.name} (CA ${t.point.ca}, IOA ${t.point.ioa}): ${r.reason}`);
      if (this.o.badPayload === "invalid" && !t.badPayload) {
        t.badPayload = true;
        this.requality(t);
      }
      return;
    }
    this.stats.valuesAccepted++;
    const u = r.value;
    t.sourceQuality = u.quality ?? 0;
    t.lastUpdate = this.o.monotonic();
    t.stale = false;
    t.badPayload = false;
    t.station.update(t.index, u.value, effectiveQuality(t), u.ts ?? this.o.outstation.now(), u.aux);
    this.markDirty(t);
  }

  /**
   * Applies the bridge's quality to a point. The state is republished whenever the quality changed,
   * even where the masters are not told (points not reported spontaneously, e.g. counters).
   */
  private requality(t: Target): void {
    const q = effectiveQuality(t);
    if (t.station.quality[t.index] === q) return;
    t.station.setQuality(t.index, q, this.o.outstation.now());
    this.markDirty(t);
  }

  private checkStale(): void {
    const now = this.o.monotonic();
    for (const t of this.targets.all) {
      if (t.staleAfterMs > 0 && !t.stale && now - t.lastUpdate > t.staleAfterMs) {
        t.stale = true;
        this.requality(t);
      }
    }
  }

  private onAvailability(a: AvailabilityRule, text: string): void {
    const offline = text === a.offline;
    if (!offline && text !== a.online) {
      this.problem(a.topic, `availability "${text}" is neither "${a.online}" nor "${a.offline}"`);
      return;
    }
    const affected =
      a.points === "all"
        ? this.targets.all
        : a.points.map((n) => this.targets.named(n)).filter((t) => t !== undefined);
    this.log.info(
      { topic: a.topic, offline, points: affected.length },
      `publisher ${offline ? "offline" : "online"}`,
    );
    for (const t of affected) {
      if (t.offline === offline) continue;
      t.offline = offline;
      this.requality(t);
    }
  }

  /* ---- state out ---- */

  private markDirty(t: Target): void {
    this.dirty.add(t);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const ms = this.o.stateIntervalMs ?? 0;
    if (ms > 0) setTimeout(() => this.flush(), ms).unref();
    else setImmediate(() => this.flush());
  }

  /**
   * Publishes the dirty points' state, FLUSH_SLICE per turn of the event loop: a thousand states
   * built in one go would hold the loop (and every master's latency) for milliseconds.
   */
  private flush(): void {
    let n = 0;
    for (const t of this.dirty) {
      if (n++ === FLUSH_SLICE) {
        setImmediate(() => this.flush());
        return;
      }
      this.dirty.delete(t);
      this.publishStateOf(t, noop);
    }
    this.flushScheduled = false;
  }

  /** Publishes every dirty point's state now (shutdown). */
  private flushAll(): void {
    for (const t of this.dirty) this.publishStateOf(t, noop);
    this.dirty.clear();
    this.flushScheduled = false;
  }

  private get connected(): boolean {
    return this.client?.connected ?? false;
  }

  private publishStateOf(t: Target, done: () => void): void {
    if (!this.connected) {
      done();
      return;
    }
    this.stats.messagesOut++;
    t.stateRetained = true;
    this.statePublisher(
      this.o.topics.state(t.point.ca, t.point.ioa),
      this.stateJson(t),
      this.o.stateQos ?? 1,
      done,
    );
  }

  /** Through the MQTT client, unless an in-process publisher was given. */
  private readonly statePublisher: StatePublisher = (topic, payload, qos, done) => {
    if (this.o.publishState !== undefined) this.o.publishState(topic, payload, qos, done);
    else this.client!.publish(topic, payload, { qos, retain: true }, () => done());
  };

  /**
   * `{"value":..,"quality":{..},"ts":"..","name":..,"unit":..,"type":..}`, assembled from cached
   * parts (the quality object of each of the 256 octets, the point's constant tail): the state of
   * every changing point is built this way, many thousands a second.
   */
  stateJson(t: Target): string {
    const s = t.station;
    const i = t.index;
    const v = s.value[i]!;
    const value = t.booleanValue ? (v !== 0 ? "true" : "false") : Number.isFinite(v) ? String(v) : "null";
    t.stateTail ??= `,"name":${JSON.stringify(t.point.name)},"unit":${JSON.stringify(t.point.unit)},"type":"${typeName(t.typeId)}"}`;
    return `{"value":${value},"quality":${QUALITY_JSON[s.quality[i]!]},"ts":"${new Date(s.time[i]!).toISOString()}"${t.stateTail}`;
  }

  /**
   * The retained state as the embedded broker serves it (see mqtt/retained.ts): built from the
   * point image when a subscription asks, never stored as a copy; a point's once published (every
   * point's from the MQTT connect on, with `republishOnConnect`).
   */
  retainedState(): RetainedSource {
    this.servesRetained = true;
    return this.retainedSource;
  }

  /** The broker serves the retained state from the point image (retainedState was asked for). */
  private servesRetained = false;
  private connectedBefore = false;

  private readonly retainedSource: RetainedSource = {
    owns: (topic) => {
      const a = this.o.topics.parseState(topic);
      return (
        a !== undefined &&
        this.targets.at(a[0], a[1]) !== undefined &&
        this.o.topics.state(a[0], a[1]) === topic
      );
    },
    matching: (filters) => this.retainedMatching(filters),
  };

  private *retainedMatching(filters: readonly string[]): Generator<RetainedMessage> {
    const topics = this.o.topics;
    const wanted: StateFilter[] = [];
    for (const f of filters) {
      const w = topics.stateFilter(f);
      if (w !== undefined) wanted.push(w);
    }
    if (wanted.length === 0) return;
    const qos = this.o.stateQos ?? 1;
    const message = (t: Target): RetainedMessage => ({
      topic: topics.state(t.point.ca, t.point.ioa),
      payload: Buffer.from(this.stateJson(t)),
      qos,
    });
    // One point per filter: no need to look at the others.
    if (wanted.every((w) => w.ca !== undefined && w.ioa !== undefined)) {
      const seen = new Set<Target>();
      for (const w of wanted) {
        const t = this.targets.at(w.ca!, w.ioa!);
        if (t === undefined || !t.stateRetained || seen.has(t)) continue;
        seen.add(t);
        yield message(t);
      }
      return;
    }
    for (const t of this.targets.all) {
      if (!t.stateRetained) continue;
      const { ca, ioa } = t.point;
      if (wanted.some((w) => (w.ca === undefined || w.ca === ca) && (w.ioa === undefined || w.ioa === ioa)))
        yield message(t);
    }
  }

  /** Publishes the state of every point again. */
  republish(): Promise<void> {
    this.republishing ??= this.republishAll().finally(() => {
      this.republishing = undefined;
    });
    return this.republishing;
  }

  /** Every point's state, REPUBLISH_CHUNK at a time, each chunk once the broker has the last. */
  private async republishAll(): Promise<void> {
    const all = this.targets.all;
    for (let i = 0; i < all.length; i += REPUBLISH_CHUNK) {
      if (!this.connected) return;
      const chunk = all.slice(i, i + REPUBLISH_CHUNK);
      await new Promise<void>((resolve) => {
        let left = chunk.length;
        const done = () => {
          if (--left === 0) resolve();
        };
        for (const t of chunk) {
          this.dirty.delete(t);
          this.publishStateOf(t, done);
        }
      });
    }
  }

  /* ---- bridge topics ---- */

  /** Publishes `bridge/info` (retained) when connected; again after start-up facts change. */
  publishInfo(): void {
    const os = this.o.outstation;
    const info = {
      id: this.o.id,
      version: this.o.version,
      startedAt: new Date(this.startedAt).toISOString(),
      ...this.o.info,
      stations: os.stations.map((s) => ({
        ca: s.ca,
        name: s.name,
        points: s.size,
        commands: s.commands.size,
      })),
      pointCount: this.o.catalog.points.length,
      points:
        this.o.catalog.points.length > INFO_POINT_LIST_MAX
          ? undefined
          : this.o.catalog.points.map((p) => ({
              name: p.name,
              ca: p.ca,
              ioa: p.ioa,
              kind: p.kind,
              type: typeName(p.typeId),
              unit: p.unit,
            })),
    };
    this.publish(this.o.topics.bridgeInfo, JSON.stringify(info), 1, true);
  }

  private publishMasters(): void {
    const masters = [...this.o.outstation.connections].map((c) => ({
      id: c.id,
      remote: c.remote,
      state: c.state,
      group: c.group?.key,
      connectedAt: new Date(c.openedAt).toISOString(),
      framesIn: c.framesIn,
      framesOut: c.framesOut,
    }));
    this.publish(
      this.o.topics.bridgeMasters,
      JSON.stringify({ masters, ts: new Date().toISOString() }),
      1,
      true,
    );
  }

  private onOutstationEvent(e: OutstationEvent): void {
    this.publish(this.o.topics.bridgeEvent, JSON.stringify({ ...e, ts: new Date().toISOString() }), 0, false);
    if (e.type === "master-connected" || e.type === "master-closed" || e.type === "data-transfer")
      this.publishMasters();
  }

  /** A bad input: logged (throttled per topic) and reported on `bridge/event`. */
  problem(topic: string, reason: string): void {
    const now = Date.now();
    const seen = this.problemLog.get(topic);
    if (seen === undefined || now - seen.at >= 1000) {
      const suppressed = seen?.suppressed ?? 0;
      this.log.warn({ topic, suppressed }, `rejected MQTT input: ${reason}`);
      this.problemLog.set(topic, { at: now, suppressed: 0 });
      if (this.problemLog.size > 10_000) this.problemLog.clear();
    } else {
      seen.suppressed++;
    }
    this.publish(
      this.o.topics.bridgeEvent,
      JSON.stringify({ type: "error", topic, reason, ts: new Date().toISOString() }),
      0,
      false,
    );
  }

  /* ---- request/response ---- */

  private onRequest(op: string, payload: Buffer): void {
    let req: Record<string, unknown> = {};
    const text = payload.toString("utf8").trim();
    if (text !== "") {
      try {
        const j: unknown = JSON.parse(text);
        if (j !== null && typeof j === "object" && !Array.isArray(j)) req = j as Record<string, unknown>;
        else throw new Error("not an object");
      } catch {
        this.respond(op, undefined, { status: "error", error: "request must be a JSON object" });
        return;
      }
    }
    const transaction = req.transaction;
    switch (op) {
      case "republish":
        void this.republish();
        this.respond(op, transaction, { status: "ok", data: { points: this.targets.all.length } });
        return;
      case "health_check":
        this.respond(op, transaction, { status: "ok", data: this.health() });
        return;
      case "info":
        this.publishInfo();
        this.respond(op, transaction, { status: "ok" });
        return;
      case "simulator":
        this.respond(op, transaction, this.simulatorRequest(req));
        return;
      default:
        this.respond(op, transaction, {
          status: "error",
          error: `unknown request "${op}" (try republish, health_check, info, simulator)`,
        });
    }
  }

  /**
   * `{"enabled": false}` stops every simulator (real publishers took over), `{"enabled": true}`
   * starts them again; with `"points": [{"ca": 1, "ioa": 1001}, ...]` only those points change.
   */
  private simulatorRequest(req: Record<string, unknown>): Record<string, unknown> {
    const sim = this.o.simulator;
    if (sim === undefined)
      return { status: "error", error: "the simulators are not configured (simulator.enabled is false)" };
    const enabled = req.enabled;
    if (typeof enabled !== "boolean") return { status: "error", error: '"enabled" must be true or false' };
    const points = req.points;
    if (points === undefined) {
      if (enabled) sim.start();
      else sim.stop();
      this.log.info({ enabled }, `simulators ${enabled ? "started" : "stopped"} by request`);
      return { status: "ok", data: { running: sim.running } };
    }
    if (!Array.isArray(points)) return { status: "error", error: '"points" must be a list of {"ca", "ioa"}' };
    const unknown: unknown[] = [];
    let changed = 0;
    for (const p of points as unknown[]) {
      const { ca, ioa } = (p ?? {}) as { ca?: unknown; ioa?: unknown };
      const ok =
        typeof ca === "number" &&
        typeof ioa === "number" &&
        (enabled ? sim.enable(ca, ioa) : sim.disable(ca, ioa));
      if (ok) changed++;
      else unknown.push(p);
    }
    this.log.info(
      { enabled, changed },
      `simulation ${enabled ? "resumed" : "stopped"} for ${changed} points by request`,
    );
    return unknown.length === 0
      ? { status: "ok", data: { changed } }
      : { status: "error", error: "not simulated points", data: { changed, unknown } };
  }

  private respond(op: string, transaction: unknown, body: Record<string, unknown>): void {
    this.publish(this.o.topics.response(op), JSON.stringify({ ...body, transaction }), 1, false);
  }

  health(): Record<string, unknown> {
    const os = this.o.outstation;
    return {
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      iec104: { listening: os.listening, masters: os.connections.size },
      mqtt: { connected: this.client?.connected ?? false },
      points: this.targets.all.length,
    };
  }

  /**
   * Announces offline (retained), then stops. Waits at most `maxWaitMs` for the broker to take the
   * announcement: a broker that does not answer must not hold up a shutdown.
   */
  async stop(maxWaitMs = 1000): Promise<void> {
    if (this.staleTimer) clearInterval(this.staleTimer);
    clearTimeout(this.resubscribeTimer);
    this.flushAll();
    const c = this.client;
    if (!c?.connected) return;
    const sent = c
      .publishAsync(
        this.o.topics.bridgeState,
        JSON.stringify({ state: "offline", ts: new Date().toISOString() }),
        { qos: 1, retain: true },
      )
      .then(
        () => true,
        (e: unknown) => {
          this.log.warn({ err: (e as Error).message }, "could not announce offline");
          return true;
        },
      );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), maxWaitMs);
    });
    if (!(await Promise.race([sent, timeout]))) {
      this.log.warn({ waitedMs: maxWaitMs }, "the broker did not acknowledge offline: stopping anyway");
    }
    clearTimeout(timer);
  }
}

function noop(): void {}

/** FNV-1a, 32 bits, of a payload. */
function fnv1a(b: Buffer): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}
