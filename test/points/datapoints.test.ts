/**
 * Loading Datapoints.json: the seed's file unchanged, addresses (IOAddress, bytes, assignment),
 * type ids and mnemonics, the extension fields and their defaults.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DatapointsError, loadDatapoints, loadDatapointsFile } from "../../src/points/datapoints.js";
import { REPO_ROOT, sharedFile } from "../helpers/shared.js";
import { command, load, monitor, OPTS, point, problems } from "./helpers.js";

interface SeedPoint {
  IOAddress: number;
  "Type IEC": number;
  "Unit / Einheit": string;
}

describe("the seed's Datapoints.json", () => {
  const path = sharedFile("seed", "Datapoints.json");
  const seed = JSON.parse(readFileSync(path, "utf8")) as Record<string, SeedPoint>;

  it("loads unchanged: 443 monitoring points of CA 1 at the IOAs given, 441 of type 36 and 2 of type 30", async () => {
    const { catalog } = await loadDatapointsFile(path, { defaultCa: 1, startAddress: 1 });
    expect(catalog.source).toBe(path);
    expect(catalog.points).toHaveLength(443);
    expect(catalog.points.every((p) => p.kind === "monitor" && p.ca === 1)).toBe(true);
    expect(catalog.points.filter((p) => p.typeId === 36)).toHaveLength(441);
    expect(catalog.points.filter((p) => p.typeId === 30).map((p) => p.name)).toEqual([
      "Binäreingang 1",
      "Binäreingang 2",
    ]);
    for (const p of catalog.points) {
      const s = seed[p.name]!;
      expect({ name: p.name, ioa: p.ioa, unit: p.unit }).toEqual({
        name: p.name,
        ioa: s.IOAddress,
        unit: s["Unit / Einheit"],
      });
    }
    expect(catalog.points.map((p) => p.name)).toEqual(Object.keys(seed));
  });

  it("keeps every optional field at its default (simulate undefined: the simulator infers)", () => {
    const catalog = load(readFileSync(path, "utf8"));
    expect(monitor(catalog, "Netzfrequenz")).toEqual({
      kind: "monitor",
      name: "Netzfrequenz",
      ca: 1,
      ioa: 262176,
      unit: "Hz",
      typeId: 36,
      groups: [],
      counterGroup: undefined,
      deadband: 0,
      cyclicMs: 0,
      backgroundMs: 0,
      spontaneous: undefined,
      source: { topic: undefined, field: undefined },
      staleAfterMs: undefined,
      simulate: undefined,
      initial: undefined,
    });
  });

  it("puts the seed's points in another station with defaultCa", () => {
    const catalog = load(readFileSync(path, "utf8"), { defaultCa: 7 });
    expect(new Set(catalog.points.map((p) => p.ca))).toEqual(new Set([7]));
  });
});

describe("addresses", () => {
  it("computes the IOA from the three bytes when IOAddress is absent", () => {
    const c = load({ A: { HighByte: 4, MiddleByte: 0, LowByte: 32, "Type IEC": 36 } });
    expect(point(c, "A").ioa).toBe(262176);
  });

  it("accepts bytes that agree with IOAddress, and any subset of them", () => {
    const c = load({
      A: { IOAddress: 0x123456, HighByte: 0x12, MiddleByte: 0x34, LowByte: 0x56, "Type IEC": 30 },
      B: { IOAddress: 0xffffff, LowByte: 255, "Type IEC": 30 },
    });
    expect(point(c, "A").ioa).toBe(0x123456);
    expect(point(c, "B").ioa).toBe(0xffffff);
  });

  it("refuses bytes that disagree with IOAddress, naming each byte", () => {
    expect(
      problems({
        Netzfrequenz: { IOAddress: 262176, HighByte: 4, MiddleByte: 1, LowByte: 33, "Type IEC": 36 },
      }),
    ).toEqual([
      '"Netzfrequenz"."MiddleByte": 1 does not match IOAddress 262176 (its middle byte is 0)',
      '"Netzfrequenz"."LowByte": 33 does not match IOAddress 262176 (its low byte is 32)',
    ]);
  });

  it("refuses some bytes without IOAddress", () => {
    expect(problems({ A: { HighByte: 4, LowByte: 32, "Type IEC": 36 } })).toEqual([
      '"A": IOAddress is missing and so is MiddleByte: give IOAddress or all of HighByte, MiddleByte and LowByte',
    ]);
  });

  it("refuses addresses out of range", () => {
    expect(
      problems({
        A: { IOAddress: 16777216, "Type IEC": 36 },
        B: { IOAddress: -1, "Type IEC": 36 },
        C: { HighByte: 256, MiddleByte: 0, LowByte: 1.5, "Type IEC": 36 },
        D: { IOAddress: "12", "Type IEC": 36 },
      }),
    ).toEqual([
      '"A"."IOAddress": 16777216 is not an integer in 0..16777215',
      '"B"."IOAddress": -1 is not an integer in 0..16777215',
      '"C"."HighByte": 256 is not an integer in 0..255',
      '"C"."LowByte": 1.5 is not an integer in 0..255',
      '"D"."IOAddress": "12" is not an integer in 0..16777215',
    ]);
  });

  it("assigns missing IOAs in file order from startAddress, skipping the ones in use", () => {
    const c = load(
      {
        A: { "Type IEC": 36 },
        B: { IOAddress: 101, "Type IEC": 36 },
        C: { "Type IEC": 36 },
        D: { HighByte: 0, MiddleByte: 0, LowByte: 103, "Type IEC": 36 },
        E: { "Type IEC": 36 },
        F: { "Type IEC": 45, IOAddress: 105 },
        G: { "Type IEC": 30 },
      },
      { startAddress: 100 },
    );
    expect(c.points.map((p) => [p.name, p.ioa])).toEqual([
      ["A", 100],
      ["B", 101],
      ["C", 102],
      ["D", 103],
      ["E", 104],
      ["F", 105],
      ["G", 106],
    ]);
  });

  it("assigns per station: each common address counts from startAddress", () => {
    const c = load(
      {
        A: { "Type IEC": 36 },
        B: { "Type IEC": 36, ca: 2 },
        C: { "Type IEC": 36 },
        D: { "Type IEC": 36, ca: 2 },
        E: { "Type IEC": 36, ca: 2, IOAddress: 10 },
      },
      { startAddress: 10 },
    );
    expect(c.points.map((p) => [p.name, p.ca, p.ioa])).toEqual([
      ["A", 1, 10],
      ["B", 2, 11],
      ["C", 1, 11],
      ["D", 2, 12],
      ["E", 2, 10],
    ]);
  });

  it("reports when no IOA is left to assign", () => {
    expect(
      problems(
        { A: { IOAddress: 16777215, "Type IEC": 30 }, B: { "Type IEC": 30 } },
        { startAddress: 16777215 },
      ),
    ).toEqual(['"B": no free IOA left from 16777215 up in station 1: give IOAddress']);
  });

  it("lets a monitoring point and a command share an IOA, and stations reuse IOAs", () => {
    const c = load({
      "Breaker position": { IOAddress: 10, "Type IEC": 31 },
      "Breaker command": { IOAddress: 10, "Type IEC": 46, status: "Breaker position" },
      "Other station": { IOAddress: 10, "Type IEC": 31, ca: 2 },
    });
    expect(c.points.map((p) => [p.kind, p.ca, p.ioa])).toEqual([
      ["monitor", 1, 10],
      ["command", 1, 10],
      ["monitor", 2, 10],
    ]);
  });
});

describe("type ids", () => {
  it("takes a type id or a mnemonic (any case, or digits in a string)", () => {
    const c = load({
      A: { "Type IEC": "M_ME_TF_1" },
      B: { "Type IEC": "m_sp_tb_1" },
      C: { "Type IEC": "31" },
      D: { "Type IEC": 13 },
      E: { "Type IEC": "C_SE_NC_1" },
    });
    expect(c.points.map((p) => [p.kind, p.typeId])).toEqual([
      ["monitor", 36],
      ["monitor", 30],
      ["monitor", 31],
      ["monitor", 13],
      ["command", 50],
    ]);
  });

  it("accepts every monitoring type the outstation serves", () => {
    const served = [1, 3, 5, 7, 9, 11, 13, 15, 20, 21, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40];
    const c = load(Object.fromEntries(served.map((t) => [`P${t}`, { "Type IEC": t }])));
    expect(c.points.map((p) => p.typeId)).toEqual(served);
  });

  it("stores a time-tagged command as its untimed base type", () => {
    const timed = [58, 59, 60, 61, 62, 63, 64];
    const c = load(Object.fromEntries(timed.map((t) => [`C${t}`, { "Type IEC": t }])));
    expect(c.points.map((p) => [p.kind, p.typeId])).toEqual(timed.map((t) => ["command", t - 13]));
    expect(point(load({ X: { "Type IEC": "C_DC_TA_1" } }), "X").typeId).toBe(46);
  });
});

describe("extension fields", () => {
  it("fills a monitoring point from them", () => {
    const c = load({
      P: {
        IOAddress: 1021,
        "Type IEC": 36,
        "Unit / Einheit": "kW",
        ca: 3,
        groups: [3, 1, 3],
        deadband: 50,
        cyclicMs: 60000,
        backgroundMs: 900000,
        spontaneous: false,
        topic: "plant/meter/1",
        field: "power.active",
        staleAfterMs: 30000,
        simulate: { profile: "daily-load", nominal: 6000, jitter: true, shape: "winter" },
        initial: { value: 5200, quality: ["iv", "NT"] },
      },
    });
    expect(monitor(c, "P")).toEqual({
      kind: "monitor",
      name: "P",
      ca: 3,
      ioa: 1021,
      unit: "kW",
      typeId: 36,
      groups: [1, 3],
      counterGroup: undefined,
      deadband: 50,
      cyclicMs: 60000,
      backgroundMs: 900000,
      spontaneous: false,
      source: { topic: "plant/meter/1", field: "power.active" },
      staleAfterMs: 30000,
      simulate: { profile: "daily-load", params: { nominal: 6000, jitter: true, shape: "winter" } },
      initial: { value: 5200, quality: 0xc0 },
    });
  });

  it("reads simulate as false, a profile name, true (infer) or absent (infer)", () => {
    const c = load({
      A: { "Type IEC": 36, simulate: false },
      B: { "Type IEC": 36, simulate: "frequency" },
      C: { "Type IEC": 36, simulate: true },
      D: { "Type IEC": 36 },
      E: { "Type IEC": 37, simulate: { profile: "energy", source: "B" } },
    });
    expect(c.points.map((p) => (p.kind === "monitor" ? p.simulate : null))).toEqual([
      false,
      { profile: "frequency", params: {} },
      undefined,
      undefined,
      { profile: "energy", params: { source: "B" } },
    ]);
  });

  it("reads initial as a number, a boolean or {value, quality}", () => {
    const c = load({
      A: { "Type IEC": 36, initial: 49.98 },
      B: { "Type IEC": 30, initial: true },
      C: { "Type IEC": 31, initial: true },
      D: { "Type IEC": 31, initial: { value: false, quality: { iv: true } } },
      E: { "Type IEC": 32, initial: { value: -5, quality: 16 } },
    });
    expect(c.points.map((p) => (p.kind === "monitor" ? p.initial : null))).toEqual([
      { value: 49.98, quality: 0 },
      { value: 1, quality: 0 },
      { value: 2, quality: 0 },
      { value: 1, quality: 0x80 },
      { value: -5, quality: 0x10 },
    ]);
  });

  it("takes a single interrogation group as a number", () => {
    expect(monitor(load({ A: { "Type IEC": 36, groups: 4 } }), "A").groups).toEqual([4]);
  });

  it("keeps a counter's counterGroup", () => {
    expect(monitor(load({ A: { "Type IEC": 37, counterGroup: 2 } }), "A").counterGroup).toBe(2);
  });

  it("fills a command point, with defaults select both, actTerm true, no mode", () => {
    const c = load({
      "Breaker position": { IOAddress: 2001, "Type IEC": 31 },
      "Breaker command": { IOAddress: 5001, "Type IEC": 46, status: "Breaker position" },
      "Set-point": {
        IOAddress: 5002,
        "Type IEC": "C_SE_NC_1",
        "Unit / Einheit": "kV",
        commandMode: "mqtt",
        select: "direct",
        actTerm: false,
      },
      Tap: { IOAddress: 2002, "Type IEC": 32 },
      "Tap command": { IOAddress: 5003, "Type IEC": 47, statusIoa: 2002, select: "select" },
    });
    expect(command(c, "Breaker command")).toEqual({
      kind: "command",
      name: "Breaker command",
      ca: 1,
      ioa: 5001,
      unit: "",
      typeId: 46,
      mode: undefined,
      select: "both",
      statusIoa: 2001,
      actTerm: true,
    });
    expect(command(c, "Set-point")).toMatchObject({
      typeId: 50,
      mode: "mqtt",
      select: "direct",
      actTerm: false,
      unit: "kV",
    });
    expect(command(c, "Set-point").statusIoa).toBeUndefined();
    expect(command(c, "Tap command")).toMatchObject({ typeId: 47, select: "select", statusIoa: 2002 });
  });

  it("links a command to a status point declared after it", () => {
    const c = load({
      Cmd: { "Type IEC": 45, status: "State" },
      State: { "Type IEC": 30 },
    });
    expect(command(c, "Cmd").statusIoa).toBe(monitor(c, "State").ioa);
  });
});

describe("docs/datapoints.md", () => {
  it("has an example that loads", () => {
    const md = readFileSync(resolve(REPO_ROOT, "docs", "datapoints.md"), "utf8");
    const example = /```json\n([\s\S]*?)```/.exec(md)![1]!;
    const c = load(example);
    expect(c.points.map((p) => [p.name, p.kind, p.ioa])).toEqual([
      ["Netzfrequenz", "monitor", 262176],
      ["Active power P", "monitor", 1021],
      ["Circuit breaker Q0", "monitor", 2001],
      ["Circuit breaker Q0 command", "command", 5001],
    ]);
    expect(command(c, "Circuit breaker Q0 command").statusIoa).toBe(2001);
  });
});

describe("text", () => {
  it("ignores a byte order mark", () => {
    expect(load(`\uFEFF{"A": {"Type IEC": 36}}`).points).toHaveLength(1);
  });

  it("loads an empty object as an empty catalog", () => {
    expect(load("{}")).toEqual({ points: [], source: "test.json" });
  });

  it("reports a missing file as a DatapointsError", async () => {
    const err = await loadDatapointsFile("/nonexistent/Datapoints.json", {
      defaultCa: 1,
      startAddress: 1,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatapointsError);
    expect((err as DatapointsError).message).toBe(
      "/nonexistent/Datapoints.json: 1 problem:\n/nonexistent/Datapoints.json: the file does not exist",
    );
  });

  it("puts the source and the count in the message, one `path: message` line per problem", () => {
    let err: unknown;
    try {
      loadDatapoints(JSON.stringify({ A: { "Type IEC": 99 }, B: { "Type IEC": 36, foo: 1 } }), OPTS);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatapointsError);
    expect((err as DatapointsError).name).toBe("DatapointsError");
    expect((err as DatapointsError).message).toBe(
      'test.json: 2 problems:\n"A"."Type IEC": 99 is not a supported type\n"B"."foo": unknown field',
    );
    expect((err as DatapointsError).issues.map((i) => i.point)).toEqual(["A", "B"]);
  });
});
