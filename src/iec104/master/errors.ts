/** The errors a master request can fail with. Each names the request so a log line says what failed. */
import type { Asdu } from "../asdu/asdu.js";
import { cotName, typeName } from "../asdu/types.js";
import type { CloseCode } from "../link/session.js";

/** Why a master connection ended: a link-layer close code, or what happened to the socket. */
export type MasterCloseCode = CloseCode;

export interface MasterCloseReason {
  code: MasterCloseCode;
  message: string;
}

/** A short description of a request, e.g. `C_IC_NA_1 CA 1 IOA 0`. */
export function describeRequest(typeId: number, ca: number, ioa: number): string {
  return `${typeName(typeId)} CA ${ca} IOA ${ioa}`;
}

/** The outstation answered with P/N=1 (a negative ACT_CON/DEACT_CON/ACT_TERM, or COT 44-47). */
export class NegativeConfirmationError extends Error {
  override readonly name = "NegativeConfirmationError";
  /** The negative reply as received. */
  readonly reply: Asdu;
  constructor(reply: Asdu) {
    const ioa = reply.objects[0]?.ioa ?? 0;
    super(`${describeRequest(reply.typeId, reply.ca, ioa)}: negative ${cotName(reply.cot)}`);
    this.reply = reply;
  }
}

/** No (further) reply arrived within the request timeout. */
export class RequestTimeoutError extends Error {
  override readonly name = "RequestTimeoutError";
  /** What the request was still waiting for, e.g. `ACTIVATION_CON`. */
  readonly waitingFor: string;
  constructor(request: string, waitingFor: string, timeoutMs: number) {
    super(`${request}: no ${waitingFor} within ${timeoutMs} ms`);
    this.waitingFor = waitingFor;
  }
}

/** The connection closed (or was never in a state to send) before the request completed. */
export class ConnectionClosedError extends Error {
  override readonly name = "ConnectionClosedError";
  readonly reason: MasterCloseReason;
  constructor(request: string, reason: MasterCloseReason) {
    super(`${request}: connection closed (${reason.code}: ${reason.message})`);
    this.reason = reason;
  }
}

/** A request that cannot be sent: data transfer not started. */
export class NotStartedError extends Error {
  override readonly name = "NotStartedError";
}
