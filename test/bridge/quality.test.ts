/**
 * Quality the bridge adds: NT when a point got no update within its `staleAfterMs` (or the
 * bridge's `staleAfter`), cleared by the next value; IV while a publisher's availability topic says
 * offline, cleared when it says online. Both reach the master spontaneously and the retained state.
 */
import { expect, it } from "vitest";
import { Cot } from "../../src/iec104/asdu/types.js";
import { Quality } from "../../src/iec104/codec/quality.js";
import { objectsByIoa, sleep, until } from "./clients.js";
import { describeBrokers } from "./gateway.js";
import { uniqueTopic } from "./points.js";

const SPONT = Cot.SPONTANEOUS;

/** Whether the quality flag `f` is set in a state message. */
function flag(state: Record<string, unknown>, f: "nt" | "iv"): boolean {
  const q = state.quality;
  return typeof q === "object" && q !== null && (q as Record<string, unknown>)[f] === true;
}

function points(): Record<string, unknown> {
  const m = (ioa: number, type: number, extra: Record<string, unknown> = {}) => ({
    IOAddress: ioa,
    "Type IEC": type,
    ca: 1,
    simulate: false,
    ...extra,
  });
  return {
    "Fast voltage": m(1, 36, { staleAfterMs: 300, initial: 1 }),
    "Bridge default": m(2, 36, { initial: 2 }),
    "Never stale": m(3, 36, { staleAfterMs: 0, initial: 3 }),
    "Quiet counter": m(4, 37, { counterGroup: 1, initial: 10 }),
    Breaker: m(5, 31, { initial: 2, staleAfterMs: 0 }),
  };
}

