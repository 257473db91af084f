/**
 * A small seeded PRNG (mulberry32) and the per-point seed derivation. Only 32-bit integer
 * arithmetic (Math.imul, shifts), so a seed gives the same sequence on every machine. Normal
 * deviates use the Irwin-Hall sum of four uniforms: no log/cos, bounded at +-3.46 sd.
 */

/** Mixes one 32-bit word into a hash (murmur3's finalizer). */
function mix(h: number, v: number): number {
  let x = Math.imul(h ^ v, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The seed of one point's generator: depends only on the global seed, the CA and the IOA. */
export function pointSeed(seed: number, ca: number, ioa: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 0x100000000) >>> 0;
  return mix(mix(mix(mix(0x9e3779b9, lo), hi), ca >>> 0), ioa >>> 0);
}

const SQRT3 = Math.sqrt(3);

export class Rng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Approximately standard normal (mean 0, sd 1), bounded at +-2*sqrt(3). */
  normal(): number {
    return (this.next() + this.next() + this.next() + this.next() - 2) * SQRT3;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }
}
