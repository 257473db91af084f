/**
 * Events dropped by a full queue are all reported: the 'events-dropped' event (and its log line)
 * comes at most once a second per group, and the drops it held back are reported a second after the
 * last of them, when the group goes away, or at shutdown, with the running count.
 */
import { describe, expect, it } from "vitest";
import type { OutstationEvent } from "../../src/iec104/outstation/events.js";
import { connect, setPoint, startOutstation, until } from "../iec104/outstation/fixture.js";
import { ManualClock } from "../iec104/outstation/manual-clock.js";

function drops(events: OutstationEvent[]): number[] {
  return events.flatMap((e) => (e.type === "events-dropped" ? [e.dropped] : []));
}

async function full(capacity = 2) {
  const clock = new ManualClock();
  const fx = await startOutstation({
    clock,
    redundancy: { mode: "single-group", groups: [] },
    eventQueue: { capacity, overflow: "drop-oldest" },
  });
  return { clock, fx };
}

describe("reporting dropped events", () => {
  it("a burst: the first drop at once, the whole count a second after the last", async () => {
    const { clock, fx } = await full();
    for (let i = 0; i < 100; i++) setPoint(fx, 1, 1, i % 2);
    expect(drops(fx.events)).toEqual([1]);
    clock.advance(999);
    expect(drops(fx.events)).toEqual([1]);
    clock.advance(1);
    expect(drops(fx.events)).toEqual([1, 100]);
    expect(fx.os.groupList()[0]!.queue.dropped).toBe(100);
    expect(fx.log.entries.filter((l) => l.msg === "event queue full: events dropped")).toHaveLength(2);
    clock.advance(10_000);
    expect(drops(fx.events)).toEqual([1, 100]);
  });

  it("drops that keep coming: one report a second, the last one a second after the last drop", async () => {
    const { clock, fx } = await full();
    setPoint(fx, 1, 1, 0);
    setPoint(fx, 1, 1, 1); // 2 dropped, the first reported
    for (let t = 0; t < 25; t++) {
      clock.advance(100);
      setPoint(fx, 1, 1, t % 2); // one more each 100 ms: 27 in all
    }
    const reported = drops(fx.events);
    expect(reported).toEqual([1, 12, 22]);
    clock.advance(1000);
    expect(drops(fx.events)).toEqual([1, 12, 22, 27]);
  });

  it("held-back drops are reported at shutdown", async () => {
    const { fx } = await full();
    for (let i = 0; i < 10; i++) setPoint(fx, 1, 1, i % 2);
    await fx.os.close();
    expect(drops(fx.events)).toEqual([1, 10]);
  });

  it("held-back drops of a connection's own group are reported when it closes", async () => {
    const clock = new ManualClock();
    const fx = await startOutstation({ clock, eventQueue: { capacity: 2, overflow: "drop-oldest" } });
    const p = await connect(fx, { start: false });
    for (let i = 0; i < 10; i++) setPoint(fx, 1, 1, i % 2);
    const key = fx.os.groupList()[0]!.key;
    await p.m.close();
    await until(() => fx.os.groupList().length === 0, "the group to go");
    // 2 M_EI and 10 changes into 2 places
    expect(fx.events.filter((e) => e.type === "events-dropped")).toEqual([
      { type: "events-dropped", group: key, dropped: 1 },
      { type: "events-dropped", group: key, dropped: 10 },
    ]);
  });
});
