/**
 * Inference: by type first, then by unit and name hints, fitted to the IEC type; and the whole
 * seed file (443 points) gets plausible profiles.
 */
import { describe, expect, it } from "vitest";
import type { MonitorTypeId } from "../../src/iec104/asdu/scalar.js";
import type { MonitorPoint } from "../../src/points/model.js";
import { getProfile, inferProfile, Simulator, validateSimulation } from "../../src/simulator/index.js";
import { point, seedPoints } from "./fixtures.js";

function bounds(p: MonitorPoint, points: readonly MonitorPoint[] = []): [number, number] {
  const spec = inferProfile(p, points);
  return getProfile(spec.profile)!.bounds(spec.params);
}

describe("inference by type", () => {
  const cases: Array<[MonitorTypeId, string]> = [
    [1, "alarm"],
    [30, "alarm"],
    [3, "breaker"],
    [31, "breaker"],
    [5, "tap"],
    [32, "tap"],
    [7, "constant"],
    [33, "constant"],
    [20, "constant"],
    [38, "breaker"],
    [39, "constant"],
    [40, "constant"],
    [15, "energy"],
    [37, "energy"],
  ];
  it.each(cases)("type %i -> %s, whatever the unit", (typeId, profile) => {
    expect(inferProfile(point({ ioa: 1, typeId, unit: "V" })).profile).toBe(profile);
  });

  it("a counter integrates the first power point of its station, in kWh, as integers", () => {
    const points = [
      point({ ioa: 1, ca: 2, unit: "kW", name: "other station" }),
      point({ ioa: 2, unit: "var", name: "Q" }),
      point({ ioa: 3, unit: "W", name: "P" }),
      point({ ioa: 4, unit: "W", name: "P2" }),
      point({ ioa: 5, typeId: 15, name: "meter" }),
    ];
    const spec = inferProfile(points[4]!, points);
    expect(spec).toMatchObject({ profile: "energy", params: { source: "P", scale: 0.001, integer: true } });
    const alone = inferProfile(point({ ioa: 5, typeId: 37 }), []);
    expect(alone.params).toMatchObject({ source: "", rate: 100, integer: true });
  });
});

describe("inference by unit", () => {
  const cases: Array<[string, string, string, Record<string, number>]> = [
    ["V", "u1", "voltage", { nominal: 230, tolerance: 0.1 }],
    ["V", "Effektivwert u12", "voltage", { nominal: 400 }],
    ["kV", "busbar", "voltage", { nominal: 20 }],
    ["Hz", "f", "frequency", { nominal: 50, deviation: 0.5 }],
    ["A", "i1", "current", { min: 0, max: 400 }],
    ["kA", "i1", "current", { min: 0, max: 0.4 }],
    ["W", "P", "power", { min: 20_000, max: 250_000 }],
    ["kW", "P", "power", { min: 20, max: 250 }],
    ["MW", "P", "power", { min: 0.02, max: 0.25 }],
    ["kW", "P L1", "power", { min: 6.66667, max: 83.3333 }],
    ["kvar", "Q", "reactive-power", { min: 5, max: 80 }],
    ["kVA", "S", "power", { min: 25, max: 270 }],
    ["%", "load", "random-walk", { min: 0, max: 100, step: 1 }],
    ["%", "THD u1", "random-walk", { min: 0, max: 8 }],
    ["°", "phase", "random-walk", { min: -180, max: 180 }],
    ["deg", "phase", "random-walk", { min: -180, max: 180 }],
    ["°C", "oil temperature", "random-walk", { min: 10, max: 40 }],
    ["", "cos phi", "power-factor", { min: 0.85, max: 0.99 }],
    ["-", "power factor", "power-factor", { min: 0.85, max: 0.99 }],
    ["", "register", "random-walk", { min: 0, max: 1 }],
    ["-", "register", "random-walk", { min: 0, max: 1 }],
    ["rpm", "fan", "random-walk", { min: 0, max: 100 }],
  ];
  it.each(cases)("%j (%s) -> %s %j", (unit, name, profile, params) => {
    const spec = inferProfile(point({ ioa: 1, unit, name }));
    expect(spec.profile).toBe(profile);
    expect(spec.params).toMatchObject(params);
  });

  it("energy units integrate the power point of their family and phase", () => {
    const points = [
      point({ ioa: 1, unit: "W", name: "P L1" }),
      point({ ioa: 2, unit: "W", name: "P L2" }),
      point({ ioa: 3, unit: "W", name: "P total" }),
      point({ ioa: 4, unit: "var", name: "Q total" }),
      point({ ioa: 5, unit: "VA", name: "S total" }),
    ];
    const source = (unit: string, name: string) =>
      inferProfile(point({ ioa: 10, unit, name }), points).params.source;
    expect(source("kWh", "E L2")).toBe("P L2");
    expect(source("kWh", "E total")).toBe("P total");
    expect(source("kvarh", "Eq L3")).toBe("Q total");
    expect(source("kVAh", "Es")).toBe("S total");
    expect(inferProfile(point({ ioa: 10, unit: "MWh" }), points).params).toMatchObject({ scale: 1e-6 });
    expect(inferProfile(point({ ioa: 10, unit: "Wh" }), points).params).toMatchObject({ scale: 1 });
  });
});

