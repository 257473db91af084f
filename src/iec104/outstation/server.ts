/**
 * The outstation: a TCP (or TLS) server holding one or more stations (common addresses), the
 * redundancy groups with their event queues, and the connections of the masters. Masters outside
 * the allowlist or beyond the connection limit are refused before any protocol handling.
 */
import { EventEmitter } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer, type TLSSocket } from "node:tls";
import type { AsduHeader } from "../asdu/asdu.js";
import { Cot, TypeId } from "../asdu/types.js";
import type { CloseReason, LinkState } from "../link/session.js";
import { validateLinkConfig } from "../link/session.js";
import { buildEventFrame } from "./build.js";
import { systemClock, type TimerHandle } from "./clock.js";
import { autoCommandHandler } from "./commands.js";
import { MasterConnection, normalizeAddress } from "./connection.js";
import { dispatch } from "./dispatch.js";
import { type OutstationEvent, OutstationStats } from "./events.js";
import { RedundancyGroup } from "./group.js";
import { silentLogger } from "./log.js";
import { defaultOutstationOptions, type OutstationOptions } from "./options.js";
import { mirror } from "./replies.js";
import { Scheduler } from "./scheduler.js";
import { SelectionTable } from "./selection.js";
import { Station } from "./station.js";
import { type TimeFormat, timeFormat } from "./time-format.js";

export type OutstationInit = Partial<Omit<OutstationOptions, "stations">> & {
  stations: OutstationOptions["stations"];
};

type Events = { event: [OutstationEvent] };

/** A master whose send window stayed full this long without an acknowledgement is stalled (see backlog). */
export const STALLED_AFTER_MS = 1000;

/** The types that take return information, COT 11/12 (single, double and step position). */
const RETURN_INFO_TYPES = new Set<number>([1, 3, 5, 30, 31, 32]);

export class Outstation extends EventEmitter<Events> {
  readonly options: OutstationOptions;
  readonly stations: Station[];
  readonly stats = new OutstationStats();
  readonly tf: TimeFormat;
  readonly selections: SelectionTable;
  private readonly byCa = new Map<number, number>();
  private readonly groups = new Map<string, RedundancyGroup>();
  readonly connections = new Set<MasterConnection>();
  private server: Server | undefined;
  private readonly scheduler: Scheduler;
  /** Added to the wall clock for our time tags after a clock synchronisation. */
  clockOffsetMs = 0;
  /**
   * Told of every reported change (the bridge publishes the state of those not from MQTT), with its
   * cause as reported by the station: 11 for a command's effect even where the masters get COT 3.
   */
  pointChanged: ((station: Station, index: number, cot: number) => void) | undefined;

  constructor(init: OutstationInit) {
    super();
    const d = defaultOutstationOptions();
    this.options = {
      ...d,
      clock: systemClock,
      logger: silentLogger,
      commandHandler: autoCommandHandler,
      ...init,
      link: { ...d.link, ...init.link },
      redundancy: { ...d.redundancy, ...init.redundancy },
      eventQueue: { ...d.eventQueue, ...init.eventQueue },
      counters: { ...d.counters, ...init.counters },
    };
    const errors = validateLinkConfig(this.options.link);
    if (errors.length > 0) throw new Error(`invalid link configuration: ${errors.join("; ")}`);
    const now = this.options.clock.wall();
    this.stations = this.options.stations.map((def, i) => {
      if (this.byCa.has(def.ca)) throw new Error(`duplicate common address ${def.ca}`);
      if (def.ca === 0 || def.ca === 0xffff) throw new Error(`common address ${def.ca} is reserved`);
      this.byCa.set(def.ca, i);
      const st = new Station(def, now);
      st.listener = (station, index, cot) => this.onChange(i, station, index, cot);
      return st;
    });
    // The definitions are not kept: the stations hold everything (100k point definitions are 15 MB).
    this.options.stations = [];
    this.tf = timeFormat(this.options.timeZone);
    this.selections = new SelectionTable(this.options.clock);
    this.scheduler = new Scheduler(this);
    if (this.options.redundancy.mode === "single-group") this.group("all", true);
  }

