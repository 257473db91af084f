/**
 * The connection half of the master: link state (STARTDT/STOPDT/TESTFR), sending ASDUs (matched
 * requests through the RequestTracker, or unmatched), decoding and emitting every received ASDU,
 * and one close path that fails whatever is still outstanding. The requests themselves are in
 * master.ts.
 */
import { EventEmitter } from "node:events";
import type { Duplex } from "node:stream";
import type tls from "node:tls";
import { type Asdu, type AsduOf, decodeAsdu, type InformationObject } from "../asdu/asdu.js";
import type { TypeId } from "../asdu/types.js";
import { DecodeError } from "../codec/errors.js";
import { DEFAULT_LINK_CONFIG, type LinkConfig, type LinkState, validateLinkConfig } from "../link/session.js";
import { encodeIFrameBuffer } from "./commands.js";
import { LinkConnection } from "./connection.js";
import { ConnectionClosedError, type MasterCloseReason, NotStartedError } from "./errors.js";
import type { PendingRequest } from "./requests.js";
import { deferred, RequestTracker } from "./requests.js";

export interface MasterOptions {
  host: string;
  port: number;
  link?: Partial<LinkConfig>;
  /** Originator address put in every ASDU we send (default 0). */
  originator?: number;
  /** Connect with TLS (IEC 62351-3) using these options. */
  tls?: tls.ConnectionOptions;
  /** A request fails when this long passes without a reply of its own (default 10 s). */
  requestTimeoutMs?: number;
  /** Monotonic milliseconds for the link timers (default performance.now). */
  now?: () => number;
}

/** The options of a master on an already connected socket. */
export type AttachOptions = Omit<MasterOptions, "host" | "port" | "tls">;

/** The defaults completed with `link`; throws a RangeError listing every rule it breaks. */
export function linkConfig(link: Partial<LinkConfig> = {}): LinkConfig {
  const cfg: LinkConfig = { ...DEFAULT_LINK_CONFIG, ...link };
  const errors = validateLinkConfig(cfg);
  if (errors.length > 0) throw new RangeError(`invalid link configuration: ${errors.join("; ")}`);
  return cfg;
}

export interface MasterEvents {
  /** A received ASDU, decoded, and its raw octets (a view of the received bytes: copy to keep). */
  asdu: [asdu: Asdu, raw: Buffer];
  /** A received ASDU the codec rejected (the connection stays up). */
  decodeError: [error: DecodeError, raw: Buffer];
  state: [state: LinkState];
  close: [reason: MasterCloseReason];
}

export class MasterLink extends EventEmitter<MasterEvents> {
  readonly originator: number;
  readonly requestTimeoutMs: number;
  protected readonly conn: LinkConnection;
  protected readonly tracker: RequestTracker;
  private startWait: ReturnType<typeof deferred<void>> | undefined;
  private stopWait: ReturnType<typeof deferred<void>> | undefined;
  private readonly closed = deferred<MasterCloseReason>();

  /** Wires a master to an already connected socket (`Master.connect` dials one). */
  constructor(socket: Duplex, opts: AttachOptions = {}) {
    super();
    const cfg = linkConfig(opts.link);
    this.originator = opts.originator ?? 0;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 10_000;
    this.tracker = new RequestTracker(this.requestTimeoutMs);
    const now = opts.now ?? (() => performance.now());
    this.conn = new LinkConnection(socket, cfg, now, {
      asdu: (raw) => this.onAsdu(raw),
      state: (s) => this.onState(s),
      close: (reason) => this.onClose(reason),
    });
  }

  get state(): LinkState {
    return this.conn.state;
  }

  get isClosed(): boolean {
    return this.conn.isClosed;
  }

  /** Why the connection ended, once it has. */
  get closeReason(): MasterCloseReason | undefined {
    return this.conn.reason;
  }

  /** Resolves with the close reason when the connection has ended. */
  get whenClosed(): Promise<MasterCloseReason> {
    return this.closed.promise;
  }

