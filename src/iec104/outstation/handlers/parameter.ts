/**
 * Parameter loading (IEC 101 7.4.x), the cheap part: P_ME_NA/NB/NC_1 on a measured-value point
 * with KPA 1 (threshold) sets its deadband for spontaneous reporting; KPA 2-4 (smoothing, low and
 * high limit) are accepted and reported as events but change nothing here. P_AC_NA_1 (QPA 1-3)
 * is confirmed. Anything else is refused.
 */
import type { Asdu } from "../../asdu/asdu.js";
import { Cot, TypeId } from "../../asdu/types.js";
import type { MasterConnection } from "../connection.js";
import { mirror } from "../replies.js";
import type { Outstation } from "../server.js";

const MEASURED = new Set([9, 11, 13, 21, 34, 35, 36]);

export function handleParameter(os: Outstation, conn: MasterConnection, raw: Buffer, asdu: Asdu): void {
  const station = os.stationByCa(asdu.ca)!;
  const confirm = asdu.cot === Cot.DEACTIVATION ? Cot.DEACTIVATION_CON : Cot.ACTIVATION_CON;
  if (asdu.typeId === TypeId.P_AC_NA_1) {
    const qpa = asdu.objects[0]!.qpa;
    if (qpa < 1 || qpa > 3) {
      os.negative(conn, raw, confirm, `QPA ${qpa} is not 1-3`);
      return;
    }
    os.emitEvent(paramEvent(conn, asdu.ca, asdu.objects[0]!.ioa, asdu.typeId, 0, qpa));
    conn.reply(mirror(raw, { cot: confirm }));
    return;
  }
  if (
    asdu.typeId !== TypeId.P_ME_NA_1 &&
    asdu.typeId !== TypeId.P_ME_NB_1 &&
    asdu.typeId !== TypeId.P_ME_NC_1
  )
    return;
  const { ioa, value, qpm } = asdu.objects[0]!;
  const index = station.indexOf(ioa);
  if (index < 0 || !MEASURED.has(station.typeIds[index]!)) {
    os.negative(conn, raw, Cot.UNKNOWN_IOA, `IOA ${ioa} is not a measured value`);
    return;
  }
  const kpa = qpm & 0x3f;
  if (kpa < 1 || kpa > 4) {
    os.negative(conn, raw, confirm, `QPM kind ${kpa} is not 1-4`);
    return;
  }
  if (kpa === 1) station.deadband[index] = Math.abs(value);
  os.emitEvent(paramEvent(conn, asdu.ca, ioa, asdu.typeId, value, qpm));
  conn.reply(mirror(raw, { cot: confirm }));
}

function paramEvent(
  conn: MasterConnection,
  ca: number,
  ioa: number,
  typeId: number,
  value: number,
  qualifier: number,
) {
  return {
    type: "parameter" as const,
    conn: conn.id,
    remote: conn.remote,
    ca,
    ioa,
    typeId,
    value,
    qualifier,
  };
}
