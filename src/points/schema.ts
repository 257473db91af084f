/**
 * The zod schema of one point of Datapoints.json: the seed's six fields plus the optional extension
 * fields. Strict: a field it does not know is an error naming the field (with a hint when it looks
 * like a known one). Messages lead with the offending value, e.g. `300 is not an integer in 0..255`.
 * Checks that need the point's type or other points live in datapoints.ts.
 */
import { z } from "zod";
import { Quality, qualityFromFlags } from "../iec104/codec/quality.js";
import type { CommandMode } from "./model.js";

/** The longest timer Node can run (setTimeout overflows above 2^31-1 ms and fires at once). */
export const MAX_MS = 2147483647;
export const MAX_IOA = 0xffffff;

/** A value for messages: JSON, cut short when long (and never deep: the input may nest without end). */
export function fmt(v: unknown): string {
  const s = brief(v, 0);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function brief(v: unknown, depth: number): string {
  if (v === undefined) return "undefined";
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? String(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return depth >= 2
      ? "[...]"
      : `[${v
          .slice(0, 8)
          .map((x) => brief(x, depth + 1))
          .join(",")}${v.length > 8 ? ",..." : ""}]`;
  }
  const entries = Object.entries(v);
  if (entries.length === 0) return "{}";
  if (depth >= 2) return "{...}";
  const inner = entries.slice(0, 8).map(([k, x]) => `${JSON.stringify(k)}:${brief(x, depth + 1)}`);
  return `{${inner.join(",")}${entries.length > 8 ? ",..." : ""}}`;
}

function int(min: number, max: number, what = "an integer") {
  const error = (iss: { input?: unknown }): string => `${fmt(iss.input)} is not ${what} in ${min}..${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

const bool = z.boolean({ error: (iss) => `${fmt(iss.input)} is not true or false` });

function oneOf<T extends string>(values: readonly [T, ...T[]]) {
  const list = values.map((v) => `"${v}"`).join(", ");
  return z.enum(values, { error: (iss) => `${fmt(iss.input)} is not one of ${list}` });
}

type JsonKind = "number" | "string" | "boolean" | "array" | "object" | "null";

function kindOf(v: unknown): JsonKind | undefined {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  const t = typeof v;
  return t === "number" || t === "string" || t === "boolean" || t === "object" ? t : undefined;
}

/** A field taking several JSON shapes: the schema for the value's own shape decides (clear messages, no union noise). */
function byKind<T>(options: Partial<Record<JsonKind, z.ZodType<T>>>, otherwise: (v: unknown) => string) {
  return z.unknown().transform((v, ctx): T => {
    const kind = kindOf(v);
    const schema = kind === undefined ? undefined : options[kind];
    if (schema === undefined) {
      ctx.issues.push({ code: "custom", message: otherwise(v), input: v });
      return z.NEVER;
    }
    const r = schema.safeParse(v);
    if (!r.success) {
      for (const iss of r.error.issues) {
        if (iss.code === "unrecognized_keys") {
          for (const key of iss.keys) {
            ctx.issues.push({ code: "custom", message: "unknown field", path: [...iss.path, key], input: v });
          }
        } else {
          ctx.issues.push({ code: "custom", message: iss.message, path: iss.path, input: v });
        }
      }
      return z.NEVER;
    }
    return r.data;
  });
}

const group = int(1, 16);
const groupsSchema = byKind<number[]>(
  { number: group.transform((g) => [g]), array: z.array(group) },
  (v) => `${fmt(v)} is not a list of interrogation groups 1..16 (e.g. [1, 3])`,
);

const typeSchema = byKind<number | string>(
  { number: z.number(), string: z.string() },
  (v) => `${fmt(v)} is not a type id or mnemonic (e.g. 36 or "M_ME_TF_1")`,
);

const topicSchema = z
  .string({ error: (iss) => `${fmt(iss.input)} is not an MQTT topic (a string)` })
  .check((ctx) => {
    const t = ctx.value;
    let why: string | undefined;
    if (t.length === 0) why = "it is empty";
    else if (/[+#]/.test(t)) why = "it holds a wildcard (+ or #); name one topic";
    else if (t.includes("\u0000")) why = "it holds a NUL character";
    else if (Buffer.byteLength(t, "utf8") > 65535) why = "it is longer than 65535 octets";
    if (why !== undefined)
      ctx.issues.push({ code: "custom", message: `${fmt(t)} is not a topic to read from: ${why}`, input: t });
  });

const fieldSchema = z
  .string({ error: (iss) => `${fmt(iss.input)} is not a JSON field name (a string)` })
  .regex(/^[^.]+(\.[^.]+)*$/, {
    error: (iss) =>
      `${fmt(iss.input)} is not a field path (keys joined by single dots, e.g. "data.temperature")`,
  });

const paramValue = z.union([z.number(), z.string(), z.boolean()], {
  error: (iss) => `${fmt(iss.input)} is not a profile parameter (a number, string or boolean)`,
});
const simulateObject = z
  .object({
    profile: z
      .string({
        error: (iss) =>
          iss.input === undefined
            ? `is required (e.g. "voltage")`
            : `${fmt(iss.input)} is not a profile name`,
      })
      .min(1, { error: () => `"" is not a profile name` }),
  })
  .catchall(paramValue);
/** `false` (no simulation), `true` (let the simulator choose), a profile name, or `{"profile": ..., ...params}`. */
export type SimulateInput = boolean | string | z.infer<typeof simulateObject>;
const simulateSchema = byKind<SimulateInput>(
  {
    boolean: z.boolean(),
    string: z.string().min(1, { error: () => `"" is not a profile name` }),
    object: simulateObject,
  },
  (v) => `${fmt(v)} is not false, a profile name or {"profile": ..., ...params}`,
);

const QUALITY_FLAGS = Object.keys(Quality) as (keyof typeof Quality)[];
const qualitySchema = byKind<number>(
  {
    number: int(0, 255),
    array: z
      .array(
        z
          .string({ error: (iss) => `${fmt(iss.input)} is not a quality flag` })
          .transform((f) => f.toUpperCase())
          .pipe(oneOf(QUALITY_FLAGS as [keyof typeof Quality, ...(keyof typeof Quality)[]])),
      )
      .transform((flags) => flags.reduce((q, f) => q | Quality[f], 0)),
    object: z
      .strictObject({
        iv: bool.optional(),
        nt: bool.optional(),
        sb: bool.optional(),
        bl: bool.optional(),
        ov: bool.optional(),
        ei: bool.optional(),
      })
      .transform((f) => qualityFromFlags(f)),
  },
  (v) => `${fmt(v)} is not a quality (bits 0..255, ["IV", "NT"...] or {"iv": true...})`,
);

const initialValue = byKind<{ value: number; boolean: boolean }>(
  {
    number: z.number().transform((value) => ({ value, boolean: false })),
    boolean: z.boolean().transform((b) => ({ value: b ? 1 : 0, boolean: true })),
  },
  (v) =>
    v === undefined
      ? "is required (a number or true/false)"
      : `${fmt(v)} is not a value (a number or true/false)`,
);
export interface InitialInput {
  value: number;
  quality: number;
  /** Given as true/false (a double point reads it as on/off). */
  boolean: boolean;
  /** Given as {"value": ...} (messages then point at "initial"."value"). */
  object: boolean;
}
const initialSchema = byKind<InitialInput>(
  {
    number: z.number().transform((value) => ({ value, quality: 0, boolean: false, object: false })),
    boolean: z.boolean().transform((b) => ({ value: b ? 1 : 0, quality: 0, boolean: true, object: false })),
    object: z.strictObject({ value: initialValue, quality: qualitySchema.optional() }).transform((o) => ({
      value: o.value.value,
      quality: o.quality ?? 0,
      boolean: o.value.boolean,
      object: true,
    })),
  },
  (v) => `${fmt(v)} is not an initial value (a number or {"value": ..., "quality": ...})`,
);

const commandModes: readonly [CommandMode, ...CommandMode[]] = ["auto", "mqtt", "reject"];

const ms = int(0, MAX_MS, "a whole number of ms");

/** The fields of one point: the seed's own first, then the extension fields. */
export const pointSchema = z.strictObject({
  IOAddress: int(0, MAX_IOA).optional(),
  HighByte: int(0, 255).optional(),
  MiddleByte: int(0, 255).optional(),
  LowByte: int(0, 255).optional(),
  "Type IEC": typeSchema.optional(),
  "Unit / Einheit": z
    .string({ error: (iss) => `${fmt(iss.input)} is not a unit (a string, "" for none)` })
    .optional(),
  ca: int(1, 65534).optional(),
  groups: groupsSchema.optional(),
  counterGroup: int(1, 4).optional(),
  deadband: z
    .number({ error: (iss) => `${fmt(iss.input)} is not a number >= 0` })
    .min(0, { error: (iss) => `${fmt(iss.input)} is not a number >= 0` })
    .optional(),
  cyclicMs: ms.optional(),
  backgroundMs: ms.optional(),
  spontaneous: bool.optional(),
  topic: topicSchema.optional(),
  field: fieldSchema.optional(),
  staleAfterMs: ms.optional(),
  simulate: simulateSchema.optional(),
  initial: initialSchema.optional(),
  commandMode: oneOf(commandModes).optional(),
  select: oneOf(["direct", "select", "both"]).optional(),
  status: z
    .string({ error: (iss) => `${fmt(iss.input)} is not a point name (a string)` })
    .min(1, { error: () => `"" is not a point name` })
    .optional(),
  statusIoa: int(0, MAX_IOA).optional(),
  actTerm: bool.optional(),
});
export type PointFields = z.infer<typeof pointSchema>;
export type FieldName = keyof PointFields;

export const FIELD_NAMES = Object.keys(pointSchema.shape) as FieldName[];
export const MONITOR_FIELDS: readonly FieldName[] = [
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
];
export const COMMAND_FIELDS: readonly FieldName[] = [
  "commandMode",
  "select",
  "status",
  "statusIoa",
  "actTerm",
];

/** A problem found in a point, by path under the point (field, then nested keys or indices). */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

const ALIASES: Readonly<Record<string, FieldName>> = {
  unit: "Unit / Einheit",
  einheit: "Unit / Einheit",
  type: "Type IEC",
  typeiec: "Type IEC",
  typeid: "Type IEC",
  ioa: "IOAddress",
  address: "IOAddress",
  commonaddress: "ca",
  mode: "commandMode",
  group: "groups",
};

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The known field an unknown one probably meant. */
export function suggestField(key: string): FieldName | undefined {
  const k = key.toLowerCase().replace(/[\s_/-]/g, "");
  const alias = ALIASES[k];
  if (alias !== undefined) return alias;
  let best: FieldName | undefined;
  let bestDistance = Math.min(2, Math.floor(k.length / 3)) + 1;
  for (const f of FIELD_NAMES) {
    const d = distance(k, f.toLowerCase().replace(/[\s_/-]/g, ""));
    if (d < bestDistance) {
      best = f;
      bestDistance = d;
    }
  }
  return key.length > 64 ? undefined : best;
}

export interface ParsedPoint {
  /** The fields that passed (all of them when `issues` is empty). */
  fields: Partial<PointFields>;
  /** Fields that were given but are invalid: later checks leave them alone. */
  broken: Set<string>;
  issues: FieldIssue[];
}

const NONE_BROKEN: Set<string> = new Set();

/** Integer in [min, max]: what `int()` accepts. */
function isInt(v: unknown, min: number, max: number): boolean {
  return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
}

/**
 * Points whose every field is a plain valid scalar (the seed format's fields, and the extension
 * fields that take a number, a boolean or a name), the vast majority of a large file, are checked
 * by hand with the schema's own rules: zod's parse of 100,000 points made hundreds of MB of garbage
 * and took most of the loading time. The result is what the schema would give (the same object,
 * or a copy with `initial` in its parsed form). Anything else (lists, objects, topics, invalid
 * values) goes through the schema, which also words the problems.
 */
function simplePoint(raw: Record<string, unknown>): Partial<PointFields> | undefined {
  let initial: InitialInput | undefined;
  for (const key in raw) {
    const v = raw[key];
    switch (key) {
      case "IOAddress":
      case "statusIoa":
        if (!isInt(v, 0, MAX_IOA)) return undefined;
        break;
      case "HighByte":
      case "MiddleByte":
      case "LowByte":
        if (!isInt(v, 0, 255)) return undefined;
        break;
      case "Type IEC":
        // resolveType checks the value itself.
        if (typeof v !== "number" && typeof v !== "string") return undefined;
        break;
      case "Unit / Einheit":
        if (typeof v !== "string") return undefined;
        break;
      case "ca":
        if (!isInt(v, 1, 65534)) return undefined;
        break;
      case "counterGroup":
        if (!isInt(v, 1, 4)) return undefined;
        break;
      case "cyclicMs":
      case "backgroundMs":
      case "staleAfterMs":
        if (!isInt(v, 0, MAX_MS)) return undefined;
        break;
      case "deadband":
        if (typeof v !== "number" || !(v >= 0)) return undefined;
        break;
      case "spontaneous":
      case "actTerm":
        if (typeof v !== "boolean") return undefined;
        break;
      case "simulate":
        if (typeof v !== "boolean" && (typeof v !== "string" || v.length === 0)) return undefined;
        break;
      case "status":
        if (typeof v !== "string" || v.length === 0) return undefined;
        break;
      case "commandMode":
        if (v !== "auto" && v !== "mqtt" && v !== "reject") return undefined;
        break;
      case "select":
        if (v !== "direct" && v !== "select" && v !== "both") return undefined;
        break;
      case "initial":
        if (typeof v === "number") initial = { value: v, quality: 0, boolean: false, object: false };
        else if (typeof v === "boolean")
          initial = { value: v ? 1 : 0, quality: 0, boolean: true, object: false };
        else return undefined;
        break;
      default:
        return undefined;
    }
  }
  return initial === undefined ? raw : { ...raw, initial };
}

/** Validates one point object (already known to be a JSON object). */
export function parsePoint(raw: Record<string, unknown>): ParsedPoint {
  const simple = simplePoint(raw);
  if (simple !== undefined) return { fields: simple, broken: NONE_BROKEN, issues: [] };
  const r = pointSchema.safeParse(raw);
  if (r.success) return { fields: r.data, broken: NONE_BROKEN, issues: [] };
  const issues: FieldIssue[] = [];
  const broken = new Set<string>();
  for (const iss of r.error.issues) {
    if (iss.code === "unrecognized_keys") {
      for (const key of iss.keys) {
        const hint = iss.path.length === 0 ? suggestField(key) : undefined;
        issues.push({
          path: [...iss.path.map(pathKey), key],
          message: hint === undefined ? "unknown field" : `unknown field (did you mean "${hint}"?)`,
        });
      }
    } else {
      issues.push({ path: iss.path.map(pathKey), message: iss.message });
      const top = iss.path[0];
      if (typeof top === "string") broken.add(top);
    }
  }
  const fields: Record<string, unknown> = {};
  const shape: Record<string, z.ZodType> = pointSchema.shape;
  for (const [key, value] of Object.entries(raw)) {
    if (!Object.hasOwn(shape, key) || broken.has(key)) continue;
    const f = shape[key]!.safeParse(value);
    if (f.success) fields[key] = f.data;
  }
  return { fields: fields as Partial<PointFields>, broken, issues };
}

function pathKey(k: PropertyKey): string | number {
  return typeof k === "number" ? k : String(k);
}
