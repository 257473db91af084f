/**
 * A station (one common address) and its point image. Values live in typed arrays indexed by the
 * point's position (points sorted by IOA), so an update, an interrogation and an event snapshot
 * touch numbers only. The station decides when a change is reported spontaneously (deadband,
 * quality change) and hands the event to its listener (the outstation, which fans it out to every
 * redundancy group's queue).
 */
import {
  isMonitorType,
  type MonitorCategory,
  type MonitorTypeId,
  type ScalarSpec,
  scalarSpec,
} from "../asdu/scalar.js";
import { Cot } from "../asdu/types.js";
import { listsByType, type PointList } from "./jobs.js";

export interface MonitorPointDef {
  ioa: number;
  /** The configured type: the one sent spontaneously and on read (e.g. 36 M_ME_TF_1). */
  typeId: MonitorTypeId;
  name?: string;
  /** Interrogation groups 1..16 the point belongs to (it always answers a station interrogation). */
  groups?: readonly number[];
  /** Counter interrogation group 1..4 (integrated totals only). */
  counterGroup?: number;
  /** Spontaneous reporting threshold for measured values, in the element's own unit (0: any change). */
  deadband?: number;
  /** Periodic (COT 1) transmission interval. */
  cyclicMs?: number;
  /** Background scan (COT 2) interval. */
  backgroundMs?: number;
  /** Report changes spontaneously (COT 3); default true, false for integrated totals. */
  spontaneous?: boolean;
  initial?: { value?: number; aux?: number; quality?: number };
}

export interface CommandPointDef {
  ioa: number;
  /** The command type without time tag (45..51); the time-tagged form (58..64) is accepted too. */
  typeId: number;
  name?: string;
  /** `direct`: execute only; `select`: select-before-operate required; `both` (default). */
  mode?: "direct" | "select" | "both";
  /** The monitoring point that reflects this command (the built-in handler mirrors into it). */
  statusIoa?: number;
  /** Send ACT_TERM after a positive execute (default true; some masters expect none for set-points). */
  actTerm?: boolean;
}

export interface CommandPoint extends Required<Omit<CommandPointDef, "name" | "statusIoa">> {
  name: string | undefined;
  /** Index of the linked status point in the monitor image, -1 when none. */
  statusIndex: number;
}

export interface StationDef {
  ca: number;
  name?: string;
  points: readonly MonitorPointDef[];
  commands?: readonly CommandPointDef[];
}

/** Receives every spontaneous change of a station. */
export type StationListener = (station: Station, index: number, cot: number) => void;

/** How a type's changes are judged: against a deadband, any change, counters, protection events. */
const Kind = { DIGITAL: 0, ANALOG: 1, COUNTER: 2, PROTECTION: 3 } as const;
const KIND_OF: Readonly<Record<MonitorCategory, number>> = {
  status: Kind.DIGITAL,
  measured: Kind.ANALOG,
  counter: Kind.COUNTER,
  protection: Kind.PROTECTION,
};
function kindOf(t: MonitorTypeId): number {
  return KIND_OF[scalarSpec(t).category];
}

export class Station {
  readonly ca: number;
  readonly name: string | undefined;
  readonly size: number;
  readonly ioas: Uint32Array;
  readonly typeIds: Uint8Array;
  /** Kind of each point (see Kind). */
  private readonly kind: Uint8Array;
  /** Counters: the published reading at the last reset; the image holds reading - base. */
  private readonly counterBase: Float64Array;
  private readonly publishedCounter: Float64Array;
  readonly specs: ScalarSpec[];
  readonly names: (string | undefined)[];
  /** Bit 0: answers a station interrogation; bits 1..16: interrogation groups. */
  readonly groupMask: Uint32Array;
  readonly counterGroup: Uint8Array;
  readonly deadband: Float64Array;
  readonly spontaneous: Uint8Array;
  readonly cyclicMs: Float64Array;
  readonly backgroundMs: Float64Array;
  readonly value: Float64Array;
  readonly aux: Float64Array;
  readonly quality: Uint8Array;
  /** Epoch ms of the value (source time or the gateway's time of the update). */
  readonly time: Float64Array;
  /** What was last reported spontaneously, for the deadband. */
  private readonly sentValue: Float64Array;
  private readonly sentAux: Float64Array;
  private readonly sentQuality: Uint8Array;
  /** Frozen counter readings (counter interrogation with FRZ). */
  readonly frozenValue: Float64Array;
  readonly frozenAux: Float64Array;
  readonly frozenTime: Float64Array;
  /** 1 once a counter has been frozen; until then a read of frozen readings gives the current one. */
  private readonly frozenOnce: Uint8Array;
  readonly commands = new Map<number, CommandPoint>();
  private readonly index = new Map<number, number>();
  /** Per interrogation group 0 (station) .. 16: the point indices per untimed type, IOA order. */
  private readonly giLists: PointList[][];
  /** Counter indices per group 0 (all) .. 4. */
  private readonly counterLists: Uint32Array[];
  listener: StationListener | undefined;

