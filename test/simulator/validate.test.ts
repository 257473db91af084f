/**
 * validateSimulation: errors as `path: message` for explicit specs; inferred points are not checked
 * (they are valid by construction, see infer.test.ts).
 */
import { describe, expect, it } from "vitest";
import type { MonitorTypeId } from "../../src/iec104/asdu/scalar.js";
import type { SimulationSpec } from "../../src/points/model.js";
import { PROFILES, validateSimulation } from "../../src/simulator/index.js";
import { point } from "./fixtures.js";

function errors(simulate: SimulationSpec, typeId: MonitorTypeId = 13): string[] {
  return validateSimulation([point({ ioa: 7, name: "X", typeId, simulate })]);
}

describe("validateSimulation", () => {
  it("accepts valid specs, defaults, simulate false and inferred points", () => {
    const points = [
      point({ ioa: 1, simulate: { profile: "voltage", params: { nominal: 20, tolerance: 0.05 } } }),
      point({ ioa: 2, simulate: { profile: "random-walk", params: {} } }),
      point({ ioa: 3, simulate: false }),
      point({ ioa: 4, unit: "V" }),
      point({ ioa: 5, typeId: 3, simulate: { profile: "breaker", params: { intermediateMs: 200 } } }),
      point({ ioa: 6, typeId: 5, simulate: { profile: "tap", params: { min: -64, max: 63, initial: 63 } } }),
    ];
    expect(validateSimulation(points)).toEqual([]);
  });

  it("every profile's defaults are valid on a float point", () => {
    for (const name of PROFILES.keys()) expect(errors({ profile: name, params: {} }), name).toEqual([]);
  });

  it("reports unknown profiles and params with their path", () => {
    expect(errors({ profile: "sine", params: {} })).toEqual([
      `X (1/7).simulate.profile: unknown profile "sine" (known: ${[...PROFILES.keys()].join(", ")})`,
    ]);
    expect(errors({ profile: "voltage", params: { nominl: 230 } })).toEqual([
      'X (1/7).simulate.params.nominl: unknown parameter of "voltage" (known: nominal, tolerance)',
    ]);
  });

  it("reports params of the wrong type or out of range", () => {
    expect(errors({ profile: "voltage", params: { nominal: "230", tolerance: 2 } })).toEqual([
      "X (1/7).simulate.params.nominal: must be a finite number",
      "X (1/7).simulate.params.tolerance: must be at most 1",
    ]);
    expect(errors({ profile: "breaker", params: { meanMs: 0.5, initial: 3 } }, 3)).toEqual([
      "X (1/7).simulate.params.meanMs: must be an integer",
      "X (1/7).simulate.params.initial: must be at most 2",
    ]);
    expect(errors({ profile: "alarm", params: { meanMs: 0 } }, 1)).toEqual([
      "X (1/7).simulate.params.meanMs: must be greater than 0",
    ]);
    expect(errors({ profile: "energy", params: { integer: 1 } })).toEqual([
      "X (1/7).simulate.params.integer: must be a boolean",
    ]);
    expect(errors({ profile: "random-walk", params: { max: Number.NaN } })).toEqual([
      "X (1/7).simulate.params.max: must be a finite number",
    ]);
  });

  it("reports inconsistent params", () => {
    expect(errors({ profile: "random-walk", params: { min: 5, max: 5 } })).toEqual([
      "X (1/7).simulate.params.max: must be greater than min",
    ]);
    expect(errors({ profile: "tap", params: { initial: 20 } }, 5)).toEqual([
      "X (1/7).simulate.params.initial: must be within -16..16",
    ]);
    expect(errors({ profile: "energy", params: { initial: 10, wrap: 10 } })).toEqual([
      "X (1/7).simulate.params.initial: must be below wrap",
    ]);
  });

  it("reports values that do not fit the point's IEC type", () => {
    expect(errors({ profile: "voltage", params: {} }, 9)).toEqual([
      "X (1/7).simulate.profile: values 207..253 do not fit M_ME_NA_1 (-1..0.999969482421875)",
    ]);
    expect(errors({ profile: "breaker", params: {} }, 30)).toEqual([
      "X (1/7).simulate.profile: values 1..2 do not fit M_SP_TB_1 (0..1)",
    ]);
    expect(errors({ profile: "current", params: { max: 40_000 } }, 11)).toHaveLength(1);
    expect(errors({ profile: "tap", params: {} }, 5)).toEqual([]);
  });

  it("reports energy sources that name no point, the counter itself or another counter", () => {
    const counter = (ioa: number, source: string) =>
      point({ ioa, name: `E${ioa}`, typeId: 15, simulate: { profile: "energy", params: { source } } });
    const points = [
      point({ ioa: 1, name: "P", unit: "kW" }),
      counter(2, "P"),
      counter(3, "Q"),
      counter(4, "E4"),
      counter(5, "E2"),
    ];
    expect(validateSimulation(points)).toEqual([
      'E3 (1/3).simulate.params.source: no point named "Q"',
      "E4 (1/4).simulate.params.source: a point cannot integrate itself",
      'E5 (1/5).simulate.params.source: "E2" is itself a counter',
    ]);
  });
});
