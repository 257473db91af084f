/**
 * What each IEC monitoring type can carry, for the simulator: the value range, whether values are
 * integers and whether the type is a measured value (published every tick). `formatValue` turns a
 * generator's value into the plain payload the bridge accepts for the type.
 */
import { type MonitorTypeId, scalarSpec } from "../iec104/asdu/scalar.js";
import { TypeId } from "../iec104/asdu/types.js";

export type ValueKind =
  | "single"
  | "double"
  | "step"
  | "bitstring"
  | "normalized"
  | "scaled"
  | "float"
  | "counter"
  | "packed"
  | "protection"
  | "protection-bits";

export interface TypeRange {
  kind: ValueKind;
  min: number;
  max: number;
  integer: boolean;
  /** Measured values (types 9, 11, 13, 21, 34-36) are published every tick. */
  measured: boolean;
}

export const NORMALIZED_MAX = 32767 / 32768;
const FLOAT_MAX = 3.4028234663852886e38;

function r(kind: ValueKind, min: number, max: number, integer: boolean, measured = false): TypeRange {
  return { kind, min, max, integer, measured };
}

const BY_BASE: Readonly<Record<number, TypeRange>> = {
  [TypeId.M_SP_NA_1]: r("single", 0, 1, true),
  [TypeId.M_DP_NA_1]: r("double", 0, 3, true),
  [TypeId.M_ST_NA_1]: r("step", -64, 63, true),
  [TypeId.M_BO_NA_1]: r("bitstring", 0, 0xffffffff, true),
  [TypeId.M_ME_NA_1]: r("normalized", -1, NORMALIZED_MAX, false, true),
  [TypeId.M_ME_ND_1]: r("normalized", -1, NORMALIZED_MAX, false, true),
  [TypeId.M_ME_NB_1]: r("scaled", -32768, 32767, true, true),
  [TypeId.M_ME_NC_1]: r("float", -FLOAT_MAX, FLOAT_MAX, false, true),
  [TypeId.M_IT_NA_1]: r("counter", -0x80000000, 0x7fffffff, true),
  [TypeId.M_PS_NA_1]: r("packed", 0, 0xffff, true),
  [TypeId.M_EP_TD_1]: r("protection", 0, 3, true),
  [TypeId.M_EP_TE_1]: r("protection-bits", 0, 255, true),
  [TypeId.M_EP_TF_1]: r("protection-bits", 0, 255, true),
};

export function typeRange(typeId: MonitorTypeId): TypeRange {
  return BY_BASE[scalarSpec(typeId).untimed]!;
}

/** Decimals worth publishing for values up to `mag`: about five significant digits. */
export function decimalsFor(lo: number, hi: number): number {
  const mag = Math.max(Math.abs(lo), Math.abs(hi));
  if (!Number.isFinite(mag) || mag === 0) return 3;
  return Math.min(6, Math.max(0, 5 - Math.ceil(Math.log10(mag))));
}

/**
 * The value as the point will carry it: rounded (to integers or to 1/pow10), kept within the
 * generator's bounds after rounding (`lo`, `hi`: the bounds on that grid) and the type's range.
 */
export function outputValue(v: number, range: TypeRange, pow10: number, lo: number, hi: number): number {
  if (Number.isNaN(v)) return Math.max(range.min, 0);
  let x = range.integer ? Math.round(v) : Math.round(v * pow10) / pow10;
  if (lo <= hi) x = x < lo ? lo : x > hi ? hi : x;
  return x < range.min ? range.min : x > range.max ? range.max : x;
}

/** A generator's bounds on the grid of its output values (integers, or multiples of 1/pow10). */
export function gridBounds(lo: number, hi: number, range: TypeRange, pow10: number): [number, number] {
  if (range.integer) return [Math.ceil(lo), Math.floor(hi)];
  return [Math.ceil(lo * pow10) / pow10, Math.floor(hi * pow10) / pow10];
}
