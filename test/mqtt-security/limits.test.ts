/**
 * The embedded broker's limits, with a whole gateway running: a packet announcing more than
 * `maxPacketSize` closes its client's connection from its header (the gateway's own clients and the
 * other clients carry on); topics of more than 100 levels are refused; a subscriber that stops
 * reading is disconnected once `maxPendingBytes` wait for it, and never holds up the values on
 * their way to the masters.
 */
import { describe, expect, it } from "vitest";
import { sleep, TestMqtt, until } from "../bridge/clients.js";
import { onCleanup, startTestGateway, type TestGateway } from "../bridge/gateway.js";
import { P, standardPoints, uniqueTopic } from "../bridge/points.js";
import type { LogEntry } from "../helpers/logger.js";
import { connectPacket, publishPacket, RawClient, remainingLength, subscribePacket } from "./raw.js";

const MAX_PACKET = 64 * 1024;
const MAX_PENDING = 256 * 1024;

function start(config: Record<string, unknown> = {}): Promise<TestGateway> {
  return startTestGateway({
    broker: "embedded",
    datapoints: standardPoints(uniqueTopic("weather")),
    config: {
      mqtt: { embedded: { maxPacketSize: MAX_PACKET, maxPendingBytes: MAX_PENDING } },
      ...config,
    },
  });
}

function warnings(t: TestGateway, text: string): LogEntry[] {
  return t.logs.entries.filter((e) => e.level === "warn" && e.msg.includes(text));
}

/** A raw client connected (CONNACK received) to the embedded broker. */
async function rawClient(t: TestGateway, id: string): Promise<RawClient> {
  const c = await RawClient.connect(t.gw.addresses.mqtt!);
  c.write(connectPacket(id));
  await until(() => c.got(2), "CONNACK");
  return c;
}

/** A value through the gateway to the master: proves the gateway's own client still works. */
async function valueGetsThrough(t: TestGateway, value: number): Promise<void> {
  const mark = t.master.mark();
  await t.mqtt.publish(t.pointTopic(1, P.voltage), String(value));
  await t.master.wait({ ca: 1, ioa: P.voltage, cot: 3, where: (o) => o.value === value }, { since: mark });
}

describe("embedded broker: packet size", () => {
  it("a PUBLISH header announcing more than maxPacketSize closes the connection before the body arrives", async () => {
    const t = await start();
    const raw = await rawClient(t, "too-big-raw");
    // Only the fixed header and a few bytes of a 10 MB packet: the broker must not wait for the rest.
    raw.write(Buffer.concat([Buffer.from([0x30]), remainingLength(10_000_000), Buffer.alloc(100)]));
    await until(() => raw.closed, "the broker to close the connection", 2000);
    const [line] = warnings(t, "MQTT packet too large");
    expect(line?.obj).toMatchObject({
      packet: "PUBLISH",
      size: 10_000_000,
      limit: MAX_PACKET,
      client: "too-big-raw",
      remote: `127.0.0.1:${raw.localPort}`,
    });
    await valueGetsThrough(t, 11.5);
  });

  it("mqtt.js with a payload over the limit is disconnected; the message reaches nobody; others carry on", async () => {
    const t = await start();
    const other = await t.newMqtt();
    await other.subscribe(t.topic("big/#"));
    const big = await t.newMqtt();
    big.client.options.reconnectPeriod = 0;
    const closed = new Promise<void>((r) => big.client.once("close", () => r()));
    big.client.publish(t.topic("big/one"), Buffer.alloc(MAX_PACKET + 1));
    await closed;
    expect(warnings(t, "MQTT packet too large")[0]?.obj).toMatchObject({
      packet: "PUBLISH",
      size: MAX_PACKET + 1 + 2 + t.topic("big/one").length,
    });

    // A packet of exactly maxPacketSize (remaining length) passes.
    const topic = t.topic("big/two");
    const fits = Buffer.alloc(MAX_PACKET - 2 - topic.length, 0x61);
    await other.publish(topic, fits.toString(), { qos: 0 });
    const m = await other.wait(topic);
    expect(m.text.length).toBe(fits.length);
    expect(other.on(t.topic("big/one"))).toEqual([]);
    await valueGetsThrough(t, 12.5);
    expect(t.gw.client.connected).toBe(true);
  });

  it("over WebSocket too", async () => {
    const t = await start({
      mqtt: { embedded: { wsPort: 0, maxPacketSize: MAX_PACKET, maxPendingBytes: MAX_PENDING } },
    });
    const url = `ws://127.0.0.1:${t.gw.addresses.mqttWs}`;
    const ws = await TestMqtt.connect(url, { reconnectPeriod: 0 });
    onCleanup(() => ws.close());
    await ws.publish(t.pointTopic(1, P.voltage), "17.5");
    await t.master.wait({ ca: 1, ioa: P.voltage, cot: 3, where: (o) => o.value === 17.5 });
    const closed = new Promise<void>((r) => ws.client.once("close", () => r()));
    ws.client.publish(t.topic("big/ws"), Buffer.alloc(MAX_PACKET + 1));
    await closed;
    expect(warnings(t, "MQTT packet too large")[0]?.obj).toMatchObject({
      transport: "ws",
      packet: "PUBLISH",
    });
    await valueGetsThrough(t, 18.5);
  });

  it("the gateway's own clients are exempt (bridge/info may outgrow the limit)", async () => {
    const t = await start({ mqtt: { embedded: { maxPacketSize: 200, maxPendingBytes: MAX_PENDING } } });
    // bridge/info of the standard points is far larger than 200 bytes, and arrives.
    const info = await t.mqtt.wait(t.topic("bridge/info"));
    expect(info.text.length).toBeGreaterThan(200);
    await valueGetsThrough(t, 13.5);
  });
});

