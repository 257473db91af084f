/**
 * The command handler interface: the outstation checks a command (type, cause, address, select
 * state, time window) and then asks a handler whether the process accepts it. The handler's
 * decision gives the positive or negative ACT_CON; `returnInfo` updates the linked status point
 * with COT 11 (return information caused by a remote command; COT 3 for the types the COT table gives
 * no COT 11: measured values and bitstrings); `done` delays the ACT_TERM until the
 * operation has finished. The MQTT bridge plugs in here; `autoCommandHandler` confirms everything and
 * mirrors the command into its status point, for pure simulation.
 */
import { TypeId } from "../asdu/types.js";

export type CommandPhase = "select" | "execute" | "cancel";

export interface CommandRequest {
  /** Unique id of this request (select, execute and cancel of one operation share none). */
  id: string;
  phase: CommandPhase;
  ca: number;
  ioa: number;
  /** The type id as received (45..51 or 58..64). */
  typeId: number;
  /** The command type without time tag (45..51). */
  baseTypeId: number;
  name: string | undefined;
  /** SCS as 0/1, DCS/RCS 0..3, set-point value, bitstring as an unsigned integer. */
  value: number;
  /** QU (45-47) or QL (48-50); 0 for bitstrings. */
  qualifier: number;
  /** The command's own time tag (58..64), epoch ms. */
  time: number | undefined;
  originator: number;
  test: boolean;
  connection: { id: string; remote: string };
  /** The linked status point and its current value, when the command has one. */
  status: { ioa: number; typeId: number; value: number; aux: number; quality: number } | undefined;
}

export interface ReturnInfo {
  value: number;
  aux?: number;
  quality?: number;
}

export interface CommandDecision {
  ok: boolean;
  reason?: string;
  /** New value of the linked status point, reported (COT 11, or 3) before the ACT_TERM. */
  returnInfo?: ReturnInfo;
  /** Resolves when the operation has finished (ACT_TERM then); absent: ACT_TERM right away. */
  done?: Promise<void>;
}

export interface CommandHandler {
  handle(req: CommandRequest, signal: AbortSignal): Promise<CommandDecision> | CommandDecision;
}

/** The status value a command leads to, for the linked status point's type (or undefined). */
export function mirroredStatus(req: CommandRequest): ReturnInfo | undefined {
  const s = req.status;
  if (s === undefined) return undefined;
  const st = s.typeId;
  const isSingle = st === TypeId.M_SP_NA_1 || st === TypeId.M_SP_TB_1;
  const isDouble = st === TypeId.M_DP_NA_1 || st === TypeId.M_DP_TB_1;
  switch (req.baseTypeId) {
    case TypeId.C_SC_NA_1:
      if (isDouble) return { value: req.value ? 2 : 1, quality: 0 };
      return { value: req.value, quality: 0 };
    case TypeId.C_DC_NA_1:
      if (isSingle) return { value: req.value === 2 ? 1 : 0, quality: 0 };
      return { value: req.value, quality: 0 };
    case TypeId.C_RC_NA_1: {
      const step = req.value === 2 ? 1 : req.value === 1 ? -1 : 0;
      return { value: Math.max(-64, Math.min(63, s.value + step)), aux: 0, quality: 0 };
    }
    default:
      return { value: req.value, quality: 0 };
  }
}

/**
 * Confirms every command; an execute mirrors into the linked status point (COT 11, or 3). A test
 * command (T=1: IEC 101 7.2.3, checking the path "without controlling the process") is confirmed
 * and leaves the status point as it is.
 */
export const autoCommandHandler: CommandHandler = {
  handle(req) {
    if (req.phase !== "execute" || req.test) return { ok: true };
    const returnInfo = mirroredStatus(req);
    return returnInfo === undefined ? { ok: true } : { ok: true, returnInfo };
  },
};

/** Refuses every command (a monitoring-only device). */
export const rejectCommandHandler: CommandHandler = {
  handle: () => ({ ok: false, reason: "commands are disabled" }),
};
