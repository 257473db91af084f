/**
 * The Simulator: determinism, publishing (topics, payloads, on change), the clock-driven
 * start/stop, disable(), plan(), and energy integrating the power point it reads.
 */
import { describe, expect, it } from "vitest";
import { MONITOR_TYPES } from "../../src/iec104/asdu/scalar.js";
import { parseValuePayload } from "../../src/mqtt/payload.js";
import type { MonitorPoint } from "../../src/points/model.js";
import { type SimMessage, Simulator, type SimulatorOptions } from "../../src/simulator/index.js";
import { FakeClock, point } from "./fixtures.js";

const T0 = Date.UTC(2026, 2, 1, 6);
const OPTS: SimulatorOptions = { seed: 42, intervalMs: 1000, baseTopic: "iec104" };

function catalog(): MonitorPoint[] {
  return [
    point({ ioa: 100, unit: "V", name: "U1" }),
    point({ ioa: 101, unit: "Hz", name: "f" }),
    point({ ioa: 102, unit: "kW", name: "P" }),
    point({ ioa: 103, unit: "kWh", name: "E" }),
    point({ ioa: 104, typeId: 31, name: "CB" }),
    point({ ioa: 105, typeId: 1, name: "alarm" }),
    point({ ioa: 106, typeId: 5, name: "tap" }),
    point({ ioa: 107, typeId: 15, name: "meter" }),
    point({ ioa: 108, typeId: 11, unit: "A", name: "I" }),
    point({ ioa: 1, ca: 2, typeId: 9, unit: "V", name: "U1" }),
  ];
}

/** Payloads by topic over `n` ticks of 1 s (later ticks overwrite earlier ones in the map). */
function runTicks(sim: Simulator, n: number, t0 = T0): Array<Map<string, string>> {
  const out: Array<Map<string, string>> = [];
  for (let i = 0; i < n; i++) out.push(new Map(sim.tick(t0 + i * 1000).map((m) => [m.topic, m.payload])));
  return out;
}

function series(ticks: ReadonlyArray<Map<string, string>>, topic: string): Array<string | undefined> {
  return ticks.map((t) => t.get(topic));
}

describe("determinism", () => {
  it("the same seed and tick times give the same messages", () => {
    const a = new Simulator(catalog(), OPTS, { publish() {} });
    const b = new Simulator(catalog(), OPTS, { publish() {} });
    expect(runTicks(a, 300)).toEqual(runTicks(b, 300));
  });

  it("another seed gives other values", () => {
    const a = runTicks(new Simulator(catalog(), OPTS, { publish() {} }), 5);
    const b = runTicks(new Simulator(catalog(), { ...OPTS, seed: 43 }, { publish() {} }), 5);
    expect(a[4]!.get("iec104/point/1/100")).not.toBe(b[4]!.get("iec104/point/1/100"));
    expect(a[4]!.get("iec104/point/1/101")).not.toBe(b[4]!.get("iec104/point/1/101"));
  });

  it("adding, removing or reordering points does not change the others' values", () => {
    const base = runTicks(new Simulator(catalog(), OPTS, { publish() {} }), 200);
    const more = [point({ ioa: 99, unit: "%" }), ...catalog().reverse(), point({ ioa: 500, typeId: 3 })];
    const other = runTicks(new Simulator(more, OPTS, { publish() {} }), 200);
    for (const topic of base[0]!.keys()) expect(series(other, topic), topic).toEqual(series(base, topic));
    const fewer = runTicks(new Simulator(catalog().slice(0, 3), OPTS, { publish() {} }), 200);
    expect(series(fewer, "iec104/point/1/101")).toEqual(series(base, "iec104/point/1/101"));
  });
});

