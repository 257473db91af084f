/**
 * Counter interrogation C_CI_NA_1 (IEC 101 7.4.x): QCC = RQT (bits 0-5: 1-4 group, 5 general) +
 * FRZ (bits 6-7: 0 read, 1 freeze, 2 freeze and reset, 3 reset).
 * - FRZ 0: ACT_CON, the integrated totals with COT 37 (general) or 38-41 (group), ACT_TERM. The
 *   frozen (memorized) readings by default, as IEC 101 7.4.x reads them after a freeze: a counter
 *   never frozen gives its current reading; `counters.readFrozen: false` always reads current ones.
 * - FRZ 1/2: ACT_CON, freeze (sequence number + 1; FRZ 2 then resets), ACT_TERM; with
 *   `counters.spontaneousAfterFreeze` the frozen readings follow spontaneously (mode D).
 * - FRZ 3: ACT_CON, reset, ACT_TERM.
 */
import type { AsduOf } from "../../asdu/asdu.js";
import type { MonitorTypeId } from "../../asdu/scalar.js";
import { Cot } from "../../asdu/types.js";
import type { MasterConnection } from "../connection.js";
import { FramesJob, listsByType, type PointList, PointsJob } from "../jobs.js";
import { mirror } from "../replies.js";
import type { Outstation } from "../server.js";

export function handleCounterInterrogation(
  os: Outstation,
  conn: MasterConnection,
  raw: Buffer,
  asdu: AsduOf<101>,
): void {
  const qcc = asdu.objects[0]!.qcc;
  const rqt = qcc & 0x3f;
  const frz = qcc >> 6;
  if (rqt < 1 || rqt > 5) {
    os.negative(conn, raw, Cot.ACTIVATION_CON, `QCC request ${rqt} is not 1-4 (group) or 5 (general)`);
    return;
  }
  const group = rqt === 5 ? 0 : rqt;
  os.emitEvent({ type: "counter-interrogation", conn: conn.id, remote: conn.remote, ca: asdu.ca, qcc });
  let first = true;
  for (const station of os.targets(asdu.ca)) {
    const indices = station.counterList(group);
    if (group > 0 && indices.length === 0) {
      const neg = os.refusal(
        conn,
        raw,
        Cot.ACTIVATION_CON,
        `no counter belongs to counter group ${group}`,
        station.ca,
      );
      if (first) conn.reply(neg);
      else conn.addJob(new FramesJob("ci-refused", [neg]));
      continue;
    }
    const actCon = mirror(raw, { cot: Cot.ACTIVATION_CON, ca: station.ca });
    const term = mirror(raw, { cot: Cot.ACTIVATION_TERMINATION, ca: station.ca });
    const now = os.now();
    let lists: PointList[] = [];
    if (frz === 0) {
      if (os.options.counters.readFrozen) station.syncUnfrozen(indices);
      lists = listsByType(indices, (i) => station.typeIds[i] as MonitorTypeId);
    } else if (frz === 3) {
      station.resetCounters(indices, now);
    } else {
      station.freezeCounters(indices, now, frz === 2);
      if (os.options.counters.spontaneousAfterFreeze) {
        for (const i of indices) {
          os.pushEvent(
            station,
            i,
            Cot.SPONTANEOUS,
            station.frozenValue[i]!,
            station.frozenAux[i]!,
            station.quality[i]!,
            now,
          );
        }
      }
    }
    if (first) conn.reply(actCon);
    conn.addJob(
      new PointsJob(
        "ci",
        station,
        lists,
        { cot: Cot.REQUESTED_BY_GENERAL_COUNTER + group, oa: asdu.oa, test: asdu.test },
        os.tf,
        {
          sequence: false,
          frozen: os.options.counters.readFrozen,
          head: first ? undefined : actCon,
          term,
        },
      ),
    );
    first = false;
  }
}
