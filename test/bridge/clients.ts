/**
 * The two sides the bridge tests drive: an mqtt.js client and an IEC 104 Master, each keeping
 * everything it receives in arrival order, with waits on a predicate from a mark (an index into
 * what was received), so a test can say "after this publication, expect that ASDU".
 */
import { Socket } from "node:net";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import type { Asdu } from "../../src/iec104/asdu/asdu.js";
import { typeName } from "../../src/iec104/asdu/types.js";
import { type Cp56Time2a, cp56ToEpochMs } from "../../src/iec104/codec/time.js";
import { Master } from "../../src/iec104/master/index.js";

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves with the first defined value of `probe`; rejects after `timeoutMs` naming `what`. */
export async function until<T>(
  probe: () => T | undefined | false,
  what: string,
  timeoutMs = 3000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/* ---- MQTT ------------------------------------------------------------------------------------ */

export interface Received {
  topic: string;
  text: string;
  retain: boolean;
  qos: number;
}

/** The JSON of a message as a record (fails the test when it is not a JSON object). */
export function json(m: Received): Record<string, unknown> {
  const v: unknown = JSON.parse(m.text);
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new Error(`not an object: ${m.text}`);
  return v as Record<string, unknown>;
}

export interface WaitOptions {
  /** Only messages (or ASDUs) received at or after this mark count (default: all). */
  since?: number;
  timeoutMs?: number;
}

export class TestMqtt {
  readonly client: MqttClient;
  readonly messages: Received[] = [];

  private constructor(client: MqttClient) {
    this.client = client;
    client.on("message", (topic, payload, packet) => {
      this.messages.push({ topic, text: payload.toString("utf8"), retain: packet.retain, qos: packet.qos });
    });
  }

  static async connect(url: string, opts: IClientOptions = {}): Promise<TestMqtt> {
    const client = await mqtt.connectAsync(url, {
      clientId: `test-${process.pid}-${Math.random().toString(36).slice(2, 10)}`,
      reconnectPeriod: 200,
      connectTimeout: 3000,
      protocolVersion: 4,
      ...opts,
    });
    client.on("error", () => {});
    const noDelay = () => {
      const stream: unknown = client.stream;
      if (stream instanceof Socket) stream.setNoDelay(true);
    };
    noDelay();
    client.on("connect", noDelay);
    return new TestMqtt(client);
  }

  async subscribe(topics: string | string[]): Promise<void> {
    await this.client.subscribeAsync(topics, { qos: 1 });
  }

  async publish(topic: string, payload: string, opts: { qos?: 0 | 1; retain?: boolean } = {}): Promise<void> {
    await this.client.publishAsync(topic, payload, { qos: opts.qos ?? 1, retain: opts.retain ?? false });
  }

  mark(): number {
    return this.messages.length;
  }

  /** Messages on `topic` from `since`. */
  on(topic: string, since = 0): Received[] {
    return this.messages.slice(since).filter((m) => m.topic === topic);
  }

  /** The first message from `since` on `topic` (and matching `match`), waiting for it. */
  wait(
    topic: string,
    match: (m: Received) => boolean = () => true,
    opts: WaitOptions = {},
  ): Promise<Received> {
    const since = opts.since ?? 0;
    return until(
      () => this.messages.slice(since).find((m) => m.topic === topic && match(m)),
      `an MQTT message on ${topic}`,
      opts.timeoutMs,
    ).catch((e: Error) => {
      const seen = this.messages
        .slice(since)
        .map((m) => `  ${m.topic} ${m.text.slice(0, 200)}`)
        .join("\n");
      throw new Error(`${e.message}; received:\n${seen}`);
    });
  }

  /** Like `wait`, with the message's JSON object matched. */
  async waitJson(
    topic: string,
    match: (j: Record<string, unknown>) => boolean = () => true,
    opts: WaitOptions = {},
  ): Promise<Record<string, unknown>> {
    return json(await this.wait(topic, (m) => isJsonObject(m.text) && match(json(m)), opts));
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

function isJsonObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === "object" && !Array.isArray(v);
  } catch {
    return false;
  }
}

/* ---- IEC 104 ----------------------------------------------------------------------------------- */

/** The information objects of `asdus` by IOA (the last one wins), with their ASDU's type and COT. */
export function objectsByIoa(
  asdus: readonly Asdu[],
): Map<number, Record<string, unknown> & { typeId: number; cot: number }> {
  const out = new Map<number, Record<string, unknown> & { typeId: number; cot: number }>();
  for (const a of asdus) {
    for (const o of a.objects) out.set(o.ioa, { ...(o as object), typeId: a.typeId, cot: a.cot });
  }
  return out;
}

/** One information object of a received ASDU, its fields as a record. */
export interface PointEvent {
  asdu: Asdu;
  obj: Record<string, unknown> & { ioa: number };
  /** The object's CP56Time2a as epoch ms (UTC), if it has one. */
  timeMs: number | undefined;
}

export interface PointMatch {
  ca: number;
  ioa: number;
  cot?: number;
  typeId?: number;
  where?: (obj: Record<string, unknown>) => boolean;
}

export class TestMaster {
  readonly master: Master;
  readonly received: Asdu[] = [];

  private constructor(master: Master) {
    this.master = master;
    master.on("asdu", (asdu) => this.received.push(asdu));
  }

  /** Connects to 127.0.0.1:`port` and starts data transfer. */
  static async connect(port: number): Promise<TestMaster> {
    const master = await Master.connect({ host: "127.0.0.1", port, requestTimeoutMs: 5000 });
    const t = new TestMaster(master);
    await master.startDataTransfer();
    return t;
  }

  mark(): number {
    return this.received.length;
  }

  /** Every object from `since` matching `m`, in arrival order. */
  events(m: PointMatch, since = 0): PointEvent[] {
    const out: PointEvent[] = [];
    for (const asdu of this.received.slice(since)) {
      if (asdu.ca !== m.ca) continue;
      if (m.cot !== undefined && asdu.cot !== m.cot) continue;
      if (m.typeId !== undefined && asdu.typeId !== m.typeId) continue;
      for (const o of asdu.objects) {
        const obj = o as unknown as Record<string, unknown> & { ioa: number };
        if (obj.ioa !== m.ioa || (m.where !== undefined && !m.where(obj))) continue;
        const t = obj.time as Cp56Time2a | undefined;
        out.push({ asdu, obj, timeMs: t !== undefined && "year" in t ? cp56ToEpochMs(t) : undefined });
      }
    }
    return out;
  }

  /** The first object from `since` matching `m`, waiting for it. */
  wait(m: PointMatch, opts: WaitOptions = {}): Promise<PointEvent> {
    const since = opts.since ?? 0;
    return until(
      () => this.events(m, since)[0],
      `CA ${m.ca} IOA ${m.ioa}${m.cot === undefined ? "" : ` COT ${m.cot}`}`,
      opts.timeoutMs,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; received:\n${this.describe(since)}`);
    });
  }

  /** The received ASDUs from `since`, one line each (for failure messages). */
  describe(since = 0): string {
    return this.received
      .slice(since)
      .map(
        (a) =>
          `  ${typeName(a.typeId)} COT ${a.cot}${a.negative ? " NEG" : ""} CA ${a.ca} ${JSON.stringify(a.objects).slice(0, 200)}`,
      )
      .join("\n");
  }

  async close(): Promise<void> {
    if (!this.master.isClosed) await this.master.close();
  }
}
