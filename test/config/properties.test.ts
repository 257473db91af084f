/** Whatever the input, the configuration layer answers with a config or a ConfigError, never else. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseConfig } from "../../src/config/index.js";
import { keysAt } from "../../src/config/introspect.js";
import { tempDir } from "./helpers.js";

const RUNS = 300;

/** Every key name of the schema, at any depth (list elements included). */
function allKeys(path: (string | number)[] = [], out = new Set<string>()): Set<string> {
  for (const key of keysAt(path) ?? []) {
    out.add(key);
    allKeys([...path, key], out);
    allKeys([...path, key, 0], out);
  }
  return out;
}
const KEYS = [...allKeys()];

const interesting = fc.constantFrom(
  "external",
  "embedded",
  "by-ip",
  "single-group",
  "10.0.0.1",
  "::1",
  "mqtt://broker",
  "mqtts://b:8883",
  "all",
  "TLSv1.3",
  "",
  "a/#",
  "__proto__",
);
const leaf = fc.oneof(
  fc.integer({ min: -10, max: 70000 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 8 }),
  interesting,
);
const key = fc.oneof(
  fc.constantFrom(...KEYS, "__proto__", "constructor", "toString"),
  fc.string({ maxLength: 6 }),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: "small" }, leaf, tie("object"), tie("array")),
  object: fc.dictionary(key, tie("tree"), { maxKeys: 6 }),
  array: fc.array(tie("tree"), { maxLength: 4 }),
}));
const config = fc.dictionary(fc.constantFrom(...KEYS.slice(0, 12), "x"), tree, { maxKeys: 6 });

function onlyConfigError(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    expect(e.problems.length).toBeGreaterThan(0);
    for (const p of e.problems) expect(p).toMatch(/^\S.*?: \S/s);
  }
}

describe("properties", () => {
  it("parseConfig of anything: a config or a ConfigError", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything({ withObjectString: true, withNullPrototype: true }), config, tree),
        (v) => {
          onlyConfigError(() => parseConfig(v));
        },
      ),
      { numRuns: RUNS * 3 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("loadConfig of any JSON or YAML file: a config or a ConfigError", () => {
    const dir = tempDir();
    fc.assert(
      fc.property(config, fc.string({ maxLength: 40 }), fc.boolean(), (obj, noise, yaml) => {
        const file = join(dir, yaml ? "c.yaml" : "c.json");
        writeFileSync(file, yaml ? noise : JSON.stringify(obj));
        onlyConfigError(() => loadConfig({ file, env: {}, cwd: dir, checkFiles: false }));
        writeFileSync(file, JSON.stringify(obj));
        onlyConfigError(() => loadConfig({ file, env: {}, cwd: dir }));
      }),
      { numRuns: RUNS },
    );
  });

  it("loadConfig with any IEC104GW_ variables and overrides: a config or a ConfigError", () => {
    const segment = fc.oneof(
      fc.constantFrom(...KEYS),
      fc.constantFrom(...KEYS).map((k) => k.toUpperCase()),
      fc.string({ maxLength: 5 }),
    );
    const name = fc
      .array(segment, { minLength: 1, maxLength: 3 })
      .chain((segs) => fc.constantFrom(segs.join("__"), `${segs.join("__")}_FILE`));
    const value = fc.oneof(fc.string({ maxLength: 10 }), interesting, fc.integer().map(String), fc.json());
    fc.assert(
      fc.property(
        fc.dictionary(name, value, { maxKeys: 5 }),
        fc.dictionary(
          fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join(".")),
          fc.oneof(value, tree),
          {
            maxKeys: 3,
          },
        ),
        (vars, overrides) => {
          const env = Object.fromEntries(Object.entries(vars).map(([k, v]) => [`IEC104GW_${k}`, v]));
          onlyConfigError(() => loadConfig({ env, overrides, cwd: tempDirOnce, checkFiles: false }));
        },
      ),
      { numRuns: RUNS },
    );
  });
});

const tempDirOnce = tempDir();
