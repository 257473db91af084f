/**
 * The `Type IEC` of a point: which type ids a Datapoints.json may use, why the others are refused,
 * and the facts the loader checks per type (value range of `initial`, which fields apply, which
 * monitoring types can reflect a command).
 */
import { isMonitorType, type MonitorTypeId, scalarSpec } from "../iec104/asdu/scalar.js";
import { TypeId, type TypeName, typeName } from "../iec104/asdu/types.js";

export type ResolvedType =
  | { kind: "monitor"; typeId: MonitorTypeId }
  /** `typeId` is the command type without time tag (45..51), whatever form was given. */
  | { kind: "command"; typeId: number };

/** The command types with a CP56Time2a tag (58..64) are their untimed base (45..51) plus 13. */
const TIME_TAGGED_COMMAND_OFFSET = TypeId.C_SC_TA_1 - TypeId.C_SC_NA_1;

/** The CP24Time2a monitoring forms and the CP56Time2a form to use instead. */
const CP24_REPLACEMENT: Readonly<Record<number, number>> = {
  2: 30,
  4: 31,
  6: 32,
  8: 33,
  10: 34,
  12: 35,
  14: 36,
  16: 37,
  17: 38,
  18: 39,
  19: 40,
};

function label(id: number): string {
  const name = typeName(id);
  return name.startsWith("TYPE_") ? String(id) : `${id} (${name})`;
}

/** Why a type id cannot be a point (undefined: it can). */
function refusal(id: number): string | undefined {
  if (isMonitorType(id)) return undefined;
  if (id >= TypeId.C_SC_NA_1 && id <= TypeId.C_BO_NA_1) return undefined;
  if (id >= TypeId.C_SC_TA_1 && id <= TypeId.C_BO_TA_1) return undefined;
  const base = `${label(id)} is not a supported type`;
  const cp56 = CP24_REPLACEMENT[id];
  if (cp56 !== undefined) return `${base}: IEC 104 sends no CP24Time2a time tags; use ${label(cp56)}`;
  if (id === TypeId.M_EI_NA_1) return `${base}: end of initialization is sent by the outstation itself`;
  if (id >= TypeId.C_IC_NA_1 && id <= TypeId.C_TS_TA_1) return `${base}: it is a system command, not a point`;
  if (id >= TypeId.P_ME_NA_1 && id <= TypeId.P_AC_NA_1) return `${base}: it is a parameter type, not a point`;
  if (id >= 120 && id <= 127) return `${base}: file transfer is not served`;
  return base;
}

/** The type of `Type IEC` (a type id or a mnemonic such as "M_ME_TF_1"), or the reason it is refused. */
export function resolveType(v: number | string): ResolvedType | string {
  let id: number;
  if (typeof v === "number") {
    id = v;
  } else {
    const s = v.trim();
    if (/^\d{1,3}$/.test(s)) id = Number(s);
    else {
      const key = s.toUpperCase();
      if (!Object.hasOwn(TypeId, key))
        return `${JSON.stringify(v)} is not a type mnemonic (e.g. "M_ME_TF_1")`;
      id = TypeId[key as TypeName];
    }
  }
  if (!Number.isInteger(id) || id < 1 || id > 255) return `${id} is not a type id (an integer 1..255)`;
  const why = refusal(id);
  if (why !== undefined) return why;
  if (isMonitorType(id)) return { kind: "monitor", typeId: id };
  return {
    kind: "command",
    typeId: id >= TypeId.C_SC_TA_1 ? id - TIME_TAGGED_COMMAND_OFFSET : id,
  };
}

export function typeLabel(id: number): string {
  return label(id);
}

/** The untimed form of a monitoring type (e.g. 36 -> 13). */
export function untimed(t: MonitorTypeId): number {
  return scalarSpec(t).untimed;
}

export function isCounterType(t: MonitorTypeId): boolean {
  return scalarSpec(t).category === "counter";
}

export function isAnalogType(t: MonitorTypeId): boolean {
  return scalarSpec(t).category === "measured";
}

export function isProtectionEventType(t: MonitorTypeId): boolean {
  return scalarSpec(t).category === "protection";
}

const FLOAT_MAX = 3.4028234663852886e38;

/** The values a monitoring type holds: [min, max, integer]. */
export function valueRange(t: MonitorTypeId): [number, number, boolean] {
  switch (untimed(t)) {
    case TypeId.M_SP_NA_1:
      return [0, 1, true];
    case TypeId.M_DP_NA_1:
    case TypeId.M_EP_TD_1:
      return [0, 3, true];
    case TypeId.M_ST_NA_1:
      return [-64, 63, true];
    case TypeId.M_BO_NA_1:
      return [0, 0xffffffff, true];
    case TypeId.M_ME_NA_1:
    case TypeId.M_ME_ND_1:
      return [-1, 1, false];
    case TypeId.M_ME_NB_1:
      return [-32768, 32767, true];
    case TypeId.M_ME_NC_1:
      return [-FLOAT_MAX, FLOAT_MAX, false];
    case TypeId.M_IT_NA_1:
      return [-0x80000000, 0x7fffffff, true];
    case TypeId.M_PS_NA_1:
      return [0, 0xffff, true];
    default:
      return [0, 255, true];
  }
}

const SINGLE_DOUBLE: readonly number[] = [TypeId.M_SP_NA_1, TypeId.M_DP_NA_1];
const NUMERIC: readonly number[] = [
  TypeId.M_ST_NA_1,
  TypeId.M_ME_NA_1,
  TypeId.M_ME_NB_1,
  TypeId.M_ME_NC_1,
  TypeId.M_ME_ND_1,
];

/**
 * Whether a monitoring type can reflect a command (the built-in handler mirrors the command's
 * value into it): single/double commands into single/double points, regulating steps and
 * set-points into step positions and measured values, bitstrings into bitstrings.
 */
export function canReflect(commandType: number, status: MonitorTypeId): boolean {
  const u = untimed(status);
  switch (commandType) {
    case TypeId.C_SC_NA_1:
    case TypeId.C_DC_NA_1:
      return SINGLE_DOUBLE.includes(u);
    case TypeId.C_BO_NA_1:
      return u === TypeId.M_BO_NA_1;
    default:
      return NUMERIC.includes(u);
  }
}

/** What a command type's status point should be, for messages. */
export function reflectHint(commandType: number): string {
  switch (commandType) {
    case TypeId.C_SC_NA_1:
    case TypeId.C_DC_NA_1:
      return "a single or double point (1, 3, 30, 31)";
    case TypeId.C_BO_NA_1:
      return "a bitstring (7, 33)";
    default:
      return "a step position or measured value (5, 9, 11, 13, 21, 32, 34, 35, 36)";
  }
}
