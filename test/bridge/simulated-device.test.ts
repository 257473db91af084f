/**
 * What `npm start` gives: the shipped Datapoints.json with the simulators on. A master sees values
 * change spontaneously within a few seconds, and can operate the breaker (select-before-operate
 * C_DC_NA_1 with a status link): ACT_CON, return information (COT 11), ACT_TERM.
 */
import { join } from "node:path";
import { expect, it } from "vitest";
import { Cot, TypeId } from "../../src/iec104/asdu/types.js";
import { REPO_ROOT } from "../helpers/shared.js";
import { objectsByIoa, until } from "./clients.js";
import { describeBrokers } from "./gateway.js";

const BREAKER_CMD = 5001;
const BREAKER = 2001;

describeBrokers("the simulated device (npm start)", (env) => {
  it("sends changing values spontaneously and operates the breaker", async () => {
    const t = await env.start({
      datapointsFile: join(REPO_ROOT, "Datapoints.json"),
      config: { simulator: { enabled: true, interval: 0.1 } },
    });
    expect(t.gw.simulator?.plan().length).toBeGreaterThan(20);

    // Some point of station 1 changes value spontaneously at least three times.
    const changing = await until(
      () => {
        const seen = new Map<number, Set<string>>();
        for (const a of t.master.received) {
          if (a.cot !== Cot.SPONTANEOUS) continue;
          for (const o of a.objects) {
            const values = seen.get(o.ioa) ?? new Set<string>();
            values.add(JSON.stringify((o as { value?: unknown }).value));
            seen.set(o.ioa, values);
          }
        }
        return [...seen.entries()].find(([, v]) => v.size >= 3);
      },
      "a point changing value spontaneously",
      5000,
    );
    expect(changing[1].size).toBeGreaterThanOrEqual(3);
    expect(t.master.received.some((a) => a.ca === 2 && a.cot === Cot.SPONTANEOUS)).toBe(true);

    const gi = await t.master.master.interrogate(1);
    expect(objectsByIoa(gi.data).get(BREAKER)).toMatchObject({ typeId: TypeId.M_DP_NA_1, value: 2 });

    const since = t.master.mark();
    const mark = t.mqtt.mark();
    const r = await t.master.master.selectAndExecute({
      ca: 1,
      typeId: TypeId.C_DC_NA_1,
      ioa: BREAKER_CMD,
      value: 1,
    });
    expect(r.selectCon).toMatchObject({ cot: Cot.ACTIVATION_CON, negative: false });
    expect(r.actCon).toMatchObject({ cot: Cot.ACTIVATION_CON, negative: false });
    const term = await r.actTerm;
    expect(term.cot).toBe(Cot.ACTIVATION_TERMINATION);
    const ri = await t.master.wait({ ca: 1, ioa: BREAKER, cot: Cot.RETURN_INFO_REMOTE }, { since });
    expect(ri.asdu.typeId).toBe(TypeId.M_DP_TB_1);
    expect(ri.obj.value).toBe(1);
    expect(t.master.received.indexOf(ri.asdu)).toBeLessThan(t.master.received.indexOf(term));
    await t.mqtt.waitJson(t.stateTopic(1, BREAKER), (j) => j.value === 1, { since: mark });
    await t.mqtt.waitJson(t.commandTopic(1, BREAKER_CMD), (j) => j.phase === "execute", { since: mark });
  });
});

describeBrokers("switching the simulators off when real publishers take over", (env) => {
  const FREQUENCY = 1001;

  it("a point, then all of them, stop and start again on bridge/request/simulator", async () => {
    const t = await env.start({
      datapointsFile: join(REPO_ROOT, "Datapoints.json"),
      config: { simulator: { enabled: true, interval: 0.05 } },
    });
    const ask = async (body: Record<string, unknown>) => {
      const mark = t.mqtt.mark();
      await t.mqtt.publish(t.topic("bridge/request/simulator"), JSON.stringify({ transaction: 1, ...body }));
      return t.mqtt.waitJson(t.topic("bridge/response/simulator"), () => true, { since: mark });
    };
    const published = (since: number) => t.mqtt.on(t.pointTopic(1, FREQUENCY), since).length;

    expect(await ask({ enabled: false, points: [{ ca: 1, ioa: FREQUENCY }] })).toMatchObject({
      status: "ok",
      data: { changed: 1 },
    });
    await new Promise((r) => setTimeout(r, 150));
    let mark = t.mqtt.mark();
    await new Promise((r) => setTimeout(r, 400));
    expect(published(mark)).toBe(0);
    // Other points go on.
    expect(t.mqtt.messages.slice(mark).some((m) => m.topic.includes("/point/1/"))).toBe(true);

    expect(
      await ask({
        enabled: true,
        points: [
          { ca: 1, ioa: FREQUENCY },
          { ca: 9, ioa: 1 },
        ],
      }),
    ).toMatchObject({
      status: "error",
      data: { changed: 1, unknown: [{ ca: 9, ioa: 1 }] },
    });
    mark = t.mqtt.mark();
    await until(() => published(mark) > 0, "the frequency simulated again", 3000);

    expect(await ask({ enabled: false })).toMatchObject({ status: "ok", data: { running: false } });
    await new Promise((r) => setTimeout(r, 150));
    mark = t.mqtt.mark();
    await new Promise((r) => setTimeout(r, 400));
    expect(t.mqtt.messages.slice(mark).filter((m) => m.topic.includes("/point/"))).toEqual([]);

    // The simulators publish live values, never retained: nothing of theirs outlives them on the broker.
    expect(t.mqtt.messages.filter((m) => m.topic.includes("/point/") && m.retain)).toEqual([]);
    const late = await t.newMqtt();
    await late.subscribe(t.topic("point/#"));
    await new Promise((r) => setTimeout(r, 300));
    expect(late.messages).toEqual([]);

    expect(await ask({ enabled: "yes" })).toMatchObject({ status: "error" });
    expect(await ask({ enabled: true })).toMatchObject({ status: "ok", data: { running: true } });
  });
});
