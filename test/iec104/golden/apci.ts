/**
 * APCI (IEC 60870-5-104 5.1): every APDU starts 0x68, L (4..253), then four control octets.
 *   I format: C1 bit 0 = 0, N(S) in C1 bits 1-7 (low 7 bits) and C2 (high 8 bits); N(R) likewise in C3/C4
 *   S format: C1 = 0x01, C2 = 0, N(R) in C3/C4 (C3 bit 0 = 0)
 *   U format: C1 bits 0-1 = 11 and exactly one function bit: STARTDT act 0x04 / con 0x08,
 *             STOPDT act 0x10 / con 0x20, TESTFR act 0x40 / con 0x80; C2-C4 = 0
 * Sequence numbers are 15 bits, counting modulo 32768.
 */
import { TypeId } from "../../../src/iec104/asdu/types.js";
import { asdu, b, type Field, iFrame } from "./build.js";
import type { GoldenVector } from "./index.js";

/** The ASDU the I-frame vectors carry: 10 octets. */
const SP_ASDU: Field[] = [
  0x01, // type id 1 M_SP_NA_1
  0x01, // VSQ: SQ=0, 1 object
  [0x03, 0x00], // COT 3 spontaneous; originator 0
  [0x01, 0x00], // CA 1
  [0x01, 0x00, 0x00], // IOA 1
  0x01, // SIQ: on
];
const SP_DECODED = asdu(TypeId.M_SP_NA_1, { cot: 3, ca: 1 }, [{ ioa: 1, value: true, quality: 0 }]);

