/**
 * Loads ../shared/vectors/lib60870-frames.jsonl (frames lib60870-C encoded and decoded) and maps each
 * vector's decoded fields onto this codec's object shapes, so tests compare like with like.
 */
import { readFileSync } from "node:fs";
import type { Apdu } from "../../src/iec104/apci/apdu.js";
import type { UFunctionName } from "../../src/iec104/apci/frames.js";
import type { Asdu } from "../../src/iec104/asdu/asdu.js";
import { Quality, type QualityFlag } from "../../src/iec104/codec/quality.js";
import type { Cp56Time2a } from "../../src/iec104/codec/time.js";
import { sharedFile } from "./shared.js";

interface VectorTime {
  iso: string;
  invalid: boolean;
  summerTime: boolean;
  dayOfWeek: number;
}

export interface Vector {
  name: string;
  kind: "asdu" | "apci";
  hex: string;
  apci:
    | { format: "I"; ns: number; nr: number }
    | { format: "S"; nr: number }
    | { format: "U"; function: string };
  source: string;
  typeId?: number;
  typeName?: string;
  sq?: boolean;
  numberOfObjects?: number;
  cot?: number;
  test?: boolean;
  negative?: boolean;
  oa?: number;
  ca?: number;
  objects?: Array<Record<string, unknown> & { ioa: number }>;
}

export function loadVectors(): Vector[] {
  return readFileSync(sharedFile("vectors", "lib60870-frames.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Vector);
}

export function timeFromVector(t: VectorTime): Cp56Time2a {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/.exec(t.iso);
  if (!m) throw new Error(`bad iso ${t.iso}`);
  const n = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
  return {
    year: n[0],
    month: n[1],
    day: n[2],
    hour: n[3],
    minute: n[4],
    ms: n[5] * 1000 + n[6],
    dayOfWeek: t.dayOfWeek,
    invalid: t.invalid,
    summerTime: t.summerTime,
  };
}

const FLOAT_TYPES = new Set([13, 36, 50, 63, 112]);
const DROP = new Set(["raw", "valueBits", "speFlags", "ociFlags"]);

/** One vector object in this codec's shape. */
export function objectFromVector(typeId: number, o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (DROP.has(k)) continue;
    if (k === "quality") out[k] = (v as QualityFlag[]).reduce((q, f) => q | Quality[f], 0);
    else if (k === "time") out[k] = timeFromVector(v as VectorTime);
    else if (k === "value" && FLOAT_TYPES.has(typeId)) out[k] = Math.fround(v as number);
    else out[k] = v;
  }
  return out;
}

/** The APDU a vector describes, in this codec's shape. */
export function apduFromVector(v: Vector): Apdu {
  if (v.apci.format === "S") return { format: "S", nr: v.apci.nr };
  if (v.apci.format === "U") return { format: "U", fn: v.apci.function as UFunctionName };
  const typeId = v.typeId!;
  const asdu = {
    typeId,
    sq: v.sq!,
    cot: v.cot!,
    test: v.test!,
    negative: v.negative!,
    oa: v.oa!,
    ca: v.ca!,
    objects: v.objects!.map((o) => objectFromVector(typeId, o)),
  } as unknown as Asdu;
  return { format: "I", ns: v.apci.ns, nr: v.apci.nr, asdu };
}
