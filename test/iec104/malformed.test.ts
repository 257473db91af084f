/**
 * The malformed-input corpus: frames a peer could send that break IEC 60870-5-104 framing, the
 * APCI rules or the ASDU structure. Each must be refused with a DecodeError carrying its specific
 * code, the field and the octet offset; nothing may be guessed at or decoded half-way.
 */
import { describe, expect, it } from "vitest";
import {
  ApduSplitter,
  DecodeError,
  DecodeErrorCode,
  decodeApci,
  decodeApdu,
  decodeAsdu,
  elementSpec,
} from "../../src/iec104/index.js";
import { GOLDEN } from "./golden/index.js";

/** Octets from a hex string with optional spaces; refuses anything that is not whole hex octets. */
function h(s: string): Buffer {
  const clean = s.replace(/\s+/g, "");
  if (!/^([0-9a-f]{2})*$/i.test(clean)) throw new Error(`bad hex in test data: ${s}`);
  return Buffer.from(clean, "hex");
}

/** Runs `fn`, which must throw a DecodeError, and returns that error. */
function decodeErrorOf(fn: () => unknown): DecodeError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  if (!(caught instanceof DecodeError)) {
    throw new Error(`expected a DecodeError, got ${caught === undefined ? "no error" : String(caught)}`);
  }
  return caught;
}

interface Expected {
  code: DecodeErrorCode;
  field: string;
  offset: number;
}

function expectError(e: DecodeError, want: Expected): void {
  expect(e).toBeInstanceOf(DecodeError);
  expect(e).toBeInstanceOf(Error);
  expect(e.name).toBe("DecodeError");
  expect({ code: e.code, field: e.field, offset: e.offset }).toEqual({
    code: want.code,
    field: want.field,
    offset: want.offset,
  });
  // The message names the code, the field and the offset, so a log line is enough to diagnose.
  expect(e.message).toContain(want.code);
  expect(e.message).toContain(want.field);
  expect(e.message).toContain(`at octet ${want.offset}`);
}

interface Case extends Expected {
  name: string;
  hex: string;
}

const C = DecodeErrorCode;

/* ---- APCI: start, length and control field (decodeApci, and decodeApdu the same) ------------ */

