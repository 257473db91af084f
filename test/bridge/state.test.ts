/**
 * State out: the retained `<base>/state/<ca>/<ioa>` of every updated point, the retained
 * `bridge/state` (online, offline after a clean stop), `bridge/info`, `bridge/masters`,
 * `bridge/event`, and the request/response ops with the transaction echoed.
 */
import type { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { NegativeConfirmationError } from "../../src/iec104/master/index.js";
import { json, sleep, until } from "./clients.js";
import { describeBrokers, onCleanup, startTestGateway, type TestGateway } from "./gateway.js";
import { Mosquitto } from "./mosquitto.js";
import { P, standardPoints, uniqueTopic } from "./points.js";

describeBrokers("state out and bridge topics", (env) => {
  const start = () => env.start({ datapoints: standardPoints(uniqueTopic("weather")) });

  it("publishes the retained state of an updated point, which a new subscriber gets", async () => {
    const t = await start();
    const ts = "2026-05-06T07:08:09.123Z";
    await t.mqtt.publish(t.pointTopic(1, P.voltage), JSON.stringify({ value: 20.4, quality: ["NT"], ts }));
    const live = await t.mqtt.wait(t.stateTopic(1, P.voltage), (m) => json(m).value === 20.4);
    expect(live.qos).toBe(1);
    expect(json(live)).toEqual({
      value: 20.4,
      quality: { iv: false, nt: true, sb: false, bl: false, ov: false, ei: false },
      ts,
      name: "Voltage",
      unit: "kV",
      type: "M_ME_TF_1",
    });

    await t.mqtt.publish(t.pointTopic(1, P.breaker), "off");
    await t.mqtt.publish(t.pointTopic(1, P.alarm), "on");
    await t.mqtt.wait(t.stateTopic(1, P.alarm), (m) => json(m).value === true);

    const late = await t.newMqtt();
    await late.subscribe(t.topic("state/#"));
    const retained = await late.wait(t.stateTopic(1, P.voltage));
    expect(retained.retain).toBe(true);
    expect(json(retained)).toMatchObject({ value: 20.4, ts, quality: { nt: true } });
    expect(json(await late.wait(t.stateTopic(1, P.breaker)))).toMatchObject({ value: 1, type: "M_DP_TB_1" });
    expect(json(await late.wait(t.stateTopic(1, P.alarm)))).toMatchObject({ value: true, type: "M_SP_TB_1" });
  });

  /** The retained state topics a new subscriber to `filter` gets (at least `expected` of them). */
  async function retainedStates(
    t: TestGateway,
    filter: string | string[],
    expected: number,
  ): Promise<string[]> {
    const c = await t.newMqtt();
    await c.subscribe(filter);
    const states = () => c.messages.filter((m) => m.retain && m.topic.startsWith(t.topic("state/")));
    await until(() => states().length >= expected || undefined, `${expected} retained states on ${filter}`);
    await sleep(200);
    await c.close();
    return states()
      .map((m) => m.topic)
      .sort();
  }

  it("a new subscriber gets the retained state of exactly the points its filter names", async () => {
    const t = await start();
    await t.mqtt.publish(t.pointTopic(1, P.voltage), "20.5");
    await t.mqtt.wait(t.stateTopic(1, P.voltage), (m) => json(m).value === 20.5);
    const monitored = t.gw.catalog.points.filter((p) => p.kind === "monitor");
    const topicsWhere = (keep: (ca: number, ioa: number) => boolean) =>
      monitored
        .filter((p) => keep(p.ca, p.ioa))
        .map((p) => t.stateTopic(p.ca, p.ioa))
        .sort();
    const every = topicsWhere(() => true);
    expect(every.length).toBeGreaterThan(5);
    expect(await retainedStates(t, t.topic("state/#"), every.length)).toEqual(every);
    expect(await retainedStates(t, "#", every.length)).toEqual(every);
    const ca1 = topicsWhere((ca) => ca === 1);
    expect(await retainedStates(t, t.topic("state/1/+"), ca1.length)).toEqual(ca1);
    const ioa1001 = topicsWhere((_, ioa) => ioa === P.voltage);
    expect(ioa1001).toHaveLength(2);
    expect(await retainedStates(t, t.topic(`state/+/${P.voltage}`), 2)).toEqual(ioa1001);
    expect(await retainedStates(t, t.stateTopic(1, P.voltage), 1)).toEqual([t.stateTopic(1, P.voltage)]);
    const two = [t.stateTopic(1, P.voltage), t.stateTopic(1, P.alarm)];
    expect(await retainedStates(t, two, 2)).toEqual(two);
    expect(await retainedStates(t, t.topic("state/1"), 0)).toEqual([]);
    expect(await retainedStates(t, t.topic("state/1/999999"), 0)).toEqual([]);

    // What a new subscriber gets is what the outstation holds now.
    await t.mqtt.publish(t.pointTopic(1, P.voltage), "21.5");
    await t.mqtt.wait(t.stateTopic(1, P.voltage), (m) => json(m).value === 21.5);
    const late = await t.newMqtt();
    await late.subscribe(t.stateTopic(1, P.voltage));
    expect(json(await late.wait(t.stateTopic(1, P.voltage)))).toMatchObject({ value: 21.5 });
  });

  it("with bridge.republishOnConnect off, only points that changed have a retained state", async () => {
    const t = await env.start({
      datapoints: standardPoints(uniqueTopic("weather")),
      config: { bridge: { republishOnConnect: false } },
    });
    await t.mqtt.publish(t.pointTopic(1, P.alarm), "on");
    await t.mqtt.wait(t.stateTopic(1, P.alarm), (m) => json(m).value === true);
    expect(await retainedStates(t, t.topic("state/#"), 1)).toEqual([t.stateTopic(1, P.alarm)]);
  });

  it("mqtt.qos sets the QoS of the state publications", async () => {
    const t = await env.start({
      datapoints: standardPoints(uniqueTopic("weather")),
      config: { mqtt: { qos: 0 } },
    });
    const mark = t.mqtt.mark();
    await t.mqtt.publish(t.pointTopic(1, P.voltage), "19.5");
    const m = await t.mqtt.wait(t.stateTopic(1, P.voltage), (x) => json(x).value === 19.5, { since: mark });
    expect(m.qos).toBe(0);
    expect((await t.mqtt.wait(t.topic("bridge/state"))).qos).toBe(1);
  });

  it("coalesces a point's state over bridge.stateInterval: its latest value, not every one", async () => {
    const t = await env.start({
      datapoints: standardPoints(uniqueTopic("weather")),
      config: { bridge: { stateInterval: 0.5 } },
    });
    const mark = t.mqtt.mark();
    const masterMark = t.master.mark();
    for (let i = 1; i <= 20; i++) await t.mqtt.publish(t.pointTopic(1, P.voltage), String(i), { qos: 0 });
    await t.mqtt.wait(t.stateTopic(1, P.voltage), (m) => json(m).value === 20, { since: mark });
    await sleep(600);
    const states = t.mqtt.on(t.stateTopic(1, P.voltage), mark).map((m) => json(m).value);
    expect(states.length).toBeLessThanOrEqual(3);
    expect(states.at(-1)).toBe(20);
    // The master is not coalesced: it got every value.
    await t.master.wait({ ca: 1, ioa: P.voltage, where: (o) => o.value === 20 }, { since: masterMark });
    expect(t.master.events({ ca: 1, ioa: P.voltage }, masterMark).map((e) => e.obj.value)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });

  it("bridge/state is online (retained) after start and offline after a clean stop", async () => {
    const t = await start();
    const late = await t.newMqtt();
    await late.subscribe(t.topic("bridge/state"));
    const online = await late.wait(t.topic("bridge/state"));
    expect(online.retain).toBe(true);
    expect(json(online)).toMatchObject({ state: "online" });
    expect(typeof json(online).ts).toBe("string");

    const mark = t.mqtt.mark();
    await t.stop();
    const offline = await t.mqtt.waitJson(t.topic("bridge/state"), (j) => j.state === "offline", {
      since: mark,
    });
    expect(offline.reason).toBeUndefined();
    if (env.kind === "mosquitto") {
      // A clean disconnect: the broker drops the will, nothing follows the gateway's own offline.
      await sleep(300);
      expect(t.mqtt.on(t.topic("bridge/state"), mark).map((m) => json(m).reason)).toEqual([undefined]);
      const after = await t.newMqtt();
      await after.subscribe(t.topic("bridge/state"));
      const r = await after.wait(t.topic("bridge/state"));
      expect(r.retain).toBe(true);
      expect(json(r).state).toBe("offline");
    }
  });

  it("a clean stop does not hang on a broker that stops answering", async () => {
    let mosquitto: Mosquitto | undefined;
    if (env.kind === "mosquitto") {
      const m = await Mosquitto.start();
      onCleanup(() => m.close());
      mosquitto = m;
    }
    const t = await startTestGateway({
      broker: env.kind,
      mosquitto,
      datapoints: standardPoints(uniqueTopic("weather")),
    });
    if (mosquitto !== undefined) {
      mosquitto.pause();
    } else {
      // The embedded broker never acknowledges the gateway's publications any more.
      const aedes = t.gw.broker!.aedes;
      aedes.authorizePublish = (client, _packet, done) => {
        if (client?.id !== t.config.mqtt.clientId) done(null);
      };
    }
    const began = Date.now();
    await t.stop();
    expect(Date.now() - began).toBeLessThan(4000);
    expect(t.logs.entries.some((e) => e.msg.includes("did not acknowledge offline"))).toBe(true);
    expect(t.gw.client.connected).toBe(false);
    mosquitto?.resume();
  });

  it("bridge/info describes the gateway, its stations and points (retained)", async () => {
    const t = await start();
    const c = await t.newMqtt();
    await c.subscribe(t.topic("bridge/info"));
    const m = await c.wait(t.topic("bridge/info"));
    expect(m.retain).toBe(true);
    const info = json(m);
    expect(info).toMatchObject({
      id: t.config.gateway.id,
      broker: env.kind === "embedded" ? "embedded" : "external",
      iec104: { host: "127.0.0.1", port: t.gw.addresses.iec104, tls: false },
    });
    expect(typeof info.version).toBe("string");
    expect(info.stations).toEqual([
      { ca: 1, points: 11, commands: 6 },
      { ca: 2, points: 1, commands: 0 },
    ]);
    const points = info.points as Record<string, unknown>[];
    expect(points).toContainEqual({
      name: "Voltage",
      ca: 1,
      ioa: P.voltage,
      kind: "monitor",
      type: "M_ME_TF_1",
      unit: "kV",
    });
    expect(points).toContainEqual(
      expect.objectContaining({ name: "Breaker command", kind: "command", type: "C_DC_NA_1" }),
    );
  });

  it("bridge/masters follows masters connecting, starting and closing", async () => {
    const t = await start();
    const masters = (since: number, pred: (list: Record<string, unknown>[]) => boolean) =>
      t.mqtt.waitJson(t.topic("bridge/masters"), (j) => pred(j.masters as Record<string, unknown>[]), {
        since,
      });
    // The fixture's master is connected and started.
    const first = await masters(0, (l) => l.length === 1 && l[0]!.state === "STARTED");
    expect(first.masters).toEqual([
      expect.objectContaining({ remote: expect.stringMatching(/^127\.0\.0\.1:\d+$/), state: "STARTED" }),
    ]);

    let mark = t.mqtt.mark();
    const second = await t.newMaster();
    await masters(mark, (l) => l.length === 2 && l.every((m) => m.state === "STARTED"));

    mark = t.mqtt.mark();
    await second.master.stopDataTransfer();
    await masters(mark, (l) => l.some((m) => m.state === "STOPPED"));

    mark = t.mqtt.mark();
    await second.close();
    const after = await masters(mark, (l) => l.length === 1);
    expect((after.masters as Record<string, unknown>[])[0]!.state).toBe("STARTED");

    const late = await t.newMqtt();
    await late.subscribe(t.topic("bridge/masters"));
    const retained = await late.wait(t.topic("bridge/masters"));
    expect(retained.retain).toBe(true);
    expect((json(retained).masters as unknown[]).length).toBe(1);
  });

  it("bridge/event reports interrogations, connections and refused requests", async () => {
    const t = await start();
    const mark = t.mqtt.mark();
    await t.master.master.interrogate(1);
    const gi = await t.mqtt.waitJson(t.topic("bridge/event"), (j) => j.type === "interrogation", {
      since: mark,
    });
    expect(gi).toMatchObject({ ca: 1, qoi: 20 });
    expect(typeof gi.ts).toBe("string");

    await expect(t.master.master.interrogate(77)).rejects.toBeInstanceOf(NegativeConfirmationError);
    const refused = await t.mqtt.waitJson(t.topic("bridge/event"), (j) => j.type === "rejected", {
      since: mark,
    });
    expect(refused).toMatchObject({ ca: 77, cot: 46, typeId: 100 });
    expect(String(refused.reason)).not.toBe("");

    const ev = t.mqtt.on(t.topic("bridge/event"), mark);
    expect(ev.every((m) => !m.retain)).toBe(true);
  });

  it("answers health_check and republish with the transaction echoed, and errors for unknown ops", async () => {
    const t = await start();
    await t.mqtt.publish(t.pointTopic(1, P.voltage), "21.5");
    await t.mqtt.wait(t.stateTopic(1, P.voltage));

    let mark = t.mqtt.mark();
    await t.mqtt.publish(t.topic("bridge/request/health_check"), JSON.stringify({ transaction: 42 }));
    const health = await t.mqtt.waitJson(t.topic("bridge/response/health_check"), () => true, {
      since: mark,
    });
    expect(health).toMatchObject({
      status: "ok",
      transaction: 42,
      data: { iec104: { listening: true, masters: 1 }, mqtt: { connected: true }, points: 12 },
    });

    mark = t.mqtt.mark();
    await t.mqtt.publish(t.topic("bridge/request/republish"), JSON.stringify({ transaction: "abc" }));
    const rep = await t.mqtt.waitJson(t.topic("bridge/response/republish"), () => true, { since: mark });
    expect(rep).toEqual({ status: "ok", data: { points: 12 }, transaction: "abc" });
    const states = await t.mqtt.wait(t.stateTopic(1, P.voltage), () => true, { since: mark });
    expect(json(states).value).toBe(21.5);
    await t.mqtt.wait(t.stateTopic(2, P.other), () => true, { since: mark });

    mark = t.mqtt.mark();
    await t.mqtt.publish(t.topic("bridge/request/reboot"), JSON.stringify({ transaction: 7 }));
    const bad = await t.mqtt.waitJson(t.topic("bridge/response/reboot"), () => true, { since: mark });
    expect(bad).toMatchObject({ status: "error", transaction: 7 });
    expect(String(bad.error)).toContain("reboot");

    mark = t.mqtt.mark();
    await t.mqtt.publish(t.topic("bridge/request/health_check"), "not json");
    const garbage = await t.mqtt.waitJson(t.topic("bridge/response/health_check"), () => true, {
      since: mark,
    });
    expect(garbage).toMatchObject({ status: "error" });

    mark = t.mqtt.mark();
    await t.mqtt.publish(t.topic("bridge/request/health_check"), "");
    const empty = await t.mqtt.waitJson(t.topic("bridge/response/health_check"), () => true, { since: mark });
    expect(empty.status).toBe("ok");
  });
});

describe("the embedded broker's retained state", () => {
  it("needs no publication of every point at start-up: the state is there from the first connect", async () => {
    const t = await startTestGateway({
      broker: "embedded",
      datapoints: standardPoints(uniqueTopic("weather")),
    });
    const monitored = t.gw.catalog.points.filter((p) => p.kind === "monitor");
    // bridge/state, bridge/info and bridge/masters (twice: the master connected), no state/...
    expect(t.gw.bridge.stats.messagesOut).toBeLessThan(monitored.length);
    const late = await t.newMqtt();
    await late.subscribe(t.topic("state/#"));
    await until(() => late.messages.length >= monitored.length || undefined, "every point's retained state");
    expect(late.messages.every((m) => m.retain)).toBe(true);
  });

  it("is served from the point image, never stored: another client's retained publication does not replace it", async () => {
    const t = await startTestGateway({
      broker: "embedded",
      datapoints: standardPoints(uniqueTopic("weather")),
    });
    await t.mqtt.publish(t.pointTopic(1, P.voltage), "20.5");
    await t.mqtt.wait(t.stateTopic(1, P.voltage), (m) => json(m).value === 20.5);
    // Anyone may publish anywhere without `auth`: the message reaches the live subscribers...
    const mark = t.mqtt.mark();
    await t.mqtt.publish(t.stateTopic(1, P.voltage), "forged", { retain: true });
    await t.mqtt.publish(t.stateTopic(1, P.alarm), "", { retain: true });
    await t.mqtt.wait(t.stateTopic(1, P.voltage), (m) => m.text === "forged", { since: mark });
    // ...but the broker keeps no copy of any state topic, and new subscribers get what the outstation holds.
    const persistence = (t.gw.broker!.aedes as unknown as { persistence: RetainedStore }).persistence;
    expect(await persistence.createRetainedStream(t.topic("state/#")).toArray()).toEqual([]);
    const late = await t.newMqtt();
    await late.subscribe([t.stateTopic(1, P.voltage), t.stateTopic(1, P.alarm)]);
    expect(json(await late.wait(t.stateTopic(1, P.voltage)))).toMatchObject({ value: 20.5, name: "Voltage" });
    expect(json(await late.wait(t.stateTopic(1, P.alarm)))).toMatchObject({ type: "M_SP_TB_1" });
    // Topics it does not own are retained as usual, the other points' state topics among them.
    await t.mqtt.publish(t.stateTopic(9, 9), "kept", { retain: true });
    await t.mqtt.publish(t.topic("elsewhere"), "kept", { retain: true });
    await late.subscribe([t.stateTopic(9, 9), t.topic("elsewhere")]);
    await late.wait(t.stateTopic(9, 9), (m) => m.retain && m.text === "kept");
    await late.wait(t.topic("elsewhere"), (m) => m.retain && m.text === "kept");
  });
});

interface RetainedStore {
  createRetainedStream(pattern: string): Readable;
}