describe("embedded broker: topic levels", () => {
  const levels = (t: TestGateway, n: number) => {
    const base = t.base.split("/");
    return [...base, ...Array.from({ length: n - base.length }, (_, i) => `l${i}`)].join("/");
  };

  it("a PUBLISH to a topic of 101 levels is refused and logged; 100 levels are fine", async () => {
    const t = await start();
    const ok = levels(t, 100);
    await t.mqtt.publish(ok, "deep", { qos: 0 });
    await t.mqtt.wait(ok);

    const c = await t.newMqtt();
    c.client.options.reconnectPeriod = 0;
    const closed = new Promise<void>((r) => c.client.once("close", () => r()));
    const deep = levels(t, 101);
    c.client.publish(deep, "too deep");
    await closed;
    await sleep(100);
    expect(t.mqtt.on(deep)).toEqual([]);
    expect(warnings(t, "more than 100 levels")[0]?.obj).toMatchObject({
      limit: 100,
      client: c.client.options.clientId,
    });
    await valueGetsThrough(t, 14.5);
  });

  it("a SUBSCRIBE to a filter of 101 levels is refused and logged", async () => {
    const t = await start();
    const raw = await rawClient(t, "deep-sub");
    raw.write(subscribePacket(1, `${levels(t, 100)}/#`));
    await until(() => raw.closed, "the broker to close the connection", 2000);
    expect(raw.got(9)).toBe(false);
    expect(warnings(t, "more than 100 levels")[0]?.obj).toMatchObject({ client: "deep-sub" });
    await valueGetsThrough(t, 15.5);
  });
});

describe("embedded broker: a subscriber that stops reading", () => {
  it("is disconnected at maxPendingBytes; values keep reaching the masters meanwhile", async () => {
    const t = await start();
    // The test's own observer must not collect the flood.
    await t.mqtt.client.unsubscribeAsync(`${t.base}/#`);
    const frozen = await rawClient(t, "frozen");
    frozen.write(subscribePacket(1, `${t.base}/#`));
    await until(() => frozen.got(9), "SUBACK");
    frozen.freeze();

    const flooder = await t.newMqtt();
    const chunk = Buffer.alloc(60 * 1024, 0x62);
    let flooding = true;
    let sent = 0;
    const flood = (async () => {
      while (flooding && sent < 2000) {
        await flooder.client.publishAsync(t.topic("bulk/data"), chunk, { qos: 0 });
        sent++;
      }
    })();

    // Values published while the flood runs, each awaited at the master before the next.
    const delays: number[] = [];
    for (let i = 0; i < 40; i++) {
      const at = Date.now();
      await valueGetsThrough(t, 100 + i);
      delays.push(Date.now() - at);
      if (warnings(t, "does not read").length > 0 && i >= 10) break;
      await sleep(20);
    }
    await until(() => warnings(t, "does not read")[0], "the frozen subscriber to be disconnected", 10_000);
    flooding = false;
    await flood;

    const [line] = warnings(t, "does not read");
    expect(line?.obj).toMatchObject({ client: "frozen", limit: MAX_PENDING });
    // Bounded: the limit plus the one message written when it was passed.
    expect(line?.obj.pending).toBeLessThanOrEqual(MAX_PENDING + chunk.length + 1024);
    expect(Math.max(...delays)).toBeLessThan(1000);
    // The flooder itself was never held up for long, and the broker still serves everyone.
    expect(sent).toBeGreaterThan(0);
    await valueGetsThrough(t, 99.5);
    const late = await t.newMqtt();
    await late.subscribe(t.topic("bulk/#"));
    await flooder.publish(t.topic("bulk/last"), "done");
    await late.wait(t.topic("bulk/last"));
  }, 30_000);

  it("a raw client that publishes in one packet what it announced is served normally", async () => {
    const t = await start();
    const raw = await rawClient(t, "polite");
    raw.write(publishPacket(t.pointTopic(1, P.voltage), "16.5"));
    await t.master.wait({ ca: 1, ioa: P.voltage, cot: 3, where: (o) => o.value === 16.5 });
    expect(raw.closed).toBe(false);
  });
});