  /** STARTDT act; resolves on STARTDT con (rejects when t1 expires or the connection closes). */
  startDataTransfer(): Promise<void> {
    if (this.conn.state === "STARTED") return Promise.resolve();
    if (this.conn.isClosed) return Promise.reject(this.closedError("STARTDT"));
    if (this.startWait === undefined) {
      this.startWait = deferred();
      this.conn.startDataTransfer();
    }
    return this.startWait.promise;
  }

  /** STOPDT act; resolves on STOPDT con. */
  stopDataTransfer(): Promise<void> {
    if (this.conn.state === "STOPPED") return Promise.resolve();
    if (this.conn.isClosed) return Promise.reject(this.closedError("STOPDT"));
    if (this.stopWait === undefined) {
      this.stopWait = deferred();
      this.conn.stopDataTransfer();
    }
    return this.stopWait.promise;
  }

  /** Sends a TESTFR act now (its TESTFR con is checked by the link layer, t1). */
  testFrame(): void {
    this.conn.test();
  }

  /** Sends any ASDU, unmatched (replies only show as 'asdu' events). Throws when not started. */
  sendAsdu(asdu: Asdu): void {
    const frame = encodeIFrameBuffer(asdu);
    if (!this.conn.sendIFrame(frame)) throw this.notSendable("sendAsdu");
  }

  /** Writes bytes straight to the socket, bypassing the link layer (malformed-input tests). */
  sendRaw(bytes: Uint8Array): void {
    this.conn.sendRaw(bytes);
  }

  /** Closes the connection; resolves once the socket is closed. */
  async close(): Promise<void> {
    this.conn.close();
    await this.conn.socketClosed;
  }

  /** An ASDU of ours: SQ=0, one object, the master's originator address. */
  protected asdu<K extends TypeId>(typeId: K, cot: number, ca: number, obj: InformationObject<K>): AsduOf<K> {
    return { typeId, sq: false, cot, test: false, negative: false, oa: this.originator, ca, objects: [obj] };
  }

  /** Registers a request and sends its ASDU; the request fails at once when that is impossible. */
  protected send(req: PendingRequest, asdu: Asdu): void {
    let frame: Buffer;
    try {
      frame = encodeIFrameBuffer(asdu);
    } catch (e) {
      req.fail(e as Error);
      return;
    }
    this.tracker.add(req);
    if (!this.conn.sendIFrame(frame)) this.tracker.abort(req, this.notSendable(req.label));
  }

  private notSendable(what: string): Error {
    if (this.conn.isClosed) return this.closedError(what);
    return new NotStartedError(`${what}: data transfer is not started (link ${this.conn.state})`);
  }

  private closedError(what: string): ConnectionClosedError {
    return new ConnectionClosedError(what, this.conn.reason ?? { code: "LOCAL", message: "closed" });
  }

  private onAsdu(raw: Buffer): void {
    let asdu: Asdu;
    try {
      asdu = decodeAsdu(raw);
    } catch (e) {
      if (e instanceof DecodeError) this.emit("decodeError", e, raw);
      return;
    }
    this.emit("asdu", asdu, raw);
    this.tracker.offer(asdu);
  }

  private onState(s: LinkState): void {
    this.emit("state", s);
    if (s === "STARTED" && this.startWait !== undefined) {
      this.startWait.resolve();
      this.startWait = undefined;
    }
    if (s === "STOPPED" && this.stopWait !== undefined) {
      this.stopWait.resolve();
      this.stopWait = undefined;
    }
  }

  private onClose(reason: MasterCloseReason): void {
    this.tracker.failAll((label) => new ConnectionClosedError(label, reason));
    this.startWait?.reject(new ConnectionClosedError("STARTDT", reason));
    this.stopWait?.reject(new ConnectionClosedError("STOPDT", reason));
    this.startWait = undefined;
    this.stopWait = undefined;
    this.emit("close", reason);
    this.closed.resolve(reason);
  }
}
