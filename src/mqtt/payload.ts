/**
 * Value payloads: a plain scalar (`23.4`, `1`, `true`, `on`) or JSON
 * `{"value": 23.4, "quality": {"iv": true} | ["IV"] | 128, "ts": 1700000000000 | "2026-...Z"}`,
 * plus per-type extras (`transient` for step positions, `carry`/`adjusted` for counters,
 * `elapsedMs` for protection events, `cd` for packed single points). A point reading an external
 * topic takes its value from a JSON field (dotted path) of that payload.
 *
 * Each value is checked against its IEC type's range; anything else is refused with a reason, and
 * the point keeps its last good value. Plain numbers skip JSON and zod (the hot path).
 */
import { z } from "zod";
import { type MonitorTypeId, scalarSpec } from "../iec104/asdu/scalar.js";
import { TypeId } from "../iec104/asdu/types.js";
import { Quality, type QualityFlag, qualityFromFlags } from "../iec104/codec/quality.js";

export interface ValueUpdate {
  value: number;
  aux: number;
  /** Quality bits; undefined when the payload said nothing (good). */
  quality: number | undefined;
  /** Source time, epoch ms; undefined: the gateway stamps its own time. */
  ts: number | undefined;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const QUALITY_NAMES = new Set(Object.keys(Quality));

const qualitySchema = z.union([
  z.number().int().min(0).max(255),
  z.array(z.string().refine((s) => QUALITY_NAMES.has(s.toUpperCase()), "unknown quality flag")),
  z
    .object({
      iv: z.boolean().optional(),
      nt: z.boolean().optional(),
      sb: z.boolean().optional(),
      bl: z.boolean().optional(),
      ov: z.boolean().optional(),
      ei: z.boolean().optional(),
    })
    .strict(),
]);

const tsSchema = z.union([z.number().nonnegative(), z.string().min(1)]);

export const valueObjectSchema = z
  .object({
    value: z.union([z.number(), z.boolean(), z.string()]),
    quality: qualitySchema.optional(),
    ts: tsSchema.optional(),
    transient: z.boolean().optional(),
    carry: z.boolean().optional(),
    adjusted: z.boolean().optional(),
    elapsedMs: z.number().int().min(0).max(65535).optional(),
    cd: z.number().int().min(0).max(65535).optional(),
  })
  .strict();
export type ValueObject = z.infer<typeof valueObjectSchema>;

/** Parses one value payload for a point of `typeId`, reading `field` from JSON when given. */
export function parseValuePayload(
  payload: Buffer | string,
  typeId: MonitorTypeId,
  field?: string,
): Parsed<ValueUpdate> {
  const text = (typeof payload === "string" ? payload : payload.toString("utf8")).trim();
  if (field === undefined) {
    const c = text.charCodeAt(0);
    if (c !== 123 /* { */ && c !== 91 /* [ */ && c !== 34 /* " */) return scalarUpdate(text, typeId);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `not JSON and not a plain value: ${(e as Error).message}` };
  }
  if (field !== undefined) {
    const v = pick(json, field);
    if (v === undefined) return { ok: false, reason: `field "${field}" is missing` };
    json = v;
  }
  return parseValue(json, typeId);
}

/** A value given as JSON (a scalar or a value object), for one point. */
export function parseValue(json: unknown, typeId: MonitorTypeId): Parsed<ValueUpdate> {
  if (typeof json === "number" || typeof json === "boolean" || typeof json === "string") {
    return typeof json === "string"
      ? scalarUpdate(json.trim(), typeId)
      : convert(json, typeId, 0, undefined, undefined);
  }
  const r = valueObjectSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0]!;
    return { ok: false, reason: `${i.path.length > 0 ? `${i.path.join(".")}: ` : ""}${i.message}` };
  }
  const o = r.data;
  let ts: number | undefined;
  if (o.ts !== undefined) {
    ts = typeof o.ts === "number" ? o.ts : Date.parse(o.ts);
    if (!Number.isFinite(ts)) return { ok: false, reason: `ts: "${String(o.ts)}" is not a time` };
  }
  const quality = o.quality === undefined ? undefined : qualityOf(o.quality);
  let aux = 0;
  const base = scalarSpec(typeId).untimed as number;
  if (base === TypeId.M_ST_NA_1) aux = o.transient ? 1 : 0;
  else if (base === TypeId.M_IT_NA_1) aux = (o.carry ? 0x20 : 0) | (o.adjusted ? 0x40 : 0);
  else if (base === TypeId.M_PS_NA_1) aux = o.cd ?? 0;
  else if (base >= TypeId.M_EP_TD_1) aux = o.elapsedMs ?? 0;
  const v = typeof o.value === "string" ? word(o.value.trim(), typeId) : o.value;
  if (typeof v === "string") return { ok: false, reason: v };
  return convert(v, typeId, aux, quality, ts);
}

function qualityOf(q: number | string[] | Record<string, boolean | undefined>): number {
  if (typeof q === "number") return q;
  if (Array.isArray(q)) return q.reduce((acc, f) => acc | Quality[f.toUpperCase() as QualityFlag], 0);
  return qualityFromFlags(q);
}

