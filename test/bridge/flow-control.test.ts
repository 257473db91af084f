/**
 * Flow control: while an active master is more than half its event queue behind, the bridge stops
 * taking MQTT messages (mqtt.js then stops reading, the broker and the publisher wait) until it has
 * caught up, so a flood from MQTT never drops events for a master that is consuming.
 */
import { expect, it } from "vitest";
import { Cot } from "../../src/iec104/asdu/types.js";
import { until } from "./clients.js";
import { describeBrokers } from "./gateway.js";

const POINTS = 200;

function manyPoints(): Record<string, unknown> {
  const pts: Record<string, unknown> = {};
  for (let i = 0; i < POINTS; i++)
    pts[`Value ${i}`] = { IOAddress: 100 + i, "Type IEC": 13, simulate: false };
  return pts;
}

describeBrokers("flow control", (env) => {
  it("a flood of batches reaches a consuming master without a drop, through a small queue", async () => {
    const t = await env.start({
      datapoints: manyPoints(),
      config: { iec104: { eventQueue: { capacity: 2000 } } },
    });
    const mark = t.master.mark();
    const batches = 80;
    const perBatch = 250;
    for (let b = 0; b < batches; b++) {
      const entries = Array.from({ length: perBatch }, (_, i) => [
        1,
        100 + ((b * perBatch + i) % POINTS),
        b * perBatch + i + 1,
      ]);
      await t.mqtt.publish(t.topic("batch"), JSON.stringify(entries), { qos: 0 });
    }
    const total = batches * perBatch;
    const spontaneous = () =>
      t.master.received
        .slice(mark)
        .filter((a) => a.cot === Cot.SPONTANEOUS)
        .flatMap((a) => a.objects.map((o) => (o as { value: number }).value));
    await until(() => spontaneous().length >= total, `${total} spontaneous objects at the master`, 20_000);
    const values = spontaneous();
    expect(values).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    const active = t.gw.outstation.groupList().filter((g) => g.active !== undefined);
    expect(active).toHaveLength(1);
    expect(active[0]!.queue.dropped).toBe(0);
    expect(t.gw.bridge.intakeHeld).toBeGreaterThan(0);
  }, 40_000);
});
