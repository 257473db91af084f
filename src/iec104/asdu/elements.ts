/**
 * The information elements of every standard type identification: one table of facts per type id
 * (size, time tag, direction, encode, decode), so no fact about a type lives in a second switch.
 *
 * Sizes are the octets of one information object after its 3-octet IOA, time tag included.
 * All multi-octet fields are little-endian (IEC 60870-5-4). Quality bits are kept raw (see
 * quality.ts); value bits are never part of `quality`.
 */
import { checkInt, EncodeError, EncodeErrorCode } from "../codec/errors.js";
import { QDP_MASK, QDS_MASK, SIQ_QUALITY_MASK } from "../codec/quality.js";
import {
  CP16_SIZE,
  CP24_SIZE,
  CP56_SIZE,
  type Cp24Time2a,
  type Cp56Time2a,
  readCp16,
  readCp24,
  readCp56,
  writeCp16,
  writeCp24,
  writeCp56,
} from "../codec/time.js";
import { TypeId, type TypeName } from "./types.js";

/* ---- element value shapes ---------------------------------------------------------------- */

/** SIQ: single-point information (types 1, 2, 30). */
export interface SinglePoint {
  value: boolean;
  quality: number;
}
/** DIQ: double-point information, 0 intermediate, 1 off, 2 on, 3 indeterminate (types 3, 4, 31). */
export interface DoublePoint {
  value: number;
  quality: number;
}
/** VTI + QDS: step position -64..63 with the transient flag (types 5, 6, 32). */
export interface StepPosition {
  value: number;
  transient: boolean;
  quality: number;
}
/** BSI + QDS: 32-bit string, an unsigned integer here (types 7, 8, 33). */
export interface Bitstring {
  value: number;
  quality: number;
}
/**
 * NVA/SVA/IEEE float + QDS (types 9-14, 34-36). For normalized values `value` is in [-1, 1): the
 * encoder rounds to raw/32768 and clamps at 32767/32768.
 */
export interface Measured {
  value: number;
  quality: number;
}
/** NVA without quality (type 21). */
export interface NormalizedNoQuality {
  value: number;
}
/** BCR: binary counter reading (types 15, 16, 37). */
export interface Counter {
  /** Signed 32-bit count. */
  value: number;
  /** Sequence number 0..31. */
  sequence: number;
  /** CY: counter overflowed in the period. */
  carry: boolean;
  /** CA: counter was adjusted. */
  adjusted: boolean;
  /** IV: reading invalid. */
  invalid: boolean;
}
/** SCD + QDS: 16 packed single points and their change-detection bits (type 20). */
export interface PackedSinglePoints {
  st: number;
  cd: number;
  quality: number;
}
/** SEP (event state + QDP) with the elapsed time (types 17, 38). */
export interface ProtectionEvent {
  eventState: number;
  quality: number;
  elapsedMs: number;
}
/** SPE + QDP with the relay duration (types 18, 39). */
export interface ProtectionStart {
  spe: number;
  quality: number;
  elapsedMs: number;
}
/** OCI + QDP with the relay operating time (types 19, 40). */
export interface ProtectionOutput {
  oci: number;
  quality: number;
  operatingMs: number;
}
/** COI: cause of initialization, bits 0-6 the cause, bit 7 local parameters changed (type 70). */
export interface EndOfInit {
  coi: number;
}
/** SCO: single command (types 45, 58). */
export interface SingleCommand {
  value: boolean;
  select: boolean;
  /** QU qualifier of command 0..31: 0 none, 1 short pulse, 2 long pulse, 3 persistent. */
  qu: number;
}
/** DCO / RCO: double command (1 off, 2 on) or regulating step (1 lower, 2 higher) (46, 47, 59, 60). */
export interface DoubleCommand {
  value: number;
  select: boolean;
  qu: number;
}
/** Set-point command with QOS: QL 0..127 and S/E (types 48-50, 61-63). */
export interface Setpoint {
  value: number;
  select: boolean;
  ql: number;
}
/** BSI command (types 51, 64). */
export interface BitstringCommand {
  value: number;
}
/** QOI: 20 station, 21-36 group 1-16 (type 100). */
export interface Interrogation {
  qoi: number;
}
/** QCC raw octet: RQT bits 0-5, FRZ bits 6-7 (type 101). */
export interface CounterInterrogation {
  qcc: number;
}
/** Read command: no element (type 102). */
export type ReadCommand = Record<never, never>;
/** Clock synchronization (type 103). */
export interface ClockSync {
  time: Cp56Time2a;
}
/** FBP fixed test pattern, 0x55AA (type 104, 101 only). */
export interface TestCommand {
  fbp: number;
}
/** QRP: 1 general reset, 2 reset of pending time-tagged events (type 105). */
export interface ResetProcess {
  qrp: number;
}
/** CP16Time2a delay (type 106, 101 only). */
export interface DelayAcquisition {
  delayMs: number;
}
/** TSC test sequence counter with time (type 107). */
export interface TestCommandWithTime {
  tsc: number;
  time: Cp56Time2a;
}
/** Parameter of measured value with QPM raw octet: KPA bits 0-5, LPC 0x40, POP 0x80 (110-112). */
export interface MeasuredParameter {
  value: number;
  qpm: number;
}
/** QPA (type 113). */
export interface ParameterActivation {
  qpa: number;
}

