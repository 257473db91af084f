/**
 * Codec suite: encode and decode throughput of whole I-frames (APCI + ASDU) filled to the largest
 * ASDU that fits, in frames/s and information objects/s:
 *
 *   M_ME_NC_1 (short float + QDS)           SQ=0, maxObjectsPerAsdu(13)        objects
 *   M_ME_TF_1 (short float + QDS + CP56)    SQ=0, maxObjectsPerAsdu(36)        objects
 *   M_ME_NC_1                               SQ=1, maxObjectsPerAsdu(13, true)  objects
 *
 * Each case cycles through a pool of distinct frames (different IOAs, values, qualities and times)
 * so no single input is special. Run with `npm run bench -- --only codec [--quick]`, or on its own
 * with `tsx bench/codec.ts [--quick]`.
 */
import { deepStrictEqual } from "node:assert/strict";
import {
  type Apdu,
  type Asdu,
  cp56FromEpochMs,
  decodeApdu,
  encodeApdu,
  maxObjectsPerAsdu,
  Quality,
  TypeId,
} from "../src/iec104/index.js";
import type { CaseResult } from "./lib/results.js";
import { measureRate, summarize } from "./lib/stats.js";
import { runSuite } from "./lib/suite.js";

/** Distinct frames per case (a power of two: the loop indexes with `i & (POOL - 1)`). */
const POOL = 64;
const BASE_EPOCH = Date.UTC(2024, 5, 1, 12, 0, 0);

type Measured = typeof TypeId.M_ME_NC_1 | typeof TypeId.M_ME_TF_1;

interface CodecCase {
  name: string;
  typeId: Measured;
  sq: boolean;
  objectsPerFrame: number;
}

const CASES: readonly CodecCase[] = [
  {
    name: "M_ME_NC_1 SQ=0",
    typeId: TypeId.M_ME_NC_1,
    sq: false,
    objectsPerFrame: maxObjectsPerAsdu(TypeId.M_ME_NC_1),
  },
  {
    name: "M_ME_TF_1 SQ=0",
    typeId: TypeId.M_ME_TF_1,
    sq: false,
    objectsPerFrame: maxObjectsPerAsdu(TypeId.M_ME_TF_1),
  },
  {
    name: "M_ME_NC_1 SQ=1",
    typeId: TypeId.M_ME_NC_1,
    sq: true,
    objectsPerFrame: maxObjectsPerAsdu(TypeId.M_ME_NC_1, true),
  },
];

/** A deterministic pseudo-random sequence (mulberry32), so every run measures the same frames. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeApdu(c: CodecCase, k: number): Apdu {
  const rand = rng(k + 1);
  const qualities = [0, 0, 0, Quality.IV, Quality.NT, Quality.OV, Quality.SB | Quality.BL];
  const baseIoa = 1000 + k * 1000;
  // Object literals, as an application builds them: objects made with spread (`{ ...o, time }`)
  // get a slower shape and encode several times slower, which is not what this suite measures.
  const objects = Array.from({ length: c.objectsPerFrame }, (_, i) => {
    const ioa = c.sq ? baseIoa + i : baseIoa + Math.floor(rand() * 900);
    const value = Math.fround((rand() - 0.5) * 20_000);
    const quality = qualities[Math.floor(rand() * qualities.length)]!;
    if (c.typeId !== TypeId.M_ME_TF_1) return { ioa, value, quality };
    const time = cp56FromEpochMs(BASE_EPOCH + k * 60_000 + i * 137, { summerTime: (k & 1) === 1 });
    return { ioa, value, quality, time };
  });
  const asdu = {
    typeId: c.typeId,
    sq: c.sq,
    cot: k % 5 === 0 ? 20 : 3,
    test: false,
    negative: false,
    oa: 0,
    ca: 1 + (k % 4),
    objects,
  } as Asdu;
  return { format: "I", ns: (k * 7) & 0x7fff, nr: (k * 3) & 0x7fff, asdu };
}

function rateMetrics(rates: readonly number[], objectsPerFrame: number, frameOctets: number) {
  return {
    "frames/s": { ...summarize(rates), unit: "frames/s" },
    "objects/s": { ...summarize(rates.map((r) => r * objectsPerFrame)), unit: "objects/s" },
    "MB/s": { ...summarize(rates.map((r) => (r * frameOctets) / 1e6)), unit: "MB/s" },
  };
}

await runSuite("codec", ({ quick, log }) => {
  const timing = quick ? { runs: 5, runMs: 20 } : { runs: 9, runMs: 300 };
  const results: CaseResult[] = [];
  for (const c of CASES) {
    const apdus = Array.from({ length: POOL }, (_, k) => makeApdu(c, k));
    const frames = apdus.map((a) => encodeApdu(a));
    // Correctness first: every frame in the pool decodes back to what was encoded.
    apdus.forEach((a, k) => {
      deepStrictEqual(decodeApdu(frames[k]!), a);
    });
    const frameOctets = frames[0]!.length;
    if (!frames.every((f) => f.length === frameOctets)) throw new Error(`${c.name}: frames differ in size`);
    const params = { typeId: c.typeId, sq: c.sq, objectsPerFrame: c.objectsPerFrame, frameOctets };

    log(`${c.name}: encode, ${c.objectsPerFrame} objects, ${frameOctets} octets per frame`);
    const enc = measureRate((i) => encodeApdu(apdus[i & (POOL - 1)]!).length, timing);
    results.push({
      name: `encode ${c.name} x${c.objectsPerFrame}`,
      params: { ...params, iterationsPerRun: enc.iterations },
      metrics: rateMetrics(enc.rates, c.objectsPerFrame, frameOctets),
    });

    log(`${c.name}: decode`);
    const dec = measureRate((i) => {
      const a = decodeApdu(frames[i & (POOL - 1)]!);
      return a.format === "I" ? a.asdu.objects.length : 0;
    }, timing);
    results.push({
      name: `decode ${c.name} x${c.objectsPerFrame}`,
      params: { ...params, iterationsPerRun: dec.iterations },
      metrics: rateMetrics(dec.rates, c.objectsPerFrame, frameOctets),
    });
  }
  return results;
});
