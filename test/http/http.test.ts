/**
 * The HTTP side of a whole gateway (embedded broker, ephemeral ports): `/healthz` is 200 while the
 * process lives, `/readyz` 200 when the outstation listens and MQTT is connected and 503 naming what
 * is missing, unknown paths 404, and `/metrics` Prometheus text whose counters follow what a master
 * and MQTT clients did: masters by link state, frames by format and ASDUs by type both ways (checked
 * against what a raw master sent and received), commands by outcome, the event queue's depth and
 * drops, MQTT messages both ways (the published commands included), values accepted and rejected,
 * stale and invalid points, and the event loop lag.
 */
import { writeFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { startGateway } from "../../src/app.js";
import { parseConfig } from "../../src/config/load.js";
import type { Asdu } from "../../src/iec104/asdu/asdu.js";
import { Cot, TypeId, typeName } from "../../src/iec104/asdu/types.js";
import { Quality } from "../../src/iec104/codec/quality.js";
import { sleep, until } from "../bridge/clients.js";
import {
  deepMerge,
  onCleanup,
  startTestGateway,
  type TestGateway,
  tempDir,
  testConfigInput,
} from "../bridge/gateway.js";
import { P, standardPoints, uniqueTopic } from "../bridge/points.js";
import { CaptureLogger } from "../helpers/logger.js";
import { RawClient, type RawFrame } from "../iec104/outstation/fixture.js";

const HTTP = { enabled: true, host: "127.0.0.1", port: 0 };

interface Reply {
  status: number;
  type: string;
  body: string;
}

async function get(port: number, path: string, method = "GET"): Promise<Reply> {
  const r = await fetch(`http://127.0.0.1:${port}${path}`, { method });
  return { status: r.status, type: r.headers.get("content-type") ?? "", body: await r.text() };
}

/* ---- Prometheus text ---------------------------------------------------------------------------- */

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

class Metrics {
  readonly samples: Sample[];
  constructor(text: string) {
    this.samples = parseMetrics(text);
  }

  has(name: string): boolean {
    return this.samples.some((s) => s.name === name);
  }

  /** The sample with exactly these labels; 0 when absent (a counter never incremented). */
  get(name: string, labels: Record<string, string> = {}): number {
    const want = Object.entries(labels);
    const s = this.samples.find(
      (x) =>
        x.name === name &&
        Object.keys(x.labels).length === want.length &&
        want.every(([k, v]) => x.labels[k] === v),
    );
    return s?.value ?? 0;
  }

  /** Every sample of `name` by the value of `label`. */
  by(name: string, label: string, where: Record<string, string> = {}): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of this.samples) {
      if (s.name !== name || !Object.entries(where).every(([k, v]) => s.labels[k] === v)) continue;
      const key = s.labels[label];
      if (key !== undefined) out[key] = s.value;
    }
    return out;
  }
}

async function scrape(t: TestGateway): Promise<Metrics> {
  const r = await get(t.gw.addresses.http!, "/metrics");
  expect(r.status).toBe(200);
  return new Metrics(r.body);
}

/** `after - before` for every key of either, zeros left out. */
function delta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of new Set([...Object.keys(after), ...Object.keys(before)])) {
    const d = (after[k] ?? 0) - (before[k] ?? 0);
    if (d !== 0) out[k] = d;
  }
  return out;
}

function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
}

/* ---- a raw master that counts what it sends --------------------------------------------------- */

const FORMATS = ["I", "S", "U"] as const;
type Format = (typeof FORMATS)[number];

function formatOf(frame: Uint8Array): Format {
  const c1 = frame[2]!;
  return (c1 & 1) === 0 ? "I" : (c1 & 3) === 1 ? "S" : "U";
}

/** A RawClient whose every write (one or more whole frames) is counted by format. */
async function countingRawMaster(port: number): Promise<{ raw: RawClient; sent: Record<Format, number> }> {
  const raw = await RawClient.connect(port);
  const sent: Record<Format, number> = { I: 0, S: 0, U: 0 };
  const write = raw.write.bind(raw);
  raw.write = (bytes: Uint8Array) => {
    for (let p = 0; p < bytes.length; p += bytes[p + 1]! + 2) sent[formatOf(bytes.subarray(p))]++;
    write(bytes);
  };
  return { raw, sent };
}

function request(typeId: number, ca: number, objects: Record<string, unknown>[]): Asdu {
  return { typeId, sq: false, cot: Cot.ACTIVATION, test: false, negative: false, oa: 0, ca, objects } as Asdu;
}