describe("messages", () => {
  it("go to <base>/point/<ca>/<ioa> with a plain number, every point on the first tick", () => {
    const sim = new Simulator(catalog(), OPTS, { publish() {} });
    const first = sim.tick(T0);
    expect(first.map((m) => m.topic)).toEqual(catalog().map((p) => `iec104/point/${p.ca}/${p.ioa}`));
    for (const m of first) expect(m.payload).toMatch(/^-?\d+(\.\d+)?$/);
    const byTopic = new Map(first.map((m) => [m.topic, Number(m.payload)]));
    expect(byTopic.get("iec104/point/1/104")).toBe(2);
    expect(byTopic.get("iec104/point/1/105")).toBe(0);
    expect(byTopic.get("iec104/point/1/106")).toBe(0);
    expect(Number.isInteger(byTopic.get("iec104/point/1/107"))).toBe(true);
    expect(Number.isInteger(byTopic.get("iec104/point/1/108"))).toBe(true);
    expect(Math.abs(byTopic.get("iec104/point/2/1")!)).toBeLessThan(1);
  });

  it("are accepted by the gateway's payload parser for every IEC type and unit", () => {
    const units = ["V", "kV", "Hz", "A", "W", "kvar", "VA", "kWh", "%", "°", "°C", "", "-", "odd"];
    const points = MONITOR_TYPES.flatMap((typeId, i) =>
      units.map((unit, j) => point({ ioa: i * 100 + j, typeId, unit, name: `${unit} ${typeId}` })),
    );
    const typeOf = new Map(points.map((p) => [`iec104/point/1/${p.ioa}`, p.typeId]));
    const sim = new Simulator(points, OPTS, { publish() {} });
    const refused: string[] = [];
    for (let i = 0; i < 200; i++) {
      for (const m of sim.tick(T0 + i * 60_000)) {
        const r = parseValuePayload(m.payload, typeOf.get(m.topic)!);
        if (!r.ok) refused.push(`${m.topic} ${m.payload}: ${r.reason}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it("measured values every tick, status points and counters only when they change", () => {
    const points = [
      point({ ioa: 1, typeId: 1, simulate: { profile: "alarm", params: { meanMs: 20_000, pulseMs: 3000 } } }),
      point({ ioa: 2, typeId: 13, simulate: { profile: "constant", params: { value: 7 } } }),
      point({ ioa: 3, typeId: 15, simulate: { profile: "energy", params: { rate: 360, integer: true } } }),
    ];
    const ticks = runTicks(new Simulator(points, OPTS, { publish() {} }), 600);
    expect(series(ticks, "iec104/point/1/2").every((v) => v === "7")).toBe(true);
    const alarm = series(ticks, "iec104/point/1/1");
    expect(alarm[0]).toBe("0");
    const sent = alarm.filter((v) => v !== undefined);
    expect(sent.length).toBeGreaterThan(10);
    expect(sent.length).toBeLessThan(200);
    for (let i = 1; i < sent.length; i++) expect(sent[i]).not.toBe(sent[i - 1]);
    const counter = series(ticks, "iec104/point/1/3").filter((v) => v !== undefined);
    expect(counter).toEqual(Array.from({ length: 60 }, (_, i) => String(i)));
  });

  it("skips points with simulate false or a custom topic, unless simulate is explicit", () => {
    const topic = { topic: "plant/meter", field: "p" };
    const points = [
      point({ ioa: 1, unit: "V", simulate: false }),
      point({ ioa: 2, unit: "V", source: topic }),
      point({ ioa: 3, unit: "V", source: topic, simulate: { profile: "voltage", params: {} } }),
      point({ ioa: 4, unit: "V" }),
    ];
    const sim = new Simulator(points, OPTS, { publish() {} });
    expect(sim.plan().map((e) => e.ioa)).toEqual([3, 4]);
    expect(sim.tick(T0).map((m) => m.topic)).toEqual(["iec104/point/1/3", "iec104/point/1/4"]);
  });

  it("publishes nothing when globally disabled", () => {
    const published: SimMessage[] = [];
    const clock = new FakeClock();
    const sim = new Simulator(
      catalog(),
      { ...OPTS, enabled: false, clock },
      {
        publish: (topic, payload) => published.push({ topic, payload }),
      },
    );
    sim.start();
    clock.advance(5000);
    expect(sim.plan()).toEqual([]);
    expect(sim.tick(T0)).toEqual([]);
    expect(published).toEqual([]);
    expect(clock.timers.size).toBe(0);
  });
});

describe("start, stop, disable", () => {
  it("publishes every point at start, then every intervalMs until stopped", () => {
    const clock = new FakeClock();
    const published: SimMessage[] = [];
    const sim = new Simulator(
      catalog(),
      { ...OPTS, intervalMs: 500, clock },
      {
        publish: (topic, payload) => published.push({ topic, payload }),
      },
    );
    sim.start();
    sim.start();
    expect(clock.timers.size).toBe(1);
    expect(published).toHaveLength(10);
    clock.advance(2000);
    const voltage = published.filter((m) => m.topic === "iec104/point/1/100");
    expect(voltage).toHaveLength(5);
    sim.stop();
    expect(clock.timers.size).toBe(0);
    const count = published.length;
    clock.advance(2000);
    expect(published).toHaveLength(count);
  });

  it("ticks with the clock's time, as tick() would", () => {
    const clock = new FakeClock();
    const published: SimMessage[] = [];
    const sim = new Simulator(
      catalog(),
      { ...OPTS, clock },
      {
        publish: (topic, payload) => published.push({ topic, payload }),
      },
    );
    const start = clock.nowMs;
    sim.start();
    clock.advance(3000);
    const manual = new Simulator(catalog(), OPTS, { publish() {} });
    const expected = [0, 1000, 2000, 3000].flatMap((dt) => manual.tick(start + dt));
    expect(published).toEqual(expected);
  });

  it("disable() stops one point; a counter reading it keeps counting", () => {
    const sim = new Simulator(catalog(), OPTS, { publish() {} });
    const before = runTicks(sim, 60);
    sim.disable(1, 102);
    sim.disable(1, 100);
    sim.disable(9, 9);
    const after = runTicks(sim, 60, T0 + 60_000);
    expect(before[59]!.has("iec104/point/1/102")).toBe(true);
    expect(series(after, "iec104/point/1/102").every((v) => v === undefined)).toBe(true);
    expect(series(after, "iec104/point/1/100").every((v) => v === undefined)).toBe(true);
    expect(Number(after[59]!.get("iec104/point/1/103"))).toBeGreaterThan(
      Number(before[59]!.get("iec104/point/1/103")),
    );
    expect(after[59]!.has("iec104/point/1/101")).toBe(true);
  });
});

describe("plan()", () => {
  it("lists every simulated point with its profile and resolved params", () => {
    const plan = new Simulator(catalog(), OPTS, { publish() {} }).plan();
    expect(plan.map((e) => e.profile)).toEqual([
      "voltage",
      "frequency",
      "power",
      "energy",
      "breaker",
      "alarm",
      "tap",
      "energy",
      "current",
      "voltage",
    ]);
    expect(plan[0]).toEqual({
      ca: 1,
      ioa: 100,
      name: "U1",
      profile: "voltage",
      params: { nominal: 230, tolerance: 0.1 },
    });
    expect(plan[3]!.params).toMatchObject({ source: "P", scale: 1 });
    expect(plan[7]!.params).toMatchObject({ source: "P", scale: 1, integer: true });
    expect(plan[8]!.params).toMatchObject({ min: 0, max: 4000 });
  });
});

describe("energy", () => {
  it("integrates the power it reads (trapezoid over the published values)", () => {
    const points = [
      point({
        ioa: 1,
        unit: "W",
        name: "P",
        simulate: { profile: "power", params: { min: 1000, max: 9000, periodMs: 600_000 } },
      }),
      point({
        ioa: 2,
        unit: "kWh",
        name: "E",
        simulate: { profile: "energy", params: { source: "P", scale: 0.001 } },
      }),
    ];
    const ticks = runTicks(new Simulator(points, OPTS, { publish() {} }), 3601);
    const p = series(ticks, "iec104/point/1/1").map(Number);
    const e = series(ticks, "iec104/point/1/2").map(Number);
    let integral = 0;
    for (let i = 1; i < p.length; i++) integral += ((p[i - 1]! + p[i]!) / 2 / 1000) * (1 / 3600);
    expect(e[0]).toBe(0);
    expect(e.at(-1)!).toBeCloseTo(integral, 2);
    expect(e.every((x, i) => i === 0 || x >= e[i - 1]!)).toBe(true);
  });

  it("reads a power point that is not simulated itself, without publishing it", () => {
    const points = [
      point({ ioa: 1, unit: "kW", name: "P", simulate: false }),
      point({
        ioa: 2,
        typeId: 37,
        name: "E",
        simulate: { profile: "energy", params: { source: "P", scale: 1 } },
      }),
    ];
    const sim = new Simulator(points, OPTS, { publish() {} });
    const ticks = runTicks(sim, 3601);
    expect(sim.plan().map((e) => e.ioa)).toEqual([2]);
    expect(ticks.every((t) => !t.has("iec104/point/1/1"))).toBe(true);
    const e = Number(
      ticks
        .filter((t) => t.has("iec104/point/1/2"))
        .at(-1)!
        .get("iec104/point/1/2"),
    );
    expect(e).toBeGreaterThan(20);
    expect(e).toBeLessThan(250);
  });
});

describe("construction", () => {
  it("refuses invalid settings", () => {
    const bad = [point({ ioa: 1, simulate: { profile: "nope", params: {} } })];
    expect(() => new Simulator(bad, OPTS, { publish() {} })).toThrow(
      /p1 \(1\/1\)\.simulate\.profile: unknown profile "nope"/,
    );
    expect(() => new Simulator([], { ...OPTS, intervalMs: 0 }, { publish() {} })).toThrow(/intervalMs/);
  });
});
