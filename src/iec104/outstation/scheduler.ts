/**
 * Periodic (COT 1) and background-scan (COT 2) transmission: points with the same interval are
 * sent together, untimed, to the active connection of every group. A scan still queued when the next
 * one is due is not queued twice (counted as skipped).
 */
import type { MonitorCategory } from "../asdu/scalar.js";
import { Cot } from "../asdu/types.js";
import type { TimerHandle } from "./clock.js";
import { listsByType, type PointList, PointsJob } from "./jobs.js";
import type { Outstation } from "./server.js";

/**
 * The types the COT table lets us send with COT 1 and COT 2 (IEC104-NOTES.md section 2): periodic
 * only measured values; background also the status types, never integrated totals or protection
 * events.
 */
const ALLOWED: Readonly<Record<number, ReadonlySet<MonitorCategory>>> = {
  [Cot.PERIODIC]: new Set(["measured"]),
  [Cot.BACKGROUND_SCAN]: new Set(["status", "measured"]),
};

interface Scan {
  key: string;
  stationIndex: number;
  cot: number;
  intervalMs: number;
  lists: PointList[];
  timer: TimerHandle | undefined;
}

export class Scheduler {
  private readonly os: Outstation;
  private scans: Scan[] = [];
  skipped = 0;

  constructor(os: Outstation) {
    this.os = os;
  }

  start(): void {
    this.stop();
    this.os.stations.forEach((st, si) => {
      for (const [cot, intervals] of [
        [Cot.PERIODIC, st.cyclicMs],
        [Cot.BACKGROUND_SCAN, st.backgroundMs],
      ] as const) {
        const byInterval = new Map<number, number[]>();
        const refused: number[] = [];
        for (let i = 0; i < st.size; i++) {
          const ms = intervals[i]!;
          if (!(ms > 0)) continue;
          if (!ALLOWED[cot]!.has(st.specs[i]!.category)) {
            refused.push(st.ioas[i]!);
            continue;
          }
          const members = byInterval.get(ms);
          if (members === undefined) byInterval.set(ms, [i]);
          else members.push(i);
        }
        if (refused.length > 0) {
          this.os.log.warn(
            { ca: st.ca, cot, ioas: refused },
            `IOAs ${refused.join(", ")} of station ${st.ca}: their type may not be sent with COT ${cot}, not scanned`,
          );
        }
        for (const [ms, members] of byInterval) {
          const lists = listsByType(members, (i) => st.specs[i]!.untimed);
          const scan: Scan = {
            key: `scan:${st.ca}:${cot}:${ms}`,
            stationIndex: si,
            cot,
            intervalMs: ms,
            lists,
            timer: undefined,
          };
          this.scans.push(scan);
          this.arm(scan);
        }
      }
    });
  }

  private arm(scan: Scan): void {
    scan.timer = this.os.options.clock.setTimer(() => {
      this.fire(scan);
      this.arm(scan);
    }, scan.intervalMs);
  }

  private fire(scan: Scan): void {
    const station = this.os.stations[scan.stationIndex]!;
    for (const g of this.os.groupList()) {
      const conn = g.active;
      if (conn === undefined) continue;
      if (conn.pendingJobs().some((j) => j.kind === scan.key)) {
        this.skipped++;
        continue;
      }
      conn.addJob(
        new PointsJob(scan.key, station, scan.lists, { cot: scan.cot, oa: 0, test: false }, this.os.tf, {
          sequence: this.os.options.sequenceInterrogation,
        }),
      );
    }
  }

  stop(): void {
    for (const s of this.scans) if (s.timer !== undefined) this.os.options.clock.clearTimer(s.timer);
    this.scans = [];
  }
}