type T24 = { time: Cp24Time2a };
type T56 = { time: Cp56Time2a };

/** The element of each type id. */
export interface ElementMap {
  1: SinglePoint;
  2: SinglePoint & T24;
  3: DoublePoint;
  4: DoublePoint & T24;
  5: StepPosition;
  6: StepPosition & T24;
  7: Bitstring;
  8: Bitstring & T24;
  9: Measured;
  10: Measured & T24;
  11: Measured;
  12: Measured & T24;
  13: Measured;
  14: Measured & T24;
  15: Counter;
  16: Counter & T24;
  17: ProtectionEvent & T24;
  18: ProtectionStart & T24;
  19: ProtectionOutput & T24;
  20: PackedSinglePoints;
  21: NormalizedNoQuality;
  30: SinglePoint & T56;
  31: DoublePoint & T56;
  32: StepPosition & T56;
  33: Bitstring & T56;
  34: Measured & T56;
  35: Measured & T56;
  36: Measured & T56;
  37: Counter & T56;
  38: ProtectionEvent & T56;
  39: ProtectionStart & T56;
  40: ProtectionOutput & T56;
  45: SingleCommand;
  46: DoubleCommand;
  47: DoubleCommand;
  48: Setpoint;
  49: Setpoint;
  50: Setpoint;
  51: BitstringCommand;
  58: SingleCommand & T56;
  59: DoubleCommand & T56;
  60: DoubleCommand & T56;
  61: Setpoint & T56;
  62: Setpoint & T56;
  63: Setpoint & T56;
  64: BitstringCommand & T56;
  70: EndOfInit;
  100: Interrogation;
  101: CounterInterrogation;
  102: ReadCommand;
  103: ClockSync;
  104: TestCommand;
  105: ResetProcess;
  106: DelayAcquisition;
  107: TestCommandWithTime;
  110: MeasuredParameter;
  111: MeasuredParameter;
  112: MeasuredParameter;
  113: ParameterActivation;
}

export type ElementOf<K extends TypeId> = ElementMap[K];

export type ElementKind = "monitor" | "command" | "system" | "parameter";

export interface ElementSpec<V> {
  readonly typeId: TypeId;
  readonly name: TypeName;
  /** Octets per information object after the IOA, time tag included. */
  readonly size: number;
  readonly time: "none" | "cp24" | "cp56";
  readonly kind: ElementKind;
  /** False for the CP24Time2a forms and 104/106, which IEC 60870-5-104 excludes. */
  readonly in104: boolean;
  /** The same type without its time tag (30 -> 1, 58 -> 45); itself when it has none. */
  readonly untimed: TypeId;
  encode(buf: Buffer, off: number, v: V): void;
  decode(buf: Buffer, off: number): V;
}

/* ---- element codecs ------------------------------------------------------------------------ */

interface Codec<V> {
  size: number;
  encode(buf: Buffer, off: number, v: V): void;
  decode(buf: Buffer, off: number): V;
}