  constructor(def: StationDef, now: number) {
    this.ca = def.ca;
    this.name = def.name;
    const points = [...def.points].sort((a, b) => a.ioa - b.ioa);
    const n = points.length;
    this.size = n;
    this.ioas = new Uint32Array(n);
    this.typeIds = new Uint8Array(n);
    this.kind = new Uint8Array(n);
    this.counterBase = new Float64Array(n);
    this.publishedCounter = new Float64Array(n);
    this.specs = new Array(n);
    this.names = new Array(n);
    this.groupMask = new Uint32Array(n);
    this.counterGroup = new Uint8Array(n);
    this.deadband = new Float64Array(n);
    this.spontaneous = new Uint8Array(n);
    this.cyclicMs = new Float64Array(n);
    this.backgroundMs = new Float64Array(n);
    this.value = new Float64Array(n);
    this.aux = new Float64Array(n);
    this.quality = new Uint8Array(n);
    this.time = new Float64Array(n).fill(now);
    this.sentValue = new Float64Array(n);
    this.sentAux = new Float64Array(n);
    this.sentQuality = new Uint8Array(n);
    this.frozenValue = new Float64Array(n);
    this.frozenAux = new Float64Array(n);
    this.frozenTime = new Float64Array(n).fill(now);
    this.frozenOnce = new Uint8Array(n);
    points.forEach((p, i) => {
      if (!isMonitorType(p.typeId))
        throw new Error(`station ${def.ca} IOA ${p.ioa}: type ${p.typeId} is not a monitoring type`);
      if (this.index.has(p.ioa)) throw new Error(`station ${def.ca}: duplicate IOA ${p.ioa}`);
      this.index.set(p.ioa, i);
      this.ioas[i] = p.ioa;
      this.typeIds[i] = p.typeId;
      const kind = kindOf(p.typeId);
      this.kind[i] = kind;
      this.specs[i] = scalarSpec(p.typeId);
      this.names[i] = p.name;
      const inGi = kind === Kind.ANALOG || kind === Kind.DIGITAL;
      let mask = inGi ? 1 : 0;
      if (inGi) for (const g of p.groups ?? []) mask |= 1 << g;
      this.groupMask[i] = mask;
      this.counterGroup[i] = kind === Kind.COUNTER ? (p.counterGroup ?? 0) : 0;
      this.deadband[i] = p.deadband ?? 0;
      this.spontaneous[i] = (p.spontaneous ?? kind !== Kind.COUNTER) ? 1 : 0;
      this.cyclicMs[i] = p.cyclicMs ?? 0;
      this.backgroundMs[i] = p.backgroundMs ?? 0;
      this.value[i] = p.initial?.value ?? 0;
      this.aux[i] = p.initial?.aux ?? 0;
      this.quality[i] = p.initial?.quality ?? 0;
      this.sentValue[i] = this.value[i]!;
      this.sentAux[i] = this.aux[i]!;
      this.sentQuality[i] = this.quality[i]!;
      this.frozenValue[i] = this.value[i]!;
      this.frozenAux[i] = this.aux[i]!;
      this.publishedCounter[i] = this.value[i]!;
    });
    for (const c of def.commands ?? []) {
      if (this.commands.has(c.ioa)) throw new Error(`station ${def.ca}: duplicate command IOA ${c.ioa}`);
      const statusIndex = c.statusIoa === undefined ? -1 : (this.index.get(c.statusIoa) ?? -2);
      if (statusIndex === -2)
        throw new Error(`station ${def.ca} command ${c.ioa}: status IOA ${c.statusIoa} is unknown`);
      this.commands.set(c.ioa, {
        ioa: c.ioa,
        typeId: c.typeId,
        name: c.name,
        mode: c.mode ?? "both",
        actTerm: c.actTerm ?? true,
        statusIndex,
      });
    }
    this.giLists = [];
    for (let g = 0; g <= 16; g++) this.giLists.push(this.buildGiList(1 << g));
    this.counterLists = [];
    for (let g = 0; g <= 4; g++) {
      const idx: number[] = [];
      for (let i = 0; i < n; i++) {
        if (this.kind[i] === Kind.COUNTER && (g === 0 || this.counterGroup[i] === g)) idx.push(i);
      }
      this.counterLists.push(Uint32Array.from(idx));
    }
  }

