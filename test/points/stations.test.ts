/**
 * Catalog -> StationDef[] for the outstation, and the shipped Datapoints.json: it loads, every
 * command's status link resolves, and its stations build real Station objects.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { Station } from "../../src/iec104/outstation/station.js";
import { loadDatapointsFile } from "../../src/points/datapoints.js";
import type { CommandPointEntry, MonitorPoint } from "../../src/points/model.js";
import { catalogToStations } from "../../src/points/stations.js";
import { REPO_ROOT, sharedFile } from "../helpers/shared.js";
import { load } from "./helpers.js";

describe("catalogToStations", () => {
  const catalog = load({
    "T1 tap": { IOAddress: 2001, "Type IEC": 32, ca: 2, initial: 9, groups: [2] },
    "T1 tap command": {
      IOAddress: 5001,
      "Type IEC": 60,
      ca: 2,
      status: "T1 tap",
      select: "select",
      actTerm: false,
    },
    Frequency: {
      IOAddress: 1001,
      "Type IEC": 36,
      deadband: 0.01,
      groups: [1],
      cyclicMs: 1000,
      backgroundMs: 60000,
    },
    Energy: {
      IOAddress: 3001,
      "Type IEC": 37,
      counterGroup: 1,
      spontaneous: true,
      initial: { value: 5, quality: 128 },
    },
    Reset: { IOAddress: 5011, "Type IEC": 45 },
  });

  it("makes one StationDef per common address, sorted, with monitoring and command points", () => {
    const stations = catalogToStations(catalog, new Map([[2, "Transformer T1"]]));
    expect(stations).toEqual([
      {
        ca: 1,
        name: undefined,
        points: [
          {
            ioa: 1001,
            typeId: 36,
            name: "Frequency",
            groups: [1],
            counterGroup: undefined,
            deadband: 0.01,
            cyclicMs: 1000,
            backgroundMs: 60000,
            spontaneous: undefined,
            // Nothing published yet: invalid until the first value arrives.
            initial: { value: 0, quality: 128 },
          },
          {
            ioa: 3001,
            typeId: 37,
            name: "Energy",
            groups: [],
            counterGroup: 1,
            deadband: 0,
            cyclicMs: 0,
            backgroundMs: 0,
            spontaneous: true,
            initial: { value: 5, quality: 128 },
          },
        ],
        commands: [
          { ioa: 5011, typeId: 45, name: "Reset", mode: "both", statusIoa: undefined, actTerm: true },
        ],
      },
      {
        ca: 2,
        name: "Transformer T1",
        points: [
          {
            ioa: 2001,
            typeId: 32,
            name: "T1 tap",
            groups: [2],
            counterGroup: undefined,
            deadband: 0,
            cyclicMs: 0,
            backgroundMs: 0,
            spontaneous: undefined,
            initial: { value: 9, quality: 0 },
          },
        ],
        commands: [
          { ioa: 5001, typeId: 47, name: "T1 tap command", mode: "select", statusIoa: 2001, actTerm: false },
        ],
      },
    ]);
  });

  it("builds Station objects that find the linked status point", () => {
    const [s1, s2] = catalogToStations(catalog).map((def) => new Station(def, 0));
    expect(s1!.ca).toBe(1);
    expect(s1!.commands.get(5011)!.statusIndex).toBe(-1);
    expect(s1!.counterList(1)).toHaveLength(1);
    expect(s2!.commands.get(5001)).toMatchObject({ typeId: 47, mode: "select", actTerm: false });
    expect(s2!.ioas[s2!.commands.get(5001)!.statusIndex]).toBe(2001);
    expect(s2!.value[s2!.indexOf(2001)]).toBe(9);
  });

  it("builds the seed's station", () => {
    const seed = load(readFileSync(sharedFile("seed", "Datapoints.json"), "utf8"));
    const [station] = catalogToStations(seed).map((def) => new Station(def, 0));
    expect(station!.size).toBe(443);
    expect(station!.commands.size).toBe(0);
  });
});

describe("the shipped Datapoints.json", async () => {
  const path = resolve(REPO_ROOT, "Datapoints.json");
  const raw = JSON.parse(readFileSync(path, "utf8")) as Record<string, Record<string, unknown>>;
  const { catalog } = await loadDatapointsFile(path, { defaultCa: 1, startAddress: 1 });
  const monitors = catalog.points.filter((p): p is MonitorPoint => p.kind === "monitor");
  const commands = catalog.points.filter((p): p is CommandPointEntry => p.kind === "command");

  it("loads: a feeder bay (CA 1) and a transformer station (CA 2), 40..80 points", () => {
    expect(catalog.points.length).toBeGreaterThanOrEqual(40);
    expect(catalog.points.length).toBeLessThanOrEqual(80);
    expect(new Set(catalog.points.map((p) => p.ca))).toEqual(new Set([1, 2]));
  });

  it("resolves every command's status link to a monitoring point of its station that it names", () => {
    for (const c of commands) {
      const status = raw[c.name]!.status;
      if (status === undefined) {
        expect(c.statusIoa, c.name).toBeUndefined();
        continue;
      }
      const target = monitors.find((m) => m.name === status);
      expect(target, `${c.name} -> ${String(status)}`).toBeDefined();
      expect([target!.ca, target!.ioa]).toEqual([c.ca, c.statusIoa]);
    }
    expect(commands.filter((c) => c.statusIoa !== undefined).length).toBeGreaterThanOrEqual(8);
  });

  it("holds the kinds of points a feeder and a transformer report", () => {
    const types = new Set(catalog.points.map((p) => p.typeId));
    for (const t of [11, 30, 31, 32, 34, 35, 36, 37, 45, 46, 47, 50]) expect(types, `type ${t}`).toContain(t);
    const byName = (n: string) => catalog.points.find((p) => p.name === n)!;
    expect(byName("Circuit breaker Q0 command")).toMatchObject({ typeId: 46, select: "select" });
    expect(byName("T1 tap changer raise/lower")).toMatchObject({
      typeId: 47,
      statusIoa: byName("T1 tap position").ioa,
    });
    expect(byName("Voltage regulator target set-point")).toMatchObject({ typeId: 50 });
    for (const m of monitors) {
      if (m.typeId === 37) expect(m.counterGroup, m.name).toBeDefined();
      else if (m.typeId !== 38) expect(m.groups.length, m.name).toBeGreaterThan(0);
    }
  });

  it("builds real Station objects", () => {
    const names = new Map([
      [1, "Feeder J03"],
      [2, "Transformer T1"],
    ]);
    const stations = catalogToStations(catalog, names).map((def) => new Station(def, Date.now()));
    expect(stations.map((s) => [s.ca, s.name])).toEqual([
      [1, "Feeder J03"],
      [2, "Transformer T1"],
    ]);
    expect(stations.reduce((n, s) => n + s.size, 0)).toBe(monitors.length);
    expect(stations.reduce((n, s) => n + s.commands.size, 0)).toBe(commands.length);
    for (const s of stations) {
      for (const c of s.commands.values()) {
        const linked = commands.find((x) => x.ca === s.ca && x.ioa === c.ioa)!.statusIoa !== undefined;
        expect(c.statusIndex >= 0, `${s.ca}/${c.ioa}`).toBe(linked);
      }
    }
  });
});
