/**
 * Building the ASDUs a master sends: process commands 45-51 / 58-64 (IEC104-NOTES.md 4) and the
 * I-frame buffers they travel in (APCI room in front, so the link layer writes its header in place).
 */

import { APCI_SIZE } from "../apci/frames.js";
import { type Asdu, asduLength, encodeAsdu, type InformationObject, writeAsdu } from "../asdu/asdu.js";
import { elementSpec } from "../asdu/elements.js";
import { TypeId } from "../asdu/types.js";
import { EncodeError, EncodeErrorCode } from "../codec/errors.js";
import { type Cp56Time2a, cp56FromEpochMs } from "../codec/time.js";

export const COMMAND_TYPE_IDS = [45, 46, 47, 48, 49, 50, 51, 58, 59, 60, 61, 62, 63, 64] as const;
export type CommandTypeId = (typeof COMMAND_TYPE_IDS)[number];

export function isCommandTypeId(id: number): id is CommandTypeId {
  return (COMMAND_TYPE_IDS as readonly number[]).includes(id);
}

/** Short names of the command types (the CLI's `--command TYPE:IOA:VALUE`); `-t` for the CP56 forms. */
export const COMMAND_ALIASES: Readonly<Record<string, CommandTypeId>> = {
  sc: TypeId.C_SC_NA_1,
  dc: TypeId.C_DC_NA_1,
  rc: TypeId.C_RC_NA_1,
  nc: TypeId.C_SE_NA_1,
  bc: TypeId.C_SE_NB_1,
  fc: TypeId.C_SE_NC_1,
  bo: TypeId.C_BO_NA_1,
  "sc-t": TypeId.C_SC_TA_1,
  "dc-t": TypeId.C_DC_TA_1,
  "rc-t": TypeId.C_RC_TA_1,
  "nc-t": TypeId.C_SE_TA_1,
  "bc-t": TypeId.C_SE_TB_1,
  "fc-t": TypeId.C_SE_TC_1,
  "bo-t": TypeId.C_BO_TA_1,
};

export interface CommandOptions {
  ca: number;
  typeId: CommandTypeId;
  ioa: number;
  /**
   * C_SC: boolean (or 0/1). C_DC: 1 off, 2 on. C_RC: 1 lower, 2 higher. C_SE_NA: normalized
   * [-1, 1). C_SE_NB: scaled int16. C_SE_NC: float. C_BO: 32-bit unsigned bitstring.
   */
  value: boolean | number;
  /** S/E: true for the select of select-before-operate (default false: execute). */
  select?: boolean;
  /** QU of SCO/DCO/RCO, 0..31 (default 0: no additional definition). */
  qu?: number;
  /** QL of the QOS of set-points, 0..127 (default 0). */
  ql?: number;
  /** The CP56Time2a of a time-tagged command (58-64); default the current time in UTC. */
  time?: Cp56Time2a | Date;
}

export function toCp56(time: Cp56Time2a | Date | undefined): Cp56Time2a {
  if (time === undefined) return cp56FromEpochMs(Date.now());
  return time instanceof Date ? cp56FromEpochMs(time.getTime()) : time;
}

type CommandObject = InformationObject<CommandTypeId>;

/** The information object of a command: its element plus, for 58-64, the time tag. */
function commandObject(o: CommandOptions): CommandObject {
  const spec = elementSpec(o.typeId);
  const select = o.select ?? false;
  const qu = o.qu ?? 0;
  let obj: CommandObject;
  switch (spec.untimed) {
    case TypeId.C_SC_NA_1:
      if (typeof o.value === "number" && o.value !== 0 && o.value !== 1) badValue(o, "0/1 or a boolean");
      obj = { ioa: o.ioa, value: o.value === true || o.value === 1, select, qu };
      break;
    case TypeId.C_DC_NA_1:
    case TypeId.C_RC_NA_1:
      obj = { ioa: o.ioa, value: numeric(o), select, qu };
      break;
    case TypeId.C_BO_NA_1:
      obj = { ioa: o.ioa, value: numeric(o) };
      break;
    default:
      obj = { ioa: o.ioa, value: numeric(o), select, ql: o.ql ?? 0 };
  }
  return spec.time === "cp56" ? { ...obj, time: toCp56(o.time) } : obj;
}

function numeric(o: CommandOptions): number {
  if (typeof o.value !== "number") badValue(o, "a number");
  return o.value;
}

function badValue(o: CommandOptions, what: string): never {
  throw new EncodeError(
    EncodeErrorCode.OUT_OF_RANGE,
    `${elementSpec(o.typeId).name}.value`,
    `${String(o.value)} is not ${what}`,
  );
}

/** The command ASDU (COT 6 activation, or 8 for a deactivation). */
export function commandAsdu(o: CommandOptions, cot: number, oa: number): Asdu {
  return {
    typeId: o.typeId,
    sq: false,
    cot,
    test: false,
    negative: false,
    oa,
    ca: o.ca,
    objects: [commandObject(o)],
  } as Asdu;
}

/** Encodes an ASDU into a new buffer with 6 octets of room in front for the APCI. */
export function encodeIFrameBuffer(asdu: Asdu): Buffer {
  const spec = elementSpec(asdu.typeId as number);
  if (spec === undefined) encodeAsdu(asdu);
  const frame = Buffer.allocUnsafe(APCI_SIZE + asduLength(spec!, asdu.objects.length, asdu.sq));
  writeAsdu(frame, APCI_SIZE, asdu);
  return frame;
}