describeBrokers("NT and IV from the bridge", (env) => {
  it("a point's staleAfterMs sets NT spontaneously; a new value clears it", async () => {
    const t = await env.start({ datapoints: points() });
    let mark = t.master.mark();
    await t.mqtt.publish(t.pointTopic(1, 1), "10.5");
    const fresh = await t.master.wait({ ca: 1, ioa: 1, cot: SPONT }, { since: mark });
    expect(fresh.obj).toMatchObject({ value: 10.5, quality: 0 });
    const at = Date.now();

    mark = t.master.mark();
    const mqttMark = t.mqtt.mark();
    const stale = await t.master.wait({ ca: 1, ioa: 1, cot: SPONT }, { since: mark, timeoutMs: 2000 });
    expect(stale.obj).toMatchObject({ value: 10.5, quality: Quality.NT });
    expect(Date.now() - at).toBeGreaterThanOrEqual(250);
    const state = await t.mqtt.waitJson(t.stateTopic(1, 1), (j) => flag(j, "nt"), {
      since: mqttMark,
    });
    expect(state.value).toBe(10.5);

    mark = t.master.mark();
    await t.mqtt.publish(t.pointTopic(1, 1), "10.5");
    const cleared = await t.master.wait({ ca: 1, ioa: 1, cot: SPONT }, { since: mark });
    expect(cleared.obj).toMatchObject({ value: 10.5, quality: 0 });
  });

  it("bridge.staleAfter applies to points without their own; staleAfterMs 0 never goes stale", async () => {
    const t = await env.start({ datapoints: points(), config: { bridge: { staleAfter: 0.4 } } });
    const mark = t.master.mark();
    const mqttMark = t.mqtt.mark();
    await t.mqtt.publish(t.pointTopic(1, 2), "20");
    await t.mqtt.publish(t.pointTopic(1, 3), "30");
    await t.mqtt.publish(t.pointTopic(1, 4), "40");
    const nt = await t.master.wait(
      { ca: 1, ioa: 2, cot: SPONT, where: (o) => o.quality === Quality.NT },
      { since: mark, timeoutMs: 2000 },
    );
    expect(nt.obj.value).toBe(20);
    // A counter's BCR has no NT bit (only IV): what the outstation holds, and so its state, stays good.
    const counter = await t.mqtt.waitJson(t.stateTopic(1, 4), (j) => j.value === 40, {
      since: mqttMark,
      timeoutMs: 2000,
    });
    expect(counter.type).toBe("M_IT_TB_1");
    await sleep(300);
    const states = t.mqtt
      .on(t.stateTopic(1, 4), mqttMark)
      .map((m) => JSON.parse(m.text) as Record<string, unknown>);
    expect(states.some((j) => flag(j, "nt"))).toBe(false);
    expect(t.master.events({ ca: 1, ioa: 3, where: (o) => o.quality !== 0 }, mark)).toEqual([]);
    const gi = await t.master.master.interrogate(1);
    const objs = objectsByIoa(gi.data);
    expect(objs.get(2)).toMatchObject({ value: 20, quality: Quality.NT });
    expect(objs.get(3)).toMatchObject({ value: 30, quality: 0 });
  });

  it("live repeats of a retained value keep a point fresh; its re-delivery after a reconnect does not", async () => {
    const t = await env.start({ datapoints: points() });
    const mark = t.master.mark();
    for (let i = 0; i < 6; i++) {
      await t.mqtt.publish(t.pointTopic(1, 1), "7.5", { retain: true });
      await sleep(120);
    }
    expect(t.master.events({ ca: 1, ioa: 1, where: (o) => o.quality !== 0 }, mark)).toEqual([]);
    await t.master.wait(
      { ca: 1, ioa: 1, cot: SPONT, where: (o) => o.quality === Quality.NT },
      { since: mark, timeoutMs: 2000 },
    );

    // The gateway's connection drops; on reconnect the broker sends the retained "7.5" again.
    const before = t.master.mark();
    const mqttMark = t.mqtt.mark();
    t.gw.client.stream.destroy();
    await until(() => !t.gw.client.connected, "the connection to drop");
    await t.mqtt.waitJson(t.topic("bridge/state"), (j) => j.state === "online", {
      since: mqttMark,
      timeoutMs: 5000,
    });
    await sleep(300);
    expect(t.master.events({ ca: 1, ioa: 1 }, before)).toEqual([]);
    expect(objectsByIoa((await t.master.master.interrogate(1)).data).get(1)).toMatchObject({
      value: 7.5,
      quality: Quality.NT,
    });
    // A different value is news.
    await t.mqtt.publish(t.pointTopic(1, 1), "7.75", { retain: true });
    const fresh = await t.master.wait({ ca: 1, ioa: 1, cot: SPONT }, { since: before });
    expect(fresh.obj).toMatchObject({ value: 7.75, quality: 0 });
  });

  it("an availability topic saying offline sets IV on its points; online clears it", async () => {
    const status = uniqueTopic("status");
    const all = uniqueTopic("plant");
    const t = await env.start({
      datapoints: points(),
      config: {
        bridge: {
          availability: [
            { topic: status, points: ["Fast voltage", "Breaker"], offline: "DOWN", online: "UP" },
            { topic: all },
          ],
        },
      },
    });
    await t.mqtt.publish(t.pointTopic(1, 1), "11");
    await t.mqtt.publish(t.pointTopic(1, 3), "33");
    await t.master.wait({ ca: 1, ioa: 3, cot: SPONT });

    let mark = t.master.mark();
    let mqttMark = t.mqtt.mark();
    await t.mqtt.publish(status, "DOWN");
    const v = await t.master.wait({ ca: 1, ioa: 1, cot: SPONT }, { since: mark });
    expect(v.obj).toMatchObject({ value: 11, quality: Quality.IV });
    const b = await t.master.wait({ ca: 1, ioa: 5, cot: SPONT }, { since: mark });
    expect(b.obj).toMatchObject({ value: 2, quality: Quality.IV });
    const s = await t.mqtt.waitJson(t.stateTopic(1, 1), (j) => flag(j, "iv"), {
      since: mqttMark,
    });
    expect(s.value).toBe(11);
    // A value while the publisher is offline stays IV.
    mark = t.master.mark();
    await t.mqtt.publish(t.pointTopic(1, 1), "12");
    expect((await t.master.wait({ ca: 1, ioa: 1, cot: SPONT }, { since: mark })).obj).toMatchObject({
      value: 12,
      quality: Quality.IV,
    });
    expect(t.master.events({ ca: 1, ioa: 3 }, mark)).toEqual([]);

    mark = t.master.mark();
    mqttMark = t.mqtt.mark();
    await t.mqtt.publish(status, "UP");
    expect((await t.master.wait({ ca: 1, ioa: 1, cot: SPONT }, { since: mark })).obj).toMatchObject({
      value: 12,
      quality: 0,
    });
    expect((await t.master.wait({ ca: 1, ioa: 5, cot: SPONT }, { since: mark })).obj.quality).toBe(0);

    // A word that is neither is an error; the "all" rule covers every point.
    await t.mqtt.publish(status, "maybe");
    const err = await t.mqtt.waitJson(t.topic("bridge/event"), (j) => j.type === "error", {
      since: mqttMark,
    });
    expect(err).toMatchObject({ topic: status });
    expect(String(err.reason)).toContain("maybe");
    mark = t.master.mark();
    await t.mqtt.publish(all, "offline");
    await t.master.wait(
      { ca: 1, ioa: 3, cot: SPONT, where: (o) => o.quality === Quality.IV },
      { since: mark },
    );
    await t.mqtt.publish(all, "online");
    await t.master.wait({ ca: 1, ioa: 3, cot: SPONT, where: (o) => o.quality === 0 }, { since: mark });
  });
});
