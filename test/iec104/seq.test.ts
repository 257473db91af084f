/**
 * Sequence numbers N(S)/N(R): 15 bits counting modulo 32768 (IEC 60870-5-104 5.1), and their
 * encoding in the control field of I- and S-frames.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DecodeError,
  DecodeErrorCode,
  decodeApci,
  decodeApdu,
  encodeApdu,
  encodeIFrame,
  encodeSFrame,
  SEQ_MASK,
  SEQ_MOD,
  seqAdd,
  seqDistance,
  seqInWindow,
  TypeId,
} from "../../src/iec104/index.js";
import { seqArb } from "./arbitraries.js";

const RUNS = 500;
/** Mathematical modulo (always 0..m-1). */
const mod = (a: number, m: number) => ((a % m) + m) % m;
const stepArb = fc.integer({ min: -100_000, max: 100_000 });
const distanceArb = fc.integer({ min: 0, max: SEQ_MASK });

describe("sequence arithmetic modulo 32768", () => {
  it("constants", () => {
    expect(SEQ_MOD).toBe(32768);
    expect(SEQ_MASK).toBe(32767);
  });

  it("seqAdd(a, n) is (a + n) mod 32768, for negative n and n beyond 32768 too", () => {
    fc.assert(
      fc.property(seqArb, stepArb, (a, n) => {
        const r = seqAdd(a, n);
        expect(r).toBe(mod(a + n, SEQ_MOD));
        expect(Number.isInteger(r) && r >= 0 && r <= SEQ_MASK).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("seqAdd: identity, full turn, associativity, inverse", () => {
    fc.assert(
      fc.property(seqArb, stepArb, stepArb, (a, n, m) => {
        expect(seqAdd(a, 0)).toBe(a);
        expect(seqAdd(a, SEQ_MOD)).toBe(a);
        expect(seqAdd(a, -SEQ_MOD)).toBe(a);
        expect(seqAdd(seqAdd(a, n), m)).toBe(seqAdd(a, n + m));
        expect(seqAdd(seqAdd(a, n), -n)).toBe(a);
      }),
      { numRuns: RUNS },
    );
  });

  it("seqDistance(a, seqAdd(a, d)) === d for d in 0..32767", () => {
    fc.assert(
      fc.property(seqArb, distanceArb, (a, d) => {
        expect(seqDistance(a, seqAdd(a, d))).toBe(d);
        expect(seqAdd(a, seqDistance(a, seqAdd(a, d)))).toBe(seqAdd(a, d));
      }),
      { numRuns: RUNS },
    );
  });

  it("seqDistance is 0..32767, zero only for equal numbers, and the two ways round add up to 32768", () => {
    fc.assert(
      fc.property(seqArb, seqArb, (a, b) => {
        const ab = seqDistance(a, b);
        const ba = seqDistance(b, a);
        expect(ab >= 0 && ab <= SEQ_MASK).toBe(true);
        expect(ab === 0).toBe(a === b);
        expect(ab + ba).toBe(a === b ? 0 : SEQ_MOD);
        expect(ab).toBe(mod(b - a, SEQ_MOD));
      }),
      { numRuns: RUNS },
    );
  });

  it("seqInWindow(from + k, from, from + w) holds exactly when k <= w", () => {
    fc.assert(
      fc.property(seqArb, distanceArb, distanceArb, (from, k, w) => {
        expect(seqInWindow(seqAdd(from, k), from, seqAdd(from, w))).toBe(k <= w);
      }),
      { numRuns: RUNS },
    );
  });

  it("seqInWindow: both ends are inside; one past the end and one before the start are not", () => {
    fc.assert(
      fc.property(seqArb, fc.integer({ min: 0, max: SEQ_MASK - 1 }), (from, w) => {
        const to = seqAdd(from, w);
        expect(seqInWindow(from, from, to)).toBe(true);
        expect(seqInWindow(to, from, to)).toBe(true);
        expect(seqInWindow(seqAdd(to, 1), from, to)).toBe(false);
        expect(seqInWindow(seqAdd(from, -1), from, to)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it("edge cases at the wrap", () => {
    expect(seqAdd(32767, 1)).toBe(0);
    expect(seqAdd(0, -1)).toBe(32767);
    expect(seqAdd(32760, 12)).toBe(4);
    expect(seqAdd(5, 32768 * 3 + 2)).toBe(7);
    expect(seqDistance(32767, 0)).toBe(1);
    expect(seqDistance(0, 32767)).toBe(32767);
    expect(seqDistance(32760, 4)).toBe(12);
    expect(seqDistance(4, 32760)).toBe(32756);
    expect(seqDistance(100, 100)).toBe(0);
    // The window 32760 .. 5 runs across the wrap.
    for (const x of [32760, 32761, 32767, 0, 1, 5]) expect(seqInWindow(x, 32760, 5)).toBe(true);
    for (const x of [6, 7, 100, 16384, 32758, 32759]) expect(seqInWindow(x, 32760, 5)).toBe(false);
    // A window of one number, and the window that holds all numbers.
    expect(seqInWindow(0, 0, 0)).toBe(true);
    expect(seqInWindow(1, 0, 0)).toBe(false);
    expect(seqInWindow(32767, 0, 0)).toBe(false);
    for (const x of [0, 1, 16384, 32767]) expect(seqInWindow(x, 1, 0)).toBe(true);
  });

  it("k = 12 frames outstanding: acknowledging N(R) accepts exactly the sent window, across the wrap", () => {
    // Sent N(S) = 32762 .. 32767, 0 .. 5: the next to send is 6, and a peer may acknowledge any N(R)
    // from the oldest unacknowledged (32762) up to the next to send (6).
    const oldest = 32762;
    const next = seqAdd(oldest, 12);
    expect(next).toBe(6);
    for (let k = 0; k <= 12; k++) expect(seqInWindow(seqAdd(oldest, k), oldest, next)).toBe(true);
    expect(seqInWindow(7, oldest, next)).toBe(false);
    expect(seqInWindow(32761, oldest, next)).toBe(false);
  });
});

/** The N(S)/N(R) values where the 15 bits cross an octet or the top. */
const EDGES = [0, 1, 127, 128, 255, 256, 16383, 16384, 32766, 32767] as const;
const PAIRS = EDGES.flatMap((ns) => EDGES.map((nr) => [ns, nr] as const));

/** Expected control octets: the number shifted left by one, split low/high. */
function seqOctets(n: number): [number, number] {
  return [(n << 1) & 0xfe, n >> 7];
}

const ASDU = {
  typeId: TypeId.C_IC_NA_1,
  sq: false,
  cot: 6,
  test: false,
  negative: false,
  oa: 0,
  ca: 1,
  objects: [{ ioa: 0, qoi: 20 }],
} as const;
const ASDU_BYTES = Buffer.from("64010600010000000014", "hex");

describe("N(S)/N(R) in the control field", () => {
  it.each(PAIRS)("I-frame N(S)=%i N(R)=%i: octets and round trip", (ns, nr) => {
    const frame = encodeIFrame(ns, nr, ASDU_BYTES);
    expect([...frame.subarray(0, 6)]).toEqual([
      0x68,
      4 + ASDU_BYTES.length,
      ...seqOctets(ns),
      ...seqOctets(nr),
    ]);
    expect(decodeApci(frame)).toEqual({ format: "I", ns, nr });
    const apdu = { format: "I" as const, ns, nr, asdu: { ...ASDU, objects: [...ASDU.objects] } };
    const bytes = encodeApdu(apdu);
    expect(bytes.equals(frame)).toBe(true);
    expect(decodeApdu(bytes)).toEqual(apdu);
  });

  it.each(EDGES)("S-frame N(R)=%i: octets and round trip", (nr) => {
    const frame = encodeSFrame(nr);
    expect([...frame]).toEqual([0x68, 4, 0x01, 0x00, ...seqOctets(nr)]);
    expect(decodeApci(frame)).toEqual({ format: "S", nr });
    expect(decodeApdu(frame)).toEqual({ format: "S", nr });
    expect(encodeApdu({ format: "S", nr }).equals(frame)).toBe(true);
  });

  it("every N(S)/N(R) round-trips through I- and S-frames", () => {
    fc.assert(
      fc.property(seqArb, seqArb, (ns, nr) => {
        expect(decodeApci(encodeIFrame(ns, nr, ASDU_BYTES))).toEqual({ format: "I", ns, nr });
        expect(decodeApci(encodeSFrame(nr))).toEqual({ format: "S", nr });
      }),
      { numRuns: RUNS },
    );
  });

  it("the encoders take sequence numbers modulo 32768", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), seqArb, (n, m) => {
        expect(decodeApci(encodeIFrame(n, m, ASDU_BYTES))).toEqual({
          format: "I",
          ns: mod(n, SEQ_MOD),
          nr: m,
        });
        expect(decodeApci(encodeIFrame(m, n, ASDU_BYTES))).toEqual({
          format: "I",
          ns: m,
          nr: mod(n, SEQ_MOD),
        });
        expect(decodeApci(encodeSFrame(n))).toEqual({ format: "S", nr: mod(n, SEQ_MOD) });
      }),
      { numRuns: RUNS },
    );
    expect(decodeApci(encodeIFrame(32768, 32769, ASDU_BYTES))).toEqual({ format: "I", ns: 0, nr: 1 });
    expect(decodeApci(encodeSFrame(65535))).toEqual({ format: "S", nr: 32767 });
  });

  it("bit 0 of C3 must be 0 in I- and S-frames", () => {
    fc.assert(
      fc.property(seqArb, seqArb, (ns, nr) => {
        for (const frame of [encodeIFrame(ns, nr, ASDU_BYTES), encodeSFrame(nr)]) {
          const bad = Buffer.from(frame);
          bad[4] = bad[4]! | 1;
          const e = (() => {
            try {
              decodeApci(bad);
            } catch (err) {
              return err;
            }
            return undefined;
          })();
          expect(e).toBeInstanceOf(DecodeError);
          expect((e as DecodeError).code).toBe(DecodeErrorCode.BAD_CONTROL);
          expect((e as DecodeError).offset).toBe(4);
        }
      }),
      { numRuns: 200 },
    );
  });
});