function bool(field: string, v: unknown): void {
  if (typeof v !== "boolean")
    throw new EncodeError(EncodeErrorCode.OUT_OF_RANGE, field, `${String(v)} is not a boolean`);
}

function finite(field: string, v: number): void {
  if (typeof v !== "number" || Number.isNaN(v)) {
    throw new EncodeError(EncodeErrorCode.OUT_OF_RANGE, field, `${String(v)} is not a number`);
  }
}

/** Normalized value to its raw int16: round to nearest, clamp to -32768..32767. */
export function normalizedToRaw(v: number): number {
  const raw = Math.round(v * 32768);
  return Math.min(32767, Math.max(-32768, raw));
}

export function rawToNormalized(raw: number): number {
  return raw / 32768;
}

const siq: Codec<SinglePoint> = {
  size: 1,
  encode(buf, off, v) {
    bool("SIQ.value", v.value);
    buf[off] = (v.value ? 1 : 0) | (v.quality & SIQ_QUALITY_MASK);
  },
  decode(buf, off) {
    const b = buf[off]!;
    return { value: (b & 1) === 1, quality: b & SIQ_QUALITY_MASK };
  },
};

const diq: Codec<DoublePoint> = {
  size: 1,
  encode(buf, off, v) {
    checkInt("DIQ.value", v.value, 0, 3);
    buf[off] = v.value | (v.quality & SIQ_QUALITY_MASK);
  },
  decode(buf, off) {
    const b = buf[off]!;
    return { value: b & 3, quality: b & SIQ_QUALITY_MASK };
  },
};

const vti: Codec<StepPosition> = {
  size: 2,
  encode(buf, off, v) {
    checkInt("VTI.value", v.value, -64, 63);
    bool("VTI.transient", v.transient);
    buf[off] = (v.value & 0x7f) | (v.transient ? 0x80 : 0);
    buf[off + 1] = v.quality & QDS_MASK;
  },
  decode(buf, off) {
    const b = buf[off]!;
    const raw = b & 0x7f;
    return {
      value: raw & 0x40 ? raw - 128 : raw,
      transient: (b & 0x80) !== 0,
      quality: buf[off + 1]! & QDS_MASK,
    };
  },
};

const bsi: Codec<Bitstring> = {
  size: 5,
  encode(buf, off, v) {
    checkInt("BSI.value", v.value, 0, 0xffffffff);
    buf.writeUInt32LE(v.value, off);
    buf[off + 4] = v.quality & QDS_MASK;
  },
  decode(buf, off) {
    return { value: buf.readUInt32LE(off), quality: buf[off + 4]! & QDS_MASK };
  },
};

const nva: Codec<Measured> = {
  size: 3,
  encode(buf, off, v) {
    finite("NVA.value", v.value);
    buf.writeInt16LE(normalizedToRaw(v.value), off);
    buf[off + 2] = v.quality & QDS_MASK;
  },
  decode(buf, off) {
    return { value: buf.readInt16LE(off) / 32768, quality: buf[off + 2]! & QDS_MASK };
  },
};

const sva: Codec<Measured> = {
  size: 3,
  encode(buf, off, v) {
    checkInt("SVA.value", v.value, -32768, 32767);
    buf.writeInt16LE(v.value, off);
    buf[off + 2] = v.quality & QDS_MASK;
  },
  decode(buf, off) {
    return { value: buf.readInt16LE(off), quality: buf[off + 2]! & QDS_MASK };
  },
};

const r32: Codec<Measured> = {
  size: 5,
  encode(buf, off, v) {
    if (typeof v.value !== "number")
      throw new EncodeError(EncodeErrorCode.OUT_OF_RANGE, "R32.value", "not a number");
    buf.writeFloatLE(v.value, off);
    buf[off + 4] = v.quality & QDS_MASK;
  },
  decode(buf, off) {
    return { value: buf.readFloatLE(off), quality: buf[off + 4]! & QDS_MASK };
  },
};

