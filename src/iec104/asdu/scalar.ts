/**
 * The scalar form of monitoring elements, for the outstation's point image and event queue: every
 * value is held as numbers (value, aux, quality) in typed arrays and written straight into the frame
 * with no per-object allocation. `aux` carries the second field of the element where there is one:
 * VTI transient (0/1), BCR sequence + CY/CA bits (IV comes from quality), SCD change bits, the
 * elapsed/relay time of protection events.
 *
 * These writers never throw: values are clamped to the element's range (the bridge validates what
 * it accepts, so clamping only guards the wire). `toScalar` maps a decoded element to the same
 * numbers; test/iec104/scalar.test.ts checks `write(toScalar(x))` against the element codec byte
 * for byte.
 */
import { QDP_MASK, QDS_MASK, SIQ_QUALITY_MASK } from "../codec/quality.js";
import { type ElementMap, elementSpec, normalizedToRaw } from "./elements.js";
import { TypeId } from "./types.js";

/** Monitoring types the outstation can hold and send (IEC 104: no CP24Time2a forms). */
export const MONITOR_TYPES = [
  1, 3, 5, 7, 9, 11, 13, 15, 20, 21, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
] as const;
export type MonitorTypeId = (typeof MONITOR_TYPES)[number];

export function isMonitorType(t: number): t is MonitorTypeId {
  return (MONITOR_TYPES as readonly number[]).includes(t);
}

type ScalarWriter = (buf: Buffer, off: number, value: number, aux: number, quality: number) => void;

function clampInt(v: number, min: number, max: number): number {
  const r = Math.round(v);
  if (!(r >= min)) return min;
  return Math.min(r, max);
}

const writers: Partial<Record<number, ScalarWriter>> = {
  [TypeId.M_SP_NA_1]: (b, o, v, _a, q) => {
    b[o] = (v ? 1 : 0) | (q & SIQ_QUALITY_MASK);
  },
  [TypeId.M_DP_NA_1]: (b, o, v, _a, q) => {
    b[o] = (v & 3) | (q & SIQ_QUALITY_MASK);
  },
  [TypeId.M_ST_NA_1]: (b, o, v, a, q) => {
    b[o] = (clampInt(v, -64, 63) & 0x7f) | (a ? 0x80 : 0);
    b[o + 1] = q & QDS_MASK;
  },
  [TypeId.M_BO_NA_1]: (b, o, v, _a, q) => {
    b.writeUInt32LE(clampInt(v, 0, 0xffffffff), o);
    b[o + 4] = q & QDS_MASK;
  },
  [TypeId.M_ME_NA_1]: (b, o, v, _a, q) => {
    b.writeInt16LE(Number.isNaN(v) ? 0 : normalizedToRaw(v), o);
    b[o + 2] = q & QDS_MASK;
  },
  [TypeId.M_ME_NB_1]: (b, o, v, _a, q) => {
    b.writeInt16LE(clampInt(v, -32768, 32767), o);
    b[o + 2] = q & QDS_MASK;
  },
  [TypeId.M_ME_NC_1]: (b, o, v, _a, q) => {
    b.writeFloatLE(v, o);
    b[o + 4] = q & QDS_MASK;
  },
  [TypeId.M_IT_NA_1]: (b, o, v, a, q) => {
    b.writeInt32LE(clampInt(v, -0x80000000, 0x7fffffff), o);
    b[o + 4] = (a & 0x7f) | (q & 0x80);
  },
  [TypeId.M_PS_NA_1]: (b, o, v, a, q) => {
    b.writeUInt16LE(clampInt(v, 0, 0xffff), o);
    b.writeUInt16LE(clampInt(a, 0, 0xffff), o + 2);
    b[o + 4] = q & QDS_MASK;
  },
  [TypeId.M_ME_ND_1]: (b, o, v) => {
    b.writeInt16LE(Number.isNaN(v) ? 0 : normalizedToRaw(v), o);
  },
  [TypeId.M_EP_TD_1]: (b, o, v, a, q) => {
    b[o] = (v & 3) | (q & QDP_MASK);
    b.writeUInt16LE(clampInt(a, 0, 0xffff), o + 1);
  },
  [TypeId.M_EP_TE_1]: (b, o, v, a, q) => {
    b[o] = v & 0xff;
    b[o + 1] = q & QDP_MASK;
    b.writeUInt16LE(clampInt(a, 0, 0xffff), o + 2);
  },
  [TypeId.M_EP_TF_1]: (b, o, v, a, q) => {
    b[o] = v & 0xff;
    b[o + 1] = q & QDP_MASK;
    b.writeUInt16LE(clampInt(a, 0, 0xffff), o + 2);
  },
};

