/**
 * Property-based tests of the IEC 104 codec (fast-check):
 *
 *  - decode(encode(x)) deep-equals x for every element type, for whole ASDUs with SQ=0 and SQ=1, and
 *    for whole APDUs, up to the largest ASDU that fits;
 *  - the decoders throw nothing but `DecodeError` on arbitrary and on mutated valid octets, and
 *    whatever they accept encodes again to the same thing;
 *  - the encoders throw nothing but `EncodeError` on out-of-range objects, and whatever they accept
 *    decodes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  APCI_SIZE,
  type Apdu,
  type Asdu,
  allElementSpecs,
  asduLength,
  DecodeError,
  DecodeErrorCode,
  decodeApci,
  decodeApdu,
  decodeAsdu,
  decodeAsduHeader,
  EncodeError,
  EncodeErrorCode,
  type EncodeOptions,
  encodeApci,
  encodeApdu,
  encodeAsdu,
  encodeIFrame,
  MAX_ASDU_LENGTH,
  MAX_IOA,
  MAX_OBJECTS,
  maxObjectsPerAsdu,
  TypeId,
} from "../../src/iec104/index.js";
import {
  ALL_TYPE_IDS,
  anyAsduArb,
  asduArb,
  elementArb,
  frameArb,
  iFrameArb,
  mutate,
  mutationArb,
  record,
} from "./arbitraries.js";

const SPECS = allElementSpecs();
/** Runs per type and property: 58 types x 5 properties, so keep it modest. */
const RUNS_PER_TYPE = 20;
const FUZZ_RUNS = 600;
const ALLOW_ALL: EncodeOptions = { allowNon104: true };

/** Runs `fn`; a `DecodeError` (with a known code and an offset inside `buf`) is fine, anything else fails. */
function decodeOrDecodeError<T>(buf: Uint8Array, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof DecodeError)) throw new Error(`not a DecodeError: ${String(e)}`, { cause: e });
    expect(Object.values(DecodeErrorCode)).toContain(e.code);
    expect(Number.isInteger(e.offset) && e.offset >= 0 && e.offset <= buf.length).toBe(true);
    return undefined;
  }
}

/** Runs `fn`; an `EncodeError` with a known code is fine, anything else fails. */
function encodeOrEncodeError<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof EncodeError)) throw new Error(`not an EncodeError: ${String(e)}`, { cause: e });
    expect(Object.values(EncodeErrorCode)).toContain(e.code);
    return undefined;
  }
}

describe.each(SPECS.map((s) => [s.name, s] as const))("round trip of %s", (_name, spec) => {
  const opts: EncodeOptions = { allowNon104: !spec.in104 };

  it.each([false, true])("ASDU with SQ=%s: decodeAsdu(encodeAsdu(x)) equals x", (sq) => {
    fc.assert(
      fc.property(asduArb(spec.typeId, { sq }), (asdu) => {
        const bytes = encodeAsdu(asdu, opts);
        expect(bytes.length).toBe(asduLength(spec, asdu.objects.length, sq));
        expect(decodeAsdu(bytes)).toStrictEqual(asdu);
        expect(decodeAsduHeader(bytes)).toStrictEqual({
          typeId: asdu.typeId,
          sq,
          count: asdu.objects.length,
          cot: asdu.cot,
          test: asdu.test,
          negative: asdu.negative,
          oa: asdu.oa,
          ca: asdu.ca,
        });
      }),
      { numRuns: RUNS_PER_TYPE },
    );
  });

  it("whole I-frame: decodeApdu(encodeApdu(x)) equals x", () => {
    fc.assert(
      fc.property(iFrameArb([spec.typeId]), (apdu) => {
        const frame = encodeApdu(apdu, opts);
        expect(frame[0]).toBe(0x68);
        expect(frame[1]).toBe(frame.length - 2);
        expect(decodeApdu(frame)).toStrictEqual(apdu);
        expect(decodeApci(frame)).toStrictEqual({ format: "I", ns: apdu.ns, nr: apdu.nr });
        expect(decodeAsdu(frame, APCI_SIZE)).toStrictEqual(apdu.asdu);
      }),
      { numRuns: RUNS_PER_TYPE },
    );
  });

  it.each([false, true])("SQ=%s: maxObjectsPerAsdu objects fit in 249 octets, one more does not", (sq) => {
    const max = maxObjectsPerAsdu(spec.typeId, sq);
    fc.assert(
      fc.property(asduArb(spec.typeId, { sq, minCount: max }), elementArb(spec.typeId), (asdu, extra) => {
        expect(asdu.objects).toHaveLength(max);
        const bytes = encodeAsdu(asdu, opts);
        expect(bytes.length).toBeLessThanOrEqual(MAX_ASDU_LENGTH);
        expect(decodeAsdu(bytes)).toStrictEqual(asdu);
        const last = asdu.objects[max - 1]!;
        const bigger = { ...asdu, objects: [...asdu.objects, { ...extra, ioa: last.ioa + 1 }] } as Asdu;
        const err = catchError(() => encodeAsdu(bigger, opts));
        expect(err).toBeInstanceOf(EncodeError);
        const expected = max === MAX_OBJECTS ? EncodeErrorCode.BAD_OBJECTS : EncodeErrorCode.TOO_LARGE;
        expect((err as EncodeError).code).toBe(expected);
      }),
      { numRuns: Math.ceil(RUNS_PER_TYPE / 2) },
    );
  });
});