const nvaOnly: Codec<NormalizedNoQuality> = {
  size: 2,
  encode(buf, off, v) {
    finite("NVA.value", v.value);
    buf.writeInt16LE(normalizedToRaw(v.value), off);
  },
  decode(buf, off) {
    return { value: buf.readInt16LE(off) / 32768 };
  },
};

const bcr: Codec<Counter> = {
  size: 5,
  encode(buf, off, v) {
    checkInt("BCR.value", v.value, -0x80000000, 0x7fffffff);
    checkInt("BCR.sequence", v.sequence, 0, 31);
    buf.writeInt32LE(v.value, off);
    buf[off + 4] = v.sequence | (v.carry ? 0x20 : 0) | (v.adjusted ? 0x40 : 0) | (v.invalid ? 0x80 : 0);
  },
  decode(buf, off) {
    const b = buf[off + 4]!;
    return {
      value: buf.readInt32LE(off),
      sequence: b & 0x1f,
      carry: (b & 0x20) !== 0,
      adjusted: (b & 0x40) !== 0,
      invalid: (b & 0x80) !== 0,
    };
  },
};

const scd: Codec<PackedSinglePoints> = {
  size: 5,
  encode(buf, off, v) {
    checkInt("SCD.st", v.st, 0, 0xffff);
    checkInt("SCD.cd", v.cd, 0, 0xffff);
    buf.writeUInt16LE(v.st, off);
    buf.writeUInt16LE(v.cd, off + 2);
    buf[off + 4] = v.quality & QDS_MASK;
  },
  decode(buf, off) {
    return { st: buf.readUInt16LE(off), cd: buf.readUInt16LE(off + 2), quality: buf[off + 4]! & QDS_MASK };
  },
};

const sep: Codec<ProtectionEvent> = {
  size: 1 + CP16_SIZE,
  encode(buf, off, v) {
    checkInt("SEP.eventState", v.eventState, 0, 3);
    buf[off] = v.eventState | (v.quality & QDP_MASK);
    writeCp16(buf, off + 1, v.elapsedMs, "CP16Time2a.elapsedMs");
  },
  decode(buf, off) {
    const b = buf[off]!;
    return { eventState: b & 3, quality: b & QDP_MASK, elapsedMs: readCp16(buf, off + 1) };
  },
};

const spe: Codec<ProtectionStart> = {
  size: 2 + CP16_SIZE,
  encode(buf, off, v) {
    checkInt("SPE", v.spe, 0, 0xff);
    buf[off] = v.spe;
    buf[off + 1] = v.quality & QDP_MASK;
    writeCp16(buf, off + 2, v.elapsedMs, "CP16Time2a.elapsedMs");
  },
  decode(buf, off) {
    return { spe: buf[off]!, quality: buf[off + 1]! & QDP_MASK, elapsedMs: readCp16(buf, off + 2) };
  },
};

const oci: Codec<ProtectionOutput> = {
  size: 2 + CP16_SIZE,
  encode(buf, off, v) {
    checkInt("OCI", v.oci, 0, 0xff);
    buf[off] = v.oci;
    buf[off + 1] = v.quality & QDP_MASK;
    writeCp16(buf, off + 2, v.operatingMs, "CP16Time2a.operatingMs");
  },
  decode(buf, off) {
    return { oci: buf[off]!, quality: buf[off + 1]! & QDP_MASK, operatingMs: readCp16(buf, off + 2) };
  },
};

/** A one-octet element that is a plain qualifier or cause. */
function octet<F extends string>(field: F): Codec<Record<F, number>> {
  return {
    size: 1,
    encode(buf, off, v) {
      checkInt(field.toUpperCase(), v[field], 0, 0xff);
      buf[off] = v[field];
    },
    decode(buf, off) {
      return { [field]: buf[off]! } as Record<F, number>;
    },
  };
}

const sco: Codec<SingleCommand> = {
  size: 1,
  encode(buf, off, v) {
    bool("SCO.value", v.value);
    bool("SCO.select", v.select);
    checkInt("SCO.qu", v.qu, 0, 31);
    buf[off] = (v.value ? 1 : 0) | (v.qu << 2) | (v.select ? 0x80 : 0);
  },
  decode(buf, off) {
    const b = buf[off]!;
    return { value: (b & 1) === 1, select: (b & 0x80) !== 0, qu: (b >> 2) & 0x1f };
  },
};

