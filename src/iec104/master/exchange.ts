/**
 * The reply matching of one activation or deactivation towards one station (IEC 101 7.2.3 and the
 * sequences of IEC104-NOTES.md sections 3-4): a pure state machine, no timers and no promises.
 *
 * Replies mirror the request's type id, CA and IOA: ACT_CON (7) or DEACT_CON (9), P/N=1 when negative;
 * COT 44-47 (unknown type, cause, CA, IOA) are negatives too; ACT_TERM (10) ends GI, counter
 * interrogation and commands. Data of an interrogation has another type id, the same CA and
 * COT = QOI (20-36) or 37-41 for counters, and arrives between ACT_CON and ACT_TERM.
 */
import type { Asdu } from "../asdu/asdu.js";
import { Cot, cotName } from "../asdu/types.js";
import { NegativeConfirmationError } from "./errors.js";

export type ExchangePhase = "con" | "term" | "done";
export type ExchangeStep = "con" | "data" | "term" | "negative";

export interface ExchangeSpec {
  typeId: number;
  ca: number;
  ioa: number;
  /** The confirmation expected: ACTIVATION_CON (7) or DEACTIVATION_CON (9). */
  conCot: number;
  /** True when an ACT_TERM follows the confirmation. */
  wantTerm: boolean;
  /** COT of the data between ACT_CON and ACT_TERM (interrogations); undefined when none. */
  dataCot?: number | undefined;
}

/** True for the COTs that only a negative reply carries (44-47). */
export function isNegativeCot(cot: number): boolean {
  return cot >= Cot.UNKNOWN_TYPE_ID && cot <= Cot.UNKNOWN_IOA;
}

/** The IOA of the first object (the one a request's reply mirrors). */
export function firstIoa(asdu: Asdu): number | undefined {
  return asdu.objects[0]?.ioa;
}

export class Exchange {
  readonly spec: ExchangeSpec;
  phase: ExchangePhase = "con";
  actCon: Asdu | undefined;
  actTerm: Asdu | undefined;
  readonly data: Asdu[] = [];
  error: NegativeConfirmationError | undefined;

  constructor(spec: ExchangeSpec) {
    this.spec = spec;
  }

  /** What the exchange waits for next, as a COT name. */
  waitingFor(): string {
    if (this.phase === "con") return cotName(this.spec.conCot);
    return this.phase === "term" ? cotName(Cot.ACTIVATION_TERMINATION) : "nothing";
  }

  /** Takes the ASDU when it belongs to this exchange; returns what it was, or undefined. */
  offer(a: Asdu): ExchangeStep | undefined {
    const s = this.spec;
    if (this.phase === "done" || a.ca !== s.ca) return undefined;
    if (a.typeId === s.typeId && firstIoa(a) === s.ioa) return this.reply(a);
    if (this.phase === "term" && s.dataCot !== undefined && a.cot === s.dataCot && !a.negative) {
      this.data.push(a);
      return "data";
    }
    return undefined;
  }

  private reply(a: Asdu): ExchangeStep | undefined {
    if (this.phase === "con" && (a.cot === this.spec.conCot || isNegativeCot(a.cot))) {
      if (a.negative || isNegativeCot(a.cot)) return this.negative(a);
      this.actCon = a;
      this.phase = this.spec.wantTerm ? "term" : "done";
      return "con";
    }
    if (this.phase === "term" && a.cot === Cot.ACTIVATION_TERMINATION) {
      if (a.negative) return this.negative(a);
      this.actTerm = a;
      this.phase = "done";
      return "term";
    }
    return undefined;
  }

  private negative(a: Asdu): ExchangeStep {
    this.error = new NegativeConfirmationError(a);
    this.phase = "done";
    return "negative";
  }
}
