/**
 * What the scripted outstation answers to a request ASDU, as the standard says it should
 * (/work/shared/design/IEC104-NOTES.md sections 2-4): a pure function of the request, the station
 * model and the per-connection selections.
 */
import {
  type Asdu,
  BROADCAST_CA,
  Cot,
  type InformationObject,
  packAsdus,
  TypeId,
} from "../../../src/iec104/index.js";

/** A monitored point of a station: its type id and information object (value, quality...). */
export type Point = {
  [K in TypeId]: { ca: number; typeId: K; object: InformationObject<K>; group?: number };
}[TypeId];

export interface Model {
  stations: number[];
  points: Point[];
  /** IOAs that accept every command type. */
  commandIoas: Set<number>;
  /** IOAs whose commands need a select first (select-before-operate). */
  sboIoas: Set<number>;
}

/** Selections of one connection: `ca:ioa:typeId`. */
export type Selections = Set<string>;

const SYSTEM = new Set<number>([100, 101, 102, 103, 105, 107]);
const BROADCASTABLE = new Set<number>([100, 101, 103, 105]);

function isCommand(t: number): boolean {
  return (t >= 45 && t <= 51) || (t >= 58 && t <= 64);
}

function mirror(req: Asdu, cot: number, negative = false, ca = req.ca): Asdu {
  return { ...req, cot, negative, ca };
}

function pointAsdu(p: Point, cot: number): Asdu {
  return {
    typeId: p.typeId,
    sq: false,
    cot,
    test: false,
    negative: false,
    oa: 0,
    ca: p.ca,
    objects: [p.object],
  } as Asdu;
}

/** Packs the points into ASDUs, one run per type id (the order of first appearance). */
function dataAsdus(points: Point[], cot: number, oa: number): Asdu[] {
  const byType = new Map<number, Point[]>();
  for (const p of points) byType.set(p.typeId, [...(byType.get(p.typeId) ?? []), p]);
  const out: Asdu[] = [];
  for (const [typeId, ps] of byType) {
    const objects = ps.map((p) => p.object);
    const header = { cot, oa, ca: ps[0]!.ca };
    out.push(...(packAsdus(typeId as TypeId, header, objects) as Asdu[]));
  }
  return out;
}

export function answer(req: Asdu, m: Model, sel: Selections): Asdu[] {
  if (!SYSTEM.has(req.typeId) && !isCommand(req.typeId)) return [mirror(req, Cot.UNKNOWN_TYPE_ID, true)];
  if (req.ca === BROADCAST_CA) {
    if (!BROADCASTABLE.has(req.typeId)) return [mirror(req, Cot.UNKNOWN_CA, true)];
    return m.stations.flatMap((ca) => answerStation(mirror(req, req.cot, false, ca), m, sel));
  }
  if (!m.stations.includes(req.ca)) return [mirror(req, Cot.UNKNOWN_CA, true)];
  return answerStation(req, m, sel);
}

function answerStation(req: Asdu, m: Model, sel: Selections): Asdu[] {
  const ioa = req.objects[0]!.ioa;
  const station = m.points.filter((p) => p.ca === req.ca);
  switch (req.typeId) {
    case TypeId.C_IC_NA_1: {
      if (req.cot === Cot.DEACTIVATION) return [mirror(req, Cot.DEACTIVATION_CON)];
      if (req.cot !== Cot.ACTIVATION) return [mirror(req, Cot.UNKNOWN_CAUSE, true)];
      if (ioa !== 0) return [mirror(req, Cot.UNKNOWN_IOA, true)];
      const qoi = req.objects[0]!.qoi;
      if (qoi < 20 || qoi > 36) return [mirror(req, Cot.ACTIVATION_CON, true)];
      const pts = station.filter(
        (p) => p.typeId !== TypeId.M_IT_NA_1 && (qoi === 20 || p.group === qoi - 20),
      );
      return [
        mirror(req, Cot.ACTIVATION_CON),
        ...dataAsdus(pts, qoi, req.oa),
        mirror(req, Cot.ACTIVATION_TERMINATION),
      ];
    }
    case TypeId.C_CI_NA_1: {
      if (req.cot !== Cot.ACTIVATION) return [mirror(req, Cot.UNKNOWN_CAUSE, true)];
      if (ioa !== 0) return [mirror(req, Cot.UNKNOWN_IOA, true)];
      const rqt = req.objects[0]!.qcc & 0x3f;
      if (rqt < 1 || rqt > 5) return [mirror(req, Cot.ACTIVATION_CON, true)];
      const pts = station.filter((p) => p.typeId === TypeId.M_IT_NA_1 && (rqt === 5 || p.group === rqt));
      const cot = rqt === 5 ? 37 : 37 + rqt;
      return [
        mirror(req, Cot.ACTIVATION_CON),
        ...dataAsdus(pts, cot, req.oa),
        mirror(req, Cot.ACTIVATION_TERMINATION),
      ];
    }
    case TypeId.C_RD_NA_1: {
      if (req.cot !== Cot.REQUEST) return [mirror(req, Cot.UNKNOWN_CAUSE, true)];
      const p = station.find((x) => x.object.ioa === ioa && x.typeId !== TypeId.M_IT_NA_1);
      return p ? [{ ...pointAsdu(p, Cot.REQUEST), oa: req.oa }] : [mirror(req, Cot.UNKNOWN_IOA, true)];
    }
    case TypeId.C_CS_NA_1:
    case TypeId.C_RP_NA_1:
    case TypeId.C_TS_TA_1:
      if (req.cot !== Cot.ACTIVATION) return [mirror(req, Cot.UNKNOWN_CAUSE, true)];
      if (ioa !== 0) return [mirror(req, Cot.UNKNOWN_IOA, true)];
      return [mirror(req, Cot.ACTIVATION_CON)];
    default:
      return answerCommand(req, ioa, m, sel);
  }
}

function answerCommand(req: Asdu, ioa: number, m: Model, sel: Selections): Asdu[] {
  if (req.cot !== Cot.ACTIVATION && req.cot !== Cot.DEACTIVATION)
    return [mirror(req, Cot.UNKNOWN_CAUSE, true)];
  if (!m.commandIoas.has(ioa)) return [mirror(req, Cot.UNKNOWN_IOA, true)];
  const key = `${req.ca}:${ioa}:${req.typeId}`;
  if (req.cot === Cot.DEACTIVATION) {
    sel.delete(key);
    return [mirror(req, Cot.DEACTIVATION_CON)];
  }
  const o = req.objects[0]! as { value: unknown; select?: boolean };
  const isDouble = req.typeId === 46 || req.typeId === 47 || req.typeId === 59 || req.typeId === 60;
  if (isDouble && (o.value === 0 || o.value === 3)) return [mirror(req, Cot.ACTIVATION_CON, true)];
  if (o.select === true) {
    sel.add(key);
    return [mirror(req, Cot.ACTIVATION_CON)];
  }
  if (m.sboIoas.has(ioa) && !sel.has(key)) return [mirror(req, Cot.ACTIVATION_CON, true)];
  sel.delete(key);
  return [mirror(req, Cot.ACTIVATION_CON), mirror(req, Cot.ACTIVATION_TERMINATION)];
}