export const APCI: GoldenVector[] = [
  {
    name: "U-frame STARTDT_ACT",
    bytes: b(
      [0x68, 0x04], // start; APDU length 4 (control field only)
      0x07, // C1: U format (bits 0-1 = 11) | STARTDT act (bit 2)
      [0x00, 0x00, 0x00], // C2-C4: 0
    ),
    apdu: { format: "U", fn: "STARTDT_ACT" },
  },
  {
    name: "U-frame STARTDT_CON",
    bytes: b(
      [0x68, 0x04], // start; APDU length 4 (control field only)
      0x0b, // C1: U format (bits 0-1 = 11) | STARTDT con (bit 3)
      [0x00, 0x00, 0x00], // C2-C4: 0
    ),
    apdu: { format: "U", fn: "STARTDT_CON" },
  },
  {
    name: "U-frame STOPDT_ACT",
    bytes: b(
      [0x68, 0x04], // start; APDU length 4 (control field only)
      0x13, // C1: U format (bits 0-1 = 11) | STOPDT act (bit 4)
      [0x00, 0x00, 0x00], // C2-C4: 0
    ),
    apdu: { format: "U", fn: "STOPDT_ACT" },
  },
  {
    name: "U-frame STOPDT_CON",
    bytes: b(
      [0x68, 0x04], // start; APDU length 4 (control field only)
      0x23, // C1: U format (bits 0-1 = 11) | STOPDT con (bit 5)
      [0x00, 0x00, 0x00], // C2-C4: 0
    ),
    apdu: { format: "U", fn: "STOPDT_CON" },
  },
  {
    name: "U-frame TESTFR_ACT",
    bytes: b(
      [0x68, 0x04], // start; APDU length 4 (control field only)
      0x43, // C1: U format (bits 0-1 = 11) | TESTFR act (bit 6)
      [0x00, 0x00, 0x00], // C2-C4: 0
    ),
    apdu: { format: "U", fn: "TESTFR_ACT" },
  },
  {
    name: "U-frame TESTFR_CON",
    bytes: b(
      [0x68, 0x04], // start; APDU length 4 (control field only)
      0x83, // C1: U format (bits 0-1 = 11) | TESTFR con (bit 7)
      [0x00, 0x00, 0x00], // C2-C4: 0
    ),
    apdu: { format: "U", fn: "TESTFR_CON" },
  },
  {
    name: "S-frame N(R)=0",
    bytes: b(
      [0x68, 0x04], // start; APDU length 4 (control field only)
      [0x01, 0x00], // C1 = 0x01 S format (bits 0-1 = 01), C2 = 0
      [0x00, 0x00], // C3-C4: N(R) 0 = C3 bits 1-7 (N(R) << 1) + C4 (N(R) >> 7)
    ),
    apdu: { format: "S", nr: 0 },
  },
  {
    name: "S-frame N(R)=1",
    bytes: b(
      [0x68, 0x04], // start; APDU length 4 (control field only)
      [0x01, 0x00], // C1 = 0x01 S format (bits 0-1 = 01), C2 = 0
      [0x02, 0x00], // C3-C4: N(R) 1 = C3 bits 1-7 (N(R) << 1) + C4 (N(R) >> 7)
    ),
    apdu: { format: "S", nr: 1 },
  },
  {
    name: "S-frame N(R)=127",
    bytes: b(
      [0x68, 0x04], // start; APDU length 4 (control field only)
      [0x01, 0x00], // C1 = 0x01 S format (bits 0-1 = 01), C2 = 0
      [0xfe, 0x00], // C3-C4: N(R) 127 = C3 bits 1-7 (N(R) << 1) + C4 (N(R) >> 7)
    ),
    apdu: { format: "S", nr: 127 },
  },
  {
    name: "S-frame N(R)=128",
    bytes: b(
      [0x68, 0x04], // start; APDU length 4 (control field only)
      [0x01, 0x00], // C1 = 0x01 S format (bits 0-1 = 01), C2 = 0
      [0x00, 0x01], // C3-C4: N(R) 128 = C3 bits 1-7 (N(R) << 1) + C4 (N(R) >> 7)
    ),
    apdu: { format: "S", nr: 128 },
  },
  {
    name: "S-frame N(R)=255",
    bytes: b(
      [0x68, 0x04], // start; APDU length 4 (control field only)
      [0x01, 0x00], // C1 = 0x01 S format (bits 0-1 = 01), C2 = 0
      [0xfe, 0x01], // C3-C4: N(R) 255 = C3 bits 1-7 (N(R) << 1) + C4 (N(R) >> 7)
    ),
    apdu: { format: "S", nr: 255 },
  },
  {
    name: "S-frame N(R)=256",
    bytes: b(
      [0x68, 0x04], // start; APDU length 4 (control field only)
      [0x01, 0x00], // C1 = 0x01 S format (bits 0-1 = 01), C2 = 0
      [0x00, 0x02], // C3-C4: N(R) 256 = C3 bits 1-7 (N(R) << 1) + C4 (N(R) >> 7)
    ),
    apdu: { format: "S", nr: 256 },
  },
  {
    name: "S-frame N(R)=16383",
    bytes: b(
      [0x68, 0x04], // start; APDU length 4 (control field only)
      [0x01, 0x00], // C1 = 0x01 S format (bits 0-1 = 01), C2 = 0
      [0xfe, 0x7f], // C3-C4: N(R) 16383 = C3 bits 1-7 (N(R) << 1) + C4 (N(R) >> 7)
    ),
    apdu: { format: "S", nr: 16383 },
  },
  {
    name: "S-frame N(R)=16384",
    bytes: b(
      [0x68, 0x04], // start; APDU length 4 (control field only)
      [0x01, 0x00], // C1 = 0x01 S format (bits 0-1 = 01), C2 = 0
      [0x00, 0x80], // C3-C4: N(R) 16384 = C3 bits 1-7 (N(R) << 1) + C4 (N(R) >> 7)
    ),
    apdu: { format: "S", nr: 16384 },
  },
  {
    name: "S-frame N(R)=32767",
    bytes: b(
      [0x68, 0x04], // start; APDU length 4 (control field only)
      [0x01, 0x00], // C1 = 0x01 S format (bits 0-1 = 01), C2 = 0
      [0xfe, 0xff], // C3-C4: N(R) 32767 = C3 bits 1-7 (N(R) << 1) + C4 (N(R) >> 7)
    ),
    apdu: { format: "S", nr: 32767 },
  },
  {
    name: "I-frame N(S)=1 N(R)=0",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x02, 0x00], // C1-C2: N(S) 1 = C1 bits 1-7 (N(S) << 1, bit 0 = 0: I format) + C2 (N(S) >> 7)
      [0x00, 0x00], // C3-C4: N(R) 0 = C3 bits 1-7 (N(R) << 1, bit 0 = 0) + C4 (N(R) >> 7)
      ...SP_ASDU, // M_SP_NA_1 spont, CA 1, IOA 1, on
    ),
    apdu: iFrame(SP_DECODED, { ns: 1, nr: 0 }),
  },
  {
    name: "I-frame N(S)=127 N(R)=128",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0xfe, 0x00], // C1-C2: N(S) 127 = C1 bits 1-7 (N(S) << 1, bit 0 = 0: I format) + C2 (N(S) >> 7)
      [0x00, 0x01], // C3-C4: N(R) 128 = C3 bits 1-7 (N(R) << 1, bit 0 = 0) + C4 (N(R) >> 7)
      ...SP_ASDU, // M_SP_NA_1 spont, CA 1, IOA 1, on
    ),
    apdu: iFrame(SP_DECODED, { ns: 127, nr: 128 }),
  },
  {
    name: "I-frame N(S)=128 N(R)=127",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x01], // C1-C2: N(S) 128 = C1 bits 1-7 (N(S) << 1, bit 0 = 0: I format) + C2 (N(S) >> 7)
      [0xfe, 0x00], // C3-C4: N(R) 127 = C3 bits 1-7 (N(R) << 1, bit 0 = 0) + C4 (N(R) >> 7)
      ...SP_ASDU, // M_SP_NA_1 spont, CA 1, IOA 1, on
    ),
    apdu: iFrame(SP_DECODED, { ns: 128, nr: 127 }),
  },
  {
    name: "I-frame N(S)=255 N(R)=256",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0xfe, 0x01], // C1-C2: N(S) 255 = C1 bits 1-7 (N(S) << 1, bit 0 = 0: I format) + C2 (N(S) >> 7)
      [0x00, 0x02], // C3-C4: N(R) 256 = C3 bits 1-7 (N(R) << 1, bit 0 = 0) + C4 (N(R) >> 7)
      ...SP_ASDU, // M_SP_NA_1 spont, CA 1, IOA 1, on
    ),
    apdu: iFrame(SP_DECODED, { ns: 255, nr: 256 }),
  },
  {
    name: "I-frame N(S)=16383 N(R)=16384",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0xfe, 0x7f], // C1-C2: N(S) 16383 = C1 bits 1-7 (N(S) << 1, bit 0 = 0: I format) + C2 (N(S) >> 7)
      [0x00, 0x80], // C3-C4: N(R) 16384 = C3 bits 1-7 (N(R) << 1, bit 0 = 0) + C4 (N(R) >> 7)
      ...SP_ASDU, // M_SP_NA_1 spont, CA 1, IOA 1, on
    ),
    apdu: iFrame(SP_DECODED, { ns: 16383, nr: 16384 }),
  },
  {
    name: "I-frame N(S)=32766 N(R)=32767",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0xfc, 0xff], // C1-C2: N(S) 32766 = C1 bits 1-7 (N(S) << 1, bit 0 = 0: I format) + C2 (N(S) >> 7)
      [0xfe, 0xff], // C3-C4: N(R) 32767 = C3 bits 1-7 (N(R) << 1, bit 0 = 0) + C4 (N(R) >> 7)
      ...SP_ASDU, // M_SP_NA_1 spont, CA 1, IOA 1, on
    ),
    apdu: iFrame(SP_DECODED, { ns: 32766, nr: 32767 }),
  },
  {
    name: "I-frame N(S)=32767 N(R)=32766",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0xfe, 0xff], // C1-C2: N(S) 32767 = C1 bits 1-7 (N(S) << 1, bit 0 = 0: I format) + C2 (N(S) >> 7)
      [0xfc, 0xff], // C3-C4: N(R) 32766 = C3 bits 1-7 (N(R) << 1, bit 0 = 0) + C4 (N(R) >> 7)
      ...SP_ASDU, // M_SP_NA_1 spont, CA 1, IOA 1, on
    ),
    apdu: iFrame(SP_DECODED, { ns: 32767, nr: 32766 }),
  },
  {
    name: "I-frame N(S)=0 N(R)=32767",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00], // C1-C2: N(S) 0 = C1 bits 1-7 (N(S) << 1, bit 0 = 0: I format) + C2 (N(S) >> 7)
      [0xfe, 0xff], // C3-C4: N(R) 32767 = C3 bits 1-7 (N(R) << 1, bit 0 = 0) + C4 (N(R) >> 7)
      ...SP_ASDU, // M_SP_NA_1 spont, CA 1, IOA 1, on
    ),
    apdu: iFrame(SP_DECODED, { ns: 0, nr: 32767 }),
  },
  {
    name: "I-frame N(S)=32767 N(R)=0",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0xfe, 0xff], // C1-C2: N(S) 32767 = C1 bits 1-7 (N(S) << 1, bit 0 = 0: I format) + C2 (N(S) >> 7)
      [0x00, 0x00], // C3-C4: N(R) 0 = C3 bits 1-7 (N(R) << 1, bit 0 = 0) + C4 (N(R) >> 7)
      ...SP_ASDU, // M_SP_NA_1 spont, CA 1, IOA 1, on
    ),
    apdu: iFrame(SP_DECODED, { ns: 32767, nr: 0 }),
  },
];