function isReply(f: RawFrame, typeId: number, cot: number, ioa?: number): boolean {
  return (
    f.format === "I" &&
    f.asdu?.typeId === typeId &&
    f.asdu.cot === cot &&
    (ioa === undefined || f.asdu.objects[0]?.ioa === ioa)
  );
}

/* ---- the tests ---------------------------------------------------------------------------------- */

describe("HTTP health and metrics", () => {
  it("/healthz is 200 with the gateway's health; /readyz 200 when listening and MQTT connected", async () => {
    const t = await startTestGateway({
      broker: "embedded",
      datapoints: standardPoints(uniqueTopic("weather")),
      config: { http: HTTP },
    });
    const port = t.gw.addresses.http!;
    expect(port).toBeGreaterThan(0);
    expect(port).toBe(t.gw.http!.port);

    const health = await get(port, "/healthz");
    expect(health.status).toBe(200);
    expect(health.type).toMatch(/^application\/json/);
    expect(JSON.parse(health.body)).toMatchObject({
      status: "ok",
      iec104: { listening: true, masters: 1 },
      mqtt: { connected: true },
    });

    const ready = await get(port, "/readyz");
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: "ready", missing: [] });
    // A query string does not change the path.
    expect((await get(port, "/readyz?verbose=1")).status).toBe(200);
  });

  it("unknown paths are 404 (listing the known ones), other methods 405", async () => {
    const t = await startTestGateway({ broker: "embedded", datapoints: {}, config: { http: HTTP } });
    const port = t.gw.addresses.http!;
    for (const path of ["/", "/nope", "/metrics/x", "/healthz/"]) {
      const r = await get(port, path);
      expect(r.status, path).toBe(404);
      expect(JSON.parse(r.body)).toEqual({ error: "not found", paths: ["/healthz", "/readyz", "/metrics"] });
    }
    expect((await get(port, "/metrics", "POST")).status).toBe(405);
  });

  it("/readyz is 503 naming MQTT while the broker refuses; /healthz stays 200", async () => {
    // A port nobody listens on: the gateway's MQTT connection is refused, again and again.
    const refused = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const a = s.address() as net.AddressInfo;
        s.close(() => resolve(a.port));
      });
    });
    const file = join(tempDir(), "Datapoints.json");
    writeFileSync(file, JSON.stringify(standardPoints(uniqueTopic("weather"))));
    const base = `http${process.pid}/iec104`;
    const config = parseConfig(
      deepMerge(testConfigInput("embedded", undefined, `gw-http-${process.pid}`, base), {
        mqtt: { mode: "external", url: `mqtt://127.0.0.1:${refused}` },
        datapoints: { file },
        http: HTTP,
      }),
    );
    const logs = new CaptureLogger();
    const gw = await startGateway(config, { logger: logs });
    onCleanup(() => gw.close("test over"));
    await until(() => logs.entries.some((e) => e.msg === "MQTT error"), "the refused connection", 5000);

    const ready = await get(gw.addresses.http!, "/readyz");
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toEqual({ status: "not ready", missing: ["MQTT not connected"] });
    expect((await get(gw.addresses.http!, "/healthz")).status).toBe(200);
    const r = await get(gw.addresses.http!, "/metrics");
    expect(new Metrics(r.body).get("mqtt_connected")).toBe(0);
  });

  it("/metrics is Prometheus text whose counters follow a master's GI and commands and MQTT input", async () => {
    const points = standardPoints(uniqueTopic("weather"));
    // One point goes stale (NT) soon; the others never do.
    (points["Normalized value"] as Record<string, unknown>).staleAfterMs = 300;
    const t = await startTestGateway({
      broker: "embedded",
      datapoints: points,
      config: {
        http: HTTP,
        iec104: { eventQueue: { capacity: 3, overflow: "drop-oldest" } },
        bridge: { badPayload: "invalid", commandTimeout: 0.5 },
      },
    });
    const port = t.gw.addresses.http!;
    const first = await get(port, "/metrics");
    expect(first.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const monitoring = t.gw.bridge.targets.all.length;
    expect(monitoring).toBe(12);

    // From a quiet start: the stale point flagged (the 9 points without an initial value are IV
    // until their first value), the test gateway's own master gone (its frames are then the
    // outstation's closed-connection totals, left out by the deltas below).
    await vi.waitFor(
      async () => {
        const m = await scrape(t);
        expect(m.by("points", "flag")).toEqual({ all: monitoring, not_topical: 1, invalid: 9 });
      },
      { timeout: 3000, interval: 50 },
    );
    await t.master.close();
    await until(() => t.gw.outstation.connections.size === 0, "the master gone");
    // Let the gateway's publications about it (masters list, events) arrive.
    await sleep(300);
    const mark = t.mqtt.mark();
    const before = await scrape(t);
    expect(before.by("iec104_masters_connected", "state")).toEqual({ STARTED: 0, STOPPED: 0, STOPPING: 0 });

    // A master connects but does not start data transfer: its queue (capacity 3) takes 7 events, an
    // end of initialization per station and 5 values, and drops the 4 oldest.
    const { raw, sent } = await countingRawMaster(t.gw.addresses.iec104);
    raw.autoAck = true;
    await vi.waitFor(async () =>
      expect((await scrape(t)).by("iec104_masters_connected", "state")).toEqual({
        STARTED: 0,
        STOPPED: 1,
        STOPPING: 0,
      }),
    );
    for (const v of [10, 11, 12, 13, 14]) await t.mqtt.publish(t.pointTopic(1, P.voltage), String(v));
    await vi.waitFor(
      async () => {
        const m = await scrape(t);
        expect(m.get("iec104_event_queue_depth")).toBe(3);
        expect(m.get("points", { flag: "invalid" })).toBe(8);
        expect(
          m.get("iec104_event_queue_dropped_total") - before.get("iec104_event_queue_dropped_total"),
        ).toBe(4);
      },
      { timeout: 3000, interval: 20 },
    );

    // Data transfer, a GI (its I-frame written in pieces), three commands, a test frame and an S-frame.
    await raw.startDt();
    await vi.waitFor(async () => expect((await scrape(t)).get("iec104_event_queue_depth")).toBe(0));
    // The GI's I-frame in three TCP segments, cut inside its header: still one frame.
    const gi = raw.iframe(request(TypeId.C_IC_NA_1, 1, [{ ioa: 0, qoi: 20 }]));
    for (const [a, b] of [
      [0, 1],
      [1, 3],
      [3, gi.length],
    ] as const) {
      raw.socket.write(gi.subarray(a, b));
      await sleep(10);
    }
    sent.I++;
    await raw.waitFrame((f) => isReply(f, TypeId.C_IC_NA_1, Cot.ACTIVATION_TERMINATION));

    const command = async (typeId: number, ioa: number, value: boolean | number, term: boolean) => {
      raw.write(raw.iframe(request(typeId, 1, [{ ioa, value, select: false, qu: 0 }])));
      await raw.waitFrame((f) =>
        isReply(f, typeId, term ? Cot.ACTIVATION_TERMINATION : Cot.ACTIVATION_CON, ioa),
      );
    };
    await command(TypeId.C_SC_NA_1, P.alarmCmd, true, true); // auto: confirmed
    await command(TypeId.C_SC_NA_1, P.rejected, true, false); // reject: refused
    await command(TypeId.C_DC_NA_1, P.breakerCmdMqtt, 1, false); // mqtt, no executor: timeout
    const from = raw.frames.length;
    raw.write(Buffer.concat([raw.u("TESTFR_ACT"), raw.sframe()]));
    await raw.waitFrame((f) => f.format === "U" && f.fn === "TESTFR_CON", from);

    // MQTT: a good value, a bad one (the point turns IV), one for a point that does not exist.
    await t.mqtt.publish(t.pointTopic(1, P.scaled), "42");
    await t.mqtt.publish(t.pointTopic(1, P.voltage), "not a number");
    await t.mqtt.publish(t.pointTopic(1, 9999), "1");
    await t.mqtt.waitJson(t.stateTopic(1, P.scaled), (j) => j.value === 42, { since: mark });
    await t.mqtt.waitJson(
      t.stateTopic(1, P.voltage),
      (j) => (j.quality as Record<string, unknown> | undefined)?.iv === true,
      { since: mark },
    );
    await t.mqtt.waitJson(t.topic("bridge/event"), (j) => String(j.topic).endsWith("/9999"), { since: mark });

    // Once everything has settled, the deltas are exactly what happened: frames and ASDUs as the
    // raw master counted them, MQTT messages out as the observer saw the gateway publish them.
    const published = () =>
      t.mqtt.messages.slice(mark).filter((m) => !m.topic.startsWith(`${t.base}/point/`));
    let after: Metrics | undefined;
    await vi.waitFor(
      async () => {
        const m = await scrape(t);
        const received = countBy(raw.frames, (f) => f.format);
        for (const format of FORMATS) {
          const d = (dir: string) =>
            m.get("iec104_frames_total", { direction: dir, format }) -
            before.get("iec104_frames_total", { direction: dir, format });
          expect(d("in"), `frames in ${format}`).toBe(sent[format]);
          expect(d("out"), `frames out ${format}`).toBe(received[format] ?? 0);
        }
        expect(
          delta(
            m.by("iec104_asdus_total", "type", { direction: "out" }),
            before.by("iec104_asdus_total", "type", { direction: "out" }),
          ),
        ).toEqual(countBy(raw.asdus, (a) => typeName(a.typeId)));
        expect(
          m.get("mqtt_messages_total", { direction: "out" }) -
            before.get("mqtt_messages_total", { direction: "out" }),
        ).toBe(published().length);
        expect(m.get("iec104_event_queue_depth")).toBe(0);
        after = m;
      },
      { timeout: 3000, interval: 50 },
    );
    if (after === undefined) throw new Error("unreachable");

    // Frames: STARTDT act and TESTFR act, the GI and three commands, S-frames; and their answers.
    expect(sent).toMatchObject({ U: 2, I: 4 });
    expect(sent.S).toBeGreaterThanOrEqual(2);
    expect(raw.frames.filter((f) => f.format === "U").length).toBe(2);
    expect(
      delta(
        after.by("iec104_asdus_total", "type", { direction: "in" }),
        before.by("iec104_asdus_total", "type", { direction: "in" }),
      ),
    ).toEqual({ C_IC_NA_1: 1, C_SC_NA_1: 2, C_DC_NA_1: 1 });
    const asdusOut = delta(
      after.by("iec104_asdus_total", "type", { direction: "out" }),
      before.by("iec104_asdus_total", "type", { direction: "out" }),
    );
    expect(asdusOut.C_IC_NA_1).toBe(2); // ACT_CON, ACT_TERM
    expect(asdusOut.C_SC_NA_1).toBe(3); // ACT_CON + ACT_TERM, negative ACT_CON
    expect(asdusOut.C_DC_NA_1).toBe(1); // negative ACT_CON

    expect(after.by("iec104_masters_connected", "state")).toEqual({ STARTED: 1, STOPPED: 0, STOPPING: 0 });
    expect(
      delta(after.by("iec104_connections_total", "result"), before.by("iec104_connections_total", "result")),
    ).toEqual({
      accepted: 1,
    });
    expect(
      delta(after.by("iec104_commands_total", "result"), before.by("iec104_commands_total", "result")),
    ).toEqual({
      confirmed: 1,
      refused: 1,
      timeout: 1,
    });
    expect(
      delta(
        after.by("iec104_negative_replies_total", "cot"),
        before.by("iec104_negative_replies_total", "cot"),
      ),
    ).toEqual({ [String(Cot.ACTIVATION_CON)]: 2 });
    expect(
      after.get("iec104_event_queue_dropped_total") - before.get("iec104_event_queue_dropped_total"),
    ).toBe(4);

    // MQTT: every publication of the gateway was counted (above), the three commands among them.
    expect(after.get("mqtt_connected")).toBe(1);
    const commandsOut = published().filter((m) => /\/command\/1\/\d+$/.test(m.topic));
    expect(commandsOut.map((m) => Number(m.topic.split("/").pop()))).toEqual([
      P.alarmCmd,
      P.rejected,
      P.breakerCmdMqtt,
    ]);
    // In: five values, a good one, a bad one and one for no point.
    expect(
      after.get("mqtt_messages_total", { direction: "in" }) -
        before.get("mqtt_messages_total", { direction: "in" }),
    ).toBe(8);
    // Values: the bad one and the one for no point are rejected.
    expect(
      delta(after.by("bridge_values_total", "result"), before.by("bridge_values_total", "result")),
    ).toEqual({
      accepted: 6,
      rejected: 2,
    });

    // Points: still the stale one; IV: the scaled value and the alarm (the command's return
    // information) got their first value, the voltage a bad one.
    expect(after.by("points", "flag")).toEqual({ all: monitoring, not_topical: 1, invalid: 7 });
    const station = t.gw.outstation.stations[0]!;
    expect(station.quality[station.indexOf(P.voltage)]! & Quality.IV).toBe(Quality.IV);
    // The process metrics, the event loop lag among them.
    expect(after.has("nodejs_eventloop_lag_seconds")).toBe(true);
    expect(after.has("process_cpu_user_seconds_total")).toBe(true);
  });
});