  get log() {
    return this.options.logger;
  }

  /** The wall-clock time for our time tags: the system clock plus the clock-sync offset. */
  now(): number {
    return this.options.clock.wall() + this.clockOffsetMs;
  }

  stationByCa(ca: number): Station | undefined {
    const i = this.byCa.get(ca);
    return i === undefined ? undefined : this.stations[i];
  }

  stationIndex(station: Station): number {
    return this.byCa.get(station.ca)!;
  }

  /** The stations a request addresses (every station for the broadcast address). */
  targets(ca: number): Station[] {
    if (ca === 0xffff) return this.stations;
    const s = this.stationByCa(ca);
    return s === undefined ? [] : [s];
  }

  emitEvent(e: OutstationEvent): void {
    this.emit("event", e);
  }

  /* ---- events ---- */

  private onChange(stationIndex: number, station: Station, index: number, cot: number): void {
    const typeId = station.typeIds[index]!;
    const v = station.value[index]!;
    const a = station.aux[index]!;
    const q = station.quality[index]!;
    const t = station.time[index]!;
    // Return information (COT 11/12) exists only for single, double and step position information
    // (1, 3, 5, 30-32: IEC104-NOTES.md section 2); a command's effect on any other type (a set-point's
    // measured value, a bitstring) goes to the masters as a spontaneous change.
    const wire =
      (cot === Cot.RETURN_INFO_REMOTE || cot === Cot.RETURN_INFO_LOCAL) && !RETURN_INFO_TYPES.has(typeId)
        ? Cot.SPONTANEOUS
        : cot;
    for (const g of this.groups.values()) this.enqueue(g, stationIndex, index, typeId, wire, v, a, q, t);
    this.pointChanged?.(station, index, cot);
  }

  /** Queues an event with explicit values (frozen counters reported spontaneously). */
  pushEvent(
    station: Station,
    index: number,
    cot: number,
    value: number,
    aux: number,
    quality: number,
    time: number,
  ): void {
    const si = this.stationIndex(station);
    for (const g of this.groups.values())
      this.enqueue(g, si, index, station.typeIds[index]!, cot, value, aux, quality, time);
  }

  private enqueue(
    g: RedundancyGroup,
    si: number,
    index: number,
    typeId: number,
    cot: number,
    v: number,
    a: number,
    q: number,
    t: number,
  ): void {
    const dropped = g.queue.dropped;
    g.queue.push(si, index, typeId, cot, v, a, q, t);
    if (g.queue.dropped !== dropped) this.reportDrop(g);
    g.notify();
  }

  /**
   * Drop reports per group: when the last was made (at most one a second), and the time of the last
   * drop the limit held back, reported by a timer a second after it (else only the first drop of a
   * burst would ever be told).
   */
  private readonly dropReports = new Map<
    string,
    { last: number; heldAt: number | undefined; timer: TimerHandle | undefined }
  >();

  private reportDrop(g: RedundancyGroup): void {
    const { clock } = this.options;
    const r = this.dropReports.get(g.key);
    if (r !== undefined && clock.monotonic() - r.last < 1000) {
      r.heldAt = clock.monotonic();
      r.timer ??= clock.setTimer(() => this.heldDropReport(g), 1000);
      return;
    }
    this.announceDrops(g);
  }

  /** The timer of a held-back report: it reports a second after the last drop held back. */
  private heldDropReport(g: RedundancyGroup): void {
    const r = this.dropReports.get(g.key);
    if (r === undefined) return;
    r.timer = undefined;
    if (r.heldAt === undefined) return;
    const wait = r.heldAt + 1000 - this.options.clock.monotonic();
    if (wait > 0) r.timer = this.options.clock.setTimer(() => this.heldDropReport(g), wait);
    else this.announceDrops(g);
  }

