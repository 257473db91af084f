/**
 * fast-check arbitraries for the IEC 104 codec: every element type, whole ASDUs (SQ=0 and SQ=1),
 * whole APDUs and their encoded frames. Everything generated here is valid, i.e. the encoder accepts
 * it and the decoder gives it back unchanged: quality carries only the bits its element keeps,
 * normalized values are exact multiples of 1/32768, floats are 32-bit values, times have fields in
 * range. Shared by the property tests and the fuzz tests.
 */
import fc from "fast-check";
import {
  type Apdu,
  type Asdu,
  allElementSpecs,
  type Cp24Time2a,
  type Cp56Time2a,
  type ElementMap,
  encodeApdu,
  type HeaderFields,
  MAX_IOA,
  maxObjectsPerAsdu,
  QDP_MASK,
  QDS_MASK,
  SEQ_MASK,
  SIQ_QUALITY_MASK,
  TypeId,
  UFunction,
  type UFunctionName,
} from "../../src/iec104/index.js";

/**
 * `fc.record` with plain objects only: by default fast-check also makes null-prototype objects,
 * which `toStrictEqual` tells apart from the decoder's plain objects.
 */
export function record<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true }) as fc.Arbitrary<T>;
}

/* ---- scalars ------------------------------------------------------------------------------- */

const uint8 = fc.integer({ min: 0, max: 0xff });
const uint16 = fc.integer({ min: 0, max: 0xffff });
const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const int16 = fc.integer({ min: -0x8000, max: 0x7fff });
const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });

/** Quality with only the bits of `mask` (SIQ/DIQ 0xF0, QDS 0xF1, QDP 0xF8). */
export function qualityArb(mask: number): fc.Arbitrary<number> {
  return uint8.map((b) => b & mask);
}
export const siqQualityArb = qualityArb(SIQ_QUALITY_MASK);
export const qdsArb = qualityArb(QDS_MASK);
export const qdpArb = qualityArb(QDP_MASK);

/** A normalized value the codec represents exactly: k / 32768 for k in -32768..32767. */
export const normalizedArb: fc.Arbitrary<number> = int16.map((k) => k / 32768);

/** Subnormal and boundary 32-bit floats, mixed into `float32Arb` so they are not left to chance. */
export const FLOAT32_EDGES: readonly number[] = [
  0,
  -0,
  Math.fround(1.4e-45),
  -Math.fround(1.4e-45),
  Math.fround(1.1754942e-38),
  Math.fround(1.17549435e-38),
  Math.fround(3.4028234663852886e38),
  -Math.fround(3.4028234663852886e38),
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
];

/** Any IEEE 754 single: -0, subnormals, +/-Infinity and NaN included. */
export const float32Arb: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.float(), weight: 4 },
  { arbitrary: fc.constantFrom(...FLOAT32_EDGES), weight: 1 },
);

/** CP16Time2a milliseconds, 0..59999. */
export const cp16Arb = fc.integer({ min: 0, max: 59_999 });

export const cp56Arb: fc.Arbitrary<Cp56Time2a> = record({
  ms: fc.integer({ min: 0, max: 59_999 }),
  minute: fc.integer({ min: 0, max: 59 }),
  hour: fc.integer({ min: 0, max: 23 }),
  day: fc.integer({ min: 1, max: 31 }),
  dayOfWeek: fc.integer({ min: 0, max: 7 }),
  month: fc.integer({ min: 1, max: 12 }),
  year: fc.integer({ min: 2000, max: 2127 }),
  invalid: fc.boolean(),
  summerTime: fc.boolean(),
});

export const cp24Arb: fc.Arbitrary<Cp24Time2a> = record({
  ms: fc.integer({ min: 0, max: 59_999 }),
  minute: fc.integer({ min: 0, max: 59 }),
  invalid: fc.boolean(),
});

export const ioaArb = fc.integer({ min: 0, max: MAX_IOA });
export const seqArb = fc.integer({ min: 0, max: SEQ_MASK });

/* ---- elements ------------------------------------------------------------------------------ */

function withCp24<T extends object>(base: fc.Arbitrary<T>): fc.Arbitrary<T & { time: Cp24Time2a }> {
  return fc.tuple(base, cp24Arb).map(([v, time]) => ({ ...v, time }));
}

function withCp56<T extends object>(base: fc.Arbitrary<T>): fc.Arbitrary<T & { time: Cp56Time2a }> {
  return fc.tuple(base, cp56Arb).map(([v, time]) => ({ ...v, time }));
}

