/**
 * The IEC 60870-5-104 master (controlling station): the requests of IEC104-NOTES.md sections 3-4,
 * each a promise settled by the matching replies (type id, CA, IOA and COT; see exchange.ts).
 * Negative replies reject with `NegativeConfirmationError`, silence with `RequestTimeoutError`, a
 * closed connection with `ConnectionClosedError`. Requests of any kind may be outstanding at once.
 */
import type { Asdu } from "../asdu/asdu.js";
import { BROADCAST_CA, Cot, TypeId } from "../asdu/types.js";
import type { Cp56Time2a } from "../codec/time.js";
import { type CommandOptions, commandAsdu, isCommandTypeId, toCp56 } from "./commands.js";
import { dial } from "./connect.js";
import type { Exchange, ExchangeSpec } from "./exchange.js";
import { BroadcastRequest, ExchangeRequest, ReadRequest, type StationOutcome } from "./kinds.js";
import { linkConfig, MasterLink, type MasterOptions } from "./master-link.js";
import { deferred } from "./requests.js";

export interface InterrogationResult {
  actCon: Asdu;
  /** The data ASDUs (COT = QOI, or 37-41 for counters), in arrival order. */
  data: Asdu[];
  actTerm: Asdu;
}

export interface CommandResult {
  actCon: Asdu;
  /**
   * Settles on the ACT_TERM. Rejects for a select (none follows), on a negative ACT_TERM, a timeout
   * (set-points may have no ACT_TERM) or a close; an unobserved rejection is never unhandled.
   */
  actTerm: Promise<Asdu>;
}

export interface SelectAndExecuteResult extends CommandResult {
  /** The ACT_CON of the select. */
  selectCon: Asdu;
}

export class Master extends MasterLink {
  /** Connects (TCP, or TLS with `tls`) within t0 and wires the link layer. Data transfer is still stopped. */
  static async connect(opts: MasterOptions): Promise<Master> {
    const cfg = linkConfig(opts.link);
    const socket = await dial({ host: opts.host, port: opts.port, t0Ms: cfg.t0Ms, tls: opts.tls });
    return new Master(socket, opts);
  }

  /** General (QOI 20) or group (21-36) interrogation of one station, resolved at ACT_TERM. */
  async interrogate(ca: number, qoi = 20): Promise<InterrogationResult> {
    const asdu = this.asdu(TypeId.C_IC_NA_1, Cot.ACTIVATION, ca, { ioa: 0, qoi });
    return toResult(await this.exchange(interrogationSpec(TypeId.C_IC_NA_1, ca, qoi), asdu));
  }

  /**
   * Interrogation to the broadcast CA 0xFFFF: each station answers in its own CA. Resolves when every
   * station of `stations` has terminated or refused, with one outcome per station.
   */
  interrogateAll(
    stations: readonly number[],
    qoi = 20,
  ): Promise<Map<number, StationOutcome<InterrogationResult>>> {
    const asdu = this.asdu(TypeId.C_IC_NA_1, Cot.ACTIVATION, BROADCAST_CA, { ioa: 0, qoi });
    return this.broadcast(interrogationSpec(TypeId.C_IC_NA_1, BROADCAST_CA, qoi), stations, asdu);
  }

  /** Counter interrogation (QCC: RQT bits 0-5, FRZ bits 6-7; default 5 = general, read). */
  async counterInterrogate(ca: number, qcc = 5): Promise<InterrogationResult> {
    const asdu = this.asdu(TypeId.C_CI_NA_1, Cot.ACTIVATION, ca, { ioa: 0, qcc });
    return toResult(await this.exchange(interrogationSpec(TypeId.C_CI_NA_1, ca, counterCot(qcc)), asdu));
  }

  /** Counter interrogation to the broadcast CA, one outcome per station (see interrogateAll). */
  counterInterrogateAll(
    stations: readonly number[],
    qcc = 5,
  ): Promise<Map<number, StationOutcome<InterrogationResult>>> {
    const asdu = this.asdu(TypeId.C_CI_NA_1, Cot.ACTIVATION, BROADCAST_CA, { ioa: 0, qcc });
    return this.broadcast(interrogationSpec(TypeId.C_CI_NA_1, BROADCAST_CA, counterCot(qcc)), stations, asdu);
  }

  /** C_RD_NA_1: resolves with the COT 5 reply (there is no ACT_CON); rejects on the negative one. */
  read(ca: number, ioa: number): Promise<Asdu> {
    const d = deferred<Asdu>();
    this.send(
      new ReadRequest(ca, ioa, d.resolve, d.reject),
      this.asdu(TypeId.C_RD_NA_1, Cot.REQUEST, ca, { ioa }),
    );
    return d.promise;
  }

  /** C_CS_NA_1 (default: now, UTC); resolves with the ACT_CON. */
  clockSync(ca: number, time: Cp56Time2a | Date = new Date()): Promise<Asdu> {
    const asdu = this.asdu(TypeId.C_CS_NA_1, Cot.ACTIVATION, ca, { ioa: 0, time: toCp56(time) });
    return this.confirm(TypeId.C_CS_NA_1, ca, 0, Cot.ACTIVATION_CON, asdu);
  }

  /** C_TS_TA_1 with the test sequence counter and a time tag (default now); resolves with the ACT_CON. */
  testCommand(ca: number, tsc: number, time?: Cp56Time2a | Date): Promise<Asdu> {
    const asdu = this.asdu(TypeId.C_TS_TA_1, Cot.ACTIVATION, ca, { ioa: 0, tsc, time: toCp56(time) });
    return this.confirm(TypeId.C_TS_TA_1, ca, 0, Cot.ACTIVATION_CON, asdu);
  }

