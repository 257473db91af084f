/**
 * Property tests of the loader (fast-check): whatever the text, it returns a catalog or throws a
 * DatapointsError, nothing else; and what it accepts keeps its promises (addresses in range, no two
 * points of one direction at one address of a station, status links to monitoring points).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DatapointsError, loadDatapoints } from "../../src/points/datapoints.js";
import { countKeys } from "../../src/points/json-text.js";
import type { PointCatalog } from "../../src/points/model.js";
import { parsePoint, pointSchema } from "../../src/points/schema.js";
import { OPTS } from "./helpers.js";

const FIELDS = [
  "IOAddress",
  "HighByte",
  "MiddleByte",
  "LowByte",
  "Type IEC",
  "Unit / Einheit",
  "ca",
  "groups",
  "counterGroup",
  "deadband",
  "cyclicMs",
  "backgroundMs",
  "spontaneous",
  "topic",
  "field",
  "staleAfterMs",
  "simulate",
  "initial",
  "commandMode",
  "select",
  "status",
  "statusIoa",
  "actTerm",
  "__proto__",
  "constructor",
  "unknown",
];

const names = fc.constantFrom("A", "B", "C", "__proto__", "toString", "", "Netzfrequenz");
/** Values near what the fields take, so the loader gets past the schema often. */
const fieldValue = fc.oneof(
  fc.integer({ min: -2, max: 70 }),
  fc.constantFrom(0, 1, 2, 16, 255, 256, 65534, 65535, 16777215, 16777216, 0.5, -0.5, 2147483648),
  fc.constantFrom(
    "M_ME_TF_1",
    "M_SP_TB_1",
    "C_DC_NA_1",
    "C_RC_TA_1",
    "36",
    "x",
    "",
    "a/b",
    "a/#",
    "v.w",
    "A",
    "B",
  ),
  fc.constantFrom("auto", "select", "both", "direct", "voltage"),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer({ min: -1, max: 18 }), { maxLength: 3 }),
  fc.record(
    { profile: fc.constantFrom("energy", ""), source: fc.constantFrom("A", "B", "Z") },
    { requiredKeys: [] },
  ),
  fc.record(
    { value: fc.oneof(fc.double(), fc.boolean(), fc.string()), quality: fc.jsonValue() },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 2 }),
);
const pointArb = fc.dictionary(fc.constantFrom(...FIELDS), fieldValue, { maxKeys: 8 });
const fileArb = fc.dictionary(
  names,
  fc.oneof({ weight: 5, arbitrary: pointArb }, { weight: 1, arbitrary: fc.jsonValue() }),
  {
    maxKeys: 6,
  },
);

function attempt(text: string): PointCatalog | undefined {
  try {
    return loadDatapoints(text, OPTS).catalog;
  } catch (e) {
    if (!(e instanceof DatapointsError)) throw e;
    expect(e.issues.length).toBeGreaterThan(0);
    for (const i of e.issues) expect(typeof i.path === "string" && i.message.length > 0).toBe(true);
    return undefined;
  }
}

function checkCatalog(c: PointCatalog): void {
  const seen = new Set<string>();
  for (const p of c.points) {
    expect(Number.isInteger(p.ioa) && p.ioa >= 0 && p.ioa <= 0xffffff).toBe(true);
    expect(Number.isInteger(p.ca) && p.ca >= 1 && p.ca <= 65534).toBe(true);
    const key = `${p.kind}:${p.ca}:${p.ioa}`;
    expect(seen.has(key)).toBe(false);
    seen.add(key);
    if (p.kind === "command" && p.statusIoa !== undefined) {
      expect(c.points.some((m) => m.kind === "monitor" && m.ca === p.ca && m.ioa === p.statusIoa)).toBe(true);
    }
  }
}

