/** The kinds of outstanding request: one station's activation, a read, a broadcast to several stations. */
import type { Asdu } from "../asdu/asdu.js";
import { BROADCAST_CA, TypeId } from "../asdu/types.js";
import { describeRequest, NegativeConfirmationError } from "./errors.js";
import { Exchange, type ExchangeSpec, isNegativeCot } from "./exchange.js";
import { PendingRequest } from "./requests.js";

export interface ExchangeHooks {
  /** A positive ACT_CON/DEACT_CON arrived (before `done` when nothing follows it). */
  con?(ex: Exchange): void;
  /** The exchange completed positively. */
  done(ex: Exchange): void;
  /** A negative reply, a timeout or a closed connection. */
  fail(err: Error): void;
}

/** An activation (or deactivation) of one station, with its confirmation, data and termination. */
export class ExchangeRequest extends PendingRequest {
  readonly label: string;
  private readonly ex: Exchange;
  private readonly hooks: ExchangeHooks;
  private failed = false;

  constructor(spec: ExchangeSpec, hooks: ExchangeHooks) {
    super();
    this.ex = new Exchange(spec);
    this.hooks = hooks;
    this.label = describeRequest(spec.typeId, spec.ca, spec.ioa);
  }

  get settled(): boolean {
    return this.failed || this.ex.phase === "done";
  }

  offer(asdu: Asdu): boolean {
    const step = this.ex.offer(asdu);
    if (step === undefined) return false;
    if (step === "negative") {
      this.fail(this.ex.error!);
      return true;
    }
    if (step === "con") this.hooks.con?.(this.ex);
    if (this.ex.phase === "done") this.hooks.done(this.ex);
    return true;
  }

  fail(err: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.hooks.fail(err);
  }

  waitingFor(): string {
    return this.ex.waitingFor();
  }
}

/**
 * C_RD_NA_1 (IEC104-NOTES.md 3): no ACT_CON; the reply is the object in its own type with COT 5, or
 * the C_RD mirrored with P/N=1 and COT 44-47.
 */
export class ReadRequest extends PendingRequest {
  readonly label: string;
  settled = false;
  private readonly ca: number;
  private readonly ioa: number;
  private readonly resolve: (a: Asdu) => void;
  private readonly reject: (err: Error) => void;

  constructor(ca: number, ioa: number, resolve: (a: Asdu) => void, reject: (err: Error) => void) {
    super();
    this.ca = ca;
    this.ioa = ioa;
    this.resolve = resolve;
    this.reject = reject;
    this.label = describeRequest(TypeId.C_RD_NA_1, ca, ioa);
  }

  offer(a: Asdu): boolean {
    if (a.ca !== this.ca || !a.objects.some((o) => o.ioa === this.ioa)) return false;
    if (a.typeId === TypeId.C_RD_NA_1) {
      if (!a.negative && !isNegativeCot(a.cot)) return false;
      this.settled = true;
      this.reject(new NegativeConfirmationError(a));
      return true;
    }
    if (a.cot !== 5 || a.negative) return false;
    this.settled = true;
    this.resolve(a);
    return true;
  }

  fail(err: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(err);
  }

  waitingFor(): string {
    return "REQUEST (COT 5) reply";
  }
}

/** The outcome of one station's part of a broadcast request. */
export type StationOutcome<T> =
  | { ca: number; ok: true; result: T }
  | { ca: number; ok: false; error: NegativeConfirmationError };

/**
 * A request to CA 0xFFFF (IEC104-NOTES.md 3): each station answers with its own CA, in its own
 * ACT_CON / data / ACT_TERM block. Completes when every expected station completed or refused.
 */
export class BroadcastRequest extends PendingRequest {
  readonly label: string;
  settled = false;
  private readonly stations = new Map<number, Exchange>();
  private readonly done: (stations: ReadonlyMap<number, Exchange>) => void;
  private readonly reject: (err: Error) => void;

  /** `spec.ca` is ignored: each station's exchange has its own CA. */
  constructor(
    spec: ExchangeSpec,
    stations: readonly number[],
    done: (stations: ReadonlyMap<number, Exchange>) => void,
    reject: (err: Error) => void,
  ) {
    super();
    for (const ca of stations) this.stations.set(ca, new Exchange({ ...spec, ca }));
    this.done = done;
    this.reject = reject;
    this.label = describeRequest(spec.typeId, BROADCAST_CA, spec.ioa);
  }

  offer(a: Asdu): boolean {
    const ex = this.stations.get(a.ca);
    if (ex === undefined || ex.offer(a) === undefined) return false;
    for (const s of this.stations.values()) if (s.phase !== "done") return true;
    this.settled = true;
    this.done(this.stations);
    return true;
  }

  fail(err: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(err);
  }

  waitingFor(): string {
    const parts: string[] = [];
    for (const [ca, ex] of this.stations)
      if (ex.phase !== "done") parts.push(`${ex.waitingFor()} from CA ${ca}`);
    return parts.join(", ");
  }
}