  /** Logs and reports the group's running drop count now, replacing any held-back report. */
  private announceDrops(g: RedundancyGroup): void {
    const { clock } = this.options;
    const timer = this.dropReports.get(g.key)?.timer;
    if (timer !== undefined) clock.clearTimer(timer);
    this.dropReports.set(g.key, { last: clock.monotonic(), heldAt: undefined, timer: undefined });
    this.log.warn(
      { group: g.key, dropped: g.queue.dropped, policy: g.queue.policy },
      "event queue full: events dropped",
    );
    this.emitEvent({ type: "events-dropped", group: g.key, dropped: g.queue.dropped });
  }

  /** A group going away, or shutdown: a held-back report is made now, and no timer is left. */
  private settleDropReport(g: RedundancyGroup): void {
    if (this.dropReports.get(g.key)?.heldAt !== undefined) this.announceDrops(g);
    this.dropReports.delete(g.key);
  }

  /**
   * Queues an end of initialization (M_EI_NA_1, COI `coi`) for every station (or those of `stations`,
   * e.g. the one a reset process addressed) in one group or all.
   */
  endOfInit(coi: number, only?: RedundancyGroup, stations: readonly Station[] = this.stations): void {
    const time = this.now();
    for (const g of only ? [only] : this.groups.values()) {
      for (const st of stations)
        this.enqueue(g, this.stationIndex(st), 0, TypeId.M_EI_NA_1, Cot.INITIALIZED, coi, 0, 0, time);
    }
  }

  /**
   * How far the furthest-behind active master lags: its group's unsent events as a share of the
   * queue's capacity (0..1). The bridge slows its MQTT intake on this, so a master that consumes
   * never loses events. Groups without an active connection do not count (they buffer by design),
   * nor does a stalled master: its k window full and its oldest frame unacknowledged for
   * STALLED_AFTER_MS. A master that stopped reading would otherwise hold every other master's
   * values (and the command results behind them on the MQTT connection) until its t1 closes it;
   * its own queue overflows instead, counted and reported like any overflow.
   */
  backlog(): number {
    let worst = 0;
    for (const g of this.groups.values()) {
      const s = g.active?.session;
      if (s === undefined) continue;
      // Asked for every MQTT message: the clock only for a master whose window is full.
      if (!s.canSend && this.options.clock.monotonic() - s.oldestUnackedAt > STALLED_AFTER_MS) continue;
      const share = g.queue.unsent / g.queue.capacity;
      if (share > worst) worst = share;
    }
    return worst;
  }

  /** The group queues and their counters (for metrics and the masters list). */
  groupList(): readonly RedundancyGroup[] {
    return [...this.groups.values()];
  }

  private group(key: string, persistent: boolean): RedundancyGroup {
    let g = this.groups.get(key);
    if (g === undefined) {
      const { capacity, overflow } = this.options.eventQueue;
      g = new RedundancyGroup(key, persistent, capacity, overflow);
      this.groups.set(key, g);
      this.endOfInit(0, g);
    }
    return g;
  }

  private groupFor(conn: MasterConnection): RedundancyGroup {
    const { mode, groups } = this.options.redundancy;
    if (mode === "single-group") return this.group("all", true);
    if (mode === "by-ip") {
      const named = groups.find((g) => g.ips.includes(conn.remoteAddress));
      return this.group(named ? named.name : conn.remoteAddress, true);
    }
    return this.group(conn.id, false);
  }

  /* ---- replies ---- */

  /** Mirrors `raw` back with P/N=1 and `cot`, logging why. */
  negative(conn: MasterConnection, raw: Buffer, cot: number, reason: string, ca?: number): void {
    conn.reply(this.refusal(conn, raw, cot, reason, ca));
  }