describe("loadDatapoints on arbitrary input", () => {
  it("throws nothing but DatapointsError on any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const c = attempt(JSON.stringify(v) ?? "null");
        if (c !== undefined) checkCatalog(c);
      }),
      { numRuns: 500 },
    );
  });

  it("throws nothing but DatapointsError on files of point-like objects, and keeps its promises when it accepts", () => {
    let accepted = 0;
    fc.assert(
      fc.property(fileArb, (file) => {
        const c = attempt(JSON.stringify(file));
        if (c !== undefined) {
          accepted++;
          checkCatalog(c);
        }
      }),
      { numRuns: 1000 },
    );
    expect(accepted).toBeGreaterThan(0);
  });

  it("throws nothing but DatapointsError on any text, and on cut or spliced JSON", () => {
    const valid = JSON.stringify(
      { A: { IOAddress: 1, "Type IEC": 36, groups: [1] }, B: { "Type IEC": 46, status: "A" } },
      null,
      2,
    );
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.nat(valid.length),
        fc.string({ maxLength: 3 }),
        (s, at, ins) => {
          attempt(s);
          attempt(valid.slice(0, at));
          attempt(valid.slice(0, at) + ins + valid.slice(at));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("survives deep nesting without overflowing the stack", () => {
    const deep = `{"A": {"Type IEC": 36, "initial": ${"[".repeat(100000)}${"]".repeat(100000)}}}`;
    expect(attempt(deep)).toBeUndefined();
    expect(attempt(`{"A": ${"[".repeat(100000)}`)).toBeUndefined();
  });
});

describe("a point's fields", () => {
  it("the hand check of plain points agrees with the schema: same fields when valid, problems when not", () => {
    // Mostly plain scalars, so that the hand-checked path is taken often.
    const scalar = fc.oneof(
      fc.integer({ min: -2, max: 70 }),
      fc.constantFrom(0, 1, 4, 5, 255, 256, 65534, 65535, 16777215, 16777216, 2147483647, 2147483648),
      fc.constantFrom(0.5, -0.5, -0, 1e21, 3.25),
      fc.constantFrom("auto", "mqtt", "reject", "select", "both", "direct", "voltage", "M_ME_TF_1", "36", ""),
      fc.boolean(),
      fc.constant(null),
    );
    const point = fc.dictionary(
      fc.constantFrom(...FIELDS),
      fc.oneof({ weight: 6, arbitrary: scalar }, fieldValue),
      {
        maxKeys: 6,
      },
    );
    let simple = 0;
    fc.assert(
      fc.property(point, (raw) => {
        const byHand = parsePoint(raw);
        const bySchema = pointSchema.safeParse(raw);
        if (bySchema.success) {
          expect(byHand.issues).toEqual([]);
          expect(byHand.fields).toEqual(bySchema.data);
          if (Object.values(raw).every((v) => v === null || typeof v !== "object")) simple++;
        } else {
          expect(byHand.issues.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 5000 },
    );
    expect(simple).toBeGreaterThan(100);
  });
});

describe("counting keys before looking for repeated ones", () => {
  /** Key counts of the top object and of the objects directly in it, from the parsed value. */
  function parsedCounts(v: Record<string, unknown>): { top: number; fields: number } {
    let fields = 0;
    for (const x of Object.values(v)) {
      if (x !== null && typeof x === "object" && !Array.isArray(x)) fields += Object.keys(x).length;
    }
    return { top: Object.keys(v).length, fields };
  }

  it("agrees with the parsed objects when no key repeats, in any formatting and with tricky strings", () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('a"b', "a\\\\", '\\\\"', ":{[", "}]", "\\u0022"));
    const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(key, fc.jsonValue({ maxDepth: 2 })));
    fc.assert(
      fc.property(fc.dictionary(key, value), fc.constantFrom(0, 2, "\t"), (obj, space) => {
        const text = JSON.stringify(obj, null, space);
        expect(countKeys(text)).toEqual(parsedCounts(JSON.parse(text) as Record<string, unknown>));
      }),
      { numRuns: 2000 },
    );
  });

  it("counts more than the parsed objects hold when a key repeats, so the loader looks for it", () => {
    expect(countKeys('{"A": {"x": 1}, "A": {"y": 2}}')).toEqual({ top: 2, fields: 2 });
    expect(countKeys('{"A": {"x": 1, "x": 2}, "B": [{"z": 1}]}')).toEqual({ top: 2, fields: 2 });
    expect(() => loadDatapoints('{"A": {"Type IEC": 36, "Type IEC": 30}}', OPTS)).toThrow(/given twice/);
    expect(() => loadDatapoints('{"A": {"Type IEC": 36}, "A": {"Type IEC": 30}}', OPTS)).toThrow(
      /defined twice/,
    );
  });
});
