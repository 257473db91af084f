/**
 * The small system commands (IEC 101 7.4 / 104):
 * - C_RD_NA_1 read: the point's value in its own type with COT 5, no ACT_CON (c104 #75). An unknown
 *   IOA, or a point whose type may not be sent with COT 5 (integrated totals, protection events), is
 *   refused with COT 47.
 * - C_CS_NA_1 clock synchronisation: ACT_CON echoing the received time. With `clockSync: offset` the
 *   gateway keeps the difference as an offset for its own time tags (the system clock is never set);
 *   an invalid or implausible time, or `clockSync: reject`, gets a negative ACT_CON.
 * - C_TS_TA_1 test command: ACT_CON echoing the test sequence counter and time.
 * - C_RP_NA_1 reset process: QRP 1 general reset (ACT_CON; every selection of the stations
 *   addressed is dropped, as a restarted device forgets them; then M_EI_NA_1 with COI 2 "remote
 *   reset" for them), QRP 2 reset of pending time-tagged events (the unsent time-tagged
 *   events of this connection's group are discarded); anything else refused.
 */
import type { AsduOf } from "../../asdu/asdu.js";
import { isMonitorType, scalarSpec } from "../../asdu/scalar.js";
import { Cot } from "../../asdu/types.js";
import { cp56ToEpochMs } from "../../codec/time.js";
import { buildPointFrame } from "../build.js";
import type { MasterConnection } from "../connection.js";
import { mirror } from "../replies.js";
import type { Outstation } from "../server.js";

export function handleRead(os: Outstation, conn: MasterConnection, raw: Buffer, asdu: AsduOf<102>): void {
  const ioa = asdu.objects[0]!.ioa;
  const station = os.stationByCa(asdu.ca)!;
  const index = station.indexOf(ioa);
  if (index < 0) {
    os.negative(conn, raw, Cot.UNKNOWN_IOA, `read of unknown IOA ${ioa}`);
    return;
  }
  const category = station.specs[index]!.category;
  if (category === "counter" || category === "protection") {
    os.negative(conn, raw, Cot.UNKNOWN_IOA, `IOA ${ioa} is not readable (its type is not sent with COT 5)`);
    return;
  }
  os.emitEvent({ type: "read", conn: conn.id, remote: conn.remote, ca: asdu.ca, ioa });
  conn.reply(buildPointFrame(station, index, { cot: Cot.REQUEST, oa: asdu.oa, test: asdu.test }, os.tf));
}

export function handleClockSync(
  os: Outstation,
  conn: MasterConnection,
  raw: Buffer,
  asdu: AsduOf<103>,
): void {
  const t = asdu.objects[0]!.time;
  const offsetMin = os.options.timeZone === "local" ? -new Date().getTimezoneOffset() : 0;
  const epoch = cp56ToEpochMs(t, offsetMin);
  const mode = os.options.clockSync;
  if (mode === "reject") {
    os.negative(conn, raw, Cot.ACTIVATION_CON, "clock synchronisation is disabled");
    return;
  }
  if (t.invalid || Number.isNaN(epoch)) {
    os.negative(conn, raw, Cot.ACTIVATION_CON, "clock synchronisation with an invalid time");
    return;
  }
  const applied = mode === "offset";
  if (applied) os.clockOffsetMs = epoch - os.options.clock.wall();
  conn.log.info(
    { time: new Date(epoch).toISOString(), offsetMs: os.clockOffsetMs, applied },
    "clock synchronisation",
  );
  os.emitEvent({
    type: "clock-sync",
    conn: conn.id,
    remote: conn.remote,
    ca: asdu.ca,
    time: new Date(epoch).toISOString(),
    offsetMs: os.clockOffsetMs,
    applied,
  });
  // After the events already queued: their time tags were stamped before the new time (lib60870).
  const barrier = conn.group?.queue.tail ?? 0;
  for (const station of os.targets(asdu.ca))
    conn.reply(mirror(raw, { cot: Cot.ACTIVATION_CON, ca: station.ca }), barrier);
}

export function handleTest(os: Outstation, conn: MasterConnection, raw: Buffer, asdu: AsduOf<107>): void {
  os.emitEvent({
    type: "test-command",
    conn: conn.id,
    remote: conn.remote,
    ca: asdu.ca,
    tsc: asdu.objects[0]!.tsc,
  });
  conn.reply(mirror(raw, { cot: Cot.ACTIVATION_CON }));
}

export function handleReset(os: Outstation, conn: MasterConnection, raw: Buffer, asdu: AsduOf<105>): void {
  const qrp = asdu.objects[0]!.qrp;
  if (qrp !== 1 && qrp !== 2) {
    os.negative(
      conn,
      raw,
      Cot.ACTIVATION_CON,
      `QRP ${qrp} is not 1 (general reset) or 2 (reset pending events)`,
    );
    return;
  }
  for (const station of os.targets(asdu.ca))
    conn.reply(mirror(raw, { cot: Cot.ACTIVATION_CON, ca: station.ca }));
  conn.log.info({ qrp, ca: asdu.ca }, "reset process");
  os.emitEvent({ type: "reset-process", conn: conn.id, remote: conn.remote, ca: asdu.ca, qrp });
  if (qrp === 1) {
    const stations = os.targets(asdu.ca);
    for (const st of stations) os.selections.dropStation(st.ca);
    os.endOfInit(2, undefined, stations);
  } else if (conn.group !== undefined) conn.group.queue.clearUnsent(hasTimeTag);
}

/** QRP 2 resets the pending information with a time tag (IEC 101 7.2.6.27): types 30-40. */
function hasTimeTag(typeId: number): boolean {
  return isMonitorType(typeId) && scalarSpec(typeId).hasTime;
}
