/**
 * Walking the configuration schema by path: which keys exist where (for environment variables,
 * `--set` and "did you mean"), and turning a string from the environment or the command line into
 * the type the schema expects there.
 */
import { z } from "zod";
import { describeValue, suggest } from "./errors.js";
import { GatewayConfigSchema } from "./schema.js";

type Schema = z.core.$ZodType;

/** The schema under optional/default/prefault/nullable wrappers and the input side of pipes. */
function unwrap(schema: Schema): Schema {
  let s = schema;
  for (;;) {
    if (
      s instanceof z.ZodOptional ||
      s instanceof z.ZodDefault ||
      s instanceof z.ZodPrefault ||
      s instanceof z.ZodNullable
    ) {
      s = s.unwrap();
    } else if (s instanceof z.ZodPipe) {
      s = s.in;
    } else {
      return s;
    }
  }
}

/** The keys of the object schema `s`, or undefined when it is not an object. */
function shapeOf(s: Schema): Record<string, Schema> | undefined {
  const u = unwrap(s);
  return u instanceof z.ZodObject ? (u.shape as Record<string, Schema>) : undefined;
}

/** The configuration keys valid at a (canonical) path, e.g. [] -> the sections; undefined if none. */
export function keysAt(
  path: readonly PropertyKey[],
  root: Schema = GatewayConfigSchema,
): string[] | undefined {
  let s: Schema | undefined = root;
  for (const seg of path) {
    if (s === undefined) return undefined;
    const u = unwrap(s);
    if (typeof seg === "number" && u instanceof z.ZodArray) s = u.element;
    else s = shapeOf(u)?.[String(seg)];
  }
  return s === undefined ? undefined : Object.keys(shapeOf(s) ?? {});
}

/** A key as written in an environment variable or `--set`: case, `_` and `-` do not matter. */
const normalize = (k: string) => k.toLowerCase().replace(/[_-]/g, "");

export type Resolved = { ok: true; path: string[]; schema: Schema } | { ok: false; message: string };

/**
 * Maps loosely written segments (`["IEC104", "MAX_CONNECTIONS"]`) to the canonical path
 * (`["iec104", "maxConnections"]`) and the schema found there.
 */
export function resolvePath(segments: readonly string[], root: Schema = GatewayConfigSchema): Resolved {
  const path: string[] = [];
  let s: Schema = root;
  for (const seg of segments) {
    const shape = shapeOf(s);
    const where = path.length === 0 ? "" : ` under ${path.join(".")}`;
    if (shape === undefined) {
      const what = unwrap(s) instanceof z.ZodArray ? "a list (set it whole, as JSON)" : "a single value";
      return { ok: false, message: `${path.join(".")} is ${what}; it has no setting "${seg}"` };
    }
    const keys = Object.keys(shape);
    const key = keys.find((k) => normalize(k) === normalize(seg));
    if (key === undefined) {
      const close = suggest(seg, keys);
      const hint = close === undefined ? "" : ` (did you mean ${[...path, close].join(".")}?)`;
      return { ok: false, message: `no setting "${seg}"${where}${hint}` };
    }
    path.push(key);
    s = shape[key]!;
  }
  return { ok: true, path, schema: s };
}

export type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function parseJson(raw: string, what: "list" | "object"): Coerced {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    return {
      ok: false,
      message: `expected a JSON ${what}: ${(e as Error).message.split(/, (\.\.\.)?"/)[0]}`,
    };
  }
  const isList = Array.isArray(value);
  const isObject = typeof value === "object" && value !== null && !isList;
  if (what === "list" ? isList : isObject) return { ok: true, value };
  return { ok: false, message: `expected a JSON ${what}, got ${describeValue(value)}` };
}

/**
 * The string `raw` (from the environment or the command line) as the type `schema` expects: numbers,
 * booleans (`true`/`false`), lists (comma-separated or JSON), objects (JSON); strings stay as given.
 */
export function coerce(schema: Schema, raw: string): Coerced {
  const s = unwrap(schema);
  if (s instanceof z.ZodNumber) {
    const t = raw.trim();
    return NUMBER.test(t)
      ? { ok: true, value: Number(t) }
      : { ok: false, message: `expected a number, got ${describeValue(raw)}` };
  }
  if (s instanceof z.ZodBoolean) {
    const t = raw.trim().toLowerCase();
    if (t === "true" || t === "false") return { ok: true, value: t === "true" };
    return { ok: false, message: `expected true or false, got ${describeValue(raw)}` };
  }
  if (s instanceof z.ZodLiteral) {
    const values: unknown[] = [...s.values];
    if (values.some((v) => typeof v === "number")) return coerce(z.number(), raw);
    return values.includes(raw)
      ? { ok: true, value: raw }
      : {
          ok: false,
          message: `expected ${values.map(describeValue).join(" or ")}, got ${describeValue(raw)}`,
        };
  }
  if (s instanceof z.ZodArray) return coerceList(s.element, raw);
  if (s instanceof z.ZodObject) return parseJson(raw, "object");
  if (s instanceof z.ZodUnion) {
    let last: Coerced = { ok: true, value: raw };
    for (const option of s.options as readonly Schema[]) {
      last = coerce(option, raw);
      if (last.ok) return last;
    }
    return last;
  }
  return { ok: true, value: raw };
}

function coerceList(element: Schema, raw: string): Coerced {
  const t = raw.trim();
  if (t.startsWith("[")) return parseJson(t, "list");
  if (shapeOf(element) !== undefined) return parseJson(t, "list");
  const items = t === "" ? [] : t.split(",").map((x) => x.trim());
  const out: unknown[] = [];
  for (const item of items) {
    const c = coerce(element, item);
    if (!c.ok) return { ok: false, message: `item ${out.length + 1}: ${c.message}` };
    out.push(c.value);
  }
  return { ok: true, value: out };
}
