/**
 * The embedded MQTT broker (Aedes): TCP, optionally TLS and WebSocket, so `npm start` alone gives a
 * working device. Everything Aedes does not do itself is done here, in the socket layer:
 *
 *  - packet size: a packet announcing more than `maxPacketSize` closes its connection from its header;
 *  - backlog: a client that stops reading is disconnected once `maxPendingBytes` wait for it, instead
 *    of holding up every other client (see limits.ts);
 *  - topics of more than 100 levels are refused by Aedes (its and qlobber's ceiling), logged here;
 *  - authentication and the role ACL (`auth`, acl.ts): refused publications are acknowledged and
 *    dropped, refused subscriptions get a failure return code; either way the client stays connected
 *    (MQTT 3.1.1 has nothing else to tell it).
 *
 * The gateway's own clients log in with credentials drawn at start-up (`internal`), with or without
 * `auth`: they are exempt from the size and backlog limits, and only they (and admins) may publish
 * what the gateway owns.
 */
import { createServer as createHttpServer, type Server as HttpServer, type IncomingMessage } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { createServer as createTlsServer, type TLSSocket, type TlsOptions } from "node:tls";
import {
  Aedes,
  type AedesPublishPacket,
  type AuthenticateError,
  type Client,
  type PublishPacket,
  type Subscription,
} from "aedes";
import type { WebSocketServer } from "ws";
import type { Logger } from "../iec104/outstation/log.js";
import { Acl, type Role } from "./acl.js";
import { Authenticator, type BrokerUser, type InternalCredentials } from "./auth.js";
import { limitPending, PacketHeaderReader } from "./limits.js";
import { type RetainedSource, serveRetained } from "./retained.js";
import { Topics } from "./topics.js";

/** Aedes' ceiling: its topic trie (qlobber) cannot hold deeper topics. */
export const MAX_TOPIC_LEVELS = 100;

export interface EmbeddedBrokerTls {
  /** Default: the broker's `host`. */
  host?: string;
  port: number;
  /** Node TLS server options (certificate, key, CA, versions...). */
  options: TlsOptions;
}

export interface EmbeddedBrokerOptions {
  host: string;
  port: number;
  /** Also listen for MQTT over WebSocket on this port. */
  wsPort?: number;
  /** Also listen for MQTT over TLS. */
  tls?: EmbeddedBrokerTls;
  /** Bytes: the largest remaining length a packet may announce (default 1 MiB). */
  maxPacketSize?: number;
  /** Bytes waiting to be written to one client before it is disconnected (default 8 MiB). */
  maxPendingBytes?: number;
  /** Users and the topics of their roles; without it anyone may connect and do anything. */
  auth?: {
    users: readonly BrokerUser[];
    baseTopic: string;
    /** Topics the points' publishers write besides `<base>/point/...` (source, availability). */
    sourceTopics: readonly string[];
  };
  logger: Logger;
}

/** One client connection, from accept to close. */
interface Peer {
  remote: string;
  transport: "tcp" | "tls" | "ws";
  headers: PacketHeaderReader;
  clientId: string | undefined;
  username: string | undefined;
  /** Undefined until authenticated, and without `auth` for everyone but the gateway's own clients. */
  role: Role | undefined;
  internal: boolean;
}

type PublishDone = (error?: Error | null) => void;
type PublishFn = (packet: PublishPacket, client?: Client | null | PublishDone, done?: PublishDone) => void;

const DEFAULT_MAX_PACKET = 1_048_576;
const DEFAULT_MAX_PENDING = 8_388_608;
/** The gateway's own publications handed to Aedes at once (see publishInternal). */
const INTERNAL_IN_FLIGHT = 64;

export class EmbeddedBroker {
  readonly aedes: Aedes;
  /** The credentials of the gateway's own clients (bridge and simulator); never logged. */
  readonly internal: InternalCredentials;
  private readonly o: EmbeddedBrokerOptions;
  private readonly log: Logger;
  private readonly auth: Authenticator;
  private readonly acl: Acl | undefined;
  private readonly peers = new WeakMap<object, Peer>();
  /** Publications the ACL refused: acknowledged, then dropped here instead of delivered. */
  private readonly dropped = new WeakSet<object>();
  private readonly refusals = new Throttle(1000);
  private server: Server | undefined;
  private tlsServer: Server | undefined;
  private http: HttpServer | undefined;
  private wss: WebSocketServer | undefined;
  port = 0;
  wsPort: number | undefined;
  tlsPort: number | undefined;

  private constructor(aedes: Aedes, o: EmbeddedBrokerOptions) {
    this.aedes = aedes;
    this.o = o;
    this.log = o.logger;
    this.auth = new Authenticator(o.auth?.users ?? []);
    this.internal = this.auth.internal;
    this.acl = o.auth === undefined ? undefined : new Acl(new Topics(o.auth.baseTopic), o.auth.sourceTopics);
  }

