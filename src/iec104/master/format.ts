/**
 * Human and JSON views of received ASDUs (for the `client` CLI and logs): one value string, the set
 * quality flags and the time tag of each information object, and a JSON-ready record per ASDU.
 */
import type { Asdu, InformationObject } from "../asdu/asdu.js";
import { elementSpec } from "../asdu/elements.js";
import { cotName, TypeId, typeName } from "../asdu/types.js";
import { qualityNames } from "../codec/quality.js";
import { type Cp24Time2a, type Cp56Time2a, cp56ToEpochMs } from "../codec/time.js";

type AnyObject = InformationObject;

export interface ObjectView {
  ioa: number;
  /** The value as text, e.g. `ON`, `23.5`, `1234 seq=1`. */
  value: string;
  /** Set quality flags: IV NT SB BL OV EI, and for counters CY CA IV. */
  flags: string[];
  /** ISO time of a CP56 tag (with ` IV`/` SU` when flagged), `mm:ss.mmm` of a CP24 one, or "". */
  time: string;
}

const DOUBLE_POINT = ["INTERMEDIATE", "OFF", "ON", "INDETERMINATE"] as const;
/** Fields shown elsewhere: the IOA, the quality and time columns, the counter flags. */
const HIDDEN = new Set(["ioa", "quality", "time", "carry", "adjusted", "invalid"]);

function isCp56(t: Cp56Time2a | Cp24Time2a): t is Cp56Time2a {
  return "year" in t;
}

/** ISO string of a CP56Time2a read as UTC, or null when a field is out of range. */
export function cp56Iso(t: Cp56Time2a): string | null {
  const ms = cp56ToEpochMs(t);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function timeText(t: Cp56Time2a | Cp24Time2a | undefined): string {
  if (t === undefined) return "";
  const flags = `${t.invalid ? " IV" : ""}${isCp56(t) && t.summerTime ? " SU" : ""}`;
  if (!isCp56(t))
    return `${String(t.minute).padStart(2, "0")}:${(t.ms / 1000).toFixed(3).padStart(6, "0")}${flags}`;
  return `${cp56Iso(t) ?? "invalid-date"}${flags}`;
}

function text(v: unknown): string {
  if (typeof v !== "number") return String(v);
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(7)));
}

function valueText(typeId: number, o: Record<string, unknown>): string {
  const untimed = elementSpec(typeId)?.untimed ?? typeId;
  const v = o.value;
  if (untimed === TypeId.M_SP_NA_1 && typeof v === "boolean") return v ? "ON" : "OFF";
  if (untimed === TypeId.M_DP_NA_1 && typeof v === "number") return DOUBLE_POINT[v & 3]!;
  if (untimed === TypeId.M_BO_NA_1 && typeof v === "number") return `0x${v.toString(16).padStart(8, "0")}`;
  const parts = v === undefined ? [] : [text(v)];
  for (const [k, x] of Object.entries(o)) {
    if (HIDDEN.has(k) || k === "value") continue;
    if (typeof x === "boolean") {
      if (x) parts.push(k);
    } else parts.push(`${k}=${text(x)}`);
  }
  return parts.join(" ");
}

function flagsOf(o: Record<string, unknown>): string[] {
  const flags: string[] = typeof o.quality === "number" ? qualityNames(o.quality) : [];
  if (o.carry === true) flags.push("CY");
  if (o.adjusted === true) flags.push("CA");
  if (o.invalid === true) flags.push("IV");
  return flags;
}

/** The text view of each information object of an ASDU. */
export function objectViews(asdu: Asdu): ObjectView[] {
  return (asdu.objects as AnyObject[]).map((obj) => {
    const o = obj as unknown as Record<string, unknown>;
    const time = o.time as Cp56Time2a | Cp24Time2a | undefined;
    return { ioa: obj.ioa, value: valueText(asdu.typeId, o), flags: flagsOf(o), time: timeText(time) };
  });
}

/** A JSON-ready object of an ASDU: names for type and COT, quality as flag names, CP56 times as ISO. */
export function asduToJson(asdu: Asdu): Record<string, unknown> {
  return {
    typeId: asdu.typeId,
    typeName: typeName(asdu.typeId),
    cot: asdu.cot,
    cotName: cotName(asdu.cot),
    ca: asdu.ca,
    oa: asdu.oa,
    test: asdu.test,
    negative: asdu.negative,
    objects: (asdu.objects as AnyObject[]).map((obj) => {
      const { ioa, ...fields } = obj;
      const out: Record<string, unknown> = { ioa, ...fields };
      const o = obj as unknown as Record<string, unknown>;
      if (typeof o.quality === "number") out.quality = qualityNames(o.quality);
      const t = o.time as Cp56Time2a | Cp24Time2a | undefined;
      if (t !== undefined && isCp56(t)) {
        out.time = cp56Iso(t);
        if (t.invalid) out.timeInvalid = true;
        if (t.summerTime) out.summerTime = true;
      }
      return out;
    }),
  };
}
