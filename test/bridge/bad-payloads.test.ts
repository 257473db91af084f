/**
 * Bad input: garbage, out-of-range values, unknown quality flags, bad times, unknown addresses and
 * bad batch entries are each refused with an `error` on `bridge/event` naming topic and reason; the
 * master gets nothing and the point keeps its last good value. With `bridge.badPayload: invalid`
 * the point is flagged IV instead, until the next good value.
 */
import { expect, it } from "vitest";
import { Cot } from "../../src/iec104/asdu/types.js";
import { Quality } from "../../src/iec104/codec/quality.js";
import { objectsByIoa } from "./clients.js";
import { describeBrokers, type TestGateway } from "./gateway.js";
import { P, standardPoints, uniqueTopic } from "./points.js";

async function giValues(t: TestGateway): Promise<Map<number, Record<string, unknown>>> {
  return objectsByIoa((await t.master.master.interrogate(1)).data);
}

describeBrokers("bad payloads", (env) => {
  const start = (config: Record<string, unknown> = {}) => {
    const ext = uniqueTopic("weather");
    return env.start({ datapoints: standardPoints(ext), config }).then((t) => ({ ...t, ext }));
  };

  it("each is refused with an error event naming topic and reason; the point keeps its value", async () => {
    const t = await start();
    const good: [number, string][] = [
      [P.voltage, "230.5"],
      [P.scaled, "100"],
      [P.breaker, "off"],
      [P.alarm, "on"],
    ];
    for (const [ioa, v] of good) await t.mqtt.publish(t.pointTopic(1, ioa), v);
    await t.master.wait({ ca: 1, ioa: P.alarm, cot: Cot.SPONTANEOUS });

    const masterMark = t.master.mark();
    const mark = t.mqtt.mark();
    const v = t.pointTopic(1, P.voltage);
    const bad: [topic: string, payload: string, reason: RegExp][] = [
      [v, "{oops", /not JSON/],
      [v, "garbage", /"garbage" is not a value/],
      [v, "", /empty payload/],
      [t.pointTopic(1, P.scaled), "70000", /70000 is out of range -32768\.\.32767/],
      [t.pointTopic(1, P.breaker), "4", /4 is out of range 0\.\.3/],
      [t.pointTopic(1, P.alarm), "1.5", /1\.5 is not an integer/],
      [v, JSON.stringify({ value: 1, quality: ["XX"] }), /unknown quality flag/],
      [v, JSON.stringify({ value: 1, quality: { bad: true } }), /quality/],
      [v, JSON.stringify({ value: 1, ts: "yesterday" }), /ts: "yesterday" is not a time/],
      [v, JSON.stringify({ value: 1, colour: "red" }), /colour|unrecognized/i],
      [v, JSON.stringify({ quality: ["NT"] }), /value/],
      [t.pointTopic(1, 9999), "1", /no monitoring point CA 1 IOA 9999/],
      [t.pointTopic(9, P.voltage), "1", /no monitoring point CA 9 IOA 1001/],
      [t.ext, JSON.stringify({ air: { humidity: 60 } }), /field "air\.temperature" is missing/],
      [t.topic("batch"), "not json", /batch is not JSON/],
      [t.topic("batch"), JSON.stringify({ ca: 1, ioa: P.voltage, value: 1 }), /batch must be a JSON array/],
    ];
    for (const [topic, payload] of bad) await t.mqtt.publish(topic, payload);
    // One batch with good and bad entries: the good one is applied, each bad one reported.
    await t.mqtt.publish(
      t.topic("batch"),
      JSON.stringify([
        { ca: 1, ioa: P.voltage, value: "x" },
        [1, P.scaled],
        { ioa: "a", value: 1 },
        { ca: 1, ioa: P.scaled, value: 70000 },
        { ca: 1, ioa: 9999, value: 1 },
        { ca: 1, ioa: P.normalized, value: 0.25 },
      ]),
    );
    const sentinel = await t.master.wait(
      { ca: 1, ioa: P.normalized, cot: Cot.SPONTANEOUS },
      { since: masterMark },
    );
    expect(sentinel.obj.value).toBeCloseTo(0.25, 4);

    const batchReasons = [
      /"x" is not a value/,
      /\[1\]: must be \[ca, ioa, value\]/,
      /\[2\]: ioa/,
      /70000 is out of range/,
      /no monitoring point CA 1 IOA 9999/,
    ];
    const expected = [...bad, ...batchReasons.map((r) => [t.topic("batch"), "", r] as const)];
    await t.mqtt.wait(
      t.topic("bridge/event"),
      () => t.mqtt.on(t.topic("bridge/event"), mark).length >= expected.length,
      { since: mark },
    );
    const errors = t.mqtt
      .on(t.topic("bridge/event"), mark)
      .map((m) => JSON.parse(m.text) as Record<string, unknown>)
      .filter((e) => e.type === "error");
    for (const [topic, , reason] of expected) {
      expect(
        errors.some((e) => e.topic === topic && reason.test(String(e.reason))),
        `an error for ${topic} matching ${reason}; got ${JSON.stringify(errors, null, 1)}`,
      ).toBe(true);
    }
    expect(errors.length).toBe(expected.length);

    // Nothing reached the master but the good batch entry.
    const spont = t.master.received.slice(masterMark).filter((a) => a.cot === Cot.SPONTANEOUS);
    expect(spont.flatMap((a) => a.objects.map((o) => o.ioa))).toEqual([P.normalized]);
    const gi = await giValues(t);
    expect(gi.get(P.voltage)).toMatchObject({ value: 230.5, quality: 0 });
    expect(gi.get(P.scaled)).toMatchObject({ value: 100, quality: 0 });
    expect(gi.get(P.breaker)).toMatchObject({ value: 1, quality: 0 });
    expect(gi.get(P.alarm)).toMatchObject({ value: true, quality: 0 });
    expect(t.gw.bridge.stats.valuesRejected).toBeGreaterThanOrEqual(12);
    expect(t.logs.entries.some((e) => e.level === "warn" && e.msg.startsWith("rejected MQTT input"))).toBe(
      true,
    );
  });

  it("with badPayload invalid the point is flagged IV (same value) until the next good value", async () => {
    const t = await start({ bridge: { badPayload: "invalid" } });
    await t.mqtt.publish(t.pointTopic(1, P.voltage), "230.5");
    await t.master.wait({ ca: 1, ioa: P.voltage, cot: Cot.SPONTANEOUS });
    await t.mqtt.waitJson(t.stateTopic(1, P.voltage), (j) => j.value === 230.5);

    let mark = t.master.mark();
    let mqttMark = t.mqtt.mark();
    await t.mqtt.publish(t.pointTopic(1, P.voltage), "garbage");
    const iv = await t.master.wait({ ca: 1, ioa: P.voltage, cot: Cot.SPONTANEOUS }, { since: mark });
    expect(iv.obj).toMatchObject({ value: 230.5, quality: Quality.IV });
    await t.mqtt.waitJson(t.topic("bridge/event"), (j) => j.type === "error", { since: mqttMark });
    const state = await t.mqtt.waitJson(t.stateTopic(1, P.voltage), (j) => j.value === 230.5, {
      since: mqttMark,
    });
    expect(state.quality).toMatchObject({ iv: true });
    expect((await giValues(t)).get(P.voltage)).toMatchObject({ value: 230.5, quality: Quality.IV });

    // A second bad payload changes nothing more.
    mark = t.master.mark();
    mqttMark = t.mqtt.mark();
    await t.mqtt.publish(t.pointTopic(1, P.voltage), "70000000000000000000000000000000000000000000");
    await t.mqtt.publish(t.pointTopic(1, P.voltage), "231");
    const ok = await t.master.wait({ ca: 1, ioa: P.voltage, cot: Cot.SPONTANEOUS }, { since: mark });
    expect(ok.obj).toMatchObject({ value: 231, quality: 0 });
    const cleared = await t.mqtt.waitJson(t.stateTopic(1, P.voltage), (j) => j.value === 231, {
      since: mqttMark,
    });
    expect(cleared.quality).toMatchObject({ iv: false });
  });
});
