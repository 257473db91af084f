/**
 * Monitoring direction without time tag (IEC 60870-5-101 7.3.1): types 1, 3, 5, 7, 9, 11, 13, 15, 20,
 * 21 and the end of initialization 70. Field sizes as in 104 clause 9: COT 2 octets (cause and
 * originator), CA 2 octets, IOA 3 octets, all little-endian.
 */
import { TypeId } from "../../../src/iec104/asdu/types.js";
import { asdu, BL, b, IV, iFrame, NT, OV, SB } from "./build.js";
import type { GoldenVector } from "./index.js";

/** 127 single points for the VSQ 0xff vector: off, on, off, ... */
const SIQ_127 = Array.from({ length: 127 }, (_, i) => (i % 2 === 0 ? 0x00 : 0x01));

/** 80 scaled values i * 257 (both octets equal i) with QDS 0: the largest ASDU, 249 octets. */
const SVA_80 = Array.from({ length: 80 }, (_, i) => [i, i, 0x00]);

export const MONITOR: GoldenVector[] = [
  // ---- 1 M_SP_NA_1: SIQ = SPI bit 0, BL 0x10, SB 0x20, NT 0x40, IV 0x80 ----
  {
    name: "M_SP_NA_1 spont SQ=0, 2 objects, IOA 0xFFFFFF, SIQ with IV NT SB BL",
    bytes: b(
      [0x68, 0x12], // start; APDU length 18 = 4 control + 14 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x01, // type id 1 M_SP_NA_1
      0x02, // VSQ: SQ=0, 2 objects
      [0x03, 0x00], // COT 3 spontaneous, P/N=0, T=0; originator 0
      [0x01, 0x00], // CA 1
      [0x64, 0x00, 0x00], // IOA 100
      0x01, // SIQ: SPI=1 (on), no quality flag
      [0xff, 0xff, 0xff], // IOA 16777215 (0xFFFFFF, the largest)
      0xf0, // SIQ: SPI=0 (off) | IV 0x80 | NT 0x40 | SB 0x20 | BL 0x10
    ),
    apdu: iFrame(
      asdu(TypeId.M_SP_NA_1, { cot: 3, ca: 1 }, [
        { ioa: 100, value: true, quality: 0 },
        { ioa: 0xffffff, value: false, quality: IV | NT | SB | BL },
      ]),
    ),
  },
  {
    name: "M_SP_NA_1 inrogen SQ=1, 3 objects from IOA 1000",
    bytes: b(
      [0x68, 0x10], // start; APDU length 16 = 4 control + 12 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x01, // type id 1 M_SP_NA_1
      0x83, // VSQ: SQ=1, 3 objects
      [0x14, 0x00], // COT 20 interrogated by station, P/N=0, T=0; originator 0
      [0x34, 0x12], // CA 0x1234
      [0xe8, 0x03, 0x00], // base IOA 1000 (0x0003e8); the objects are IOA 1000, 1001, 1002
      0x00, // SIQ IOA 1000: off, no flag
      0x81, // SIQ IOA 1001: on | IV
      0x11, // SIQ IOA 1002: on | BL
    ),
    apdu: iFrame(
      asdu(TypeId.M_SP_NA_1, { cot: 20, ca: 0x1234, sq: true }, [
        { ioa: 1000, value: false, quality: 0 },
        { ioa: 1001, value: true, quality: IV },
        { ioa: 1002, value: true, quality: BL },
      ]),
    ),
  },
  {
    name: "M_SP_NA_1 spont with the test bit and originator 7",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x01, // type id 1 M_SP_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x83, 0x07], // COT 3 spontaneous | T=1 (0x80), P/N=0; originator 7
      [0x03, 0x02], // CA 0x0203
      [0x01, 0x00, 0x00], // IOA 1
      0x61, // SIQ: on | NT 0x40 | SB 0x20
    ),
    apdu: iFrame(
      asdu(TypeId.M_SP_NA_1, { cot: 3, ca: 0x0203, oa: 7, test: true }, [
        { ioa: 1, value: true, quality: NT | SB },
      ]),
    ),
  },
  {
    name: "M_SP_NA_1 inrogen SQ=1, 127 objects (VSQ 0xff)",
    bytes: b(
      [0x68, 0x8c], // start; APDU length 140 = 4 control + 136 ASDU (6 + 3 + 127)
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x01, // type id 1 M_SP_NA_1
      0xff, // VSQ: SQ=1, 127 objects (the most 7 bits hold)
      [0x14, 0x00], // COT 20 interrogated by station; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // base IOA 1; the objects are IOA 1..127
      SIQ_127, // 127 SIQ octets: 0x00 (off) at IOA 1, 0x01 (on) at IOA 2, alternating
    ),
    apdu: iFrame(
      asdu(
        TypeId.M_SP_NA_1,
        { cot: 20, ca: 1, sq: true },
        SIQ_127.map((siq, i) => ({ ioa: 1 + i, value: siq === 0x01, quality: 0 })),
      ),
    ),
  },

  // ---- 3 M_DP_NA_1: DIQ = DPI bits 0-1 (0 intermediate, 1 off, 2 on, 3 indeterminate) + flags ----
  {
    name: "M_DP_NA_1 inrogen SQ=1, the four DPI states",
    bytes: b(
      [0x68, 0x11], // start; APDU length 17 = 4 control + 13 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x03, // type id 3 M_DP_NA_1
      0x84, // VSQ: SQ=1, 4 objects
      [0x14, 0x00], // COT 20 interrogated by station; originator 0
      [0x01, 0x00], // CA 1
      [0xd0, 0x07, 0x00], // base IOA 2000 (0x0007d0)
      0x00, // DIQ IOA 2000: DPI 0 intermediate
      0x01, // DIQ IOA 2001: DPI 1 off
      0x22, // DIQ IOA 2002: DPI 2 on | SB
      0x83, // DIQ IOA 2003: DPI 3 indeterminate | IV
    ),
    apdu: iFrame(
      asdu(TypeId.M_DP_NA_1, { cot: 20, ca: 1, sq: true }, [
        { ioa: 2000, value: 0, quality: 0 },
        { ioa: 2001, value: 1, quality: 0 },
        { ioa: 2002, value: 2, quality: SB },
        { ioa: 2003, value: 3, quality: IV },
      ]),
    ),
  },
  {
    name: "M_DP_NA_1 request, IOA 0x010203, DIQ on with NT and BL",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x03, // type id 3 M_DP_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x05, 0x00], // COT 5 request; originator 0
      [0x01, 0x00], // CA 1
      [0x03, 0x02, 0x01], // IOA 0x010203 (little-endian)
      0x52, // DIQ: DPI 2 on | NT 0x40 | BL 0x10
    ),
    apdu: iFrame(asdu(TypeId.M_DP_NA_1, { cot: 5, ca: 1 }, [{ ioa: 0x010203, value: 2, quality: NT | BL }])),
  },

  // ---- 5 M_ST_NA_1: VTI (bits 0-6 value -64..63 two's complement, bit 7 transient) + QDS ----
  {
    name: "M_ST_NA_1 spont SQ=0, VTI 63 and -64 transient",
    bytes: b(
      [0x68, 0x14], // start; APDU length 20 = 4 control + 16 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x05, // type id 5 M_ST_NA_1
      0x02, // VSQ: SQ=0, 2 objects
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x0a, 0x00, 0x00], // IOA 10
      0x3f, // VTI: value 63, transient 0
      0x00, // QDS: no flag
      [0x0b, 0x00, 0x00], // IOA 11
      0xc0, // VTI: value -64 (0x40 in 7 bits) | transient 0x80
      0x01, // QDS: OV
    ),
    apdu: iFrame(
      asdu(TypeId.M_ST_NA_1, { cot: 3, ca: 1 }, [
        { ioa: 10, value: 63, transient: false, quality: 0 },
        { ioa: 11, value: -64, transient: true, quality: OV },
      ]),
    ),
  },
  {
    name: "M_ST_NA_1 inro1 SQ=1, VTI -1 with every QDS flag, VTI 0 transient",
    bytes: b(
      [0x68, 0x11], // start; APDU length 17 = 4 control + 13 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x05, // type id 5 M_ST_NA_1
      0x82, // VSQ: SQ=1, 2 objects
      [0x15, 0x00], // COT 21 interrogated by group 1; originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x05, 0x00], // base IOA 0x000500 (1280)
      0x7f, // VTI IOA 1280: value -1 (0x7f in 7 bits), transient 0
      0xf1, // QDS: IV 0x80 | NT 0x40 | SB 0x20 | BL 0x10 | OV 0x01
      0x80, // VTI IOA 1281: value 0 | transient 0x80
      0x10, // QDS: BL
    ),
    apdu: iFrame(
      asdu(TypeId.M_ST_NA_1, { cot: 21, ca: 1, sq: true }, [
        { ioa: 1280, value: -1, transient: false, quality: IV | NT | SB | BL | OV },
        { ioa: 1281, value: 0, transient: true, quality: BL },
      ]),
    ),
  },

  // ---- 7 M_BO_NA_1: BSI 32 bits (little-endian, as lib60870 writes it) + QDS ----
  {
    name: "M_BO_NA_1 spont, BSI 0x12345678",
    bytes: b(
      [0x68, 0x12], // start; APDU length 18 = 4 control + 14 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x07, // type id 7 M_BO_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      [0x78, 0x56, 0x34, 0x12], // BSI 0x12345678, least significant octet first
      0x00, // QDS: no flag
    ),
    apdu: iFrame(asdu(TypeId.M_BO_NA_1, { cot: 3, ca: 1 }, [{ ioa: 1, value: 0x12345678, quality: 0 }])),
  },
  {
    name: "M_BO_NA_1 inrogen SQ=1, BSI all ones and 1",
    bytes: b(
      [0x68, 0x17], // start; APDU length 23 = 4 control + 19 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x07, // type id 7 M_BO_NA_1
      0x82, // VSQ: SQ=1, 2 objects
      [0x14, 0x00], // COT 20 interrogated by station; originator 0
      [0x01, 0x00], // CA 1
      [0x2c, 0x01, 0x00], // base IOA 300 (0x00012c)
      [0xff, 0xff, 0xff, 0xff], // BSI IOA 300: 0xFFFFFFFF
      0x80, // QDS: IV
      [0x01, 0x00, 0x00, 0x00], // BSI IOA 301: 0x00000001
      0x41, // QDS: NT | OV
    ),
    apdu: iFrame(
      asdu(TypeId.M_BO_NA_1, { cot: 20, ca: 1, sq: true }, [
        { ioa: 300, value: 0xffffffff, quality: IV },
        { ioa: 301, value: 1, quality: NT | OV },
      ]),
    ),
  },

  // ---- 9 M_ME_NA_1: NVA (int16 / 32768) + QDS ----
  {
    name: "M_ME_NA_1 spont SQ=0, normalized -1.0, 32767/32768 and 0.5",
    bytes: b(
      [0x68, 0x1c], // start; APDU length 28 = 4 control + 24 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x09, // type id 9 M_ME_NA_1
      0x03, // VSQ: SQ=0, 3 objects
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      [0x00, 0x80], // NVA 0x8000 = -32768 -> -1.0
      0x00, // QDS: no flag
      [0x02, 0x00, 0x00], // IOA 2
      [0xff, 0x7f], // NVA 0x7fff = 32767 -> 1 - 2^-15 (the largest)
      0x01, // QDS: OV
      [0x03, 0x00, 0x00], // IOA 3
      [0x00, 0x40], // NVA 0x4000 = 16384 -> 0.5
      0x00, // QDS: no flag
    ),
    apdu: iFrame(
      asdu(TypeId.M_ME_NA_1, { cot: 3, ca: 1 }, [
        { ioa: 1, value: -1, quality: 0 },
        { ioa: 2, value: 32767 / 32768, quality: OV },
        { ioa: 3, value: 0.5, quality: 0 },
      ]),
    ),
  },
  {
    name: "M_ME_NA_1 periodic SQ=1, normalized 0 and -0.25",
    bytes: b(
      [0x68, 0x13], // start; APDU length 19 = 4 control + 15 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x09, // type id 9 M_ME_NA_1
      0x82, // VSQ: SQ=1, 2 objects
      [0x01, 0x00], // COT 1 periodic/cyclic; originator 0
      [0x0b, 0x0a], // CA 0x0a0b
      [0x00, 0x00, 0x0a], // base IOA 0x0a0000 (655360)
      [0x00, 0x00], // NVA 0 -> 0.0
      0x40, // QDS: NT
      [0x00, 0xe0], // NVA 0xe000 = -8192 -> -0.25
      0x20, // QDS: SB
    ),
    apdu: iFrame(
      asdu(TypeId.M_ME_NA_1, { cot: 1, ca: 0x0a0b, sq: true }, [
        { ioa: 0x0a0000, value: 0, quality: NT },
        { ioa: 0x0a0001, value: -0.25, quality: SB },
      ]),
    ),
  },

  // ---- 11 M_ME_NB_1: SVA (int16) + QDS ----
  {
    name: "M_ME_NB_1 spont SQ=0, scaled -32768 and 32767",
    bytes: b(
      [0x68, 0x16], // start; APDU length 22 = 4 control + 18 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x0b, // type id 11 M_ME_NB_1
      0x02, // VSQ: SQ=0, 2 objects
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x05, 0x00, 0x00], // IOA 5
      [0x00, 0x80], // SVA -32768 (0x8000)
      0x00, // QDS: no flag
      [0x06, 0x00, 0x00], // IOA 6
      [0xff, 0x7f], // SVA 32767 (0x7fff)
      0x10, // QDS: BL
    ),
    apdu: iFrame(
      asdu(TypeId.M_ME_NB_1, { cot: 3, ca: 1 }, [
        { ioa: 5, value: -32768, quality: 0 },
        { ioa: 6, value: 32767, quality: BL },
      ]),
    ),
  },
  {
    name: "M_ME_NB_1 background scan SQ=1, scaled 0, -1 and 1234",
    bytes: b(
      [0x68, 0x16], // start; APDU length 22 = 4 control + 18 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x0b, // type id 11 M_ME_NB_1
      0x83, // VSQ: SQ=1, 3 objects
      [0x02, 0x00], // COT 2 background scan; originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0xff, 0x00], // base IOA 0x00ff00 (65280)
      [0x00, 0x00], // SVA 0
      0x00, // QDS: no flag
      [0xff, 0xff], // SVA -1 (0xffff)
      0x80, // QDS: IV
      [0xd2, 0x04], // SVA 1234 (0x04d2)
      0x21, // QDS: SB | OV
    ),
    apdu: iFrame(
      asdu(TypeId.M_ME_NB_1, { cot: 2, ca: 1, sq: true }, [
        { ioa: 0xff00, value: 0, quality: 0 },
        { ioa: 0xff01, value: -1, quality: IV },
        { ioa: 0xff02, value: 1234, quality: SB | OV },
      ]),
    ),
  },
  {
    name: "M_ME_NB_1 inrogen SQ=1, 80 objects: the largest ASDU (249 octets, APDU length 253)",
    bytes: b(
      [0x68, 0xfd], // start; APDU length 253 = 4 control + 249 ASDU (6 + 3 + 80 x 3), the largest
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x0b, // type id 11 M_ME_NB_1
      0xd0, // VSQ: SQ=1 | 80 objects (0x50)
      [0x14, 0x00], // COT 20 interrogated by station; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // base IOA 1; the objects are IOA 1..80
      ...SVA_80, // 80 x (SVA i * 257 = octets i, i; QDS 0x00), i = 0..79
    ),
    apdu: iFrame(
      asdu(
        TypeId.M_ME_NB_1,
        { cot: 20, ca: 1, sq: true },
        SVA_80.map((_, i) => ({ ioa: 1 + i, value: i * 257, quality: 0 })),
      ),
    ),
  },

  // ---- 13 M_ME_NC_1: IEEE 754 short float (little-endian) + QDS ----
  {
    name: "M_ME_NC_1 spont SQ=0, float 1.5 and -0",
    bytes: b(
      [0x68, 0x1a], // start; APDU length 26 = 4 control + 22 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x0d, // type id 13 M_ME_NC_1
      0x02, // VSQ: SQ=0, 2 objects
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      [0x00, 0x00, 0xc0, 0x3f], // float 1.5 = 0x3fc00000
      0x00, // QDS: no flag
      [0x02, 0x00, 0x00], // IOA 2
      [0x00, 0x00, 0x00, 0x80], // float -0 = 0x80000000 (only the sign bit)
      0x00, // QDS: no flag
    ),
    apdu: iFrame(
      asdu(TypeId.M_ME_NC_1, { cot: 3, ca: 1 }, [
        { ioa: 1, value: Math.fround(1.5), quality: 0 },
        { ioa: 2, value: -0, quality: 0 },
      ]),
    ),
  },
  {
    name: "M_ME_NC_1 inrogen SQ=1, float FLT_MAX, -FLT_MAX and the smallest subnormal",
    bytes: b(
      [0x68, 0x1c], // start; APDU length 28 = 4 control + 24 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x0d, // type id 13 M_ME_NC_1
      0x83, // VSQ: SQ=1, 3 objects
      [0x14, 0x00], // COT 20 interrogated by station; originator 0
      [0x01, 0x00], // CA 1
      [0xa0, 0x0f, 0x00], // base IOA 4000 (0x000fa0)
      [0xff, 0xff, 0x7f, 0x7f], // float 0x7f7fffff = FLT_MAX 3.4028234663852886e38
      0x01, // QDS: OV
      [0xff, 0xff, 0x7f, 0xff], // float 0xff7fffff = -FLT_MAX
      0x00, // QDS: no flag
      [0x01, 0x00, 0x00, 0x00], // float 0x00000001 = 2^-149, the smallest subnormal
      0x80, // QDS: IV
    ),
    apdu: iFrame(
      asdu(TypeId.M_ME_NC_1, { cot: 20, ca: 1, sq: true }, [
        { ioa: 4000, value: Math.fround(3.4028234663852886e38), quality: OV },
        { ioa: 4001, value: Math.fround(-3.4028234663852886e38), quality: 0 },
        { ioa: 4002, value: Math.fround(2 ** -149), quality: IV },
      ]),
    ),
  },
  {
    name: "M_ME_NC_1 request SQ=0, float 100.25, +Infinity and -273.25",
    bytes: b(
      [0x68, 0x22], // start; APDU length 34 = 4 control + 30 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x0d, // type id 13 M_ME_NC_1
      0x03, // VSQ: SQ=0, 3 objects
      [0x05, 0x00], // COT 5 request; originator 0
      [0x01, 0x00], // CA 1
      [0x07, 0x00, 0x00], // IOA 7
      [0x00, 0x80, 0xc8, 0x42], // float 100.25 = 0x42c88000
      0x40, // QDS: NT
      [0x08, 0x00, 0x00], // IOA 8
      [0x00, 0x00, 0x80, 0x7f], // float +Infinity = 0x7f800000
      0x01, // QDS: OV
      [0x09, 0x00, 0x00], // IOA 9
      [0x00, 0xa0, 0x88, 0xc3], // float -273.25 = 0xc388a000
      0x00, // QDS: no flag
    ),
    apdu: iFrame(
      asdu(TypeId.M_ME_NC_1, { cot: 5, ca: 1 }, [
        { ioa: 7, value: Math.fround(100.25), quality: NT },
        { ioa: 8, value: Number.POSITIVE_INFINITY, quality: OV },
        { ioa: 9, value: Math.fround(-273.25), quality: 0 },
      ]),
    ),
  },

  // ---- 15 M_IT_NA_1: BCR = int32 + octet (SQ bits 0-4, CY 0x20, CA 0x40, IV 0x80) ----
  {
    name: "M_IT_NA_1 reqcogen, BCR 123456789 sequence 5",
    bytes: b(
      [0x68, 0x12], // start; APDU length 18 = 4 control + 14 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x0f, // type id 15 M_IT_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x25, 0x00], // COT 37 requested by general counter interrogation; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      [0x15, 0xcd, 0x5b, 0x07], // counter 123456789 = 0x075bcd15
      0x05, // sequence 5, CY=0, CA=0, IV=0
    ),
    apdu: iFrame(
      asdu(TypeId.M_IT_NA_1, { cot: 37, ca: 1 }, [
        { ioa: 1, value: 123456789, sequence: 5, carry: false, adjusted: false, invalid: false },
      ]),
    ),
  },
  {
    name: "M_IT_NA_1 reqco1 SQ=0, BCR -1 with carry, BCR -2^31 adjusted and invalid",
    bytes: b(
      [0x68, 0x1a], // start; APDU length 26 = 4 control + 22 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x0f, // type id 15 M_IT_NA_1
      0x02, // VSQ: SQ=0, 2 objects
      [0x26, 0x00], // COT 38 requested by group 1 counter interrogation; originator 0
      [0x01, 0x00], // CA 1
      [0x02, 0x00, 0x00], // IOA 2
      [0xff, 0xff, 0xff, 0xff], // counter -1
      0x3f, // sequence 31 (0x1f) | CY 0x20
      [0x03, 0x00, 0x00], // IOA 3
      [0x00, 0x00, 0x00, 0x80], // counter -2147483648 (0x80000000)
      0xc0, // sequence 0 | CA 0x40 | IV 0x80
    ),
    apdu: iFrame(
      asdu(TypeId.M_IT_NA_1, { cot: 38, ca: 1 }, [
        { ioa: 2, value: -1, sequence: 31, carry: true, adjusted: false, invalid: false },
        { ioa: 3, value: -2147483648, sequence: 0, carry: false, adjusted: true, invalid: true },
      ]),
    ),
  },
  {
    name: "M_IT_NA_1 spont SQ=1, BCR 2^31-1 with every flag, BCR 0",
    bytes: b(
      [0x68, 0x17], // start; APDU length 23 = 4 control + 19 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x0f, // type id 15 M_IT_NA_1
      0x82, // VSQ: SQ=1, 2 objects
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x10, 0x00], // base IOA 0x001000 (4096)
      [0xff, 0xff, 0xff, 0x7f], // counter 2147483647 (0x7fffffff)
      0xff, // sequence 31 | CY | CA | IV
      [0x00, 0x00, 0x00, 0x00], // counter 0
      0x00, // sequence 0, no flag
    ),
    apdu: iFrame(
      asdu(TypeId.M_IT_NA_1, { cot: 3, ca: 1, sq: true }, [
        { ioa: 4096, value: 2147483647, sequence: 31, carry: true, adjusted: true, invalid: true },
        { ioa: 4097, value: 0, sequence: 0, carry: false, adjusted: false, invalid: false },
      ]),
    ),
  },

  // ---- 20 M_PS_NA_1: SCD (16 status bits ST, 16 change-detection bits CD) + QDS ----
  {
    name: "M_PS_NA_1 spont, ST 0xa5a5 CD 0x00ff",
    bytes: b(
      [0x68, 0x12], // start; APDU length 18 = 4 control + 14 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x14, // type id 20 M_PS_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      [0xa5, 0xa5], // ST 0xa5a5 (status of the 16 points, point 1 = bit 0)
      [0xff, 0x00], // CD 0x00ff (points 1-8 changed)
      0x00, // QDS: no flag
    ),
    apdu: iFrame(asdu(TypeId.M_PS_NA_1, { cot: 3, ca: 1 }, [{ ioa: 1, st: 0xa5a5, cd: 0x00ff, quality: 0 }])),
  },
  {
    name: "M_PS_NA_1 inrogen SQ=1, 2 objects with QDS flags",
    bytes: b(
      [0x68, 0x17], // start; APDU length 23 = 4 control + 19 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x14, // type id 20 M_PS_NA_1
      0x82, // VSQ: SQ=1, 2 objects
      [0x14, 0x00], // COT 20 interrogated by station; originator 0
      [0x01, 0x00], // CA 1
      [0x32, 0x00, 0x00], // base IOA 50
      [0xff, 0xff], // IOA 50 ST 0xffff
      [0x01, 0x80], // CD 0x8001
      0x80, // QDS: IV
      [0x01, 0x00], // IOA 51 ST 0x0001
      [0x00, 0x00], // CD 0x0000
      0x31, // QDS: SB | BL | OV
    ),
    apdu: iFrame(
      asdu(TypeId.M_PS_NA_1, { cot: 20, ca: 1, sq: true }, [
        { ioa: 50, st: 0xffff, cd: 0x8001, quality: IV },
        { ioa: 51, st: 0x0001, cd: 0x0000, quality: SB | BL | OV },
      ]),
    ),
  },

  // ---- 21 M_ME_ND_1: NVA without quality descriptor ----
  {
    name: "M_ME_ND_1 periodic SQ=0, normalized -1.0 and 32767/32768",
    bytes: b(
      [0x68, 0x14], // start; APDU length 20 = 4 control + 16 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x15, // type id 21 M_ME_ND_1
      0x02, // VSQ: SQ=0, 2 objects
      [0x01, 0x00], // COT 1 periodic/cyclic; originator 0
      [0x01, 0x00], // CA 1
      [0x07, 0x00, 0x00], // IOA 7
      [0x00, 0x80], // NVA -32768 -> -1.0
      [0x08, 0x00, 0x00], // IOA 8
      [0xff, 0x7f], // NVA 32767 -> 32767/32768
    ),
    apdu: iFrame(
      asdu(TypeId.M_ME_ND_1, { cot: 1, ca: 1 }, [
        { ioa: 7, value: -1 },
        { ioa: 8, value: 32767 / 32768 },
      ]),
    ),
  },
  {
    name: "M_ME_ND_1 inrogen SQ=1, normalized 0, 0.25 and -0.5",
    bytes: b(
      [0x68, 0x13], // start; APDU length 19 = 4 control + 15 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x15, // type id 21 M_ME_ND_1
      0x83, // VSQ: SQ=1, 3 objects
      [0x14, 0x00], // COT 20 interrogated by station; originator 0
      [0x01, 0x00], // CA 1
      [0x64, 0x00, 0x00], // base IOA 100
      [0x00, 0x00], // NVA 0 -> 0.0
      [0x00, 0x20], // NVA 0x2000 = 8192 -> 0.25
      [0x00, 0xc0], // NVA 0xc000 = -16384 -> -0.5
    ),
    apdu: iFrame(
      asdu(TypeId.M_ME_ND_1, { cot: 20, ca: 1, sq: true }, [
        { ioa: 100, value: 0 },
        { ioa: 101, value: 0.25 },
        { ioa: 102, value: -0.5 },
      ]),
    ),
  },

  // ---- 70 M_EI_NA_1: COI = cause bits 0-6 (0 local power on, 1 local manual reset, 2 remote reset),
  //      bit 7 = initialization after change of local parameters ----
  {
    name: "M_EI_NA_1 init, COI 0 local power on",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x46, // type id 70 M_EI_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x04, 0x00], // COT 4 initialized; originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      0x00, // COI: cause 0 local power on, bit 7 = 0
    ),
    apdu: iFrame(asdu(TypeId.M_EI_NA_1, { cot: 4, ca: 1 }, [{ ioa: 0, coi: 0 }])),
  },
  {
    name: "M_EI_NA_1 init, COI 2 remote reset after change of local parameters (bit 7)",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x46, // type id 70 M_EI_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x04, 0x00], // COT 4 initialized; originator 0
      [0x02, 0x01], // CA 0x0102
      [0x00, 0x00, 0x00], // IOA 0
      0x82, // COI: cause 2 remote reset | bit 7 local parameters changed
    ),
    apdu: iFrame(asdu(TypeId.M_EI_NA_1, { cot: 4, ca: 0x0102 }, [{ ioa: 0, coi: 0x82 }])),
  },
  {
    name: "M_EI_NA_1 init, COI 1 local manual reset, originator 3",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x46, // type id 70 M_EI_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x04, 0x03], // COT 4 initialized; originator 3
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      0x01, // COI: cause 1 local manual reset, bit 7 = 0
    ),
    apdu: iFrame(asdu(TypeId.M_EI_NA_1, { cot: 4, ca: 1, oa: 3 }, [{ ioa: 0, coi: 1 }])),
  },
];