const APCI_CASES: Case[] = [
  // Too short to hold an APCI at all.
  { name: "5 octets", hex: "68 04 07 00 00", code: C.SHORT_FRAME, field: "APDU", offset: 0 },
  { name: "empty buffer", hex: "", code: C.SHORT_FRAME, field: "APDU", offset: 0 },
  // Start octet must be 0x68.
  { name: "start 0x69", hex: "69 04 07 00 00 00", code: C.BAD_START, field: "start", offset: 0 },
  {
    name: "start 0x10 (FT1.2 fixed frame)",
    hex: "10 04 07 00 00 00",
    code: C.BAD_START,
    field: "start",
    offset: 0,
  },
  { name: "start 0x00", hex: "00 04 07 00 00 00", code: C.BAD_START, field: "start", offset: 0 },
  // Length octet must be 4..253 and match the octets present.
  { name: "length 3 (< 4)", hex: "68 03 01 00 00 00", code: C.BAD_LENGTH, field: "length", offset: 1 },
  { name: "length 0", hex: "68 00 01 00 00 00", code: C.BAD_LENGTH, field: "length", offset: 1 },
  { name: "length 254 (> 253)", hex: "68 fe 00 00 00 00", code: C.BAD_LENGTH, field: "length", offset: 1 },
  {
    name: "length 254 with 254 octets present",
    hex: `68 fe ${"00 ".repeat(254)}`,
    code: C.BAD_LENGTH,
    field: "length",
    offset: 1,
  },
  { name: "length 255", hex: "68 ff 00 00 00 00", code: C.BAD_LENGTH, field: "length", offset: 1 },
  {
    name: "length 5 but 4 octets follow",
    hex: "68 05 07 00 00 00",
    code: C.BAD_LENGTH,
    field: "length",
    offset: 1,
  },
  {
    name: "length 4 but 5 octets follow",
    hex: "68 04 07 00 00 00 00",
    code: C.BAD_LENGTH,
    field: "length",
    offset: 1,
  },
  // U-frames: C1 must be exactly one of 0x07 0x0b 0x13 0x23 0x43 0x83, C2-C4 zero, length 4.
  {
    name: "U 0x03: no function bit",
    hex: "68 04 03 00 00 00",
    code: C.BAD_U_FRAME,
    field: "control",
    offset: 2,
  },
  {
    name: "U 0x0f: STARTDT act + con",
    hex: "68 04 0f 00 00 00",
    code: C.BAD_U_FRAME,
    field: "control",
    offset: 2,
  },
  {
    name: "U 0x47: TESTFR act + STARTDT act (lib60870's mask reads TESTFR act)",
    hex: "68 04 47 00 00 00",
    code: C.BAD_U_FRAME,
    field: "control",
    offset: 2,
  },
  { name: "U 0xff: every bit", hex: "68 04 ff 00 00 00", code: C.BAD_U_FRAME, field: "control", offset: 2 },
  {
    name: "U 0x33: STOPDT act + con",
    hex: "68 04 33 00 00 00",
    code: C.BAD_U_FRAME,
    field: "control",
    offset: 2,
  },
  {
    name: "U 0xc3: TESTFR act + con",
    hex: "68 04 c3 00 00 00",
    code: C.BAD_U_FRAME,
    field: "control",
    offset: 2,
  },
  {
    name: "U 0x17: STARTDT act + STOPDT act",
    hex: "68 04 17 00 00 00",
    code: C.BAD_U_FRAME,
    field: "control",
    offset: 2,
  },
  {
    name: "U STARTDT act with C2 = 1",
    hex: "68 04 07 01 00 00",
    code: C.BAD_U_FRAME,
    field: "control",
    offset: 2,
  },
  {
    name: "U TESTFR act with C3 = 1",
    hex: "68 04 43 00 01 00",
    code: C.BAD_U_FRAME,
    field: "control",
    offset: 2,
  },
  {
    name: "U TESTFR con with C4 = 0x80",
    hex: "68 04 83 00 00 80",
    code: C.BAD_U_FRAME,
    field: "control",
    offset: 2,
  },
  {
    name: "U 0x1f with length 5 (68 05 1f 00 05 83 80)",
    hex: "68 05 1f 00 05 83 80",
    code: C.BAD_U_FRAME,
    field: "control",
    offset: 2,
  },
  {
    name: "U STARTDT act with length 5 (one octet of payload)",
    hex: "68 05 07 00 00 00 00",
    code: C.BAD_U_FRAME,
    field: "length",
    offset: 1,
  },
  {
    name: "U TESTFR con carrying a whole ASDU",
    hex: "68 0e 83 00 00 00 01 01 03 00 01 00 01 00 00 01",
    code: C.BAD_U_FRAME,
    field: "length",
    offset: 1,
  },
  // S-frames: C1 = 0x01, C2 = 0, C3 bit 0 = 0, length 4.
  { name: "S with C2 = 1", hex: "68 04 01 01 00 00", code: C.BAD_CONTROL, field: "control", offset: 2 },
  { name: "S with C2 = 0x80", hex: "68 04 01 80 02 00", code: C.BAD_CONTROL, field: "control", offset: 2 },
  { name: "S with C1 = 0x05", hex: "68 04 05 00 00 00", code: C.BAD_CONTROL, field: "control", offset: 2 },
  { name: "S with C1 = 0xfd", hex: "68 04 fd 00 00 00", code: C.BAD_CONTROL, field: "control", offset: 2 },
  {
    name: "S with the reserved bit 0 of C3 set",
    hex: "68 04 01 00 01 00",
    code: C.BAD_CONTROL,
    field: "control",
    offset: 4,
  },
  {
    name: "S with one octet of payload",
    hex: "68 05 01 00 00 00 00",
    code: C.BAD_CONTROL,
    field: "length",
    offset: 1,
  },
  {
    name: "S carrying a whole ASDU",
    hex: "68 0e 01 00 02 00 01 01 03 00 01 00 01 00 00 01",
    code: C.BAD_CONTROL,
    field: "length",
    offset: 1,
  },
  // I-frames: C3 bit 0 is reserved (0).
  {
    name: "I with the reserved bit 0 of C3 set",
    hex: "68 0e 00 00 01 00 01 01 03 00 01 00 01 00 00 01",
    code: C.BAD_CONTROL,
    field: "control",
    offset: 4,
  },
  {
    name: "I with N(R) 32767 and C3 bit 0 set",
    hex: "68 0e 02 00 ff ff 01 01 03 00 01 00 01 00 00 01",
    code: C.BAD_CONTROL,
    field: "control",
    offset: 4,
  },
];