const dco: Codec<DoubleCommand> = {
  size: 1,
  encode(buf, off, v) {
    checkInt("DCO.value", v.value, 0, 3);
    bool("DCO.select", v.select);
    checkInt("DCO.qu", v.qu, 0, 31);
    buf[off] = v.value | (v.qu << 2) | (v.select ? 0x80 : 0);
  },
  decode(buf, off) {
    const b = buf[off]!;
    return { value: b & 3, select: (b & 0x80) !== 0, qu: (b >> 2) & 0x1f };
  },
};

function qos(buf: Buffer, off: number, v: Setpoint): void {
  bool("QOS.select", v.select);
  checkInt("QOS.ql", v.ql, 0, 127);
  buf[off] = v.ql | (v.select ? 0x80 : 0);
}

const setpointNormalized: Codec<Setpoint> = {
  size: 3,
  encode(buf, off, v) {
    finite("NVA.value", v.value);
    buf.writeInt16LE(normalizedToRaw(v.value), off);
    qos(buf, off + 2, v);
  },
  decode(buf, off) {
    const q = buf[off + 2]!;
    return { value: buf.readInt16LE(off) / 32768, select: (q & 0x80) !== 0, ql: q & 0x7f };
  },
};

const setpointScaled: Codec<Setpoint> = {
  size: 3,
  encode(buf, off, v) {
    checkInt("SVA.value", v.value, -32768, 32767);
    buf.writeInt16LE(v.value, off);
    qos(buf, off + 2, v);
  },
  decode(buf, off) {
    const q = buf[off + 2]!;
    return { value: buf.readInt16LE(off), select: (q & 0x80) !== 0, ql: q & 0x7f };
  },
};

const setpointFloat: Codec<Setpoint> = {
  size: 5,
  encode(buf, off, v) {
    if (typeof v.value !== "number")
      throw new EncodeError(EncodeErrorCode.OUT_OF_RANGE, "R32.value", "not a number");
    buf.writeFloatLE(v.value, off);
    qos(buf, off + 4, v);
  },
  decode(buf, off) {
    const q = buf[off + 4]!;
    return { value: buf.readFloatLE(off), select: (q & 0x80) !== 0, ql: q & 0x7f };
  },
};

const bsiCommand: Codec<BitstringCommand> = {
  size: 4,
  encode(buf, off, v) {
    checkInt("BSI.value", v.value, 0, 0xffffffff);
    buf.writeUInt32LE(v.value, off);
  },
  decode(buf, off) {
    return { value: buf.readUInt32LE(off) };
  },
};

const readCommand: Codec<ReadCommand> = {
  size: 0,
  encode() {},
  decode() {
    return {};
  },
};

const clockSync: Codec<ClockSync> = {
  size: CP56_SIZE,
  encode(buf, off, v) {
    needTime(v);
    writeCp56(buf, off, v.time);
  },
  decode(buf, off) {
    return { time: readCp56(buf, off) };
  },
};

const testCommand: Codec<TestCommand> = {
  size: 2,
  encode(buf, off, v) {
    checkInt("FBP", v.fbp, 0, 0xffff);
    buf.writeUInt16LE(v.fbp, off);
  },
  decode(buf, off) {
    return { fbp: buf.readUInt16LE(off) };
  },
};

const delayAcquisition: Codec<DelayAcquisition> = {
  size: CP16_SIZE,
  encode(buf, off, v) {
    writeCp16(buf, off, v.delayMs, "CP16Time2a.delayMs");
  },
  decode(buf, off) {
    return { delayMs: readCp16(buf, off) };
  },
};

const testWithTime: Codec<TestCommandWithTime> = {
  size: 2 + CP56_SIZE,
  encode(buf, off, v) {
    checkInt("TSC", v.tsc, 0, 0xffff);
    needTime(v);
    buf.writeUInt16LE(v.tsc, off);
    writeCp56(buf, off + 2, v.time);
  },
  decode(buf, off) {
    return { tsc: buf.readUInt16LE(off), time: readCp56(buf, off + 2) };
  },
};