describe.each(SPECS.filter((s) => !s.in104).map((s) => [s.name, s] as const))(
  "%s (not used in IEC 104)",
  (_name, spec) => {
    it("is refused without allowNon104, and still decodes and round-trips with it", () => {
      fc.assert(
        fc.property(asduArb(spec.typeId), (asdu) => {
          const err = catchError(() => encodeAsdu(asdu));
          expect(err).toBeInstanceOf(EncodeError);
          expect((err as EncodeError).code).toBe(EncodeErrorCode.NOT_IN_104);
          expect(decodeAsdu(encodeAsdu(asdu, ALLOW_ALL))).toStrictEqual(asdu);
        }),
        { numRuns: 5 },
      );
    });
  },
);

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("round trip of any APDU", () => {
  it("I, S and U frames of every type: decodeApdu(encodeApdu(x)) equals x", () => {
    fc.assert(
      fc.property(fc.oneof(iFrameArb(), sFrameOrUFrame()), (apdu) => {
        expect(decodeApdu(encodeApdu(apdu, ALLOW_ALL))).toStrictEqual(apdu);
      }),
      { numRuns: 300 },
    );
  });

  it("encodeApci(decodeApci(f), asdu) rebuilds the frame octet for octet", () => {
    fc.assert(
      fc.property(frameArb(), (frame) => {
        const apci = decodeApci(frame);
        expect(encodeApci(apci, frame.subarray(APCI_SIZE)).equals(frame)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

function sFrameOrUFrame(): fc.Arbitrary<Apdu> {
  return fc.oneof(
    record({ format: fc.constant("S" as const), nr: fc.integer({ min: 0, max: 32767 }) }),
    record({
      format: fc.constant("U" as const),
      fn: fc.constantFrom(
        "STARTDT_ACT" as const,
        "STARTDT_CON" as const,
        "STOPDT_ACT" as const,
        "STOPDT_CON" as const,
        "TESTFR_ACT" as const,
        "TESTFR_CON" as const,
      ),
    }),
  );
}

/* ---- decoders on hostile input ------------------------------------------------------------- */

/** An ASDU that decoded with SQ=1 and IOAs that wrapped past 0xFFFFFF (see the it.fails below). */
function wrapsIoa(a: Asdu): boolean {
  return a.sq && a.objects.length > 1 && a.objects[0]!.ioa + a.objects.length - 1 > MAX_IOA;
}

/** Whatever decodes encodes again, and that decodes to the same (reserved bits aside). */
function expectReencodes(apdu: Apdu): void {
  if (apdu.format === "I" && wrapsIoa(apdu.asdu)) return;
  expect(decodeApdu(encodeApdu(apdu, ALLOW_ALL))).toStrictEqual(apdu);
}

describe("decoders throw only DecodeError", () => {
  const all = (buf: Buffer) => {
    const apdu = decodeOrDecodeError(buf, () => decodeApdu(buf));
    decodeOrDecodeError(buf, () => decodeApci(buf));
    decodeOrDecodeError(buf, () => decodeAsdu(buf));
    decodeOrDecodeError(buf, () => decodeAsduHeader(buf));
    return apdu;
  };

  it("on arbitrary octets", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        all(Buffer.from(bytes));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it("on arbitrary octets behind a true start and length octet", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 253 }), (body) => {
        const apdu = all(Buffer.concat([Buffer.from([0x68, body.length]), body]));
        if (apdu) expectReencodes(apdu);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it("on ASDUs with a known type id, any VSQ and a payload of about the right size", () => {
    const asduShaped = fc
      .tuple(
        fc.constantFrom(...ALL_TYPE_IDS),
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.integer({ min: -4, max: 4 }),
      )
      .chain(([typeId, vsq, rest, delta]) => {
        const spec = SPECS.find((s) => s.typeId === typeId)!;
        const count = vsq & 0x7f;
        const sq = (vsq & 0x80) !== 0;
        const need = sq ? 3 + count * spec.size : count * (3 + spec.size);
        const len = Math.max(0, need + delta);
        return fc
          .uint8Array({ minLength: len, maxLength: len })
          .map((payload) => Buffer.concat([Buffer.from([typeId, vsq]), rest, payload]));
      });
    fc.assert(
      fc.property(asduShaped, (buf) => {
        const asdu = decodeOrDecodeError(buf, () => decodeAsdu(buf));
        // Over 249 octets: see the it.fails below (the decoder does not enforce that limit).
        if (asdu && !wrapsIoa(asdu) && buf.length <= MAX_ASDU_LENGTH) {
          expect(decodeAsdu(encodeAsdu(asdu, ALLOW_ALL))).toStrictEqual(asdu);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it("decodeAsdu and decodeAsduHeader on any window [off, end) of arbitrary octets", () => {
    const windowed = fc
      .uint8Array({ maxLength: 300 })
      .chain((bytes) =>
        fc
          .tuple(fc.nat({ max: bytes.length }), fc.nat({ max: bytes.length }))
          .map(([a, b]) => [Buffer.from(bytes), Math.min(a, b), Math.max(a, b)] as const),
      );
    fc.assert(
      fc.property(windowed, ([buf, off, end]) => {
        decodeOrDecodeError(buf, () => decodeAsdu(buf, off, end));
        decodeOrDecodeError(buf, () => decodeAsduHeader(buf, off, end));
        decodeOrDecodeError(buf, () => decodeApci(buf, off));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it("on mutated valid frames (bits flipped, octets set, inserted, deleted, truncated, extended)", () => {
    fc.assert(
      fc.property(
        frameArb(),
        fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (frame, mutations, fixLength) => {
          const apdu = all(mutate(frame, mutations, fixLength));
          if (apdu) expectReencodes(apdu);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it("on every truncation of valid frames", () => {
    fc.assert(
      fc.property(frameArb(), (frame) => {
        for (let len = 0; len < frame.length; len++) {
          const cut = frame.subarray(0, len);
          expect(decodeOrDecodeError(cut, () => decodeApdu(cut))).toBeUndefined();
          const fixed = mutate(cut, [], true);
          all(fixed);
        }
      }),
      { numRuns: 40 },
    );
  });
});

// KNOWN CODEC BUG (src/iec104/asdu/asdu.ts decodeAsdu/writeAsdu): the decoder accepts an SQ=1 ASDU
// whose IOAs run past 0xFFFFFF and wraps them ((base + i) & 0xFFFFFF), but the encoder then refuses
// the decoded objects ("SQ=1 needs consecutive IOAs, object 1 has 0"). Minimal counterexample: the
// ASDU 01 82 03 00 01 00 | FF FF FF | 01 00 (M_SP_NA_1, SQ=1, 2 objects, base IOA 0xFFFFFF) decodes
// to IOAs [16777215, 0]; encodeAsdu of that throws EncodeError BAD_OBJECTS. Expected: either a
// DecodeError at decode time or a lossless re-encode. Remove `.fails` once fixed.
it("an SQ=1 ASDU whose IOAs wrap past 0xFFFFFF is refused by the decoder or re-encodes", () => {
  const bytes = Buffer.from("018203000100ffffff0100", "hex");
  const asdu = decodeOrDecodeError(bytes, () => decodeAsdu(bytes));
  if (asdu === undefined) return;
  expect(decodeAsdu(encodeAsdu(asdu))).toStrictEqual(asdu);
});

// KNOWN CODEC BUG (src/iec104/asdu/asdu.ts decodeAsdu): the header comment says "the whole ASDU is
// at most 249 octets" and encodeAsdu enforces it (TOO_LARGE), but decodeAsdu does not: a standalone
// ASDU of 250 octets decodes. Minimal counterexample: 01 3D 00 00 00 00 followed by 244 zero octets
// (M_SP_NA_1, SQ=0, 61 objects of 4 octets) decodes to 61 objects; encodeAsdu of the result throws
// EncodeError TOO_LARGE. Expected: DecodeError. (decodeApdu is not affected: a frame holds at most
// 249 ASDU octets.) Remove `.fails` once fixed.
it("decodeAsdu refuses an ASDU over 249 octets", () => {
  const bytes = Buffer.concat([Buffer.from([1, 61, 0, 0, 0, 0]), Buffer.alloc(244)]);
  expect(bytes.length).toBe(MAX_ASDU_LENGTH + 1);
  expect(() => decodeAsdu(bytes)).toThrow(DecodeError);
});

/* ---- encoders on out-of-range objects ------------------------------------------------------- */

function asduOf(typeId: number, objects: object[], over: Partial<Asdu> = {}): Asdu {
  return { typeId, sq: false, cot: 3, test: false, negative: false, oa: 0, ca: 1, objects, ...over } as Asdu;
}

const T = { time: { ms: 0, minute: 0, hour: 0, day: 1, dayOfWeek: 0, month: 1, year: 2024 } };
const cp56 = (over: object) => ({ time: { ...T.time, invalid: false, summerTime: false, ...over } });

const BAD_OBJECTS: readonly (readonly [string, Asdu, EncodeErrorCode])[] = [
  ["DIQ value 4", asduOf(TypeId.M_DP_NA_1, [{ ioa: 1, value: 4, quality: 0 }]), "OUT_OF_RANGE"],
  ["DIQ value -1", asduOf(TypeId.M_DP_NA_1, [{ ioa: 1, value: -1, quality: 0 }]), "OUT_OF_RANGE"],
  [
    "SIQ value 1 (not a boolean)",
    asduOf(TypeId.M_SP_NA_1, [{ ioa: 1, value: 1, quality: 0 }]),
    "OUT_OF_RANGE",
  ],
  ["VTI 64", asduOf(TypeId.M_ST_NA_1, [{ ioa: 1, value: 64, transient: false, quality: 0 }]), "OUT_OF_RANGE"],
  ["BSI -1", asduOf(TypeId.M_BO_NA_1, [{ ioa: 1, value: -1, quality: 0 }]), "OUT_OF_RANGE"],
  ["BSI 2^32", asduOf(TypeId.M_BO_NA_1, [{ ioa: 1, value: 2 ** 32, quality: 0 }]), "OUT_OF_RANGE"],
  ["NVA NaN", asduOf(TypeId.M_ME_NA_1, [{ ioa: 1, value: Number.NaN, quality: 0 }]), "OUT_OF_RANGE"],
  ["scaled 40000", asduOf(TypeId.M_ME_NB_1, [{ ioa: 1, value: 40000, quality: 0 }]), "OUT_OF_RANGE"],
  ["scaled 1.5", asduOf(TypeId.M_ME_NB_1, [{ ioa: 1, value: 1.5, quality: 0 }]), "OUT_OF_RANGE"],
  ["float 'x'", asduOf(TypeId.M_ME_NC_1, [{ ioa: 1, value: "x", quality: 0 }]), "OUT_OF_RANGE"],
  [
    "BCR 2^31",
    asduOf(TypeId.M_IT_NA_1, [
      { ioa: 1, value: 2 ** 31, sequence: 0, carry: false, adjusted: false, invalid: false },
    ]),
    "OUT_OF_RANGE",
  ],
  [
    "BCR sequence 32",
    asduOf(TypeId.M_IT_NA_1, [
      { ioa: 1, value: 0, sequence: 32, carry: false, adjusted: false, invalid: false },
    ]),
    "OUT_OF_RANGE",
  ],
  ["SCD st 65536", asduOf(TypeId.M_PS_NA_1, [{ ioa: 1, st: 65536, cd: 0, quality: 0 }]), "OUT_OF_RANGE"],
  [
    "SEP state 4",
    asduOf(TypeId.M_EP_TD_1, [{ ioa: 1, eventState: 4, quality: 0, elapsedMs: 0, ...cp56({}) }]),
    "OUT_OF_RANGE",
  ],
  [
    "SPE 256",
    asduOf(TypeId.M_EP_TE_1, [{ ioa: 1, spe: 256, quality: 0, elapsedMs: 0, ...cp56({}) }]),
    "OUT_OF_RANGE",
  ],
  [
    "CP16 65536",
    asduOf(TypeId.M_EP_TF_1, [{ ioa: 1, oci: 0, quality: 0, operatingMs: 65536, ...cp56({}) }]),
    "OUT_OF_RANGE",
  ],
  ["COI 256", asduOf(TypeId.M_EI_NA_1, [{ ioa: 0, coi: 256 }]), "OUT_OF_RANGE"],
  ["SCO qu 32", asduOf(TypeId.C_SC_NA_1, [{ ioa: 1, value: true, select: false, qu: 32 }]), "OUT_OF_RANGE"],
  ["DCO select 1", asduOf(TypeId.C_DC_NA_1, [{ ioa: 1, value: 1, select: 1, qu: 0 }]), "OUT_OF_RANGE"],
  ["QOS ql 128", asduOf(TypeId.C_SE_NB_1, [{ ioa: 1, value: 0, select: false, ql: 128 }]), "OUT_OF_RANGE"],
  ["QOI 256", asduOf(TypeId.C_IC_NA_1, [{ ioa: 0, qoi: 256 }]), "OUT_OF_RANGE"],
  ["TSC 1.5", asduOf(TypeId.C_TS_TA_1, [{ ioa: 0, tsc: 1.5, ...cp56({}) }]), "OUT_OF_RANGE"],
  ["QPM 256", asduOf(TypeId.P_ME_NB_1, [{ ioa: 1, value: 0, qpm: 256 }]), "OUT_OF_RANGE"],
  ["CP56 year 2128", asduOf(TypeId.C_CS_NA_1, [{ ioa: 0, ...cp56({ year: 2128 }) }]), "OUT_OF_RANGE"],
  ["CP56 year 1999", asduOf(TypeId.C_CS_NA_1, [{ ioa: 0, ...cp56({ year: 1999 }) }]), "OUT_OF_RANGE"],
  ["CP56 ms 65536", asduOf(TypeId.C_CS_NA_1, [{ ioa: 0, ...cp56({ ms: 65536 }) }]), "OUT_OF_RANGE"],
  [
    "CP56 minute 64",
    asduOf(TypeId.M_SP_TB_1, [{ ioa: 1, value: true, quality: 0, ...cp56({ minute: 64 }) }]),
    "OUT_OF_RANGE",
  ],
  ["CP56 without a time", asduOf(TypeId.C_CS_NA_1, [{ ioa: 0, time: 5 }]), "OUT_OF_RANGE"],
  ["IOA 2^24", asduOf(TypeId.M_SP_NA_1, [{ ioa: 2 ** 24, value: true, quality: 0 }]), "OUT_OF_RANGE"],
  ["IOA -1", asduOf(TypeId.M_SP_NA_1, [{ ioa: -1, value: true, quality: 0 }]), "OUT_OF_RANGE"],
  ["IOA 1.5", asduOf(TypeId.M_SP_NA_1, [{ ioa: 1.5, value: true, quality: 0 }]), "OUT_OF_RANGE"],
  [
    "SQ=1 base IOA 2^24",
    asduOf(TypeId.M_SP_NA_1, [{ ioa: 2 ** 24, value: true, quality: 0 }], { sq: true }),
    "OUT_OF_RANGE",
  ],
  ["cot 64", asduOf(TypeId.M_SP_NA_1, [{ ioa: 1, value: true, quality: 0 }], { cot: 64 }), "OUT_OF_RANGE"],
  ["cot -1", asduOf(TypeId.M_SP_NA_1, [{ ioa: 1, value: true, quality: 0 }], { cot: -1 }), "OUT_OF_RANGE"],
  ["oa 256", asduOf(TypeId.M_SP_NA_1, [{ ioa: 1, value: true, quality: 0 }], { oa: 256 }), "OUT_OF_RANGE"],
  [
    "ca 65536",
    asduOf(TypeId.M_SP_NA_1, [{ ioa: 1, value: true, quality: 0 }], { ca: 65536 }),
    "OUT_OF_RANGE",
  ],
  [
    "ca NaN",
    asduOf(TypeId.M_SP_NA_1, [{ ioa: 1, value: true, quality: 0 }], { ca: Number.NaN }),
    "OUT_OF_RANGE",
  ],
  ["no objects", asduOf(TypeId.M_SP_NA_1, []), "BAD_OBJECTS"],
  [
    "128 objects",
    asduOf(
      TypeId.C_RD_NA_1,
      Array.from({ length: 128 }, (_, i) => ({ ioa: i })),
      { sq: true },
    ),
    "BAD_OBJECTS",
  ],
  [
    "SQ=1 with a gap in the IOAs",
    asduOf(
      TypeId.M_SP_NA_1,
      [
        { ioa: 1, value: true, quality: 0 },
        { ioa: 3, value: true, quality: 0 },
      ],
      { sq: true },
    ),
    "BAD_OBJECTS",
  ],
  [
    "31 M_ME_NC_1 objects (251 octets)",
    asduOf(
      TypeId.M_ME_NC_1,
      Array.from({ length: 31 }, (_, i) => ({ ioa: i, value: 0, quality: 0 })),
    ),
    "TOO_LARGE",
  ],
  ["unknown type 99", asduOf(99, [{ ioa: 1 }]), "UNKNOWN_TYPE"],
  ["unknown type 0", asduOf(0, [{ ioa: 1 }]), "UNKNOWN_TYPE"],
  [
    "CP24 type without allowNon104",
    asduOf(TypeId.M_SP_TA_1, [
      { ioa: 1, value: true, quality: 0, time: { ms: 0, minute: 0, invalid: false } },
    ]),
    "NOT_IN_104",
  ],
  ["C_TS_NA_1 without allowNon104", asduOf(TypeId.C_TS_NA_1, [{ ioa: 0, fbp: 0x55aa }]), "NOT_IN_104"],
];

describe("encoders throw only EncodeError", () => {
  it.each(BAD_OBJECTS)("%s: EncodeError %s from encodeAsdu and encodeApdu", (_what, asdu, code) => {
    for (const encode of [() => encodeAsdu(asdu), () => encodeApdu({ format: "I", ns: 0, nr: 0, asdu })]) {
      const err = catchError(encode);
      expect(err).toBeInstanceOf(EncodeError);
      expect((err as EncodeError).code).toBe(code);
    }
  });

  const NASTY: readonly number[] = [
    -1,
    0.5,
    1.5,
    -0.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    4,
    64,
    128,
    256,
    2 ** 15,
    2 ** 16,
    2 ** 24,
    2 ** 31,
    2 ** 32,
    -(2 ** 31) - 1,
    1e21,
    Number.MAX_SAFE_INTEGER + 2,
  ];
  const nastyArb = fc.oneof(fc.constantFrom(...NASTY), fc.double(), fc.integer());

  it("a valid ASDU with one numeric field (header, IOA, element, time) set out of range", () => {
    const case_ = fc.tuple(anyAsduArb(), fc.nat(), fc.nat(), nastyArb);
    fc.assert(
      fc.property(case_, ([asdu, pick, objectIndex, nasty]) => {
        const bad = structuredClone(asdu);
        const plain = bad as unknown as { objects: Record<string, unknown>[] } & Record<string, unknown>;
        const target = pick % 3 === 0 ? plain : plain.objects[objectIndex % plain.objects.length]!;
        // Not the type id: objects of another type lacking a time tag hit the it.fails below.
        const paths = numericPaths(target).filter((path) => path.join(".") !== "typeId");
        if (paths.length === 0) return;
        setPath(target, paths[pick % paths.length]!, nasty);
        const bytes = encodeOrEncodeError(() => encodeAsdu(bad, ALLOW_ALL));
        // Whatever the encoder accepts (a masked quality, a clamped normalized value...) decodes.
        if (bytes) decodeAsdu(bytes);
        const frame = encodeOrEncodeError(() =>
          encodeApdu({ format: "I", ns: 0, nr: 0, asdu: bad }, ALLOW_ALL),
        );
        if (frame) decodeApdu(frame);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  // KNOWN CODEC BUG (src/iec104/asdu/elements.ts timed() and clockSync/testWithTime -> writeCp56):
  // an object of a time-tagged type without its `time` (or with time: null) raises a TypeError
  // ("Cannot read properties of undefined (reading 'ms')") instead of an EncodeError; every other
  // missing field is caught (checkInt/bool). The fuzz property above found it by changing the type id
  // of an ASDU (M_ST_NA_1 objects sent as C_BO_TA_1). Minimal counterexample: M_SP_TB_1 with the
  // object { ioa: 1, value: true, quality: 0 }. Expected: EncodeError OUT_OF_RANGE on the time tag.
  it("an object of a time-tagged type without its time tag is refused with EncodeError", () => {
    for (const time of [undefined, null]) {
      const asdu = asduOf(TypeId.M_SP_TB_1, [{ ioa: 1, value: true, quality: 0, time }]);
      const err = catchError(() => encodeAsdu(asdu));
      expect(err).toBeInstanceOf(EncodeError);
    }
  });

  // KNOWN CODEC BUG (src/iec104/asdu/asdu.ts writeAsdu): with SQ=1 only the base IOA is range-checked;
  // the following objects must equal base + i but are never checked against 0xFFFFFF. Minimal
  // counterexample: M_SP_NA_1, SQ=1, objects at IOA 0xFFFFFF and 0x1000000 (2^24) encode without
  // error to 01 82 03 00 01 00 FF FF FF 01 00, which decodes to IOAs [16777215, 0]. Expected:
  // EncodeError OUT_OF_RANGE on IOA (as for SQ=0). Remove `.fails` once fixed.
  it("SQ=1 objects whose IOAs pass 0xFFFFFF are refused (EncodeError OUT_OF_RANGE)", () => {
    const asdu = asduOf(
      TypeId.M_SP_NA_1,
      [
        { ioa: MAX_IOA, value: true, quality: 0 },
        { ioa: MAX_IOA + 1, value: false, quality: 0 },
      ],
      { sq: true },
    );
    const err = catchError(() => encodeAsdu(asdu));
    expect(err).toBeInstanceOf(EncodeError);
    expect((err as EncodeError).code).toBe(EncodeErrorCode.OUT_OF_RANGE);
  });

  // KNOWN CODEC BUG (src/iec104/apci/frames.ts encodeIFrame): an ASDU over 249 octets raises a plain
  // RangeError ("ASDU of 250 octets exceeds 249"), although the README promises that the encoders
  // throw only EncodeError. Minimal counterexample: encodeIFrame(0, 0, new Uint8Array(250)), and the
  // same through encodeApci({ format: "I", ns: 0, nr: 0 }, new Uint8Array(250)). Expected:
  // EncodeError TOO_LARGE. (encodeApdu is not affected: encodeAsdu stops at 249 first.)
  it("encodeIFrame/encodeApci refuse an ASDU over 249 octets with EncodeError", () => {
    expect(() => encodeIFrame(0, 0, new Uint8Array(250))).toThrow(EncodeError);
    expect(() => encodeApci({ format: "I", ns: 0, nr: 0 }, new Uint8Array(250))).toThrow(EncodeError);
  });
});

// KNOWN CODEC BUG (src/iec104/apci/frames.ts encodeUFrame, apdu.ts encodeApdu): a U function name
// outside the six is not checked; encodeUFrame returns undefined and Buffer.from(undefined) raises a
// TypeError ("The first argument must be of type string or an instance of Buffer..."). The types
// rule it out, but APDUs may be built from JSON (MQTT). Minimal counterexample:
// encodeApdu({ format: "U", fn: "BOGUS" }). Expected: EncodeError (as UNKNOWN_TYPE is for a type id).
it("an unknown U function is refused with EncodeError", () => {
  const bogus = { format: "U", fn: "BOGUS" } as unknown as Apdu;
  expect(() => encodeApdu(bogus)).toThrow(EncodeError);
});

/** Paths of the numeric leaves of an object (nested objects such as `time` included). */
function numericPaths(o: Record<string, unknown>, prefix: readonly string[] = []): string[][] {
  const out: string[][] = [];
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === "number") out.push([...prefix, k]);
    else if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      out.push(...numericPaths(v as Record<string, unknown>, [...prefix, k]));
    }
  }
  return out;
}

function setPath(o: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur = o;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string, unknown>;
  cur[path[path.length - 1]!] = value;
}