/* ---- ASDU structure, through decodeApdu (offsets count from the 0x68) ---------------------- */

const ASDU_CASES: Case[] = [
  // The ASDU must hold at least its 6 header octets; an I-frame must carry an ASDU.
  {
    name: "I-frame with no ASDU",
    hex: "68 04 00 00 00 00",
    code: C.ASDU_TOO_SHORT,
    field: "ASDU",
    offset: 6,
  },
  {
    name: "I-frame N(S)=5 N(R)=3 with no ASDU",
    hex: "68 04 0a 00 06 00",
    code: C.ASDU_TOO_SHORT,
    field: "ASDU",
    offset: 6,
  },
  {
    name: "ASDU of 4 octets (68 08 00 00 00 00 00 00 80 68)",
    hex: "68 08 00 00 00 00 00 00 80 68",
    code: C.ASDU_TOO_SHORT,
    field: "ASDU header",
    offset: 6,
  },
  {
    name: "ASDU of 1 octet",
    hex: "68 05 00 00 00 00 01",
    code: C.ASDU_TOO_SHORT,
    field: "ASDU header",
    offset: 6,
  },
  {
    name: "ASDU of 5 octets (CA cut after its first octet)",
    hex: "68 09 00 00 00 00 01 01 03 00 01",
    code: C.ASDU_TOO_SHORT,
    field: "ASDU header",
    offset: 6,
  },
  // Unknown type identifications (the type id octet is at 6).
  {
    name: "type id 0",
    hex: "68 0e 00 00 00 00 00 01 03 00 01 00 01 00 00 01",
    code: C.UNKNOWN_TYPE,
    field: "type identification",
    offset: 6,
  },
  {
    name: "type id 200",
    hex: "68 0e 00 00 00 00 c8 01 03 00 01 00 01 00 00 01",
    code: C.UNKNOWN_TYPE,
    field: "type identification",
    offset: 6,
  },
  {
    name: "type id 22 (a gap in the monitor range)",
    hex: "68 0e 00 00 00 00 16 01 03 00 01 00 01 00 00 01",
    code: C.UNKNOWN_TYPE,
    field: "type identification",
    offset: 6,
  },
  {
    name: "type id 120 F_FR_NA_1 (file transfer, not supported)",
    hex: "68 0e 00 00 00 00 78 01 0d 00 01 00 01 00 00 01",
    code: C.UNKNOWN_TYPE,
    field: "type identification",
    offset: 6,
  },
  {
    name: "type id 255 with a header only",
    hex: "68 0a 00 00 00 00 ff 01 03 00 01 00",
    code: C.UNKNOWN_TYPE,
    field: "type identification",
    offset: 6,
  },
  // VSQ number of objects 0 (the VSQ is octet 7).
  {
    name: "VSQ 0x00: no object, one object present",
    hex: "68 0e 00 00 00 00 01 00 03 00 01 00 01 00 00 01",
    code: C.ZERO_COUNT,
    field: "VSQ",
    offset: 7,
  },
  {
    name: "VSQ 0x80: SQ=1 and no object",
    hex: "68 0e 00 00 00 00 01 80 03 00 01 00 01 00 00 01",
    code: C.ZERO_COUNT,
    field: "VSQ",
    offset: 7,
  },
  {
    name: "VSQ 0x00 with a header only",
    hex: "68 0a 00 00 00 00 64 00 06 00 01 00",
    code: C.ZERO_COUNT,
    field: "VSQ",
    offset: 7,
  },
  // SQ=1 without the base IOA (it would be at octet 12).
  {
    name: "SQ=1 with a header only",
    hex: "68 0a 00 00 00 00 01 81 14 00 01 00",
    code: C.MISSING_IOA,
    field: "IOA",
    offset: 12,
  },
  {
    name: "SQ=1 with a 2-octet IOA",
    hex: "68 0c 00 00 00 00 01 81 14 00 01 00 01 00",
    code: C.MISSING_IOA,
    field: "IOA",
    offset: 12,
  },
  {
    name: "C_RD_NA_1 SQ=1 with a header only",
    hex: "68 0a 00 00 00 00 66 81 05 00 01 00",
    code: C.MISSING_IOA,
    field: "IOA",
    offset: 12,
  },
  // VSQ count larger than the objects present.
  {
    name: "M_SP_NA_1 SQ=0 says 2 objects, holds 1",
    hex: "68 0e 00 00 00 00 01 02 03 00 01 00 01 00 00 01",
    code: C.COUNT_MISMATCH,
    field: "VSQ",
    offset: 7,
  },
  {
    name: "M_SP_NA_1 SQ=0 says 127 objects, holds 1",
    hex: "68 0e 00 00 00 00 01 7f 03 00 01 00 01 00 00 01",
    code: C.COUNT_MISMATCH,
    field: "VSQ",
    offset: 7,
  },
  {
    name: "M_SP_NA_1 SQ=1 says 3 objects, holds 2",
    hex: "68 0f 00 00 00 00 01 83 14 00 01 00 01 00 00 00 01",
    code: C.COUNT_MISMATCH,
    field: "VSQ",
    offset: 7,
  },
  {
    name: "M_ME_NC_1 SQ=0 says 1 object, its float cut short",
    hex: "68 11 00 00 00 00 0d 01 03 00 01 00 01 00 00 00 00 c0 3f",
    code: C.COUNT_MISMATCH,
    field: "VSQ",
    offset: 7,
  },
  {
    name: "M_SP_TB_1 SQ=0 says 1 object, CP56Time2a cut after 6 octets",
    hex: "68 14 00 00 00 00 1e 01 03 00 01 00 01 00 00 01 ab 75 2d 0d af 03",
    code: C.COUNT_MISMATCH,
    field: "VSQ",
    offset: 7,
  },
  {
    name: "C_IC_NA_1 with the QOI missing",
    hex: "68 0d 00 00 00 00 64 01 06 00 01 00 00 00 00",
    code: C.COUNT_MISMATCH,
    field: "VSQ",
    offset: 7,
  },
  // VSQ count smaller than the objects present (whole objects left over).
  {
    name: "M_SP_NA_1 SQ=0 says 1 object, holds 2",
    hex: "68 12 00 00 00 00 01 01 03 00 01 00 01 00 00 01 02 00 00 00",
    code: C.COUNT_MISMATCH,
    field: "VSQ",
    offset: 7,
  },
  {
    name: "M_ME_NB_1 SQ=1 says 1 object, holds 2",
    hex: "68 13 00 00 00 00 0b 81 14 00 01 00 01 00 00 01 00 00 02 00 00",
    code: C.COUNT_MISMATCH,
    field: "VSQ",
    offset: 7,
  },
  {
    name: "M_SP_NA_1 SQ=1 says 1 object, holds 2",
    hex: "68 0f 00 00 00 00 01 81 14 00 01 00 01 00 00 00 01",
    code: C.COUNT_MISMATCH,
    field: "VSQ",
    offset: 7,
  },
  // Octets left over that are not a whole object.
  {
    name: "M_SP_NA_1 SQ=0, 1 object and 1 trailing octet",
    hex: "68 0f 00 00 00 00 01 01 03 00 01 00 01 00 00 01 ff",
    code: C.TRAILING_BYTES,
    field: "ASDU",
    offset: 16,
  },
  {
    name: "M_ME_NC_1 SQ=0, 1 object and 2 trailing octets",
    hex: "68 14 00 00 00 00 0d 01 03 00 01 00 01 00 00 00 00 c0 3f 00 aa bb",
    code: C.TRAILING_BYTES,
    field: "ASDU",
    offset: 20,
  },
  {
    name: "M_ME_NB_1 SQ=1, 2 objects and 1 trailing octet",
    hex: "68 14 00 00 00 00 0b 82 14 00 01 00 01 00 00 01 00 00 02 00 00 ee",
    code: C.TRAILING_BYTES,
    field: "ASDU",
    offset: 21,
  },
  {
    name: "C_RD_NA_1 SQ=0 with 1 trailing octet",
    hex: "68 0e 00 00 00 00 66 01 05 00 01 00 34 12 00 ff",
    code: C.TRAILING_BYTES,
    field: "ASDU",
    offset: 15,
  },
  {
    name: "C_RD_NA_1 SQ=1 (0-octet elements) with 1 trailing octet",
    hex: "68 0e 00 00 00 00 66 81 05 00 01 00 34 12 00 ff",
    code: C.TRAILING_BYTES,
    field: "ASDU",
    offset: 15,
  },
];

