/** What the outstation reports to its owner (the bridge publishes these on `bridge/event`). */
import type { FrameCounts, LinkState } from "../link/session.js";

interface ConnRef {
  conn: string;
  remote: string;
}

export type OutstationEvent =
  | ({ type: "master-connected" } & ConnRef)
  | { type: "master-refused"; remote: string; reason: string }
  | ({ type: "master-closed"; code: string; reason: string } & ConnRef)
  | ({ type: "data-transfer"; state: LinkState; group: string } & ConnRef)
  | ({ type: "interrogation"; ca: number; qoi: number } & ConnRef)
  | ({ type: "counter-interrogation"; ca: number; qcc: number } & ConnRef)
  | ({ type: "read"; ca: number; ioa: number } & ConnRef)
  | ({ type: "clock-sync"; ca: number; time: string; offsetMs: number; applied: boolean } & ConnRef)
  | ({ type: "reset-process"; ca: number; qrp: number } & ConnRef)
  | ({ type: "test-command"; ca: number; tsc: number } & ConnRef)
  | ({
      type: "parameter";
      ca: number;
      ioa: number;
      typeId: number;
      value: number;
      qualifier: number;
    } & ConnRef)
  | ({
      type: "command";
      id: string;
      phase: "select" | "execute" | "cancel";
      ca: number;
      ioa: number;
      typeId: number;
      value: number;
      outcome: "confirmed" | "refused" | "timeout";
      reason?: string;
    } & ConnRef)
  | ({ type: "rejected"; typeId: number; ca: number; ioa?: number; cot: number; reason: string } & ConnRef)
  | { type: "events-dropped"; group: string; dropped: number };

/** Counters for metrics: plain numbers, read when scraped. */
export class OutstationStats {
  connectionsAccepted = 0;
  connectionsRefused = 0;
  readonly closes = new Map<string, number>();
  /** Frames of connections already closed, by format (open ones keep their own counts). */
  readonly framesIn: FrameCounts = { I: 0, S: 0, U: 0 };
  readonly framesOut: FrameCounts = { I: 0, S: 0, U: 0 };
  /** Events dropped by the queues of groups that no longer exist. */
  droppedInClosedGroups = 0;
  /** ASDUs by type id, received and sent. */
  readonly asdusIn = new Float64Array(256);
  readonly asdusOut = new Float64Array(256);
  readonly commands = { confirmed: 0, refused: 0, timeout: 0 };
  /** Negative replies by cause (44-47 and negative confirmations). */
  readonly negatives = new Map<number, number>();

  countClose(code: string): void {
    this.closes.set(code, (this.closes.get(code) ?? 0) + 1);
  }

  countNegative(cot: number): void {
    this.negatives.set(cot, (this.negatives.get(cot) ?? 0) + 1);
  }
}