const singlePoint = record({ value: fc.boolean(), quality: siqQualityArb });
const doublePoint = record({ value: fc.integer({ min: 0, max: 3 }), quality: siqQualityArb });
const stepPosition = record({
  value: fc.integer({ min: -64, max: 63 }),
  transient: fc.boolean(),
  quality: qdsArb,
});
const bitstring = record({ value: uint32, quality: qdsArb });
const normalized = record({ value: normalizedArb, quality: qdsArb });
const scaled = record({ value: int16, quality: qdsArb });
const shortFloat = record({ value: float32Arb, quality: qdsArb });
const counter = record({
  value: int32,
  sequence: fc.integer({ min: 0, max: 31 }),
  carry: fc.boolean(),
  adjusted: fc.boolean(),
  invalid: fc.boolean(),
});
const protectionEvent = record({
  eventState: fc.integer({ min: 0, max: 3 }),
  quality: qdpArb,
  elapsedMs: cp16Arb,
});
const protectionStart = record({ spe: uint8, quality: qdpArb, elapsedMs: cp16Arb });
const protectionOutput = record({ oci: uint8, quality: qdpArb, operatingMs: cp16Arb });
const qu = fc.integer({ min: 0, max: 31 });
const ql = fc.integer({ min: 0, max: 127 });
const singleCommand = record({ value: fc.boolean(), select: fc.boolean(), qu });
const doubleCommand = record({ value: fc.integer({ min: 0, max: 3 }), select: fc.boolean(), qu });
const setpointNormalized = record({ value: normalizedArb, select: fc.boolean(), ql });
const setpointScaled = record({ value: int16, select: fc.boolean(), ql });
const setpointFloat = record({ value: float32Arb, select: fc.boolean(), ql });
const bitstringCommand = record({ value: uint32 });

/** One arbitrary per type id; the mapped type makes the compiler insist on every type. */
export const ELEMENT_ARBS: { readonly [K in TypeId]: fc.Arbitrary<ElementMap[K]> } = {
  [TypeId.M_SP_NA_1]: singlePoint,
  [TypeId.M_SP_TA_1]: withCp24(singlePoint),
  [TypeId.M_DP_NA_1]: doublePoint,
  [TypeId.M_DP_TA_1]: withCp24(doublePoint),
  [TypeId.M_ST_NA_1]: stepPosition,
  [TypeId.M_ST_TA_1]: withCp24(stepPosition),
  [TypeId.M_BO_NA_1]: bitstring,
  [TypeId.M_BO_TA_1]: withCp24(bitstring),
  [TypeId.M_ME_NA_1]: normalized,
  [TypeId.M_ME_TA_1]: withCp24(normalized),
  [TypeId.M_ME_NB_1]: scaled,
  [TypeId.M_ME_TB_1]: withCp24(scaled),
  [TypeId.M_ME_NC_1]: shortFloat,
  [TypeId.M_ME_TC_1]: withCp24(shortFloat),
  [TypeId.M_IT_NA_1]: counter,
  [TypeId.M_IT_TA_1]: withCp24(counter),
  [TypeId.M_EP_TA_1]: withCp24(protectionEvent),
  [TypeId.M_EP_TB_1]: withCp24(protectionStart),
  [TypeId.M_EP_TC_1]: withCp24(protectionOutput),
  [TypeId.M_PS_NA_1]: record({ st: uint16, cd: uint16, quality: qdsArb }),
  [TypeId.M_ME_ND_1]: record({ value: normalizedArb }),
  [TypeId.M_SP_TB_1]: withCp56(singlePoint),
  [TypeId.M_DP_TB_1]: withCp56(doublePoint),
  [TypeId.M_ST_TB_1]: withCp56(stepPosition),
  [TypeId.M_BO_TB_1]: withCp56(bitstring),
  [TypeId.M_ME_TD_1]: withCp56(normalized),
  [TypeId.M_ME_TE_1]: withCp56(scaled),
  [TypeId.M_ME_TF_1]: withCp56(shortFloat),
  [TypeId.M_IT_TB_1]: withCp56(counter),
  [TypeId.M_EP_TD_1]: withCp56(protectionEvent),
  [TypeId.M_EP_TE_1]: withCp56(protectionStart),
  [TypeId.M_EP_TF_1]: withCp56(protectionOutput),
  [TypeId.C_SC_NA_1]: singleCommand,
  [TypeId.C_DC_NA_1]: doubleCommand,
  [TypeId.C_RC_NA_1]: doubleCommand,
  [TypeId.C_SE_NA_1]: setpointNormalized,
  [TypeId.C_SE_NB_1]: setpointScaled,
  [TypeId.C_SE_NC_1]: setpointFloat,
  [TypeId.C_BO_NA_1]: bitstringCommand,
  [TypeId.C_SC_TA_1]: withCp56(singleCommand),
  [TypeId.C_DC_TA_1]: withCp56(doubleCommand),
  [TypeId.C_RC_TA_1]: withCp56(doubleCommand),
  [TypeId.C_SE_TA_1]: withCp56(setpointNormalized),
  [TypeId.C_SE_TB_1]: withCp56(setpointScaled),
  [TypeId.C_SE_TC_1]: withCp56(setpointFloat),
  [TypeId.C_BO_TA_1]: withCp56(bitstringCommand),
  [TypeId.M_EI_NA_1]: record({ coi: uint8 }),
  [TypeId.C_IC_NA_1]: record({ qoi: uint8 }),
  [TypeId.C_CI_NA_1]: record({ qcc: uint8 }),
  [TypeId.C_RD_NA_1]: fc.constant({}),
  [TypeId.C_CS_NA_1]: record({ time: cp56Arb }),
  [TypeId.C_TS_NA_1]: record({ fbp: uint16 }),
  [TypeId.C_RP_NA_1]: record({ qrp: uint8 }),
  [TypeId.C_CD_NA_1]: record({ delayMs: cp16Arb }),
  [TypeId.C_TS_TA_1]: record({ tsc: uint16, time: cp56Arb }),
  [TypeId.P_ME_NA_1]: record({ value: normalizedArb, qpm: uint8 }),
  [TypeId.P_ME_NB_1]: record({ value: int16, qpm: uint8 }),
  [TypeId.P_ME_NC_1]: record({ value: float32Arb, qpm: uint8 }),
  [TypeId.P_AC_NA_1]: record({ qpa: uint8 }),
};