describe("malformed APCI", () => {
  it.each(APCI_CASES.map((c) => [c.name, c] as const))("decodeApci: %s", (_name, c) => {
    expectError(
      decodeErrorOf(() => decodeApci(h(c.hex))),
      c,
    );
  });

  it.each(APCI_CASES.map((c) => [c.name, c] as const))("decodeApdu: %s", (_name, c) => {
    expectError(
      decodeErrorOf(() => decodeApdu(h(c.hex))),
      c,
    );
  });

  it("reports offsets from where decodeApci starts", () => {
    const buf = Buffer.concat([h("aa bb cc"), h("68 04 47 00 00 00")]);
    expectError(
      decodeErrorOf(() => decodeApci(buf, 3)),
      { code: C.BAD_U_FRAME, field: "control", offset: 5 },
    );
    expectError(
      decodeErrorOf(() => decodeApci(Buffer.concat([h("aa bb cc"), h("68 03 01 00 00 00")]), 3)),
      { code: C.BAD_LENGTH, field: "length", offset: 4 },
    );
  });
});

describe("malformed ASDU", () => {
  it.each(ASDU_CASES.map((c) => [c.name, c] as const))("decodeApdu: %s", (_name, c) => {
    expectError(
      decodeErrorOf(() => decodeApdu(h(c.hex))),
      c,
    );
  });

  it.each(ASDU_CASES.filter((c) => c.offset >= 6).map((c) => [c.name, c] as const))(
    "decodeAsdu on the ASDU alone: %s",
    (_name, c) => {
      const asdu = h(c.hex).subarray(6);
      const field = c.code === C.ASDU_TOO_SHORT ? "ASDU header" : c.field;
      expectError(
        decodeErrorOf(() => decodeAsdu(asdu)),
        { code: c.code, field, offset: c.offset - 6 },
      );
    },
  );

  it("decodeAsdu honours off and end and reports absolute offsets", () => {
    // 3 octets before the ASDU, a valid M_SP_NA_1 ASDU of 10 octets, then 4 unrelated octets.
    const buf = h("aa bb cc  01 01 03 00 01 00 01 00 00 01  ee ee ee ee");
    expect(decodeAsdu(buf, 3, 13)).toEqual({
      typeId: 1,
      sq: false,
      cot: 3,
      test: false,
      negative: false,
      oa: 0,
      ca: 1,
      objects: [{ ioa: 1, value: true, quality: 0 }],
    });
    expectError(
      decodeErrorOf(() => decodeAsdu(buf, 3)),
      { code: C.COUNT_MISMATCH, field: "VSQ", offset: 4 },
    );
    expectError(
      decodeErrorOf(() => decodeAsdu(buf, 3, 14)),
      { code: C.TRAILING_BYTES, field: "ASDU", offset: 13 },
    );
    expectError(
      decodeErrorOf(() => decodeAsdu(buf, 3, 8)),
      { code: C.ASDU_TOO_SHORT, field: "ASDU header", offset: 3 },
    );
    expectError(
      decodeErrorOf(() => decodeAsdu(h("aa bb cc 00 01 03 00 01 00 01 00 00 01"), 3)),
      { code: C.UNKNOWN_TYPE, field: "type identification", offset: 3 },
    );
    expectError(
      decodeErrorOf(() => decodeAsdu(h("aa bb cc 01 81 14 00 01 00 01"), 3)),
      { code: C.MISSING_IOA, field: "IOA", offset: 9 },
    );
    expectError(
      decodeErrorOf(() => decodeAsdu(h("aa bb cc 01 00 14 00 01 00 01 00 00 01"), 3)),
      { code: C.ZERO_COUNT, field: "VSQ", offset: 4 },
    );
  });
});