  /** C_RP_NA_1 (QRP 1 general reset, 2 reset of pending time-tagged events); resolves with the ACT_CON. */
  resetProcess(ca: number, qrp = 1): Promise<Asdu> {
    const asdu = this.asdu(TypeId.C_RP_NA_1, Cot.ACTIVATION, ca, { ioa: 0, qrp });
    return this.confirm(TypeId.C_RP_NA_1, ca, 0, Cot.ACTIVATION_CON, asdu);
  }

  /**
   * A process command (45-51, 58-64): resolves at the ACT_CON with the ACT_TERM still to come. For a
   * select (`select: true`) nothing follows the ACT_CON.
   */
  command(opts: CommandOptions): Promise<CommandResult> {
    const main = deferred<CommandResult>();
    const term = deferred<Asdu>();
    term.promise.catch(() => {});
    let confirmed = false;
    const select = opts.select === true;
    try {
      if (!isCommandTypeId(opts.typeId))
        throw new RangeError(`type id ${opts.typeId} is not a command (45-51, 58-64)`);
      const spec = {
        typeId: opts.typeId,
        ca: opts.ca,
        ioa: opts.ioa,
        conCot: Cot.ACTIVATION_CON,
        wantTerm: !select,
      };
      const req = new ExchangeRequest(spec, {
        con: (ex) => {
          confirmed = true;
          main.resolve({ actCon: ex.actCon!, actTerm: term.promise });
          if (select) term.reject(new Error(`${req.label}: a select is not terminated (no ACT_TERM)`));
        },
        done: (ex) => {
          if (ex.actTerm !== undefined) term.resolve(ex.actTerm);
        },
        fail: (err) => (confirmed ? term.reject(err) : main.reject(err)),
      });
      this.send(req, commandAsdu(opts, Cot.ACTIVATION, this.originator));
    } catch (e) {
      main.reject(e as Error);
    }
    return main.promise;
  }

  /** Select, then (on a positive select ACT_CON) execute the same command. */
  async selectAndExecute(opts: CommandOptions): Promise<SelectAndExecuteResult> {
    const selected = await this.command({ ...opts, select: true });
    const executed = await this.command({ ...opts, select: false });
    return { selectCon: selected.actCon, ...executed };
  }

  /** Deactivation (COT 8) of a command, by default of a select; resolves with the DEACT_CON. */
  deactivate(opts: CommandOptions): Promise<Asdu> {
    try {
      if (!isCommandTypeId(opts.typeId))
        throw new RangeError(`type id ${opts.typeId} is not a command (45-51, 58-64)`);
      const asdu = commandAsdu({ ...opts, select: opts.select ?? true }, Cot.DEACTIVATION, this.originator);
      return this.confirm(opts.typeId, opts.ca, opts.ioa, Cot.DEACTIVATION_CON, asdu);
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  private exchange(spec: ExchangeSpec, asdu: Asdu): Promise<Exchange> {
    const d = deferred<Exchange>();
    this.send(new ExchangeRequest(spec, { done: d.resolve, fail: d.reject }), asdu);
    return d.promise;
  }

  /** A request answered by one confirmation (ACT_CON or DEACT_CON) and nothing else. */
  private async confirm(typeId: number, ca: number, ioa: number, conCot: number, asdu: Asdu): Promise<Asdu> {
    const ex = await this.exchange({ typeId, ca, ioa, conCot, wantTerm: false }, asdu);
    return ex.actCon!;
  }

  private broadcast(
    spec: ExchangeSpec,
    stations: readonly number[],
    asdu: Asdu,
  ): Promise<Map<number, StationOutcome<InterrogationResult>>> {
    const d = deferred<Map<number, StationOutcome<InterrogationResult>>>();
    if (stations.length === 0) {
      d.reject(new RangeError("a broadcast request needs the CAs of the stations expected to answer"));
      return d.promise;
    }
    const done = (exchanges: ReadonlyMap<number, Exchange>) => {
      const out = new Map<number, StationOutcome<InterrogationResult>>();
      for (const [ca, ex] of exchanges) {
        out.set(ca, ex.error ? { ca, ok: false, error: ex.error } : { ca, ok: true, result: toResult(ex) });
      }
      d.resolve(out);
    };
    this.send(new BroadcastRequest(spec, stations, done, d.reject), asdu);
    return d.promise;
  }
}

/** An interrogation (C_IC/C_CI) of `ca`: ACT_CON, the data of `dataCot`, ACT_TERM. */
function interrogationSpec(typeId: number, ca: number, dataCot: number | undefined): ExchangeSpec {
  return { typeId, ca, ioa: 0, conCot: Cot.ACTIVATION_CON, wantTerm: true, dataCot };
}

function toResult(ex: Exchange): InterrogationResult {
  return { actCon: ex.actCon!, data: ex.data, actTerm: ex.actTerm! };
}

/** The COT of counter data for a QCC: RQT 5 (general) -> 37, RQT 1-4 (group) -> 38-41. */
export function counterCot(qcc: number): number | undefined {
  const rqt = qcc & 0x3f;
  if (rqt === 5) return Cot.REQUESTED_BY_GENERAL_COUNTER;
  return rqt >= 1 && rqt <= 4 ? Cot.REQUESTED_BY_GENERAL_COUNTER + rqt : undefined;
}