  static async start(o: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
    const aedes = await Aedes.createBroker({ maxTopicLevels: MAX_TOPIC_LEVELS });
    const broker = new EmbeddedBroker(aedes, o);
    try {
      await broker.listen();
    } catch (e) {
      await broker.close();
      throw e;
    }
    return broker;
  }

  private async listen(): Promise<void> {
    const { aedes, o } = this;
    aedes.authenticate = (client, username, password, done) =>
      this.authenticate(client, username, password, done);
    aedes.authorizePublish = (client, packet, done) => this.authorizePublish(client, packet, done);
    aedes.authorizeSubscribe = (client, sub, done) => this.authorizeSubscribe(client, sub, done);
    this.dropRefused();
    const persistence = (aedes as unknown as { persistence: Parameters<typeof serveRetained>[0] })
      .persistence;
    serveRetained(persistence, () => this.retainedSource);
    aedes.on("clientError", (client, err) => this.clientError(client, err));
    aedes.on("connectionError", (client, err) => this.clientError(client, err));

    const server = createServer((socket: Socket) => {
      // No Nagle: a publication forwarded while an earlier one is unacknowledged would otherwise
      // wait for the client's delayed ACK (40 ms on Linux).
      socket.setNoDelay(true);
      this.accept(socket, address(socket.remoteAddress, socket.remotePort), "tcp");
    });
    this.server = server;
    this.port = await listen(server, o.port, o.host);
    if (o.tls !== undefined) this.tlsPort = await this.listenTls(o.tls);
    if (o.wsPort !== undefined) {
      // Loaded only for a WebSocket listener: most gateways have none, and start sooner without it.
      const { createWebSocketStream, WebSocketServer } = await import("ws");
      const http = createHttpServer();
      const wss = new WebSocketServer({ server: http });
      wss.on("connection", (ws, req) => {
        const stream = createWebSocketStream(ws);
        this.accept(stream, address(req.socket.remoteAddress, req.socket.remotePort), "ws", req);
      });
      this.http = http;
      this.wss = wss;
      this.wsPort = await listen(http, o.wsPort, o.host);
    }
    this.log.info(
      {
        host: o.host,
        port: this.port,
        wsPort: this.wsPort,
        tlsPort: this.tlsPort,
        auth: o.auth === undefined ? "none" : `${o.auth.users.length} users`,
      },
      "embedded MQTT broker listening",
    );
    if (o.auth === undefined) {
      this.log.warn(
        {},
        "the embedded MQTT broker accepts anyone: any client may publish values, states and commands (set mqtt.embedded.auth)",
      );
    }
  }

  private async listenTls(t: EmbeddedBrokerTls): Promise<number> {
    const verifyClient = t.options.requestCert === true && t.options.rejectUnauthorized !== false;
    // Client certificates are checked after the handshake, so the refusal can say why.
    const server = createTlsServer({ ...t.options, rejectUnauthorized: false }, (socket: TLSSocket) => {
      const remote = address(socket.remoteAddress, socket.remotePort);
      if (verifyClient && !socket.authorized) {
        const why = String(socket.authorizationError ?? "none presented");
        this.log.warn({ remote }, `MQTT TLS client refused: client certificate ${why}`);
        socket.destroy();
        return;
      }
      socket.setNoDelay(true);
      this.accept(socket, remote, "tls");
    });
    server.on("tlsClientError", (err, socket) =>
      this.log.warn(
        { remote: address(socket.remoteAddress, socket.remotePort), err: err.message },
        "MQTT TLS handshake failed",
      ),
    );
    this.tlsServer = server;
    return listen(server, t.port, t.host ?? this.o.host);
  }

  /** Hands a new connection to Aedes, with the size and backlog limits in front. */
  private accept(conn: Duplex, remote: string, transport: Peer["transport"], req?: IncomingMessage): void {
    const maxPacketSize = this.o.maxPacketSize ?? DEFAULT_MAX_PACKET;
    const maxPendingBytes = this.o.maxPendingBytes ?? DEFAULT_MAX_PENDING;
    const peer: Peer = {
      remote,
      transport,
      headers: new PacketHeaderReader(maxPacketSize),
      clientId: undefined,
      username: undefined,
      role: undefined,
      internal: false,
    };
    this.peers.set(conn, peer);
    limitPending(conn, {
      maxPendingBytes,
      exempt: () => peer.internal,
      onExceeded: (pending) =>
        this.log.warn(
          { ...who(peer), pending, limit: maxPendingBytes },
          "MQTT client does not read what it subscribed to: disconnected",
        ),
    });
    this.aedes.handle(conn, req);
    // Aedes reads with read() on 'readable'; a 'data' listener then sees every chunk it reads,
    // before it parses it, without changing the flow.
    conn.on("data", (chunk: Buffer) => {
      const big = peer.headers.feed(chunk);
      if (big === undefined) return;
      this.log.warn(
        { ...who(peer), packet: big.type, size: big.size, limit: maxPacketSize },
        "MQTT packet too large: connection closed",
      );
      conn.destroy();
    });
  }