function pick(json: unknown, path: string): unknown {
  let cur = json;
  for (const key of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function scalarUpdate(text: string, typeId: MonitorTypeId): Parsed<ValueUpdate> {
  if (text.length === 0)
    return { ok: false, reason: "empty payload (a cleared retained value?): nothing applied" };
  const n = Number(text);
  if (!Number.isNaN(n)) return convert(n, typeId, 0, undefined, undefined);
  const w = word(text, typeId);
  if (typeof w === "string") return { ok: false, reason: w };
  return convert(w, typeId, 0, undefined, undefined);
}

const WORDS: Record<string, boolean> = { true: true, false: false, on: true, off: false };
const DOUBLE_WORDS: Record<string, number> = { intermediate: 0, off: 1, on: 2, indeterminate: 3 };

/** `true/false/on/off` (and intermediate/indeterminate for double points) as a value, or a reason. */
function word(text: string, typeId: MonitorTypeId): boolean | number | string {
  const w = text.toLowerCase();
  const base = scalarSpec(typeId).untimed as number;
  if (base === TypeId.M_DP_NA_1 && w in DOUBLE_WORDS) return DOUBLE_WORDS[w]!;
  if (w in WORDS) return WORDS[w]!;
  return `"${text.length > 40 ? `${text.slice(0, 40)}...` : text}" is not a value`;
}

const FLOAT_MAX = 3.4028234663852886e38;

/** Checks and converts a value for its IEC type. */
function convert(
  v: number | boolean,
  typeId: MonitorTypeId,
  aux: number,
  quality: number | undefined,
  ts: number | undefined,
): Parsed<ValueUpdate> {
  const base = scalarSpec(typeId).untimed as number;
  let n = typeof v === "boolean" ? (v ? 1 : 0) : v;
  if (!Number.isFinite(n)) return { ok: false, reason: `${String(v)} is not a finite number` };
  const range = (min: number, max: number, integer: boolean): string | undefined => {
    if (integer && !Number.isInteger(n)) return `${n} is not an integer`;
    return n < min || n > max ? `${n} is out of range ${min}..${max} for ${typeLabel(typeId)}` : undefined;
  };
  let err: string | undefined;
  switch (base) {
    case TypeId.M_SP_NA_1:
      err = range(0, 1, true);
      break;
    case TypeId.M_DP_NA_1:
      if (typeof v === "boolean") n = v ? 2 : 1;
      err = range(0, 3, true);
      break;
    case TypeId.M_ST_NA_1:
      err = range(-64, 63, true);
      break;
    case TypeId.M_BO_NA_1:
      err = range(0, 0xffffffff, true);
      break;
    case TypeId.M_ME_NA_1:
    case TypeId.M_ME_ND_1:
      err = range(-1, 1, false);
      break;
    case TypeId.M_ME_NB_1:
      n = Math.round(n);
      err = range(-32768, 32767, true);
      break;
    case TypeId.M_ME_NC_1:
      err = range(-FLOAT_MAX, FLOAT_MAX, false);
      break;
    case TypeId.M_IT_NA_1:
      n = Math.round(n);
      err = range(-0x80000000, 0x7fffffff, true);
      break;
    case TypeId.M_PS_NA_1:
      err = range(0, 0xffff, true);
      break;
    case TypeId.M_EP_TD_1:
      err = range(0, 3, true);
      break;
    default:
      err = range(0, 255, true);
  }
  if (err !== undefined) return { ok: false, reason: err };
  return { ok: true, value: { value: n, aux, quality, ts } };
}

function typeLabel(typeId: number): string {
  return Object.entries(TypeId).find(([, id]) => id === typeId)?.[0] ?? `type ${typeId}`;
}

/** One entry of a batch message: `{"ca":1,"ioa":1001,"value":230.1,...}` or `[ca, ioa, value]`. */
export interface BatchEntry {
  ca: number | undefined;
  ioa: number;
  value: unknown;
}

const batchObject = z
  .object({ ca: z.number().int().min(1).max(65534).optional(), ioa: z.number().int().min(0).max(0xffffff) })
  .loose();

/** Parses `<base>/batch`: a JSON array of entries; bad entries are listed, good ones kept. */
export function parseBatch(payload: Buffer | string): Parsed<{ entries: BatchEntry[]; errors: string[] }> {
  let json: unknown;
  try {
    json = JSON.parse(typeof payload === "string" ? payload : payload.toString("utf8"));
  } catch (e) {
    return { ok: false, reason: `batch is not JSON: ${(e as Error).message}` };
  }
  if (!Array.isArray(json)) return { ok: false, reason: "batch must be a JSON array" };
  const entries: BatchEntry[] = [];
  const errors: string[] = [];
  json.forEach((item: unknown, i) => {
    if (Array.isArray(item)) {
      const [ca, ioa, value] = item as unknown[];
      if (item.length === 3 && Number.isInteger(ca) && Number.isInteger(ioa)) {
        entries.push({ ca: ca as number, ioa: ioa as number, value });
        return;
      }
      errors.push(`[${i}]: must be [ca, ioa, value]`);
      return;
    }
    const r = batchObject.safeParse(item);
    if (!r.success) {
      errors.push(`[${i}]: ${r.error.issues[0]!.path.join(".")} ${r.error.issues[0]!.message}`);
      return;
    }
    const { ca, ioa, ...rest } = r.data as { ca?: number; ioa: number } & Record<string, unknown>;
    entries.push({ ca, ioa, value: "value" in rest && Object.keys(rest).length === 1 ? rest.value : rest });
  });
  return { ok: true, value: { entries, errors } };
}

export const commandResultSchema = z
  .object({
    id: z.string().min(1),
    ok: z.boolean().optional(),
    reason: z.string().optional(),
    /**
     * New value of the linked status point (return information, COT 11), checked like a value of
     * that point's type: true/false are on/off (2/1 for a double point).
     */
    returnInfo: z.union([z.number(), z.boolean()]).optional(),
    /** The operation goes on: ACT_TERM waits for a later `{"id", "done": true}`. */
    pending: z.boolean().optional(),
    done: z.boolean().optional(),
  })
  .strict();
export type CommandResult = z.infer<typeof commandResultSchema>;
