/**
 * The seed Datapoints.json (the original simulator's 443 points, unchanged) served by a gateway:
 * a general interrogation returns every point in its untimed type with COT 20 between ACT_CON and
 * ACT_TERM, and the retained state of every point is on the broker. Needs no system tool (the
 * embedded-broker run always runs, in CI too).
 */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { Cot, TypeId } from "../../src/iec104/asdu/types.js";
import { loadDatapoints } from "../../src/points/datapoints.js";
import { sharedFile } from "../helpers/shared.js";
import { objectsByIoa } from "./clients.js";
import { describeBrokers } from "./gateway.js";

describeBrokers("the seed Datapoints.json", (env) => {
  it("serves all 443 points by general interrogation: 441 M_ME_NC_1 and 2 M_SP_NA_1, COT 20", async () => {
    const file = sharedFile("seed", "Datapoints.json");
    const { catalog } = loadDatapoints(readFileSync(file, "utf8"), {
      source: file,
      defaultCa: 1,
      startAddress: 1,
    });
    expect(catalog.points.length).toBe(443);
    const t = await env.start({ catalog });

    const gi = await t.master.master.interrogate(1);
    expect(gi.actCon).toMatchObject({ typeId: TypeId.C_IC_NA_1, cot: Cot.ACTIVATION_CON, negative: false });
    expect(gi.actTerm).toMatchObject({ typeId: TypeId.C_IC_NA_1, cot: Cot.ACTIVATION_TERMINATION });
    const byType = new Map<number, number>();
    const ioas = new Set<number>();
    for (const a of gi.data) {
      expect(a.cot).toBe(Cot.INTERROGATED_BY_STATION);
      expect(a.ca).toBe(1);
      byType.set(a.typeId, (byType.get(a.typeId) ?? 0) + a.objects.length);
      for (const o of a.objects) ioas.add(o.ioa);
    }
    expect(Object.fromEntries(byType)).toEqual({ [TypeId.M_ME_NC_1]: 441, [TypeId.M_SP_NA_1]: 2 });
    expect(ioas.size).toBe(443);
    const expectedIoas = new Set(catalog.points.map((p) => p.ioa));
    expect([...ioas].every((ioa) => expectedIoas.has(ioa))).toBe(true);
    // ACT_CON first, ACT_TERM last.
    const i = t.master.received.indexOf(gi.actCon);
    const j = t.master.received.indexOf(gi.actTerm);
    expect(gi.data.every((a) => t.master.received.indexOf(a) > i && t.master.received.indexOf(a) < j)).toBe(
      true,
    );

    // A value in shows up in the next interrogation; every point's state is retained on the broker.
    await t.mqtt.publish(t.pointTopic(1, 262176), "50.02");
    await t.master.wait({ ca: 1, ioa: 262176, cot: Cot.SPONTANEOUS });
    const again = await t.master.master.interrogate(1);
    const f = objectsByIoa(again.data).get(262176);
    expect(f?.value).toBeCloseTo(50.02, 4);
    const c = await t.newMqtt();
    await c.subscribe(t.topic("state/#"));
    await c.wait(t.stateTopic(1, 262176), () => c.messages.length >= 443, { timeoutMs: 5000 });
    expect(new Set(c.messages.filter((m) => m.retain).map((m) => m.topic)).size).toBe(443);
  });
});
