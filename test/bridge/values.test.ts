/**
 * Values in: MQTT publications on `<base>/point/<ca>/<ioa>`, `<base>/batch` and a point's own topic
 * reach the master as spontaneous ASDUs of the configured type, with value, quality and source
 * time, and a general interrogation afterwards shows the latest values.
 */
import { describe, expect, it } from "vitest";
import { TypeId } from "../../src/iec104/asdu/types.js";
import { Quality } from "../../src/iec104/codec/quality.js";
import { json, objectsByIoa } from "./clients.js";
import { describeBrokers, startTestGateway } from "./gateway.js";
import { P, standardPoints, uniqueTopic } from "./points.js";

const SPONT = 3;

describeBrokers("values in", (env) => {
  const start = () => {
    const ext = uniqueTopic("weather");
    return env.start({ datapoints: standardPoints(ext) }).then((t) => ({ ...t, ext }));
  };

  it("a plain scalar gives a spontaneous M_ME_TF_1 with the value, good quality and the current time", async () => {
    const t = await start();
    const before = Date.now();
    await t.mqtt.publish(t.pointTopic(1, P.voltage), "230.5");
    const e = await t.master.wait({ ca: 1, ioa: P.voltage, cot: SPONT });
    expect(e.asdu.typeId).toBe(TypeId.M_ME_TF_1);
    expect(e.obj.value).toBe(230.5);
    expect(e.obj.quality).toBe(0);
    expect(e.timeMs).toBeGreaterThanOrEqual(before - 5);
    expect(e.timeMs).toBeLessThanOrEqual(Date.now() + 5);
  });

  it("JSON with quality flags, names and source time sets the quality bits and the CP56Time2a", async () => {
    const t = await start();
    const ts = "2026-03-04T05:06:07.891Z";
    let mark = t.master.mark();
    await t.mqtt.publish(
      t.pointTopic(1, P.voltage),
      JSON.stringify({ value: 231.25, quality: { iv: true }, ts }),
    );
    let e = await t.master.wait({ ca: 1, ioa: P.voltage, cot: SPONT }, { since: mark });
    expect(e.obj.value).toBe(231.25);
    expect(e.obj.quality).toBe(Quality.IV);
    expect(e.timeMs).toBe(Date.parse(ts));

    mark = t.master.mark();
    const epoch = Date.parse("2026-03-04T05:06:08.000Z");
    await t.mqtt.publish(
      t.pointTopic(1, P.voltage),
      JSON.stringify({ value: 229, quality: ["NT"], ts: epoch }),
    );
    e = await t.master.wait({ ca: 1, ioa: P.voltage, cot: SPONT }, { since: mark });
    expect(e.obj.value).toBe(229);
    expect(e.obj.quality).toBe(Quality.NT);
    expect(e.timeMs).toBe(epoch);

    mark = t.master.mark();
    await t.mqtt.publish(
      t.pointTopic(1, P.scaled),
      JSON.stringify({ value: -1234, quality: Quality.SB | Quality.BL }),
    );
    e = await t.master.wait({ ca: 1, ioa: P.scaled, cot: SPONT }, { since: mark });
    expect(e.asdu.typeId).toBe(TypeId.M_ME_TE_1);
    expect(e.obj.value).toBe(-1234);
    expect(e.obj.quality).toBe(Quality.SB | Quality.BL);
  });

  it("single points take true/false/on/off, double points on/off/true/false and 0..3", async () => {
    const t = await start();
    const sp = async (payload: string, value: boolean) => {
      const mark = t.master.mark();
      await t.mqtt.publish(t.pointTopic(1, P.alarm), payload);
      const e = await t.master.wait({ ca: 1, ioa: P.alarm, cot: SPONT }, { since: mark });
      expect(e.asdu.typeId).toBe(TypeId.M_SP_TB_1);
      expect(e.obj.value, payload).toBe(value);
    };
    await sp("on", true);
    await sp("false", false);
    await sp("true", true);
    await sp("off", false);
    await sp("1", true);
    await sp('{"value":"OFF"}', false);

    const dp = async (payload: string, value: number) => {
      const mark = t.master.mark();
      await t.mqtt.publish(t.pointTopic(1, P.breaker), payload);
      const e = await t.master.wait({ ca: 1, ioa: P.breaker, cot: SPONT }, { since: mark });
      expect(e.asdu.typeId).toBe(TypeId.M_DP_TB_1);
      expect(e.obj.value, payload).toBe(value);
    };
    await dp("off", 1);
    await dp("on", 2);
    await dp("false", 1);
    await dp("true", 2);
    await dp("0", 0);
    await dp("3", 3);
    await dp('{"value":false}', 1);

    const mark = t.master.mark();
    await t.mqtt.publish(t.pointTopic(1, P.flag), "on");
    const e = await t.master.wait({ ca: 1, ioa: P.flag, cot: SPONT }, { since: mark });
    expect(e.asdu.typeId).toBe(TypeId.M_SP_NA_1);
    expect(e.obj.value).toBe(true);
    expect(e.timeMs).toBeUndefined();
  });

  it("counters, step positions and normalized values", async () => {
    const t = await start();
    let mark = t.master.mark();
    await t.mqtt.publish(t.pointTopic(1, P.energy), "123456");
    let e = await t.master.wait({ ca: 1, ioa: P.energy, cot: SPONT }, { since: mark });
    expect(e.asdu.typeId).toBe(TypeId.M_IT_TB_1);
    expect(e.obj.value).toBe(123456);
    expect(e.obj.carry).toBe(false);

    mark = t.master.mark();
    await t.mqtt.publish(t.pointTopic(1, P.energy), JSON.stringify({ value: 123999, carry: true }));
    e = await t.master.wait({ ca: 1, ioa: P.energy, cot: SPONT }, { since: mark });
    expect(e.obj.value).toBe(123999);
    expect(e.obj.carry).toBe(true);

    const ci = await t.master.master.counterInterrogate(1);
    expect(objectsByIoa(ci.data).get(P.energy)).toMatchObject({
      typeId: TypeId.M_IT_TB_1,
      cot: 37,
      value: 123999,
    });

    mark = t.master.mark();
    await t.mqtt.publish(t.pointTopic(1, P.tap), JSON.stringify({ value: -7, transient: true }));
    e = await t.master.wait({ ca: 1, ioa: P.tap, cot: SPONT }, { since: mark });
    expect(e.asdu.typeId).toBe(TypeId.M_ST_TB_1);
    expect(e.obj.value).toBe(-7);
    expect(e.obj.transient).toBe(true);

    mark = t.master.mark();
    await t.mqtt.publish(t.pointTopic(1, P.normalized), "-0.5");
    e = await t.master.wait({ ca: 1, ioa: P.normalized, cot: SPONT }, { since: mark });
    expect(e.asdu.typeId).toBe(TypeId.M_ME_TD_1);
    expect(e.obj.value).toBeCloseTo(-0.5, 4);
  });

  it("a point with its own topic and JSON field reads the value from that field", async () => {
    const t = await start();
    const mark = t.master.mark();
    await t.mqtt.publish(
      t.ext,
      JSON.stringify({ station: "roof", air: { temperature: 17.5, humidity: 60 } }),
    );
    const e = await t.master.wait({ ca: 1, ioa: P.external, cot: SPONT }, { since: mark });
    expect(e.asdu.typeId).toBe(TypeId.M_ME_TF_1);
    expect(e.obj.value).toBe(17.5);
    const state = await t.mqtt.waitJson(t.stateTopic(1, P.external), (j) => j.value === 17.5);
    expect(state).toMatchObject({ name: "Ambient temperature", unit: "°C", type: "M_ME_TF_1" });
  });

  it("the batch topic takes objects and [ca, ioa, value] arrays, across stations", async () => {
    const t = await start();
    const mark = t.master.mark();
    await t.mqtt.publish(
      t.topic("batch"),
      JSON.stringify([
        { ca: 1, ioa: P.voltage, value: 11.5 },
        [1, P.scaled, 120],
        { ca: 2, ioa: P.other, value: -3.5 },
        { ca: 1, ioa: P.breaker, value: "off" },
        { ioa: P.alarm, value: true, quality: ["NT"] },
      ]),
    );
    const v = await t.master.wait({ ca: 1, ioa: P.voltage, cot: SPONT }, { since: mark });
    expect(v.obj.value).toBe(11.5);
    expect((await t.master.wait({ ca: 1, ioa: P.scaled, cot: SPONT }, { since: mark })).obj.value).toBe(120);
    const other = await t.master.wait({ ca: 2, ioa: P.other, cot: SPONT }, { since: mark });
    expect(other.asdu.typeId).toBe(TypeId.M_ME_NC_1);
    expect(other.obj.value).toBe(-3.5);
    expect((await t.master.wait({ ca: 1, ioa: P.breaker, cot: SPONT }, { since: mark })).obj.value).toBe(1);
    const alarm = await t.master.wait({ ca: 1, ioa: P.alarm, cot: SPONT }, { since: mark });
    expect(alarm.obj).toMatchObject({ value: true, quality: Quality.NT });
  });

  it("a general interrogation after updates shows the latest values in the untimed types", async () => {
    const t = await start();
    await t.mqtt.publish(t.pointTopic(1, P.voltage), "228.5");
    await t.mqtt.publish(t.pointTopic(1, P.voltage), "229.5");
    await t.mqtt.publish(t.pointTopic(1, P.breaker), "off");
    await t.mqtt.publish(t.pointTopic(1, P.alarm), "on");
    await t.mqtt.publish(t.pointTopic(2, P.other), "42.25");
    await t.master.wait({ ca: 2, ioa: P.other, cot: SPONT });

    const gi = await t.master.master.interrogate(1);
    expect(gi.actCon.cot).toBe(7);
    expect(gi.actTerm.cot).toBe(10);
    const objects = objectsByIoa(gi.data);
    expect(objects.get(P.voltage)).toMatchObject({ typeId: TypeId.M_ME_NC_1, cot: 20, value: 229.5 });
    expect(objects.get(P.breaker)).toMatchObject({ typeId: TypeId.M_DP_NA_1, value: 1 });
    expect(objects.get(P.alarm)).toMatchObject({ typeId: TypeId.M_SP_NA_1, value: true });
    expect(objects.has(P.energy)).toBe(false);

    const gi2 = await t.master.master.interrogate(2);
    expect(objectsByIoa(gi2.data).get(P.other)).toMatchObject({ typeId: TypeId.M_ME_NC_1, value: 42.25 });
  });
});

describe("values from the embedded broker", () => {
  it("come straight out of the broker, not through the gateway's own MQTT client", async () => {
    const t = await startTestGateway({
      broker: "embedded",
      datapoints: standardPoints(uniqueTopic("weather")),
    });
    // The gateway's client gone (and not coming back): values still reach the masters...
    await t.gw.client.endAsync(true);
    const mark = t.master.mark();
    await t.mqtt.publish(t.pointTopic(1, P.voltage), "23.5");
    await t.mqtt.publish(t.topic("batch"), JSON.stringify([[1, P.scaled, 77]]));
    await t.master.wait({ ca: 1, ioa: P.voltage, where: (o) => o.value === 23.5 }, { since: mark });
    await t.master.wait({ ca: 1, ioa: P.scaled, where: (o) => o.value === 77 }, { since: mark });
    // ...and so does the point's retained state, served from the point image.
    const late = await t.newMqtt();
    await late.subscribe(t.stateTopic(1, P.voltage));
    expect(json(await late.wait(t.stateTopic(1, P.voltage)))).toMatchObject({ value: 23.5 });
  });
});