  /** The record of a client's connection (made here for one that did not come through `accept`). */
  private peerOf(client: Client): Peer {
    let peer = this.peers.get(client.conn);
    if (peer === undefined) {
      peer = {
        remote: "?",
        transport: "tcp",
        headers: new PacketHeaderReader(this.o.maxPacketSize ?? DEFAULT_MAX_PACKET),
        clientId: client.id,
        username: undefined,
        role: undefined,
        internal: false,
      };
      this.peers.set(client.conn, peer);
    }
    return peer;
  }

  /** With `auth`, whether `peer` may publish to (or subscribe to) `topic`; nobody unauthenticated may. */
  private allowed(peer: Peer, action: "publish" | "subscribe", topic: string): boolean {
    if (this.acl === undefined) return true;
    if (peer.role === undefined) return false;
    return action === "publish"
      ? this.acl.canPublish(peer.role, topic)
      : this.acl.canSubscribe(peer.role, topic);
  }

  private authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): void {
    const peer = this.peerOf(client);
    const identity = this.auth.check(username, password);
    peer.clientId = client.id;
    peer.username = username;
    if (identity !== undefined) {
      peer.role = identity.role;
      peer.internal = identity.internal;
      peer.headers.exempt = identity.internal;
    }
    if (identity !== undefined || this.o.auth === undefined) {
      done(null, true);
      return;
    }
    const none = username === undefined;
    const reason = none ? "no username" : "bad username or password";
    this.log.warn({ client: client.id, username, remote: peer.remote }, `MQTT client refused: ${reason}`);
    // CONNACK 5 (not authorized) without credentials, 4 (bad username or password) with wrong ones.
    const error = Object.assign(new Error(reason), { returnCode: none ? 5 : 4 });
    done(error as AuthenticateError, false);
  }

  private authorizePublish(
    client: Client | null,
    packet: PublishPacket,
    done: (error?: Error | null) => void,
  ): void {
    if (packet.topic.startsWith("$SYS/")) {
      done(new Error("$SYS/ topic is reserved"));
      return;
    }
    // No client: the broker publishing the will of a client of an earlier run.
    if (client !== null) {
      const peer = this.peerOf(client);
      if (!this.allowed(peer, "publish", packet.topic)) {
        this.refused(peer, "publish", packet.topic);
        this.dropped.add(packet);
      }
    }
    done(null);
  }

  private authorizeSubscribe(
    client: Client,
    sub: Subscription,
    done: (error: Error | null, subscription?: Subscription | null) => void,
  ): void {
    const peer = this.peerOf(client);
    if (!this.allowed(peer, "subscribe", sub.topic)) {
      this.refused(peer, "subscribe", sub.topic);
      done(null, null);
      return;
    }
    done(null, sub);
  }

  /**
   * Subscribes inside the broker: `handler` gets every publication on `topics` with no encoding,
   * socket or parsing between, and `release` to call once it may have more (a publisher's
   * connection reads on only when the packets of its last read are released: flow control).
   */
  async subscribeInternal(
    topics: readonly string[],
    handler: (topic: string, payload: Buffer, release: () => void) => void,
  ): Promise<void> {
    const deliver = (packet: AedesPublishPacket, release: () => void): void => {
      const p = packet.payload;
      handler(packet.topic, typeof p === "string" ? Buffer.from(p) : p, release);
    };
    await Promise.all(
      topics.map((t) => new Promise<void>((resolve) => this.aedes.subscribe(t, deliver, resolve))),
    );
  }

  private retainedSource: RetainedSource | undefined;

  /** Leaves the retained messages of the source's topics to it (see retained.ts). */
  serveRetainedFrom(source: RetainedSource): void {
    this.retainedSource = source;
  }

  /** Handed-over entries are cleared (undefined) so their packets can be collected. */
  private internalQueue: ({ packet: PublishPacket; done: () => void } | undefined)[] = [];
  /** The next entry of internalQueue to hand over (an index, not shift(): the queue can be long). */
  private internalHead = 0;
  private internalInFlight = 0;
  private internalPumpScheduled = false;

  /**
   * A publication of the gateway itself (retained state), straight into Aedes: no encoding, socket
   * or parsing. At most INTERNAL_IN_FLIGHT are handed over at once and the rest released as those
   * complete, from a fresh turn of the event loop: Aedes' emitter recurses once per message queued
   * behind a busy one, and thousands at once overflow the stack.
   */
  publishInternal(topic: string, payload: string, qos: 0 | 1, retain: boolean, done: () => void): void {
    this.internalQueue.push({
      packet: { cmd: "publish", topic, payload: Buffer.from(payload), qos, retain, dup: false },
      done,
    });
    this.pumpInternal();
  }

  private pumpInternal(): void {
    const queue = this.internalQueue;
    while (this.internalInFlight < INTERNAL_IN_FLIGHT && this.internalHead < queue.length) {
      const { packet, done } = queue[this.internalHead]!;
      queue[this.internalHead++] = undefined;
      this.internalInFlight++;
      this.aedes.publish(packet, () => {
        this.internalInFlight--;
        done();
        if (this.internalPumpScheduled || this.internalHead >= this.internalQueue.length) return;
        this.internalPumpScheduled = true;
        setImmediate(() => {
          this.internalPumpScheduled = false;
          this.pumpInternal();
        });
      });
    }
    if (this.internalHead === queue.length) {
      queue.length = 0;
      this.internalHead = 0;
    } else if (this.internalHead > 4096 && this.internalHead * 2 > queue.length) {
      this.internalQueue = queue.slice(this.internalHead);
      this.internalHead = 0;
    }
  }

  /** Publications marked by authorizePublish end here: acknowledged to their client, sent to nobody. */
  private dropRefused(): void {
    const target = this.aedes as unknown as { publish: PublishFn };
    const publish = target.publish.bind(this.aedes);
    target.publish = (packet, client, done) => {
      if (!this.dropped.has(packet)) {
        publish(packet, client, done);
        return;
      }
      const callback = typeof client === "function" ? client : done;
      callback?.(null);
    };
  }

  private refused(peer: Peer, action: "publish" | "subscribe", topic: string): void {
    const key = `${peer.clientId ?? ""}\u0000${action}\u0000${topic}`;
    const suppressed = this.refusals.pass(key);
    if (suppressed === undefined) return;
    this.log.warn(
      {
        client: peer.clientId,
        username: peer.username,
        role: peer.role,
        remote: peer.remote,
        topic,
        suppressed,
      },
      action === "publish"
        ? "MQTT publish refused by the ACL: message dropped"
        : "MQTT subscription refused by the ACL",
    );
  }

  private clientError(client: Client, err: Error): void {
    const peer = this.peers.get(client.conn);
    const where = peer === undefined ? { client: client.id } : who(peer);
    if (err.message === "topic has too many levels") {
      this.log.warn(
        { ...where, limit: MAX_TOPIC_LEVELS },
        `MQTT topic of more than ${MAX_TOPIC_LEVELS} levels refused: connection closed`,
      );
      return;
    }
    this.log.debug({ ...where, err: err.message }, "MQTT client error");
  }

  async close(): Promise<void> {
    const left = this.internalQueue.slice(this.internalHead);
    this.internalQueue = [];
    this.internalHead = 0;
    for (const e of left) e?.done();
    this.wss?.close();
    const closing = (s: Server | HttpServer | undefined) =>
      s?.listening ? new Promise<void>((r) => s.close(() => r())) : undefined;
    await Promise.all([
      closing(this.server),
      closing(this.tlsServer),
      closing(this.http),
      new Promise<void>((r) => this.aedes.close(() => r())),
    ]);
  }
}

/** The fields that identify a connection in log lines. */
function who(peer: Peer): Record<string, unknown> {
  return { remote: peer.remote, transport: peer.transport, client: peer.clientId, username: peer.username };
}

function address(host: string | undefined, port: number | undefined): string {
  const h = host ?? "?";
  return `${h.includes(":") ? `[${h}]` : h}:${port ?? "?"}`;
}

/** One log line per key and interval; counts what it held back. */
class Throttle {
  private readonly intervalMs: number;
  private readonly seen = new Map<string, { at: number; suppressed: number }>();

  constructor(intervalMs: number) {
    this.intervalMs = intervalMs;
  }

  /** The number of events held back since the last pass, or undefined to hold this one back. */
  pass(key: string): number | undefined {
    const now = Date.now();
    const s = this.seen.get(key);
    if (s !== undefined && now - s.at < this.intervalMs) {
      s.suppressed++;
      return undefined;
    }
    if (this.seen.size >= 10_000) this.seen.clear();
    this.seen.set(key, { at: now, suppressed: 0 });
    return s?.suppressed ?? 0;
  }
}

function listen(server: Server | HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const a = server.address();
      resolve(typeof a === "object" && a !== null ? a.port : port);
    });
  });
}
