/**
 * One master's TCP connection: wires the socket to a LinkSession, drives its timers on the injected
 * clock, and decides what goes out when the k window allows, in this order: replies (ACT_CON,
 * read answers, ACT_TERM...), the running interrogation, then the group's events. Several frames
 * produced in one turn leave in one socket write (cork/uncork).
 */
import type { Socket } from "node:net";
import {
  type CloseReason,
  type FrameCounts,
  type LinkConfig,
  LinkSession,
  type LinkSink,
  type LinkState,
} from "../link/session.js";
import type { Clock, TimerHandle } from "./clock.js";
import type { RedundancyGroup } from "./group.js";
import type { Logger } from "./log.js";

/** Something that produces I-frames over several drains (an interrogation, a cyclic scan). */
export interface Job {
  readonly kind: string;
  /** The next frame, or undefined when finished. */
  next(): Buffer | undefined;
  /** The ACT_TERM (or nothing) to send once finished. */
  readonly term: Buffer | undefined;
  /** Set by whoever cancels the job (DEACT): it then ends without its ACT_TERM. */
  cancelled: boolean;
}

export interface ConnectionHooks {
  asdu(conn: MasterConnection, asdu: Buffer): void;
  stateChange(conn: MasterConnection, state: LinkState): void;
  closed(conn: MasterConnection, reason: CloseReason): void;
  /** Builds the next event frame of the group's queue; undefined when there is none. */
  eventFrame(conn: MasterConnection): { frame: Buffer; count: number } | undefined;
  /** An I-frame carrying an ASDU of `typeId` was sent (metrics). */
  asduOut(typeId: number): void;
}

/** Replies held for a master that does not read them; beyond this it is disconnected. */
const MAX_PENDING_REPLIES = 1000;

/**
 * Octets waiting in the socket's write buffer beyond which we stop reading the master's input until
 * they drain: every TESTFR act or STARTDT act is answered whatever the k window, so a master that
 * sends them without reading our answers would otherwise grow that buffer without limit.
 */
const MAX_BUFFERED_OUTPUT = 64 * 1024;

let nextId = 1;

export class MasterConnection implements LinkSink {
  readonly id: string;
  readonly remoteAddress: string;
  readonly remote: string;
  readonly session: LinkSession;
  readonly openedAt: number;
  group: RedundancyGroup | undefined;
  private readonly socket: Socket;
  private readonly clock: Clock;
  private readonly hooks: ConnectionHooks;
  readonly log: Logger;
  private replies: Array<{ frame: Buffer; barrier: number }> = [];
  private replyHead = 0;
  /** Until the group's queue has sent up to here, only events go out (see sendEventsFirst). */
  private eventsFirstUntil = 0;
  private readonly jobs: Job[] = [];
  /** For each unacknowledged I-frame: the event-queue position after its events, or -1. */
  private readonly tags: Float64Array;
  private tagHead = 0;
  private tagCount = 0;
  private timer: TimerHandle | undefined;
  private deadline = Number.POSITIVE_INFINITY;
  private drainScheduled = false;
  private closing = false;

