/**
 * First look at every ASDU a master sends, before any handler: the checks the standard makes of
 * every request, in order, each with exactly one reply (IEC 104 / 101 7.2.3; lib60870
 * cs104_slave.c; IEC104-NOTES.md section 2 and the checklist):
 *  1. a header that does not parse, or objects that do not fill the ASDU exactly: the APDU is
 *     malformed, the connection closes with the reason;
 *  2. a type id unknown, monitoring-direction or not used in 104: negative, COT 44;
 *  3. a cause the type does not take: negative, COT 45;
 *  4. broadcast CA on a type that does not allow it, or an unknown CA: negative, COT 46;
 *  5. a system command with IOA != 0: negative, COT 47;
 *  6. an originator not allowed, or more than one object in a command: negative confirmation.
 */
import { type Asdu, decodeAsdu, decodeAsduHeader } from "../asdu/asdu.js";
import { elementSpec } from "../asdu/elements.js";
import { BROADCAST_CA, Cot, isTypeId, TypeId, typeName } from "../asdu/types.js";
import { DecodeError } from "../codec/errors.js";
import type { MasterConnection } from "./connection.js";
import { handleCommand } from "./handlers/command.js";
import { handleCounterInterrogation } from "./handlers/counter.js";
import { handleInterrogation } from "./handlers/interrogation.js";
import { handleParameter } from "./handlers/parameter.js";
import { handleClockSync, handleRead, handleReset, handleTest } from "./handlers/system.js";
import type { Outstation } from "./server.js";

/** Causes a master may send, per control-direction type (IEC104-NOTES.md section 2). */
const REQUEST_COTS: Partial<Record<number, readonly number[]>> = {};
for (const t of [45, 46, 47, 48, 49, 50, 58, 59, 60, 61, 62, 63, 100, 113])
  REQUEST_COTS[t] = [Cot.ACTIVATION, Cot.DEACTIVATION];
for (const t of [51, 64, 101, 103, 105, 107, 110, 111, 112]) REQUEST_COTS[t] = [Cot.ACTIVATION];
REQUEST_COTS[TypeId.C_RD_NA_1] = [Cot.REQUEST];

const BROADCAST_TYPES = new Set<number>([
  TypeId.C_IC_NA_1,
  TypeId.C_CI_NA_1,
  TypeId.C_CS_NA_1,
  TypeId.C_RP_NA_1,
]);

export interface Request {
  raw: Buffer;
  asdu: Asdu;
}

/** The confirmation cause answering a request cause (6 -> 7, 8 -> 9, 5 stays). */
export function confirmationOf(cot: number): number {
  return cot === Cot.DEACTIVATION
    ? Cot.DEACTIVATION_CON
    : cot === Cot.REQUEST
      ? Cot.REQUEST
      : Cot.ACTIVATION_CON;
}

export function dispatch(os: Outstation, conn: MasterConnection, raw: Buffer): void {
  let typeId: number;
  let cot: number;
  let ca: number;
  let oa: number;
  try {
    ({ typeId, cot, ca, oa } = decodeAsduHeader(raw));
  } catch (e) {
    conn.session.fail("BAD_FRAME", `malformed ASDU: ${(e as Error).message}`);
    return;
  }
  os.stats.asdusIn[typeId]!++;
  const spec = isTypeId(typeId) ? elementSpec(typeId) : undefined;
  if (spec === undefined || spec.kind === "monitor" || !spec.in104) {
    const why =
      spec === undefined ? `unknown type id ${typeId}` : `${typeName(typeId)} is not accepted from a master`;
    os.negative(conn, raw, Cot.UNKNOWN_TYPE_ID, why);
    return;
  }
  let asdu: Asdu;
  try {
    asdu = decodeAsdu(raw);
  } catch (e) {
    const msg = e instanceof DecodeError ? e.message : String(e);
    conn.session.fail("BAD_FRAME", `malformed ${typeName(typeId)} ASDU: ${msg}`);
    return;
  }
  if (!(REQUEST_COTS[typeId] ?? []).includes(cot)) {
    os.negative(conn, raw, Cot.UNKNOWN_CAUSE, `cause ${cot} is not allowed for ${typeName(typeId)}`);
    return;
  }
  if (ca === BROADCAST_CA ? !BROADCAST_TYPES.has(typeId) : os.stationByCa(ca) === undefined) {
    const why =
      ca === BROADCAST_CA
        ? `broadcast address not allowed for ${typeName(typeId)}`
        : `unknown common address ${ca}`;
    os.negative(conn, raw, Cot.UNKNOWN_CA, why);
    return;
  }
  const allowed = os.options.allowedOriginators;
  if (allowed.length > 0 && !allowed.includes(oa)) {
    os.negative(conn, raw, confirmationOf(cot), `originator address ${oa} is not allowed`);
    return;
  }
  if (asdu.objects.length !== 1 || asdu.sq) {
    os.negative(conn, raw, confirmationOf(cot), `${typeName(typeId)} must carry exactly one object (SQ=0)`);
    return;
  }
  if (spec.kind === "system" && asdu.objects[0]!.ioa !== 0 && typeId !== TypeId.C_RD_NA_1) {
    os.negative(conn, raw, Cot.UNKNOWN_IOA, `${typeName(typeId)} must address IOA 0`);
    return;
  }
  route({ raw, asdu }, os, conn);
}

function route(req: Request, os: Outstation, conn: MasterConnection): void {
  switch (req.asdu.typeId) {
    case TypeId.C_IC_NA_1:
      handleInterrogation(os, conn, req.raw, req.asdu);
      return;
    case TypeId.C_CI_NA_1:
      handleCounterInterrogation(os, conn, req.raw, req.asdu);
      return;
    case TypeId.C_RD_NA_1:
      handleRead(os, conn, req.raw, req.asdu);
      return;
    case TypeId.C_CS_NA_1:
      handleClockSync(os, conn, req.raw, req.asdu);
      return;
    case TypeId.C_TS_TA_1:
      handleTest(os, conn, req.raw, req.asdu);
      return;
    case TypeId.C_RP_NA_1:
      handleReset(os, conn, req.raw, req.asdu);
      return;
    case TypeId.P_ME_NA_1:
    case TypeId.P_ME_NB_1:
    case TypeId.P_ME_NC_1:
    case TypeId.P_AC_NA_1:
      handleParameter(os, conn, req.raw, req.asdu);
      return;
    default:
      handleCommand(os, conn, req.raw, req.asdu);
      return;
  }
}
