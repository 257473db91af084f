/**
 * One master connection: a socket wired to a `LinkSession` in role "master".
 *
 * - socket data -> `session.receive(chunk, now())`;
 * - frames the session sends -> the socket, corked for the rest of the tick so that several frames
 *   produced together (an S-frame and a command, a burst of requests) leave in one write;
 * - one real timer at `session.nextDeadline()` (see DeadlineTimer);
 * - I-frames beyond the k window wait in a queue and go out after the received bytes that
 *   acknowledged earlier ones (never from inside `receive`);
 * - the session's close decision, the peer's FIN and socket errors all end in one `onClose`.
 */
import type { Duplex } from "node:stream";
import { CloseCode, type LinkConfig, LinkSession, type LinkSink, type LinkState } from "../link/session.js";
import { DeadlineTimer } from "./deadline-timer.js";
import type { MasterCloseReason } from "./errors.js";

export interface ConnectionHandlers {
  /** The ASDU of a received I-frame: a view of the received bytes, valid until the handler returns. */
  asdu(asdu: Buffer): void;
  state(state: LinkState): void;
  /** Called once, when the connection ends for whatever reason. */
  close(reason: MasterCloseReason): void;
}

export class LinkConnection {
  readonly session: LinkSession;
  private readonly socket: Duplex;
  private readonly now: () => number;
  private readonly handlers: ConnectionHandlers;
  private readonly timer: DeadlineTimer;
  /** Whole I-frames (APCI room + ASDU) waiting for the k window. */
  private readonly queue: Buffer[] = [];
  private corked = false;
  private closeReason: MasterCloseReason | undefined;
  /** Resolves when the socket has closed (after a close of either side). */
  readonly socketClosed: Promise<void>;

  constructor(socket: Duplex, cfg: LinkConfig, now: () => number, handlers: ConnectionHandlers) {
    this.socket = socket;
    this.now = now;
    this.handlers = handlers;
    const sink: LinkSink = {
      send: (frame) => this.write(frame),
      asdu: (asdu) => this.handlers.asdu(asdu),
      acked: () => {},
      stateChange: (s) => this.handlers.state(s),
      close: (reason) => this.finish(reason, true),
    };
    this.session = new LinkSession("master", cfg, sink, now());
    this.timer = new DeadlineTimer(this.session, now);
    this.socketClosed = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.on("data", this.onData);
    socket.on("end", () =>
      this.finish({ code: "PEER_CLOSED", message: "the outstation closed the connection" }),
    );
    socket.on("close", () => this.finish({ code: "PEER_CLOSED", message: "connection closed" }));
    socket.on("error", (e: Error) => this.finish({ code: "SOCKET_ERROR", message: e.message }));
    this.timer.update();
  }

  get state(): LinkState {
    return this.session.state;
  }

  get isClosed(): boolean {
    return this.closeReason !== undefined;
  }

  /** Why the connection ended, once it has. */
  get reason(): MasterCloseReason | undefined {
    return this.closeReason;
  }

  /** I-frames waiting for the k window. */
  get queued(): number {
    return this.queue.length;
  }

  /**
   * Sends an I-frame: `frame` holds the ASDU from octet 6 on (the APCI is written in place).
   * Queued while k frames are unacknowledged. Returns false when data transfer is not started.
   */
  sendIFrame(frame: Buffer): boolean {
    if (this.isClosed || this.session.state !== "STARTED") return false;
    if (this.queue.length > 0 || !this.session.sendIFrame(frame, this.now())) this.queue.push(frame);
    this.timer.update();
    return true;
  }

  /** Writes bytes to the socket as they are, bypassing the link layer (for malformed-input tests). */
  sendRaw(bytes: Uint8Array): void {
    if (this.isClosed) return;
    this.write(bytes);
  }

  startDataTransfer(): void {
    this.session.startDataTransfer(this.now());
    this.timer.update();
  }

  stopDataTransfer(): void {
    this.session.stopDataTransfer(this.now());
    this.timer.update();
  }

  /** Sends a TESTFR act now. */
  test(): void {
    this.session.test(this.now());
    this.timer.update();
  }

  /** Closes the connection (FIN after pending writes). */
  close(message = "closed by the master"): void {
    this.finish({ code: CloseCode.LOCAL, message }, true);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.session.receive(chunk, this.now());
    if (this.queue.length > 0) this.flushQueue();
    this.timer.update();
  };

  private write(bytes: Uint8Array): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(this.uncork);
    }
    this.socket.write(bytes);
  }

  private readonly uncork = (): void => {
    this.corked = false;
    this.socket.uncork();
  };

  private flushQueue(): void {
    while (this.queue.length > 0 && this.session.canSend) {
      this.session.sendIFrame(this.queue.shift()!, this.now());
    }
  }

  private finish(reason: MasterCloseReason, endSocket = false): void {
    if (this.closeReason !== undefined) return;
    this.closeReason = reason;
    this.session.dispose();
    this.timer.stop();
    this.queue.length = 0;
    if (endSocket) {
      if (this.corked) this.uncork();
      this.socket.end(() => this.socket.destroy());
    } else {
      this.socket.destroy();
    }
    this.handlers.close(reason);
  }
}