  /**
   * The negative reply `negative` sends, counted, logged and reported, for the caller to queue (a
   * later station of a broadcast is refused in its turn, after the blocks of the stations before it).
   */
  refusal(conn: MasterConnection, raw: Buffer, cot: number, reason: string, ca?: number): Buffer {
    this.stats.countNegative(cot);
    const h = headerOf(raw);
    const station = ca ?? h.ca;
    conn.log.warn({ typeId: h.typeId, ca: station, cot }, `request refused: ${reason}`);
    this.emitEvent({
      type: "rejected",
      conn: conn.id,
      remote: conn.remote,
      typeId: h.typeId,
      ca: station,
      ioa: raw.length >= 9 ? raw[6]! | (raw[7]! << 8) | (raw[8]! << 16) : undefined,
      cot,
      reason,
    });
    return mirror(raw, { cot, negative: true, ca });
  }

  /* ---- the server ---- */

  async listen(): Promise<{ host: string; port: number }> {
    const onSocket = (socket: Socket) => this.accept(socket);
    const tlsOpts = this.options.tls;
    // Client certificates are checked here rather than inside the handshake, so the refusal can say
    // why (expired, unknown issuer, none presented): OpenSSL only tells the server "hang up".
    const verifyClient =
      tlsOpts !== undefined && tlsOpts.requestCert === true && tlsOpts.rejectUnauthorized !== false;
    const server = tlsOpts
      ? createTlsServer({ ...tlsOpts, rejectUnauthorized: false }, (s: TLSSocket) => {
          if (verifyClient && !s.authorized) {
            this.refuseTls(
              s,
              `client certificate refused: ${String(s.authorizationError ?? "none presented")}`,
            );
            return;
          }
          onSocket(s);
        })
      : createServer(onSocket);
    if (tlsOpts) {
      server.on("connection", (raw: Socket) => this.admit(raw));
      server.on("tlsClientError", (err, socket) =>
        this.refuseTls(socket, `handshake failed: ${err.message}`),
      );
    }
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    server.on("error", (err) => this.log.error({ err: err.message }, "IEC 104 server error"));
    this.scheduler.start();
    const addr = server.address();
    const port = typeof addr === "object" && addr !== null ? addr.port : this.options.port;
    this.log.info({ host: this.options.host, port, tls: Boolean(tlsOpts) }, "IEC 104 outstation listening");
    return { host: this.options.host, port };
  }

  get listening(): boolean {
    return this.server?.listening ?? false;
  }

  /**
   * Allowlist and connection limit, checked on the bare TCP connection before anything else (for TLS
   * before the handshake). Returns false after refusing and closing the socket.
   */
  private admit(socket: Socket): boolean {
    const address = normalizeAddress(socket.remoteAddress ?? "");
    const { allowlist, maxConnections } = this.options;
    let refusal: string | undefined;
    if (allowlist.length > 0 && !allowlist.includes(address)) refusal = `${address} is not in the allowlist`;
    else if (this.connections.size >= maxConnections) {
      refusal = `already ${maxConnections} connections (the maximum)`;
    }
    if (refusal === undefined) return true;
    const remote = `${address}:${socket.remotePort ?? 0}`;
    this.stats.connectionsRefused++;
    this.log.warn({ remote }, `connection refused: ${refusal}`);
    this.emitEvent({ type: "master-refused", remote, reason: refusal });
    socket.on("error", () => {});
    socket.destroy();
    return false;
  }

  /** A TLS connection that failed: refused, and logged as a security event. */
  private refuseTls(socket: Socket, why: string): void {
    const remote = `${normalizeAddress(socket.remoteAddress ?? "")}:${socket.remotePort ?? 0}`;
    this.stats.connectionsRefused++;
    this.log.warn({ remote, security: true }, `TLS ${why}`);
    this.emitEvent({ type: "master-refused", remote, reason: `TLS ${why}` });
    socket.on("error", () => {});
    socket.destroy();
  }