  constructor(socket: Socket, link: LinkConfig, clock: Clock, hooks: ConnectionHooks, log: Logger) {
    this.id = `m${nextId++}`;
    this.socket = socket;
    this.clock = clock;
    this.hooks = hooks;
    this.remoteAddress = normalizeAddress(socket.remoteAddress ?? "");
    this.remote = `${this.remoteAddress}:${socket.remotePort ?? 0}`;
    this.log = log.child({ conn: this.id, remote: this.remote });
    this.openedAt = clock.wall();
    this.tags = new Float64Array(link.k);
    this.session = new LinkSession("outstation", link, this, clock.monotonic());
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (err: NodeJS.ErrnoException) =>
      // A reset is how a master that drops its connection with data in flight closes it.
      this.terminate(
        err.code === "ECONNRESET" || err.code === "EPIPE"
          ? { code: "PEER_CLOSED", message: `connection reset by the master (${err.code})` }
          : { code: "SOCKET_ERROR", message: `socket error: ${err.message}` },
      ),
    );
    socket.on("close", () =>
      this.terminate({ code: "PEER_CLOSED", message: "connection closed by the master" }),
    );
    this.arm();
  }

  get state(): LinkState {
    return this.session.state;
  }

  /** Frames received by format (the link session counts them), for the masters list and metrics. */
  get received(): FrameCounts {
    return this.session.received;
  }

  /** Frames sent by format. */
  get sent(): FrameCounts {
    return this.session.sent;
  }

  /** Frames received, all formats. */
  get framesIn(): number {
    return this.received.I + this.received.S + this.received.U;
  }

  /** Frames sent, all formats. */
  get framesOut(): number {
    return this.sent.I + this.sent.S + this.sent.U;
  }

  get isOpen(): boolean {
    return !this.closing;
  }

  private onData(chunk: Buffer): void {
    if (this.closing) return;
    this.socket.cork();
    this.session.receive(chunk, this.clock.monotonic());
    this.socket.uncork();
    this.arm();
    if (!this.closing && this.socket.writableLength > MAX_BUFFERED_OUTPUT && !this.socket.isPaused()) {
      this.socket.pause();
      this.socket.once("drain", () => {
        if (!this.closing) this.socket.resume();
      });
    }
  }

  /* ---- LinkSink ---- */

  send(frame: Buffer): void {
    if (this.closing) return;
    this.socket.write(frame);
  }

  asdu(asdu: Buffer): void {
    this.hooks.asdu(this, asdu);
  }

  acked(count: number): void {
    let end = -1;
    for (let i = 0; i < count; i++) {
      const t = this.tags[this.tagHead]!;
      if (t > end) end = t;
      this.tagHead = (this.tagHead + 1) % this.tags.length;
    }
    this.tagCount -= count;
    if (end >= 0 && this.group?.active === this) this.group.queue.acknowledge(end);
    this.scheduleDrain();
  }

  stateChange(state: LinkState): void {
    this.log.info(
      { state },
      `data transfer ${state === "STARTED" ? "started" : state === "STOPPED" ? "stopped" : "stopping"}`,
    );
    if (state === "STARTED") this.discardUnsent();
    this.hooks.stateChange(this, state);
    if (state === "STARTED") this.scheduleDrain();
  }

  close(reason: CloseReason): void {
    this.terminate(reason);
  }

  /**
   * A new data transfer starts clean: replies and interrogation answers a previous one left unsent
   * (a STOPDT came first) belong to requests the master has given up on, as lib60870 drops its
   * high-priority queue at STARTDT. Events are the group's and are kept.
   */
  private discardUnsent(): void {
    const replies = this.replies.length - this.replyHead;
    const jobs = this.jobs.length;
    if (replies === 0 && jobs === 0) return;
    this.replies = [];
    this.replyHead = 0;
    for (const j of this.jobs) j.cancelled = true;
    this.jobs.length = 0;
    this.log.info({ replies, jobs }, "discarded the replies a previous data transfer left unsent");
  }

  /* ---- output ---- */

  /** Queues a reply; `barrier` holds it until the group's queue has sent up to that position. */
  reply(frame: Buffer, barrier = 0): void {
    if (this.closing) return;
    if (this.replies.length - this.replyHead >= MAX_PENDING_REPLIES) {
      this.session.fail(
        "LOCAL",
        `more than ${MAX_PENDING_REPLIES} replies pending: the master does not read`,
      );
      return;
    }
    this.replies.push({ frame, barrier });
    this.scheduleDrain();
  }

  /**
   * Sends nothing but events until the group's queue has sent up to position `pos`: the end of
   * initialization must be the first I-frame after a STARTDT, before any reply or scan.
   */
  sendEventsFirst(pos: number): void {
    this.eventsFirstUntil = pos;
  }

  addJob(job: Job): void {
    if (this.closing) return;
    this.jobs.push(job);
    this.scheduleDrain();
  }

  /** True while replies wait for the window (shutdown waits for them). */
  hasPendingReplies(): boolean {
    return this.session.state === "STARTED" && this.replyHead < this.replies.length;
  }

  /** The queued jobs (to cancel an interrogation on DEACT, or coalesce cyclic scans). */
  pendingJobs(): readonly Job[] {
    return this.jobs;
  }

  scheduleDrain(): void {
    if (this.drainScheduled || this.closing) return;
    this.drainScheduled = true;
    setImmediate(() => this.drain());
  }

  /** Sends while the window allows. */
  drain(): void {
    this.drainScheduled = false;
    if (this.closing || !this.session.canSend) return;
    const now = this.clock.monotonic();
    this.socket.cork();
    while (this.session.canSend) {
      let tag = -1;
      const active = this.group?.active === this;
      let frame: Buffer | undefined;
      const q = this.group?.queue;
      if (!active || q === undefined || q.sent >= Math.min(this.eventsFirstUntil, q.tail)) {
        frame = this.nextReply();
        // A reply held by a barrier holds the jobs queued after it too; only events pass it.
        if (frame === undefined && this.replyHead >= this.replies.length) frame = this.nextJobFrame();
      }
      if (frame === undefined && this.group?.active === this) {
        const ev = this.hooks.eventFrame(this);
        if (ev !== undefined) {
          frame = ev.frame;
          this.group.queue.sent += ev.count;
          tag = this.group.queue.sent;
        }
      }
      if (frame === undefined) break;
      this.tags[(this.tagHead + this.tagCount) % this.tags.length] = tag;
      this.tagCount++;
      this.session.sendIFrame(frame, now);
      this.hooks.asduOut(frame[6]!);
    }
    this.socket.uncork();
    this.arm();
  }

  private nextReply(): Buffer | undefined {
    const r = this.replies[this.replyHead];
    if (r === undefined) return undefined;
    // A barrier past the queue's tail (events discarded by a reset, QRP 2) holds only up to the tail.
    const q = this.group?.queue;
    if (q !== undefined && q.sent < Math.min(r.barrier, q.tail)) return undefined;
    this.replyHead++;
    if (this.replyHead > 64 && this.replyHead * 2 > this.replies.length) {
      this.replies = this.replies.slice(this.replyHead);
      this.replyHead = 0;
    }
    return r.frame;
  }

  private nextJobFrame(): Buffer | undefined {
    for (;;) {
      const job = this.jobs[0];
      if (job === undefined) return undefined;
      const frame = job.cancelled ? undefined : job.next();
      if (frame !== undefined) return frame;
      this.jobs.shift();
      if (!job.cancelled && job.term !== undefined) {
        this.replies.push({ frame: job.term, barrier: 0 });
        return this.nextReply();
      }
    }
  }

  /* ---- timers ---- */

  private arm(): void {
    if (this.closing) return;
    const d = this.session.nextDeadline();
    if (d >= this.deadline) return;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.deadline = d;
    this.timer = this.clock.setTimer(() => this.onTimer(), Math.max(0, d - this.clock.monotonic()));
  }

  private onTimer(): void {
    this.timer = undefined;
    this.deadline = Number.POSITIVE_INFINITY;
    if (this.closing) return;
    this.socket.cork();
    this.session.tick(this.clock.monotonic());
    this.socket.uncork();
    this.arm();
  }

  /* ---- closing ---- */

  /** Closes the connection on our side (shutdown, takeover), with the reason logged. */
  shutdown(message: string): void {
    this.session.dispose();
    this.terminate({ code: "LOCAL", message });
  }

  private terminate(reason: CloseReason): void {
    if (this.closing) return;
    this.closing = true;
    this.session.dispose();
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.socket.destroy();
    this.hooks.closed(this, reason);
  }
}

/** `::ffff:1.2.3.4` (an IPv4 peer on a dual-stack socket) as `1.2.3.4`. */
export function normalizeAddress(a: string): string {
  return a.startsWith("::ffff:") ? a.slice(7) : a;
}