  private buildGiList(bit: number): PointList[] {
    const members: number[] = [];
    for (let i = 0; i < this.size; i++) if (this.groupMask[i]! & bit) members.push(i);
    return listsByType(members, (i) => this.specs[i]!.untimed);
  }

  /** The point index of an IOA, or -1. */
  indexOf(ioa: number): number {
    return this.index.get(ioa) ?? -1;
  }

  /** The points answering interrogation group `group` (0 = station), by untimed type. */
  interrogationList(group: number): readonly PointList[] {
    return this.giLists[group] ?? [];
  }

  /** The integrated totals of counter group `group` (0 = all). */
  counterList(group: number): Uint32Array {
    return this.counterLists[group] ?? new Uint32Array(0);
  }

  isCounter(index: number): boolean {
    return this.kind[index] === Kind.COUNTER;
  }

  /**
   * Sets a point's value. Reports a spontaneous event (or `cot`, e.g. 11 for return information)
   * when the change passes the deadband or the quality changed, or always for a COT other than 3.
   * Returns true when an event was reported. A counter's value is its published reading; the image
   * holds it minus the reading at the last reset by the master.
   */
  update(
    index: number,
    value: number,
    quality: number,
    timeMs: number,
    aux = 0,
    cot: number = Cot.SPONTANEOUS,
  ): boolean {
    if (this.kind[index] === Kind.COUNTER) {
      this.publishedCounter[index] = value;
      value -= this.counterBase[index]!;
      aux = (this.aux[index]! & 0x1f) | (aux & 0x60);
    }
    this.value[index] = value;
    this.aux[index] = aux;
    this.quality[index] = quality;
    this.time[index] = timeMs;
    if (cot === Cot.SPONTANEOUS) {
      if (this.spontaneous[index] === 0) return false;
      if (!this.changed(index, value, aux, quality)) return false;
    }
    this.sentValue[index] = value;
    this.sentAux[index] = aux;
    this.sentQuality[index] = quality;
    this.listener?.(this, index, cot);
    return true;
  }

  private changed(i: number, value: number, aux: number, quality: number): boolean {
    if (quality !== this.sentQuality[i]) return true;
    const kind = this.kind[i];
    if (kind === Kind.ANALOG) {
      const prev = this.sentValue[i]!;
      const db = this.deadband[i]!;
      if (Number.isNaN(value) !== Number.isNaN(prev)) return true;
      if (!(db > 0)) return value !== prev && !(Number.isNaN(value) && Number.isNaN(prev));
      // "At the deadband" in decimal terms (0.5 -> 0.6 with 0.1) must count: allow the rounding
      // error of the subtraction and of the deadband itself.
      const slack = 4 * Number.EPSILON * Math.max(Math.abs(value), Math.abs(prev), db);
      return Math.abs(value - prev) >= db - slack;
    }
    if (kind === Kind.PROTECTION) return true;
    return value !== this.sentValue[i] || aux !== this.sentAux[i];
  }

  /** Sets only the quality (stale -> NT, publisher offline -> IV), reporting the change. */
  setQuality(index: number, quality: number, timeMs: number): boolean {
    if (this.quality[index] === quality) return false;
    const value = this.kind[index] === Kind.COUNTER ? this.publishedCounter[index]! : this.value[index]!;
    return this.update(index, value, quality, timeMs, this.aux[index]!);
  }

  /** Freezes counters (FRZ 1/2): frozen := reading, sequence number + 1; `reset` zeroes the reading. */
  freezeCounters(indices: Uint32Array, timeMs: number, reset: boolean): void {
    for (const i of indices) {
      const seq = ((this.aux[i]! & 0x1f) + 1) & 0x1f;
      const flags = this.aux[i]! & 0x60;
      this.aux[i] = seq | flags;
      this.frozenValue[i] = this.value[i]!;
      this.frozenAux[i] = seq | flags;
      this.frozenTime[i] = timeMs;
      this.frozenOnce[i] = 1;
    }
    if (reset) this.resetCounters(indices, timeMs);
  }

  /**
   * Before the frozen readings of `indices` are read (FRZ 0): a counter that has never been frozen
   * has no frozen reading yet, so its current one stands in for it.
   */
  syncUnfrozen(indices: Uint32Array): void {
    for (const i of indices) {
      if (this.frozenOnce[i] === 1) continue;
      this.frozenValue[i] = this.value[i]!;
      this.frozenAux[i] = this.aux[i]!;
      this.frozenTime[i] = this.time[i]!;
    }
  }

  /** Resets counter readings to zero (FRZ 3): later readings count from the current one. */
  resetCounters(indices: Uint32Array, timeMs: number): void {
    for (const i of indices) {
      this.counterBase[i] = this.publishedCounter[i]!;
      this.value[i] = 0;
      this.time[i] = timeMs;
    }
  }
}