  private accept(socket: Socket): void {
    if (!this.admit(socket)) return;
    const conn = new MasterConnection(
      socket,
      this.options.link,
      this.options.clock,
      {
        asdu: (c, asdu) => dispatch(this, c, asdu),
        stateChange: (c, state) => this.onStateChange(c, state),
        closed: (c, reason) => this.onClosed(c, reason),
        eventFrame: (c) => (c.group ? buildEventFrame(c.group.queue, this.stations, 0, this.tf) : undefined),
        asduOut: (typeId) => {
          this.stats.asdusOut[typeId]!++;
        },
      },
      this.log,
    );
    this.stats.connectionsAccepted++;
    this.connections.add(conn);
    const g = this.groupFor(conn);
    g.members.add(conn);
    conn.group = g;
    conn.log.info({ group: g.key }, "master connected");
    this.emitEvent({ type: "master-connected", conn: conn.id, remote: conn.remote });
  }

  private onStateChange(conn: MasterConnection, state: LinkState): void {
    const g = conn.group!;
    if (state === "STARTED") {
      const old = g.activate(conn);
      if (old !== undefined)
        conn.log.info({ replaced: old.remote, group: g.key }, "took over as the active connection");
      // The end of initialization waiting at the head of the queue goes out before anything else,
      // even the reply to a request that arrived in the same segment as the STARTDT act.
      let p = g.queue.sent;
      while (p < g.queue.tail && g.queue.typeAt(p) === TypeId.M_EI_NA_1) p++;
      conn.sendEventsFirst(p);
    } else if (state === "STOPPED") {
      g.deactivate(conn);
    }
    this.emitEvent({ type: "data-transfer", conn: conn.id, remote: conn.remote, state, group: g.key });
  }

  private onClosed(conn: MasterConnection, reason: CloseReason): void {
    this.connections.delete(conn);
    for (const f of ["I", "S", "U"] as const) {
      this.stats.framesIn[f] += conn.received[f];
      this.stats.framesOut[f] += conn.sent[f];
    }
    this.stats.countClose(reason.code);
    this.selections.dropConnection(conn.id);
    const g = conn.group;
    if (g !== undefined) {
      g.deactivate(conn);
      g.members.delete(conn);
      if (!g.persistent && g.members.size === 0) {
        this.settleDropReport(g);
        this.groups.delete(g.key);
        this.stats.droppedInClosedGroups += g.queue.dropped;
      }
    }
    const quiet = reason.code === "LOCAL" || reason.code === "PEER_CLOSED";
    const log = quiet ? conn.log.info.bind(conn.log) : conn.log.warn.bind(conn.log);
    log(
      { code: reason.code, framesIn: conn.framesIn, framesOut: conn.framesOut },
      `connection closed: ${reason.message}`,
    );
    this.emitEvent({
      type: "master-closed",
      conn: conn.id,
      remote: conn.remote,
      code: reason.code,
      reason: reason.message,
    });
  }

  /** Stops accepting new masters; the connected ones carry on until `close`. */
  stopAccepting(): void {
    this.server?.close();
  }

  /** Resolves once every connection has sent what it could (its replies), or after `maxMs`. */
  async flush(maxMs: number): Promise<void> {
    // Replies decided just before (commands answered on shutdown) are queued a few microtasks on.
    await new Promise((r) => setImmediate(r));
    const until = this.options.clock.monotonic() + maxMs;
    while (
      [...this.connections].some((c) => c.hasPendingReplies()) &&
      this.options.clock.monotonic() < until
    ) {
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Stops accepting masters and closes every connection. */
  async close(reason = "outstation shutting down"): Promise<void> {
    this.scheduler.stop();
    for (const g of this.groups.values()) this.settleDropReport(g);
    this.selections.clear();
    const server = this.server;
    this.server = undefined;
    for (const c of [...this.connections]) c.shutdown(reason);
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function headerOf(raw: Buffer): Pick<AsduHeader, "typeId" | "ca"> {
  return { typeId: raw[0] ?? 0, ca: raw.length >= 6 ? raw[4]! | (raw[5]! << 8) : 0 };
}