/**
 * What a monitoring type is, for the rules that depend on it: interrogation (status and measured
 * values only), the COT table (periodic only measured values; background scan not counters or
 * protection events), read (not counters or protection events), deadbands and parameter loading
 * (measured values), counter interrogation (counters).
 */
export type MonitorCategory = "status" | "measured" | "counter" | "protection";

/** Category and parameter type (P_ME_*, measured values only) per untimed type. */
const CATEGORY: Readonly<Record<number, { category: MonitorCategory; parameterType?: number }>> = {
  [TypeId.M_SP_NA_1]: { category: "status" },
  [TypeId.M_DP_NA_1]: { category: "status" },
  [TypeId.M_ST_NA_1]: { category: "status" },
  [TypeId.M_BO_NA_1]: { category: "status" },
  [TypeId.M_PS_NA_1]: { category: "status" },
  [TypeId.M_ME_NA_1]: { category: "measured", parameterType: TypeId.P_ME_NA_1 },
  [TypeId.M_ME_ND_1]: { category: "measured", parameterType: TypeId.P_ME_NA_1 },
  [TypeId.M_ME_NB_1]: { category: "measured", parameterType: TypeId.P_ME_NB_1 },
  [TypeId.M_ME_NC_1]: { category: "measured", parameterType: TypeId.P_ME_NC_1 },
  [TypeId.M_IT_NA_1]: { category: "counter" },
  [TypeId.M_EP_TD_1]: { category: "protection" },
  [TypeId.M_EP_TE_1]: { category: "protection" },
  [TypeId.M_EP_TF_1]: { category: "protection" },
};

export interface ScalarSpec {
  typeId: MonitorTypeId;
  category: MonitorCategory;
  /** The parameter type that loads its parameters (P_ME_NA/NB/NC_1), for measured values. */
  parameterType: number | undefined;
  /** Octets after the IOA, time tag included. */
  size: number;
  hasTime: boolean;
  /** The type without time tag, used for interrogation, cyclic and background answers. */
  untimed: MonitorTypeId;
  /** Writes the element, without its time tag. */
  write: ScalarWriter;
}

const SCALARS = new Map<number, ScalarSpec>();
for (const t of MONITOR_TYPES) {
  const spec = elementSpec(t);
  const write = writers[spec.untimed];
  const facts = CATEGORY[spec.untimed];
  if (write === undefined || facts === undefined) throw new Error(`no scalar facts for type ${t}`);
  SCALARS.set(t, {
    typeId: t,
    category: facts.category,
    parameterType: facts.parameterType,
    size: spec.size,
    hasTime: spec.time === "cp56",
    untimed: spec.untimed as MonitorTypeId,
    write,
  });
}

export function scalarSpec(typeId: MonitorTypeId): ScalarSpec {
  return SCALARS.get(typeId)!;
}

export interface Scalar {
  value: number;
  aux: number;
  quality: number;
}

/** The scalar numbers of a decoded monitoring element (time tag aside). */
export function toScalar<K extends MonitorTypeId>(typeId: K, e: ElementMap[K]): Scalar {
  const o = e as unknown as Record<string, unknown>;
  const q = typeof o.quality === "number" ? o.quality : 0;
  switch (scalarSpec(typeId).untimed) {
    case TypeId.M_SP_NA_1:
      return { value: o.value ? 1 : 0, aux: 0, quality: q };
    case TypeId.M_ST_NA_1:
      return { value: o.value as number, aux: o.transient ? 1 : 0, quality: q };
    case TypeId.M_IT_NA_1:
      return {
        value: o.value as number,
        aux: (o.sequence as number) | (o.carry ? 0x20 : 0) | (o.adjusted ? 0x40 : 0),
        quality: o.invalid ? 0x80 : 0,
      };
    case TypeId.M_PS_NA_1:
      return { value: o.st as number, aux: o.cd as number, quality: q };
    default:
      break;
  }
  if (typeId === TypeId.M_EP_TD_1)
    return { value: o.eventState as number, aux: o.elapsedMs as number, quality: q };
  if (typeId === TypeId.M_EP_TE_1) return { value: o.spe as number, aux: o.elapsedMs as number, quality: q };
  if (typeId === TypeId.M_EP_TF_1)
    return { value: o.oci as number, aux: o.operatingMs as number, quality: q };
  return { value: o.value as number, aux: 0, quality: q };
}
