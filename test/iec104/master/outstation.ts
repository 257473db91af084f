/**
 * A small scripted outstation for the master's tests: a net.Server (or any duplex stream) wired to a
 * LinkSession in role "outstation", answering requests with `answer` (the standard's sequences), or
 * with what a test's `respond` hook makes of those answers (drop, reorder, silence, extra ASDUs).
 */
import net from "node:net";
import type { Duplex } from "node:stream";
import tls from "node:tls";
import {
  APCI_SIZE,
  type Asdu,
  asduLength,
  decodeAsdu,
  elementSpec,
  writeAsdu,
} from "../../../src/iec104/index.js";
import {
  type CloseReason,
  DEFAULT_LINK_CONFIG,
  type LinkConfig,
  LinkSession,
} from "../../../src/iec104/link/session.js";
import { DeadlineTimer } from "../../../src/iec104/master/deadline-timer.js";
import { answer, type Model, type Point, type Selections } from "./answer.js";

export interface OutstationOptions extends Partial<Model> {
  link?: Partial<LinkConfig>;
  /** Serve TLS with these options (key, cert...) instead of plain TCP. */
  tls?: tls.TlsOptions;
  /** Turns the default answers to a request into what is sent (default: as they are). */
  respond?: (req: Asdu, answers: Asdu[], peer: Peer) => Asdu[];
}

export const DEFAULT_POINTS: Point[] = [
  { ca: 1, typeId: 1, object: { ioa: 100, value: true, quality: 0 }, group: 1 },
  { ca: 1, typeId: 1, object: { ioa: 101, value: false, quality: 0x80 } },
  { ca: 1, typeId: 3, object: { ioa: 200, value: 2, quality: 0 } },
  { ca: 1, typeId: 13, object: { ioa: 300, value: 23.5, quality: 0 }, group: 2 },
  {
    ca: 1,
    typeId: 15,
    object: { ioa: 400, value: 1234, sequence: 1, carry: false, adjusted: false, invalid: false },
  },
  { ca: 2, typeId: 1, object: { ioa: 100, value: false, quality: 0 } },
  { ca: 2, typeId: 11, object: { ioa: 301, value: -42, quality: 0x10 } },
  {
    ca: 2,
    typeId: 15,
    object: { ioa: 401, value: 7, sequence: 0, carry: true, adjusted: false, invalid: false },
  },
];

export class Peer {
  readonly session: LinkSession;
  readonly selections: Selections = new Set();
  closeReason: CloseReason | undefined;
  private readonly socket: Duplex;
  private readonly timer: DeadlineTimer;
  private readonly queue: Buffer[] = [];

  constructor(
    socket: Duplex,
    cfg: LinkConfig,
    onAsdu: (asdu: Asdu, peer: Peer) => void,
    onChunk: (b: Buffer) => void,
  ) {
    this.socket = socket;
    this.session = new LinkSession(
      "outstation",
      cfg,
      {
        send: (frame) => {
          if (!socket.destroyed) socket.write(frame);
        },
        asdu: (raw) => onAsdu(decodeAsdu(raw), this),
        acked: () => {},
        stateChange: () => {},
        close: (reason) => {
          this.closeReason = reason;
          socket.destroy();
        },
      },
      performance.now(),
    );
    this.timer = new DeadlineTimer(this.session, () => performance.now());
    socket.on("data", (chunk: Buffer) => {
      onChunk(chunk);
      this.session.receive(chunk, performance.now());
      this.flush();
      this.timer.update();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      this.session.dispose();
      this.timer.stop();
    });
  }

  /** Sends an ASDU in an I-frame (queued while the k window is full). */
  send(asdu: Asdu): void {
    const frame = Buffer.alloc(
      APCI_SIZE + asduLength(elementSpec(asdu.typeId), asdu.objects.length, asdu.sq),
    );
    writeAsdu(frame, APCI_SIZE, asdu);
    this.queue.push(frame);
    this.flush();
    this.timer.update();
  }

  /** Writes bytes as they are. */
  sendRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  close(): void {
    this.session.dispose();
    this.socket.destroy();
  }

  private flush(): void {
    while (this.queue.length > 0 && this.session.canSend)
      this.session.sendIFrame(this.queue.shift()!, performance.now());
  }
}

export class ScriptedOutstation {
  readonly model: Model;
  /** Every ASDU received from a master, in order. */
  readonly received: Asdu[] = [];
  /** Every chunk of bytes received, as it arrived. */
  readonly chunks: Buffer[] = [];
  readonly peers: Peer[] = [];
  private readonly cfg: LinkConfig;
  private readonly respond: OutstationOptions["respond"];
  private server: net.Server | undefined;

  constructor(opts: OutstationOptions = {}) {
    this.model = {
      stations: opts.stations ?? [1, 2],
      points: opts.points ?? DEFAULT_POINTS,
      commandIoas: opts.commandIoas ?? new Set([5000, 5001, 5002, 6000, 6001, 6002, 7000]),
      sboIoas: opts.sboIoas ?? new Set([5001]),
    };
    this.cfg = { ...DEFAULT_LINK_CONFIG, ...opts.link };
    this.respond = opts.respond;
  }

  /** Listens on an ephemeral port of 127.0.0.1. */
  static async start(opts: OutstationOptions = {}): Promise<ScriptedOutstation> {
    const o = new ScriptedOutstation(opts);
    const server = opts.tls
      ? tls.createServer(opts.tls, (socket) => o.attach(socket))
      : net.createServer({ noDelay: true }, (socket) => o.attach(socket));
    o.server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return o;
  }

  get port(): number {
    const addr = this.server?.address();
    if (addr === null || addr === undefined || typeof addr === "string") throw new Error("not listening");
    return addr.port;
  }

  /** The most recent connection. */
  get peer(): Peer {
    const p = this.peers[this.peers.length - 1];
    if (p === undefined) throw new Error("no connection yet");
    return p;
  }

  /** Serves one connection on a stream (a socket, or one end of an in-process pair). */
  attach(socket: Duplex): Peer {
    const peer = new Peer(
      socket,
      this.cfg,
      (asdu, p) => this.onAsdu(asdu, p),
      (b) => this.chunks.push(Buffer.from(b)),
    );
    this.peers.push(peer);
    return peer;
  }

  /** Sends an ASDU to every connection (spontaneous data). */
  broadcast(asdu: Asdu): void {
    for (const p of this.peers) if (p.session.state === "STARTED") p.send(asdu);
  }

  async stop(): Promise<void> {
    for (const p of this.peers) p.close();
    const server = this.server;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private onAsdu(asdu: Asdu, peer: Peer): void {
    this.received.push(asdu);
    const answers = answer(asdu, this.model, peer.selections);
    for (const a of this.respond ? this.respond(asdu, answers, peer) : answers) peer.send(a);
  }
}
