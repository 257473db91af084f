/**
 * A redundancy group (IEC 104 Ed.2 clause 10): connections that share one event queue, of which
 * at most one is active (STARTED). A STARTDT on a standby takes over: the old active connection is
 * returned to STOPPED (or closed, if it still has unacknowledged I-frames) and the queue rewinds so
 * unacknowledged events are sent again, in order, on the new one.
 */

import type { MasterConnection } from "./connection.js";
import { EventQueue, type OverflowPolicy } from "./event-queue.js";

export class RedundancyGroup {
  readonly key: string;
  readonly queue: EventQueue;
  /** Kept when no connection is left (queues events for the next master), or dropped with the last. */
  readonly persistent: boolean;
  readonly members = new Set<MasterConnection>();
  active: MasterConnection | undefined;

  constructor(key: string, persistent: boolean, capacity: number, policy: OverflowPolicy) {
    this.key = key;
    this.persistent = persistent;
    this.queue = new EventQueue(capacity, policy);
  }

  /** Makes `conn` the active connection; returns the connection it replaced, if any. */
  activate(conn: MasterConnection): MasterConnection | undefined {
    const old = this.active;
    if (old === conn) return undefined;
    this.active = conn;
    this.queue.rewind();
    if (old !== undefined && !old.session.deactivate()) {
      old.shutdown(
        `replaced by ${conn.remote} (STARTDT on a standby of group ${this.key}) with frames unacknowledged`,
      );
    }
    return old;
  }

  /** `conn` stopped or closed: events are buffered until a connection starts again. */
  deactivate(conn: MasterConnection): void {
    if (this.active !== conn) return;
    this.active = undefined;
    this.queue.rewind();
  }

  /** A new event is queued: wake the active connection. */
  notify(): void {
    this.active?.scheduleDrain();
  }
}