/* ---- malformed variants of every golden frame ------------------------------------------------ */

/** The golden I-frames with the facts needed to predict how a variant must fail. */
const GOLDEN_I = GOLDEN.flatMap((v) => {
  if (v.apdu.format !== "I") return [];
  const spec = elementSpec(v.apdu.asdu.typeId);
  if (spec === undefined) throw new Error(`${v.name}: unknown type`);
  const sq = v.apdu.asdu.sq;
  return [{ name: v.name, bytes: v.bytes, perObject: sq ? spec.size : 3 + spec.size }];
});

/** `bytes` with its length octet set to match the new size. */
function relength(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  out[1] = out.length - 2;
  return out;
}

describe("malformed variants of the golden frames", () => {
  it("rejects every golden I-frame with its last octet cut (COUNT_MISMATCH at the VSQ)", () => {
    for (const v of GOLDEN_I) {
      const e = decodeErrorOf(() => decodeApdu(relength(v.bytes.subarray(0, v.bytes.length - 1))));
      expectError(e, { code: C.COUNT_MISMATCH, field: "VSQ", offset: 7 });
    }
  });

  it("rejects every golden I-frame with one octet appended", () => {
    for (const v of GOLDEN_I) {
      const longer = Buffer.concat([v.bytes, h("00")]);
      if (longer.length - 2 > 253) {
        expectError(
          decodeErrorOf(() => decodeApdu(relength(longer))),
          { code: C.BAD_LENGTH, field: "length", offset: 1 },
        );
        continue;
      }
      const e = decodeErrorOf(() => decodeApdu(relength(longer)));
      // One extra octet is a whole extra object only when an object is one octet (SQ=1 SIQ/DIQ...).
      if (v.perObject === 1) expectError(e, { code: C.COUNT_MISMATCH, field: "VSQ", offset: 7 });
      else expectError(e, { code: C.TRAILING_BYTES, field: "ASDU", offset: v.bytes.length });
    }
  });

  it("rejects every golden I-frame whose VSQ count is one too many or one too few", () => {
    for (const v of GOLDEN_I) {
      const count = v.bytes[7]! & 0x7f;
      if (count < 127) {
        const more = Buffer.from(v.bytes);
        more[7] = more[7]! + 1;
        expectError(
          decodeErrorOf(() => decodeApdu(more)),
          { code: C.COUNT_MISMATCH, field: "VSQ", offset: 7 },
        );
      }
      const fewer = Buffer.from(v.bytes);
      fewer[7] = fewer[7]! - 1;
      expectError(
        decodeErrorOf(() => decodeApdu(fewer)),
        count === 1
          ? { code: C.ZERO_COUNT, field: "VSQ", offset: 7 }
          : { code: C.COUNT_MISMATCH, field: "VSQ", offset: 7 },
      );
    }
  });

  it("rejects every golden I-frame with an unknown type id", () => {
    for (const v of GOLDEN_I) {
      for (const typeId of [0, 41, 99, 127, 200, 255]) {
        const bad = Buffer.from(v.bytes);
        bad[6] = typeId;
        expectError(
          decodeErrorOf(() => decodeApdu(bad)),
          { code: C.UNKNOWN_TYPE, field: "type identification", offset: 6 },
        );
      }
    }
  });

  it("rejects every golden I-frame with the reserved bit 0 of C3 set", () => {
    for (const v of GOLDEN_I) {
      const bad = Buffer.from(v.bytes);
      bad[4] = bad[4]! | 0x01;
      expectError(
        decodeErrorOf(() => decodeApdu(bad)),
        { code: C.BAD_CONTROL, field: "control", offset: 4 },
      );
    }
  });

  it("rejects every golden S- and U-frame with an octet appended", () => {
    for (const v of GOLDEN) {
      if (v.apdu.format === "I") continue;
      const longer = relength(Buffer.concat([v.bytes, h("00")]));
      const e = decodeErrorOf(() => decodeApdu(longer));
      if (v.apdu.format === "U") expectError(e, { code: C.BAD_U_FRAME, field: "length", offset: 1 });
      else expectError(e, { code: C.BAD_CONTROL, field: "length", offset: 1 });
    }
  });

  it("rejects every golden U-frame with any one extra bit in C1..C4", () => {
    for (const v of GOLDEN) {
      if (v.apdu.format !== "U") continue;
      for (let octet = 2; octet <= 5; octet++) {
        for (let bit = 0; bit < 8; bit++) {
          const bad = Buffer.from(v.bytes);
          bad[octet] = bad[octet]! ^ (1 << bit);
          // Clearing bit 0 of C1 makes an I-frame and clearing bit 1 an S-frame: not U-frame cases.
          if (octet === 2 && bit < 2) continue;
          expectError(
            decodeErrorOf(() => decodeApdu(bad)),
            { code: C.BAD_U_FRAME, field: "control", offset: 2 },
          );
        }
      }
    }
  });
});