function parameter(value: Codec<Measured>): Codec<MeasuredParameter> {
  const valueSize = value.size - 1;
  return {
    size: value.size,
    encode(buf, off, v) {
      checkInt("QPM", v.qpm, 0, 0xff);
      value.encode(buf, off, { value: v.value, quality: 0 });
      buf[off + valueSize] = v.qpm;
    },
    decode(buf, off) {
      return { value: value.decode(buf, off).value, qpm: buf[off + valueSize]! };
    },
  };
}

function needTime(v: { time?: unknown }): void {
  if (v.time === null || typeof v.time !== "object") {
    throw new EncodeError(EncodeErrorCode.OUT_OF_RANGE, "time", "the time tag is missing");
  }
}

/** Appends a CP24Time2a or CP56Time2a after the element. */
function timed<V>(base: Codec<V>, time: "cp24" | "cp56"): Codec<V & { time: Cp56Time2a | Cp24Time2a }> {
  const at = base.size;
  if (time === "cp56") {
    return {
      size: at + CP56_SIZE,
      encode(buf, off, v) {
        needTime(v);
        base.encode(buf, off, v);
        writeCp56(buf, off + at, v.time as Cp56Time2a);
      },
      decode(buf, off) {
        const v = base.decode(buf, off) as V & { time: Cp56Time2a };
        v.time = readCp56(buf, off + at);
        return v;
      },
    };
  }
  return {
    size: at + CP24_SIZE,
    encode(buf, off, v) {
      needTime(v);
      base.encode(buf, off, v);
      writeCp24(buf, off + at, v.time as Cp24Time2a);
    },
    decode(buf, off) {
      const v = base.decode(buf, off) as V & { time: Cp24Time2a };
      v.time = readCp24(buf, off + at);
      return v;
    },
  };
}

/* ---- the table ----------------------------------------------------------------------------- */

type AnySpec = ElementSpec<ElementMap[TypeId]>;

const SPECS = new Map<number, AnySpec>();

function def<N extends TypeName>(
  name: N,
  kind: ElementKind,
  codec: Codec<Omit<ElementMap[(typeof TypeId)[N]], "time">>,
  opts: { time?: "cp24" | "cp56"; untimed?: TypeName; in104?: boolean } = {},
): void {
  const typeId = TypeId[name];
  const c = (opts.time ? timed(codec, opts.time) : codec) as unknown as Codec<ElementMap[TypeId]>;
  SPECS.set(typeId, {
    typeId,
    name,
    size: c.size,
    time: opts.time ?? "none",
    kind,
    in104: opts.in104 ?? opts.time !== "cp24",
    untimed: TypeId[opts.untimed ?? name],
    encode: c.encode,
    decode: c.decode,
  });
}

