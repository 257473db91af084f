/** Send and receive sequence numbers are 15 bits and count modulo 32768 (IEC 60870-5-104 5.1). */
export const SEQ_MOD = 32768;
export const SEQ_MASK = 0x7fff;

export function seqAdd(a: number, n: number): number {
  return (a + n) & SEQ_MASK;
}

/** How far `b` is ahead of `a`, 0..32767. */
export function seqDistance(a: number, b: number): number {
  return (b - a) & SEQ_MASK;
}

/** True when `x` lies in the closed window [`from` .. `to`] counted forward modulo 32768. */
export function seqInWindow(x: number, from: number, to: number): boolean {
  return seqDistance(from, x) <= seqDistance(from, to);
}
