/**
 * Interrogation command C_IC_NA_1 (IEC 101 7.4.1 / 104): QOI 20 station, 21-36 groups 1-16.
 * ACT -> ACT_CON, the points with COT = QOI in their untimed types (30 -> 1, 36 -> 13...: IEC 101
 * forbids time tags in interrogation answers), packed into full ASDUs -> ACT_TERM.
 * Broadcast (CA 0xFFFF): the same block per station with its own CA, one after another.
 * DEACT stops the running interrogation of that station and QOI (DEACT_CON, no ACT_TERM); with
 * none running the DEACT_CON is negative. A group no point belongs to is refused (negative ACT_CON).
 */
import type { AsduOf } from "../../asdu/asdu.js";
import { Cot } from "../../asdu/types.js";
import type { MasterConnection } from "../connection.js";
import { FramesJob, PointsJob } from "../jobs.js";
import { mirror } from "../replies.js";
import type { Outstation } from "../server.js";

export function handleInterrogation(
  os: Outstation,
  conn: MasterConnection,
  raw: Buffer,
  asdu: AsduOf<100>,
): void {
  const qoi = asdu.objects[0]!.qoi;
  if (asdu.cot === Cot.DEACTIVATION) {
    const running = conn
      .pendingJobs()
      .filter(
        (j): j is PointsJob =>
          j instanceof PointsJob &&
          j.kind === "gi" &&
          !j.cancelled &&
          j.header.cot === qoi &&
          (asdu.ca === 0xffff || j.ca === asdu.ca),
      );
    if (running.length === 0) {
      os.negative(conn, raw, Cot.DEACTIVATION_CON, `no interrogation with QOI ${qoi} to deactivate`);
      return;
    }
    for (const j of running) j.cancelled = true;
    conn.reply(mirror(raw, { cot: Cot.DEACTIVATION_CON }));
    return;
  }
  if (qoi < 20 || qoi > 36) {
    os.negative(conn, raw, Cot.ACTIVATION_CON, `QOI ${qoi} is not 20 (station) or 21-36 (groups 1-16)`);
    return;
  }
  const group = qoi - 20;
  os.emitEvent({ type: "interrogation", conn: conn.id, remote: conn.remote, ca: asdu.ca, qoi });
  let first = true;
  for (const station of os.targets(asdu.ca)) {
    const lists = station.interrogationList(group);
    if (group > 0 && lists.length === 0) {
      const why = `no point belongs to interrogation group ${group}`;
      const neg = os.refusal(conn, raw, Cot.ACTIVATION_CON, why, station.ca);
      if (first) conn.reply(neg);
      else conn.addJob(new FramesJob("gi-refused", [neg]));
      continue;
    }
    const actCon = mirror(raw, { cot: Cot.ACTIVATION_CON, ca: station.ca });
    if (first) conn.reply(actCon);
    conn.addJob(
      new PointsJob("gi", station, lists, { cot: qoi, oa: asdu.oa, test: asdu.test }, os.tf, {
        sequence: os.options.sequenceInterrogation,
        head: first ? undefined : actCon,
        term: mirror(raw, { cot: Cot.ACTIVATION_TERMINATION, ca: station.ca }),
      }),
    );
    first = false;
  }
}
