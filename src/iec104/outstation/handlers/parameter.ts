/**
 * Parameter loading (IEC 101 7.4.x), the cheap part: P_ME_NA/NB/NC_1 on a measured-value point of
 * the matching form (NA: normalized 9/21/34, NB: scaled 11/35, NC: short float 13/36) with KPA 1
 * (threshold) sets its deadband for spontaneous reporting, unless POP (QPM bit 7: parameter not in
 * operation) is set; KPA 2-4 (smoothing, low and high limit) are accepted and reported as events
 * but change nothing here. P_AC_NA_1 (QPA 1-3) is confirmed. Anything else is refused.
 */
import type { Asdu } from "../../asdu/asdu.js";
import { Cot, TypeId, typeName } from "../../asdu/types.js";
import type { MasterConnection } from "../connection.js";
import { mirror } from "../replies.js";
import type { Outstation } from "../server.js";

/** QPM bit 7: the parameter is loaded but not put in operation. */
const POP = 0x80;

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
  const spec = index < 0 ? undefined : station.specs[index]!;
  if (spec === undefined || spec.category !== "measured") {
    os.negative(conn, raw, Cot.UNKNOWN_IOA, `IOA ${ioa} is not a measured value`);
    return;
  }
  if (spec.parameterType !== asdu.typeId) {
    const why = `${typeName(asdu.typeId)} does not fit IOA ${ioa} (${typeName(spec.typeId)}): use ${typeName(spec.parameterType!)}`;
    os.negative(conn, raw, confirm, why);
    return;
  }
  const kpa = qpm & 0x3f;
  if (kpa < 1 || kpa > 4) {
    os.negative(conn, raw, confirm, `QPM kind ${kpa} is not 1-4`);
    return;
  }
  if (kpa === 1 && (qpm & POP) === 0) station.deadband[index] = Math.abs(value);
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