export function elementArb<K extends TypeId>(typeId: K): fc.Arbitrary<ElementMap[K]> {
  return ELEMENT_ARBS[typeId];
}

/** Every type id the codec knows. */
export const ALL_TYPE_IDS: readonly TypeId[] = allElementSpecs().map((s) => s.typeId);
/** The type ids IEC 104 allows (no CP24Time2a forms, no 104/106). */
export const TYPE_IDS_104: readonly TypeId[] = allElementSpecs()
  .filter((s) => s.in104)
  .map((s) => s.typeId);

/* ---- ASDUs and APDUs ----------------------------------------------------------------------- */

export const headerArb: fc.Arbitrary<Required<HeaderFields>> = record({
  cot: fc.integer({ min: 0, max: 63 }),
  test: fc.boolean(),
  negative: fc.boolean(),
  oa: uint8,
  ca: uint16,
});

export interface AsduArbOptions {
  /** SQ bit: fixed, or both when omitted. */
  sq?: boolean;
  /** Number of objects: 1..maxObjectsPerAsdu by default; clamped to that maximum. */
  minCount?: number;
  maxCount?: number;
}

/**
 * A valid ASDU of `typeId`: random header, 1..max objects (the maximum that fits included), with
 * random IOAs for SQ=0 and consecutive IOAs from a random base (not passing 0xFFFFFF) for SQ=1.
 */
export function asduArb(typeId: TypeId, opts: AsduArbOptions = {}): fc.Arbitrary<Asdu> {
  const sqArb = opts.sq === undefined ? fc.boolean() : fc.constant(opts.sq);
  const element = elementArb(typeId) as fc.Arbitrary<ElementMap[TypeId]>;
  return sqArb.chain((sq) => {
    const max = maxObjectsPerAsdu(typeId, sq);
    const hi = Math.min(max, opts.maxCount ?? max);
    const lo = Math.min(hi, Math.max(1, opts.minCount ?? 1));
    return fc
      .tuple(
        headerArb,
        fc
          .integer({ min: lo, max: hi })
          .chain((n) =>
            fc.tuple(
              fc.array(element, { minLength: n, maxLength: n }),
              sq ? fc.integer({ min: 0, max: MAX_IOA - (n - 1) }) : fc.constant(0),
              fc.array(ioaArb, { minLength: n, maxLength: n }),
            ),
          ),
      )
      .map(([header, [elements, base, ioas]]) => {
        const objects = elements.map((e, i) => ({ ...e, ioa: sq ? base + i : ioas[i]! }));
        return { typeId, sq, ...header, objects } as Asdu;
      });
  });
}

