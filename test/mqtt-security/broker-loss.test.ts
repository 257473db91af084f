/**
 * Losing the external broker: Mosquitto is killed (SIGKILL) while values stream in. Every value the
 * gateway had accepted still reaches the IEC 104 master (the event queue does not depend on MQTT);
 * the gateway logs the loss once and retries at its reconnect period, without hammering; when
 * Mosquitto is back on the same port, the gateway subscribes again, announces itself online and
 * republishes every point's retained state (Mosquitto, without persistence, lost them all).
 */
import { afterEach, describe, expect, it } from "vitest";
import { Cot } from "../../src/iec104/asdu/types.js";
import { json, sleep, TestMqtt, until } from "../bridge/clients.js";
import { hasMosquitto, onCleanup, startTestGateway } from "../bridge/gateway.js";
import { Mosquitto } from "../bridge/mosquitto.js";
import { P, standardPoints, uniqueTopic } from "../bridge/points.js";

const RECONNECT_S = 0.25;
const RECONNECT_MAX_S = 1;

describe.skipIf(!hasMosquitto())("Mosquitto killed mid-stream [mosquitto]", () => {
  let mosquitto: Mosquitto | undefined;
  afterEach(async () => {
    await mosquitto?.close();
  });

  it("accepted values reach the master; reconnect with back-off; state republished after the restart", async () => {
    const m = await Mosquitto.start();
    mosquitto = m;
    const datapoints = standardPoints(uniqueTopic("weather"));
    const t = await startTestGateway({
      broker: "mosquitto",
      mosquitto: m,
      datapoints,
      config: { mqtt: { reconnectPeriod: RECONNECT_S, reconnectPeriodMax: RECONNECT_MAX_S } },
    });
    const topic = t.pointTopic(1, P.voltage);

    // What the gateway's client received on the point topic: the bridge, listening first, applied it.
    const accepted: number[] = [];
    t.gw.client.on("message", (tp, payload) => {
      if (tp === topic) accepted.push(Number(payload.toString()));
    });
    const attempts: number[] = [];
    t.gw.client.on("reconnect", () => attempts.push(Date.now()));

    const publisher = await TestMqtt.connect(m.url, { reconnectPeriod: 0 });
    onCleanup(() => publisher.close());
    let sent = 0;
    let killed: Promise<void> | undefined;
    while (publisher.client.connected && sent < 5000) {
      publisher.client.publish(topic, String(1000 + sent), { qos: 0 });
      sent++;
      if (sent === 200) killed = m.kill();
      if (sent % 20 === 0) await sleep(2);
    }
    await killed;
    const lostAt = Date.now();
    await until(() => !t.gw.client.connected, "the gateway to notice the loss", 5000);
    expect(accepted.length).toBeGreaterThan(50);

    // Every accepted value reaches the master, in order.
    await until(
      () => t.master.events({ ca: 1, ioa: P.voltage, cot: Cot.SPONTANEOUS }).length >= accepted.length,
      `${accepted.length} spontaneous values at the master`,
      5000,
    );
    const atMaster = t.master.events({ ca: 1, ioa: P.voltage, cot: Cot.SPONTANEOUS }).map((e) => e.obj.value);
    expect(atMaster).toEqual(accepted);

    // The loss is logged once; the retries back off: 0.25 s, 0.5 s, then 1 s (the maximum) apart.
    await until(() => attempts.filter((a) => a > lostAt).length >= 5, "five reconnection attempts", 6000);
    expect(t.logs.entries.filter((e) => e.msg === "MQTT broker unreachable: reconnecting")).toHaveLength(1);
    const retries = attempts.filter((a) => a > lostAt);
    const gaps = retries.slice(1).map((at, i) => at - retries[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(2 * RECONNECT_S * 1000 - 50);
    for (const gap of gaps.slice(1)) expect(gap).toBeGreaterThanOrEqual(RECONNECT_MAX_S * 1000 - 50);
    for (const gap of gaps) expect(gap).toBeLessThan(RECONNECT_MAX_S * 1000 + 400);

    // Back on the same port: re-subscribed, online, every point's state retained again.
    await m.run();
    await until(() => t.gw.client.connected, "the gateway to reconnect", 5000);
    const late = await TestMqtt.connect(m.url);
    onCleanup(() => late.close());
    await late.subscribe(`${t.base}/#`);
    const online = await late.wait(t.topic("bridge/state"), (x) => x.text.includes('"online"'));
    expect(online.retain).toBe(true);
    const monitors = Object.values(datapoints).filter(
      (p) => typeof p === "object" && p !== null && !("select" in p) && !("commandMode" in p),
    ).length;
    await until(
      () =>
        new Set(late.messages.filter((x) => x.topic.startsWith(`${t.base}/state/`)).map((x) => x.topic))
          .size >= monitors,
      `${monitors} retained states`,
      5000,
    );
    const voltage = await late.wait(t.stateTopic(1, P.voltage));
    expect(voltage.retain).toBe(true);
    expect(json(voltage).value).toBe(accepted.at(-1));
    expect(t.logs.entries.filter((e) => e.msg === "MQTT bridge online").length).toBe(2);

    // Subscribed again: a new value goes through.
    const mark = t.master.mark();
    await late.publish(topic, "4321");
    await t.master.wait(
      { ca: 1, ioa: P.voltage, cot: Cot.SPONTANEOUS, where: (o) => o.value === 4321 },
      { since: mark },
    );
  }, 30_000);
});
