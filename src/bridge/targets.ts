/**
 * Where MQTT values land: every monitoring point of the catalog resolved once to its station and
 * index, findable by its own topic address and by any external source topic. A point's quality is
 * the publisher's own quality plus what the bridge knows: NT when no update came within
 * `staleAfter`, IV while the publisher's availability topic says offline (or after a bad payload,
 * when so configured).
 */
import { addressKey } from "../iec104/asdu/asdu.js";
import type { MonitorTypeId } from "../iec104/asdu/scalar.js";
import { QDP_MASK, QDS_MASK, Quality, SIQ_QUALITY_MASK } from "../iec104/codec/quality.js";
import type { Outstation } from "../iec104/outstation/server.js";
import type { Station } from "../iec104/outstation/station.js";
import type { MonitorPoint, PointCatalog } from "../points/model.js";

export interface Target {
  point: MonitorPoint;
  station: Station;
  index: number;
  typeId: MonitorTypeId;
  /** JSON field to read on an external topic. */
  field: string | undefined;
  staleAfterMs: number;
  /** Monotonic time of the last good update. */
  lastUpdate: number;
  /** Quality the publisher gave with the last good value. */
  sourceQuality: number;
  stale: boolean;
  offline: boolean;
  badPayload: boolean;
  /** The quality bits this point's type can carry (SIQ/DIQ, QDS, BCR's IV, QDP, none for 21). */
  qualityMask: number;
  /** Single points: the state shows true/false. */
  booleanValue: boolean;
  /** The constant end of the point's state JSON (name, unit, type), built on first use. */
  stateTail: string | undefined;
  /** Its state has been published: the broker has (or serves) a retained `state/<ca>/<ioa>`. */
  stateRetained: boolean;
}

/** The quality bits a monitoring type can carry on the wire. */
export function qualityMaskOf(typeId: number): number {
  if (typeId === 1 || typeId === 3 || typeId === 30 || typeId === 31) return SIQ_QUALITY_MASK;
  if (typeId === 15 || typeId === 37) return Quality.IV;
  if (typeId >= 38 && typeId <= 40) return QDP_MASK;
  if (typeId === 21) return 0;
  return QDS_MASK;
}

export class TargetIndex {
  readonly all: Target[] = [];
  private readonly byAddress = new Map<number, Target>();
  private readonly byTopic = new Map<string, Target[]>();
  /** Built on the first lookup by name (availability rules naming points): most gateways never ask. */
  private byName: Map<string, Target> | undefined;

  constructor(outstation: Outstation, catalog: PointCatalog, defaultStaleAfterMs: number, now: number) {
    for (const p of catalog.points) {
      if (p.kind !== "monitor") continue;
      const station = outstation.stationByCa(p.ca);
      const index = station?.indexOf(p.ioa) ?? -1;
      if (station === undefined || index < 0)
        throw new Error(`point ${p.name} (CA ${p.ca}, IOA ${p.ioa}) is not in the outstation`);
      const t: Target = {
        point: p,
        station,
        index,
        typeId: p.typeId,
        field: p.source.field,
        staleAfterMs: p.staleAfterMs ?? defaultStaleAfterMs,
        lastUpdate: now,
        sourceQuality: station.quality[index]!,
        stale: false,
        offline: false,
        badPayload: false,
        qualityMask: qualityMaskOf(p.typeId),
        booleanValue: p.typeId === 1 || p.typeId === 30,
        stateTail: undefined,
        stateRetained: false,
      };
      this.all.push(t);
      this.byAddress.set(addressKey(p.ca, p.ioa), t);
      if (p.source.topic !== undefined) {
        const list = this.byTopic.get(p.source.topic);
        if (list === undefined) this.byTopic.set(p.source.topic, [t]);
        else list.push(t);
      }
    }
  }

  at(ca: number, ioa: number): Target | undefined {
    return this.byAddress.get(addressKey(ca, ioa));
  }

  onTopic(topic: string): readonly Target[] | undefined {
    return this.byTopic.get(topic);
  }

  named(name: string): Target | undefined {
    if (this.byName === undefined) {
      this.byName = new Map();
      for (const t of this.all) this.byName.set(t.point.name, t);
    }
    return this.byName.get(name);
  }

  /** The external source topics to subscribe to. */
  sourceTopics(): string[] {
    return [...this.byTopic.keys()];
  }
}

/** The quality a target's point should carry now. */
export function effectiveQuality(t: Target): number {
  const q = t.sourceQuality | (t.stale ? Quality.NT : 0) | (t.offline || t.badPayload ? Quality.IV : 0);
  return q & t.qualityMask;
}