/** A valid ASDU of any type in `typeIds` (all known types by default). */
export function anyAsduArb(typeIds: readonly TypeId[] = ALL_TYPE_IDS, opts: AsduArbOptions = {}) {
  return fc.constantFrom(...typeIds).chain((t) => asduArb(t, opts));
}

export const uFunctionArb: fc.Arbitrary<UFunctionName> = fc.constantFrom(
  ...(Object.keys(UFunction) as UFunctionName[]),
);

/** Any valid APDU: I (with an ASDU of any type in `typeIds`), S or U. */
export function apduArb(typeIds: readonly TypeId[] = ALL_TYPE_IDS): fc.Arbitrary<Apdu> {
  return fc.oneof(
    { arbitrary: iFrameArb(typeIds), weight: 4 },
    { arbitrary: record({ format: fc.constant("S" as const), nr: seqArb }), weight: 1 },
    { arbitrary: record({ format: fc.constant("U" as const), fn: uFunctionArb }), weight: 1 },
  );
}

export function iFrameArb(typeIds: readonly TypeId[] = ALL_TYPE_IDS, opts: AsduArbOptions = {}) {
  return record({
    format: fc.constant("I" as const),
    ns: seqArb,
    nr: seqArb,
    asdu: anyAsduArb(typeIds, opts),
  });
}

/** The octets of a valid APDU (non-104 types allowed), as the splitter would yield it. */
export function frameArb(typeIds: readonly TypeId[] = ALL_TYPE_IDS): fc.Arbitrary<Buffer> {
  return apduArb(typeIds).map((a) => encodeApdu(a, { allowNon104: true }));
}

/**
 * A frame as the splitter sees it: 0x68, a length octet 4..253 and that many arbitrary octets (the
 * splitter checks nothing else).
 */
export const rawFrameArb: fc.Arbitrary<Buffer> = fc
  .integer({ min: 4, max: 253 })
  .chain((len) => fc.uint8Array({ minLength: len, maxLength: len }))
  .map((body) => Buffer.concat([Buffer.from([0x68, body.length]), body]));

/* ---- damaged frames ------------------------------------------------------------------------- */

/** One damage done to a frame; positions are taken modulo the current length. */
export type Mutation =
  | { kind: "flipBit"; pos: number; bit: number }
  | { kind: "setByte"; pos: number; value: number }
  | { kind: "truncate"; pos: number }
  | { kind: "extend"; bytes: Uint8Array }
  | { kind: "delete"; pos: number }
  | { kind: "insert"; pos: number; value: number };

const posArb = fc.nat({ max: 300 });
const byteArb = fc.integer({ min: 0, max: 255 });
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  record({ kind: fc.constant("flipBit" as const), pos: posArb, bit: fc.integer({ min: 0, max: 7 }) }),
  record({ kind: fc.constant("setByte" as const), pos: posArb, value: byteArb }),
  record({ kind: fc.constant("truncate" as const), pos: posArb }),
  record({ kind: fc.constant("extend" as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
  record({ kind: fc.constant("delete" as const), pos: posArb }),
  record({ kind: fc.constant("insert" as const), pos: posArb, value: byteArb }),
);

/**
 * Applies the mutations to a copy of `frame`; with `fixLength` the length octet is then set to match,
 * so the damage reaches the ASDU decoder behind the APCI.
 */
export function mutate(frame: Buffer, mutations: readonly Mutation[], fixLength: boolean): Buffer {
  let b = Buffer.from(frame);
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.kind === "extend" ? 0 : m.pos % b.length;
    switch (m.kind) {
      case "flipBit":
        if (b.length > 0) b[at] = b[at]! ^ (1 << m.bit);
        break;
      case "setByte":
        if (b.length > 0) b[at] = m.value;
        break;
      case "truncate":
        b = b.subarray(0, at);
        break;
      case "extend":
        b = Buffer.concat([b, m.bytes]);
        break;
      case "delete":
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
        break;
      case "insert":
        b = Buffer.concat([b.subarray(0, at), Buffer.from([m.value]), b.subarray(at)]);
        break;
    }
  }
  if (fixLength && b.length >= 2) b[1] = (b.length - 2) & 0xff;
  return b;
}
