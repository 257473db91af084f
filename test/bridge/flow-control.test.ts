/**
 * Flow control: while an active master is more than half its event queue behind, the bridge stops
 * taking MQTT messages (mqtt.js then stops reading, the broker and the publisher wait) until it has
 * caught up, so a flood from MQTT never drops events for a master that is consuming. A master that
 * stopped acknowledging does not hold the others: after a second with its window full it no longer
 * counts, and its own queue overflows (counted) until its t1 closes it.
 */
import { expect, it } from "vitest";
import { Cot } from "../../src/iec104/asdu/types.js";
import { RawClient } from "../iec104/outstation/fixture.js";
import { type TestMaster, until } from "./clients.js";
import { describeBrokers, type TestGateway } from "./gateway.js";

const POINTS = 200;

/** `batches` batch messages of `perBatch` values each, numbered 1.. across the points. */
async function flood(t: TestGateway, batches: number, perBatch: number): Promise<number> {
  for (let b = 0; b < batches; b++) {
    const entries = Array.from({ length: perBatch }, (_, i) => [
      1,
      100 + ((b * perBatch + i) % POINTS),
      b * perBatch + i + 1,
    ]);
    await t.mqtt.publish(t.topic("batch"), JSON.stringify(entries), { qos: 0 });
  }
  return batches * perBatch;
}

/** The values of the spontaneous objects a master received from `mark`. */
function spontaneous(m: TestMaster, mark: number): number[] {
  return m.received
    .slice(mark)
    .filter((a) => a.cot === Cot.SPONTANEOUS)
    .flatMap((a) => a.objects.map((o) => (o as { value: number }).value));
}

function manyPoints(): Record<string, unknown> {
  const pts: Record<string, unknown> = {};
  for (let i = 0; i < POINTS; i++)
    pts[`Value ${i}`] = { IOAddress: 100 + i, "Type IEC": 13, simulate: false };
  return pts;
}

describeBrokers("flow control", (env) => {
  /** A gateway whose queues hold 2,000 events, and `before` done before the flood. */
  async function floodedMaster<T>(
    before: (t: TestGateway) => Promise<T>,
  ): Promise<{ t: TestGateway; extra: T }> {
    const t = await env.start({
      datapoints: manyPoints(),
      config: { iec104: { eventQueue: { capacity: 2000 } } },
    });
    const extra = await before(t);
    const mark = t.master.mark();
    const total = await flood(t, 80, 250);
    await until(
      () => spontaneous(t.master, mark).length >= total,
      `${total} spontaneous objects at the master`,
      20_000,
    );
    // Every value, in order.
    expect(spontaneous(t.master, mark)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    return { t, extra };
  }

  it("a flood of batches reaches a consuming master without a drop, through a small queue", async () => {
    const { t } = await floodedMaster(async () => undefined);
    const active = t.gw.outstation.groupList().filter((g) => g.active !== undefined);
    expect(active).toHaveLength(1);
    expect(active[0]!.queue.dropped).toBe(0);
    expect(t.gw.bridge.intakeHeld).toBeGreaterThan(0);
  }, 40_000);

  it("a master that stopped acknowledging does not hold the others: its own queue overflows instead", async () => {
    // It takes its k frames and never acknowledges them (its t1, 15 s, would close it).
    const { t, extra: stuck } = await floodedMaster(async (gw) => {
      const c = await RawClient.connect(gw.gw.addresses.iec104);
      await c.startDt();
      return c;
    });
    // The good master got everything while the stuck one was still connected, its queue overflowing.
    expect(stuck.closed).toBe(false);
    const groups = t.gw.outstation.groupList();
    const good = groups.filter((g) => g.queue.dropped === 0 && g.active !== undefined);
    const overflowing = groups.filter((g) => g.queue.dropped > 0);
    expect(good).toHaveLength(1);
    expect(overflowing).toHaveLength(1);
  }, 40_000);
});