// Monitoring direction (process information), 101 7.3.1.
def("M_SP_NA_1", "monitor", siq);
def("M_SP_TA_1", "monitor", siq, { time: "cp24", untimed: "M_SP_NA_1" });
def("M_DP_NA_1", "monitor", diq);
def("M_DP_TA_1", "monitor", diq, { time: "cp24", untimed: "M_DP_NA_1" });
def("M_ST_NA_1", "monitor", vti);
def("M_ST_TA_1", "monitor", vti, { time: "cp24", untimed: "M_ST_NA_1" });
def("M_BO_NA_1", "monitor", bsi);
def("M_BO_TA_1", "monitor", bsi, { time: "cp24", untimed: "M_BO_NA_1" });
def("M_ME_NA_1", "monitor", nva);
def("M_ME_TA_1", "monitor", nva, { time: "cp24", untimed: "M_ME_NA_1" });
def("M_ME_NB_1", "monitor", sva);
def("M_ME_TB_1", "monitor", sva, { time: "cp24", untimed: "M_ME_NB_1" });
def("M_ME_NC_1", "monitor", r32);
def("M_ME_TC_1", "monitor", r32, { time: "cp24", untimed: "M_ME_NC_1" });
def("M_IT_NA_1", "monitor", bcr);
def("M_IT_TA_1", "monitor", bcr, { time: "cp24", untimed: "M_IT_NA_1" });
def("M_EP_TA_1", "monitor", sep, { time: "cp24" });
def("M_EP_TB_1", "monitor", spe, { time: "cp24" });
def("M_EP_TC_1", "monitor", oci, { time: "cp24" });
def("M_PS_NA_1", "monitor", scd);
def("M_ME_ND_1", "monitor", nvaOnly);
def("M_SP_TB_1", "monitor", siq, { time: "cp56", untimed: "M_SP_NA_1" });
def("M_DP_TB_1", "monitor", diq, { time: "cp56", untimed: "M_DP_NA_1" });
def("M_ST_TB_1", "monitor", vti, { time: "cp56", untimed: "M_ST_NA_1" });
def("M_BO_TB_1", "monitor", bsi, { time: "cp56", untimed: "M_BO_NA_1" });
def("M_ME_TD_1", "monitor", nva, { time: "cp56", untimed: "M_ME_NA_1" });
def("M_ME_TE_1", "monitor", sva, { time: "cp56", untimed: "M_ME_NB_1" });
def("M_ME_TF_1", "monitor", r32, { time: "cp56", untimed: "M_ME_NC_1" });
def("M_IT_TB_1", "monitor", bcr, { time: "cp56", untimed: "M_IT_NA_1" });
def("M_EP_TD_1", "monitor", sep, { time: "cp56" });
def("M_EP_TE_1", "monitor", spe, { time: "cp56" });
def("M_EP_TF_1", "monitor", oci, { time: "cp56" });
def("M_EI_NA_1", "monitor", octet("coi"));
// Control direction: process commands, 101 7.3.2 and 104 (time-tagged forms).
def("C_SC_NA_1", "command", sco);
def("C_DC_NA_1", "command", dco);
def("C_RC_NA_1", "command", dco);
def("C_SE_NA_1", "command", setpointNormalized);
def("C_SE_NB_1", "command", setpointScaled);
def("C_SE_NC_1", "command", setpointFloat);
def("C_BO_NA_1", "command", bsiCommand);
def("C_SC_TA_1", "command", sco, { time: "cp56", untimed: "C_SC_NA_1" });
def("C_DC_TA_1", "command", dco, { time: "cp56", untimed: "C_DC_NA_1" });
def("C_RC_TA_1", "command", dco, { time: "cp56", untimed: "C_RC_NA_1" });
def("C_SE_TA_1", "command", setpointNormalized, { time: "cp56", untimed: "C_SE_NA_1" });
def("C_SE_TB_1", "command", setpointScaled, { time: "cp56", untimed: "C_SE_NB_1" });
def("C_SE_TC_1", "command", setpointFloat, { time: "cp56", untimed: "C_SE_NC_1" });
def("C_BO_TA_1", "command", bsiCommand, { time: "cp56", untimed: "C_BO_NA_1" });
// System commands, 101 7.3.4 and 104 (C_TS_TA_1).
def("C_IC_NA_1", "system", octet("qoi"));
def("C_CI_NA_1", "system", octet("qcc"));
def("C_RD_NA_1", "system", readCommand);
def("C_CS_NA_1", "system", clockSync);
def("C_TS_NA_1", "system", testCommand, { in104: false });
def("C_RP_NA_1", "system", octet("qrp"));
def("C_CD_NA_1", "system", delayAcquisition, { in104: false });
def("C_TS_TA_1", "system", testWithTime);
// Parameters, 101 7.3.5.
def("P_ME_NA_1", "parameter", parameter(nva));
def("P_ME_NB_1", "parameter", parameter(sva));
def("P_ME_NC_1", "parameter", parameter(r32));
def("P_AC_NA_1", "parameter", octet("qpa"));

/** The element facts of a type id, or undefined for one this codec does not know. */
export function elementSpec<K extends TypeId>(typeId: K): ElementSpec<ElementMap[K]>;
export function elementSpec(typeId: number): AnySpec | undefined;
export function elementSpec(typeId: number): AnySpec | undefined {
  return SPECS.get(typeId);
}

export function allElementSpecs(): readonly AnySpec[] {
  return [...SPECS.values()];
}