/* ---- the splitter (framing of the TCP stream) ------------------------------------------------- */

interface SplitterCase extends Expected {
  name: string;
  chunks: string[];
}

const SPLITTER_CASES: SplitterCase[] = [
  { name: "length 3", chunks: ["68 03 01 00 00"], code: C.BAD_LENGTH, field: "length", offset: 1 },
  { name: "length 0", chunks: ["68 00"], code: C.BAD_LENGTH, field: "length", offset: 1 },
  { name: "length 254", chunks: ["68 fe 00 00 00 00"], code: C.BAD_LENGTH, field: "length", offset: 1 },
  { name: "length 255", chunks: ["68 ff"], code: C.BAD_LENGTH, field: "length", offset: 1 },
  {
    name: "length 3, one octet per chunk",
    chunks: ["68", "03"],
    code: C.BAD_LENGTH,
    field: "length",
    offset: 1,
  },
  {
    name: "length 254 after a valid frame, in the same chunk",
    chunks: ["68 04 07 00 00 00 68 fe"],
    code: C.BAD_LENGTH,
    field: "length",
    offset: 7,
  },
  {
    name: "length 2 after a valid frame, split across chunks",
    chunks: ["68 04 07 00 00 00 68", "02 00 00"],
    code: C.BAD_LENGTH,
    field: "length",
    offset: 7,
  },
  { name: "start 0x69", chunks: ["69 04 07 00 00 00"], code: C.BAD_START, field: "start", offset: 0 },
  { name: "start 0x00, alone", chunks: ["00"], code: C.BAD_START, field: "start", offset: 0 },
  {
    name: "start 0x16 after a valid frame",
    chunks: ["68 04 07 00 00 00 16 04 07 00 00 00"],
    code: C.BAD_START,
    field: "start",
    offset: 6,
  },
  {
    name: "start 0xff after two frames in separate chunks",
    chunks: ["68 04 07 00 00 00", "68 04 01 00 02 00", "ff"],
    code: C.BAD_START,
    field: "start",
    offset: 12,
  },
  {
    name: "start 0x10 after a frame completed across chunks",
    chunks: ["68 04 07", "00 00 00 10"],
    code: C.BAD_START,
    field: "start",
    offset: 6,
  },
];