describe("fitting to the IEC type", () => {
  it("scaled values get a power of ten into 1000..32767", () => {
    const scaled = (unit: string, name = "x") =>
      inferProfile(point({ ioa: 1, typeId: 11, unit, name })).params;
    expect(scaled("Hz")).toMatchObject({ nominal: 5000, deviation: 50 });
    expect(scaled("V")).toMatchObject({ nominal: 2300 });
    expect(scaled("A")).toMatchObject({ max: 4000 });
    expect(scaled("W")).toMatchObject({ min: 2000, max: 25_000 });
    expect(scaled("", "cos phi")).toMatchObject({ min: 8500, max: 9900 });
    expect(scaled("")).toMatchObject({ min: 0, max: 1000 });
  });

  it("normalized values fit in [-1, 1)", () => {
    for (const unit of ["V", "kV", "Hz", "A", "W", "var", "VA", "%", "°", "°C", "", "-", "kWh", "x"]) {
      for (const typeId of [9, 21, 34] as const) {
        const [lo, hi] = bounds(point({ ioa: 1, typeId, unit }));
        expect(lo, unit).toBeGreaterThanOrEqual(-1);
        expect(hi, unit).toBeLessThan(1);
      }
    }
    expect(inferProfile(point({ ioa: 1, typeId: 9, unit: "V" })).params).toMatchObject({ nominal: 0.23 });
    expect(inferProfile(point({ ioa: 1, typeId: 9, name: "cos phi" })).params).toMatchObject({ max: 0.99 });
  });

  it("inferred params are valid params, within every type's range", () => {
    const types = [1, 3, 5, 7, 9, 11, 13, 15, 20, 21, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40] as const;
    const units = ["V", "kV", "Hz", "A", "W", "kvar", "VA", "kWh", "%", "°", "°C", "", "-", "odd"];
    const points = types.flatMap((typeId, i) =>
      units.map((unit, j) => point({ ioa: i * 100 + j, typeId, unit, name: `${unit} ${typeId}` })),
    );
    const explicit = points.map((p) => ({ ...p, simulate: inferProfile(p, points) }));
    expect(validateSimulation(explicit)).toEqual([]);
  });
});

describe("the seed file", () => {
  const points = seedPoints();
  const sim = new Simulator(points, { seed: 1, intervalMs: 1000, baseTopic: "t" }, { publish() {} });
  const plan = sim.plan();
  const byIoa = new Map(points.map((p) => [p.ioa, p]));

  it("gives every one of its 443 points a profile", () => {
    expect(points).toHaveLength(443);
    expect(plan).toHaveLength(443);
    expect(new Set(plan.map((e) => e.ioa)).size).toBe(443);
  });

  it("gives each unit a plausible range", () => {
    const expected: Record<string, [string[], number, number]> = {
      Hz: [["frequency"], 49.5, 50.5],
      V: [["voltage", "random-walk"], 0, 440],
      A: [["current", "random-walk"], 0, 400],
      W: [["power"], 0, 250_000],
      var: [["reactive-power"], 0, 80_000],
      VA: [["power"], 0, 270_000],
      "%": [["random-walk"], 0, 100],
      "°": [["random-walk"], -180, 180],
      "": [["power-factor", "random-walk", "constant", "energy", "alarm"], 0, 1e9],
      "-": [["random-walk"], 0, 1],
    };
    for (const e of plan) {
      const p = byIoa.get(e.ioa)!;
      const [lo, hi] = getProfile(e.profile)!.bounds(e.params);
      if (p.unit.endsWith("h")) {
        expect(e.profile, p.name).toBe("energy");
        const family = p.unit === "kWh" ? "W" : p.unit === "kVAh" ? "VA" : "var";
        expect(byIoa.get(points.find((x) => x.name === e.params.source)!.ioa)!.unit, p.name).toBe(family);
        continue;
      }
      const [profiles, min, max] = expected[p.unit]!;
      expect(profiles, p.name).toContain(e.profile);
      expect(lo, p.name).toBeGreaterThanOrEqual(min);
      expect(hi, p.name).toBeLessThanOrEqual(max);
    }
  });

  it("runs an hour: values in their bounds, energies increasing with the power they read", () => {
    const t0 = Date.UTC(2026, 0, 15, 17);
    const values = new Map<string, number[]>();
    for (let i = 0; i <= 3600; i += 10) {
      for (const m of sim.tick(t0 + i * 1000)) {
        const list = values.get(m.topic);
        if (list === undefined) values.set(m.topic, [Number(m.payload)]);
        else list.push(Number(m.payload));
      }
    }
    expect(values.size).toBe(443);
    for (const e of plan) {
      const v = values.get(`t/point/1/${e.ioa}`)!;
      const [lo, hi] = getProfile(e.profile)!.bounds(e.params);
      expect(
        v.every((x) => x >= lo && x <= hi),
        e.name,
      ).toBe(true);
      if (e.profile === "energy") {
        expect(
          v.every((x, i) => i === 0 || x >= v[i - 1]!),
          e.name,
        ).toBe(true);
        expect(v.at(-1)!, e.name).toBeGreaterThan(v[0]!);
      }
    }
    const net = values.get("t/point/1/262320")!;
    expect(net.at(-1)! - net[0]!).toBeGreaterThan(20);
    expect(net.at(-1)! - net[0]!).toBeLessThan(250);
  });
});