describe("malformed stream into the ApduSplitter", () => {
  it.each(SPLITTER_CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const splitter = new ApduSplitter();
    const chunks = c.chunks.map(h);
    const last = chunks.pop()!;
    for (const chunk of chunks) splitter.push(chunk);
    const e = decodeErrorOf(() => splitter.push(last));
    expectError(e, c);

    // Framing is lost: the splitter stays failed, whatever comes next.
    expect(decodeErrorOf(() => splitter.push(h("68 04 07 00 00 00")))).toBe(e);
    expect(decodeErrorOf(() => splitter.push(new Uint8Array(0)))).toBe(e);
    expect(decodeErrorOf(() => splitter.push(h("68")))).toBe(e);
  });

  it("passes frames with a valid start and length through; decodeApdu then rejects their content", () => {
    const splitter = new ApduSplitter();
    const frames = splitter.push(h("68 04 47 00 00 00  68 05 01 00 00 00 00  68 04 00 00 00 00"));
    expect(frames).toHaveLength(3);
    expect(frames.map((f) => decodeErrorOf(() => decodeApdu(f)).code)).toEqual([
      C.BAD_U_FRAME,
      C.BAD_CONTROL,
      C.ASDU_TOO_SHORT,
    ]);
    // A content error is the decoder's, not the splitter's: the splitter carries on.
    expect(splitter.push(h("68 04 0b 00 00 00"))).toHaveLength(1);
  });
});
