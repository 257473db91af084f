/**
 * Process commands (IEC 60870-5-101 7.3.2) and their CP56Time2a forms (104 clause 8: 58-64).
 *   SCO/DCO/RCO: bits 0-1 state (SCS bit 0; DCS 1 off 2 on; RCS 1 lower 2 higher), bits 2-6 QU
 *     (0 no additional definition, 1 short pulse, 2 long pulse, 3 persistent), bit 7 S/E (1 select)
 *   QOS (set-points): bits 0-6 QL, bit 7 S/E
 * Always one object with SQ=0.
 */
import { TypeId } from "../../../src/iec104/asdu/types.js";
import { asdu, b, iFrame, T_FRI, T_IV, T_IV_SU, T_MON, T_SU } from "./build.js";
import type { GoldenVector } from "./index.js";

export const COMMANDS: GoldenVector[] = [
  // ---- 45 C_SC_NA_1: SCO ----
  {
    name: "C_SC_NA_1 act, select ON, QU 0",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x2d, // type id 45 C_SC_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation, P/N=0, T=0; originator 0
      [0x01, 0x00], // CA 1
      [0x88, 0x13, 0x00], // IOA 5000 (0x001388)
      0x81, // SCO: SCS 1 ON | QU 0 | S/E 1 select
    ),
    apdu: iFrame(
      asdu(TypeId.C_SC_NA_1, { cot: 6, ca: 1 }, [{ ioa: 5000, value: true, select: true, qu: 0 }]),
    ),
  },
  {
    name: "C_SC_NA_1 act, execute ON, QU 1 short pulse",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x2d, // type id 45 C_SC_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x88, 0x13, 0x00], // IOA 5000
      0x05, // SCO: SCS 1 ON | QU 1 short pulse (1 << 2) | S/E 0 execute
    ),
    apdu: iFrame(
      asdu(TypeId.C_SC_NA_1, { cot: 6, ca: 1 }, [{ ioa: 5000, value: true, select: false, qu: 1 }]),
    ),
  },
  {
    name: "C_SC_NA_1 negative actcon, originator 1, execute OFF, QU 3 persistent",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x2d, // type id 45 C_SC_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x47, 0x01], // COT 7 activation confirmation | P/N=1 negative (0x40); originator 1
      [0x01, 0x00], // CA 1
      [0x88, 0x13, 0x00], // IOA 5000
      0x0c, // SCO: SCS 0 OFF | QU 3 persistent (3 << 2) | S/E 0 execute
    ),
    apdu: iFrame(
      asdu(TypeId.C_SC_NA_1, { cot: 7, ca: 1, oa: 1, negative: true }, [
        { ioa: 5000, value: false, select: false, qu: 3 },
      ]),
    ),
  },
  {
    name: "C_SC_NA_1 actterm, execute ON, QU 2 long pulse",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x2d, // type id 45 C_SC_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x0a, 0x00], // COT 10 activation termination; originator 0
      [0x01, 0x00], // CA 1
      [0x88, 0x13, 0x00], // IOA 5000
      0x09, // SCO: SCS 1 ON | QU 2 long pulse (2 << 2) | S/E 0 execute
    ),
    apdu: iFrame(
      asdu(TypeId.C_SC_NA_1, { cot: 10, ca: 1 }, [{ ioa: 5000, value: true, select: false, qu: 2 }]),
    ),
  },
  {
    name: "C_SC_NA_1 deact with the test bit, select ON, QU 31",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x2d, // type id 45 C_SC_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x88, 0x00], // COT 8 deactivation | T=1 (0x80); originator 0
      [0x01, 0x00], // CA 1
      [0x88, 0x13, 0x00], // IOA 5000
      0xfd, // SCO: SCS 1 ON | QU 31 (0x1f << 2 = 0x7c, the largest) | S/E 1 select
    ),
    apdu: iFrame(
      asdu(TypeId.C_SC_NA_1, { cot: 8, ca: 1, test: true }, [
        { ioa: 5000, value: true, select: true, qu: 31 },
      ]),
    ),
  },

  // ---- 46 C_DC_NA_1: DCO ----
  {
    name: "C_DC_NA_1 act, select ON",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x2e, // type id 46 C_DC_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x70, 0x17, 0x00], // IOA 6000 (0x001770)
      0x82, // DCO: DCS 2 ON | QU 0 | S/E 1 select
    ),
    apdu: iFrame(asdu(TypeId.C_DC_NA_1, { cot: 6, ca: 1 }, [{ ioa: 6000, value: 2, select: true, qu: 0 }])),
  },
  {
    name: "C_DC_NA_1 deactcon, execute OFF, QU 2 long pulse",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x2e, // type id 46 C_DC_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x09, 0x00], // COT 9 deactivation confirmation; originator 0
      [0x01, 0x00], // CA 1
      [0x70, 0x17, 0x00], // IOA 6000
      0x09, // DCO: DCS 1 OFF | QU 2 long pulse (2 << 2) | S/E 0 execute
    ),
    apdu: iFrame(asdu(TypeId.C_DC_NA_1, { cot: 9, ca: 1 }, [{ ioa: 6000, value: 1, select: false, qu: 2 }])),
  },
  {
    name: "C_DC_NA_1 negative unknown IOA, originator 2, execute ON, QU 1",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x2e, // type id 46 C_DC_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x6f, 0x02], // COT 47 unknown IOA (0x2f) | P/N=1 (0x40); originator 2
      [0x01, 0x00], // CA 1
      [0x71, 0x17, 0x00], // IOA 6001
      0x06, // DCO: DCS 2 ON | QU 1 short pulse (1 << 2) | S/E 0 execute
    ),
    apdu: iFrame(
      asdu(TypeId.C_DC_NA_1, { cot: 47, ca: 1, oa: 2, negative: true }, [
        { ioa: 6001, value: 2, select: false, qu: 1 },
      ]),
    ),
  },

  // ---- 47 C_RC_NA_1: RCO ----
  {
    name: "C_RC_NA_1 act, execute higher",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x2f, // type id 47 C_RC_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x58, 0x1b, 0x00], // IOA 7000 (0x001b58)
      0x02, // RCO: RCS 2 next step higher | QU 0 | S/E 0 execute
    ),
    apdu: iFrame(asdu(TypeId.C_RC_NA_1, { cot: 6, ca: 1 }, [{ ioa: 7000, value: 2, select: false, qu: 0 }])),
  },
  {
    name: "C_RC_NA_1 actcon, select lower, QU 3 persistent",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x2f, // type id 47 C_RC_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x07, 0x00], // COT 7 activation confirmation; originator 0
      [0x01, 0x00], // CA 1
      [0x58, 0x1b, 0x00], // IOA 7000
      0x8d, // RCO: RCS 1 next step lower | QU 3 persistent (3 << 2) | S/E 1 select
    ),
    apdu: iFrame(asdu(TypeId.C_RC_NA_1, { cot: 7, ca: 1 }, [{ ioa: 7000, value: 1, select: true, qu: 3 }])),
  },

  // ---- 48 C_SE_NA_1: NVA + QOS ----
  {
    name: "C_SE_NA_1 act, normalized 0.5, select QL 0",
    bytes: b(
      [0x68, 0x10], // start; APDU length 16 = 4 control + 12 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x30, // type id 48 C_SE_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x40, 0x1f, 0x00], // IOA 8000 (0x001f40)
      [0x00, 0x40], // NVA 16384 -> 0.5
      0x80, // QOS: QL 0 | S/E 1 select
    ),
    apdu: iFrame(asdu(TypeId.C_SE_NA_1, { cot: 6, ca: 1 }, [{ ioa: 8000, value: 0.5, select: true, ql: 0 }])),
  },
  {
    name: "C_SE_NA_1 actcon with the test bit, normalized -1.0, execute QL 127",
    bytes: b(
      [0x68, 0x10], // start; APDU length 16 = 4 control + 12 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x30, // type id 48 C_SE_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x87, 0x00], // COT 7 activation confirmation | T=1; originator 0
      [0x01, 0x00], // CA 1
      [0x40, 0x1f, 0x00], // IOA 8000
      [0x00, 0x80], // NVA -32768 -> -1.0
      0x7f, // QOS: QL 127 (the largest) | S/E 0 execute
    ),
    apdu: iFrame(
      asdu(TypeId.C_SE_NA_1, { cot: 7, ca: 1, test: true }, [
        { ioa: 8000, value: -1, select: false, ql: 127 },
      ]),
    ),
  },
  {
    name: "C_SE_NA_1 act, normalized 32767/32768, select QL 1",
    bytes: b(
      [0x68, 0x10], // start; APDU length 16 = 4 control + 12 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x30, // type id 48 C_SE_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x41, 0x1f, 0x00], // IOA 8001
      [0xff, 0x7f], // NVA 32767 -> 32767/32768
      0x81, // QOS: QL 1 | S/E 1 select
    ),
    apdu: iFrame(
      asdu(TypeId.C_SE_NA_1, { cot: 6, ca: 1 }, [{ ioa: 8001, value: 32767 / 32768, select: true, ql: 1 }]),
    ),
  },

  // ---- 49 C_SE_NB_1: SVA + QOS ----
  {
    name: "C_SE_NB_1 act, scaled 1000, execute",
    bytes: b(
      [0x68, 0x10], // start; APDU length 16 = 4 control + 12 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x31, // type id 49 C_SE_NB_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x28, 0x23, 0x00], // IOA 9000 (0x002328)
      [0xe8, 0x03], // SVA 1000
      0x00, // QOS: QL 0 | S/E 0 execute
    ),
    apdu: iFrame(
      asdu(TypeId.C_SE_NB_1, { cot: 6, ca: 1 }, [{ ioa: 9000, value: 1000, select: false, ql: 0 }]),
    ),
  },
  {
    name: "C_SE_NB_1 deact, scaled -32768, select QL 5",
    bytes: b(
      [0x68, 0x10], // start; APDU length 16 = 4 control + 12 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x31, // type id 49 C_SE_NB_1
      0x01, // VSQ: SQ=0, 1 object
      [0x08, 0x00], // COT 8 deactivation; originator 0
      [0x01, 0x00], // CA 1
      [0x28, 0x23, 0x00], // IOA 9000
      [0x00, 0x80], // SVA -32768
      0x85, // QOS: QL 5 | S/E 1 select
    ),
    apdu: iFrame(
      asdu(TypeId.C_SE_NB_1, { cot: 8, ca: 1 }, [{ ioa: 9000, value: -32768, select: true, ql: 5 }]),
    ),
  },
  {
    name: "C_SE_NB_1 actterm, originator 17, scaled 32767",
    bytes: b(
      [0x68, 0x10], // start; APDU length 16 = 4 control + 12 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x31, // type id 49 C_SE_NB_1
      0x01, // VSQ: SQ=0, 1 object
      [0x0a, 0x11], // COT 10 activation termination; originator 17
      [0x01, 0x00], // CA 1
      [0x28, 0x23, 0x00], // IOA 9000
      [0xff, 0x7f], // SVA 32767
      0x00, // QOS: QL 0 | S/E 0 execute
    ),
    apdu: iFrame(
      asdu(TypeId.C_SE_NB_1, { cot: 10, ca: 1, oa: 17 }, [{ ioa: 9000, value: 32767, select: false, ql: 0 }]),
    ),
  },

  // ---- 50 C_SE_NC_1: float + QOS ----
  {
    name: "C_SE_NC_1 act, float 1.5, execute",
    bytes: b(
      [0x68, 0x12], // start; APDU length 18 = 4 control + 14 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x32, // type id 50 C_SE_NC_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x10, 0x27, 0x00], // IOA 10000 (0x002710)
      [0x00, 0x00, 0xc0, 0x3f], // float 1.5
      0x00, // QOS: QL 0 | S/E 0 execute
    ),
    apdu: iFrame(
      asdu(TypeId.C_SE_NC_1, { cot: 6, ca: 1 }, [
        { ioa: 10000, value: Math.fround(1.5), select: false, ql: 0 },
      ]),
    ),
  },
  {
    name: "C_SE_NC_1 negative actcon, float -0, select",
    bytes: b(
      [0x68, 0x12], // start; APDU length 18 = 4 control + 14 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x32, // type id 50 C_SE_NC_1
      0x01, // VSQ: SQ=0, 1 object
      [0x47, 0x00], // COT 7 activation confirmation | P/N=1; originator 0
      [0x01, 0x00], // CA 1
      [0x10, 0x27, 0x00], // IOA 10000
      [0x00, 0x00, 0x00, 0x80], // float -0
      0x80, // QOS: QL 0 | S/E 1 select
    ),
    apdu: iFrame(
      asdu(TypeId.C_SE_NC_1, { cot: 7, ca: 1, negative: true }, [
        { ioa: 10000, value: -0, select: true, ql: 0 },
      ]),
    ),
  },
  {
    name: "C_SE_NC_1 act, float FLT_MAX, execute QL 127",
    bytes: b(
      [0x68, 0x12], // start; APDU length 18 = 4 control + 14 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x32, // type id 50 C_SE_NC_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x11, 0x27, 0x00], // IOA 10001
      [0xff, 0xff, 0x7f, 0x7f], // float FLT_MAX (0x7f7fffff)
      0x7f, // QOS: QL 127 | S/E 0 execute
    ),
    apdu: iFrame(
      asdu(TypeId.C_SE_NC_1, { cot: 6, ca: 1 }, [
        { ioa: 10001, value: Math.fround(3.4028234663852886e38), select: false, ql: 127 },
      ]),
    ),
  },

  // ---- 51 C_BO_NA_1: BSI ----
  {
    name: "C_BO_NA_1 act, BSI 0x12345678",
    bytes: b(
      [0x68, 0x11], // start; APDU length 17 = 4 control + 13 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x33, // type id 51 C_BO_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0xf8, 0x2a, 0x00], // IOA 11000 (0x002af8)
      [0x78, 0x56, 0x34, 0x12], // BSI 0x12345678
    ),
    apdu: iFrame(asdu(TypeId.C_BO_NA_1, { cot: 6, ca: 1 }, [{ ioa: 11000, value: 0x12345678 }])),
  },
  {
    name: "C_BO_NA_1 actcon, BSI 0xffffffff",
    bytes: b(
      [0x68, 0x11], // start; APDU length 17 = 4 control + 13 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x33, // type id 51 C_BO_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x07, 0x00], // COT 7 activation confirmation; originator 0
      [0x01, 0x00], // CA 1
      [0xf8, 0x2a, 0x00], // IOA 11000
      [0xff, 0xff, 0xff, 0xff], // BSI 0xffffffff
    ),
    apdu: iFrame(asdu(TypeId.C_BO_NA_1, { cot: 7, ca: 1 }, [{ ioa: 11000, value: 0xffffffff }])),
  },

  // ---- 58 C_SC_TA_1: SCO + CP56Time2a ----
  {
    name: "C_SC_TA_1 act, select ON",
    bytes: b(
      [0x68, 0x15], // start; APDU length 21 = 4 control + 17 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x3a, // type id 58 C_SC_TA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x88, 0x13, 0x00], // IOA 5000
      0x81, // SCO: SCS 1 ON | QU 0 | S/E 1 select
      T_FRI.bytes, // CP56Time2a 2024-03-15 13:45:30.123, Friday
    ),
    apdu: iFrame(
      asdu(TypeId.C_SC_TA_1, { cot: 6, ca: 1 }, [
        { ioa: 5000, value: true, select: true, qu: 0, time: T_FRI.value },
      ]),
    ),
  },
  {
    name: "C_SC_TA_1 actcon, execute OFF, CP56 SU",
    bytes: b(
      [0x68, 0x15], // start; APDU length 21 = 4 control + 17 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x3a, // type id 58 C_SC_TA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x07, 0x00], // COT 7 activation confirmation; originator 0
      [0x01, 0x00], // CA 1
      [0x88, 0x13, 0x00], // IOA 5000
      0x00, // SCO: SCS 0 OFF | QU 0 | S/E 0 execute
      T_SU.bytes, // CP56Time2a 2023-07-02 08:05:00.000, SU set, Sunday
    ),
    apdu: iFrame(
      asdu(TypeId.C_SC_TA_1, { cot: 7, ca: 1 }, [
        { ioa: 5000, value: false, select: false, qu: 0, time: T_SU.value },
      ]),
    ),
  },

  // ---- 59 C_DC_TA_1: DCO + CP56Time2a ----
  {
    name: "C_DC_TA_1 act, execute ON",
    bytes: b(
      [0x68, 0x15], // start; APDU length 21 = 4 control + 17 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x3b, // type id 59 C_DC_TA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x70, 0x17, 0x00], // IOA 6000
      0x02, // DCO: DCS 2 ON | QU 0 | S/E 0 execute
      T_FRI.bytes, // CP56Time2a 2024-03-15 13:45:30.123, Friday
    ),
    apdu: iFrame(
      asdu(TypeId.C_DC_TA_1, { cot: 6, ca: 1 }, [
        { ioa: 6000, value: 2, select: false, qu: 0, time: T_FRI.value },
      ]),
    ),
  },
  {
    name: "C_DC_TA_1 deact, select OFF, QU 3, CP56 IV",
    bytes: b(
      [0x68, 0x15], // start; APDU length 21 = 4 control + 17 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x3b, // type id 59 C_DC_TA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x08, 0x00], // COT 8 deactivation; originator 0
      [0x01, 0x00], // CA 1
      [0x70, 0x17, 0x00], // IOA 6000
      0x8d, // DCO: DCS 1 OFF | QU 3 persistent | S/E 1 select
      T_IV.bytes, // CP56Time2a 2021-12-31 23:59:59.999, IV set, day of week 0
    ),
    apdu: iFrame(
      asdu(TypeId.C_DC_TA_1, { cot: 8, ca: 1 }, [
        { ioa: 6000, value: 1, select: true, qu: 3, time: T_IV.value },
      ]),
    ),
  },

  // ---- 60 C_RC_TA_1: RCO + CP56Time2a ----
  {
    name: "C_RC_TA_1 act, execute lower",
    bytes: b(
      [0x68, 0x15], // start; APDU length 21 = 4 control + 17 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x3c, // type id 60 C_RC_TA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x58, 0x1b, 0x00], // IOA 7000
      0x01, // RCO: RCS 1 next step lower | QU 0 | S/E 0 execute
      T_FRI.bytes, // CP56Time2a 2024-03-15 13:45:30.123, Friday
    ),
    apdu: iFrame(
      asdu(TypeId.C_RC_TA_1, { cot: 6, ca: 1 }, [
        { ioa: 7000, value: 1, select: false, qu: 0, time: T_FRI.value },
      ]),
    ),
  },
  {
    name: "C_RC_TA_1 actterm, select higher, QU 1, CP56 IV and SU",
    bytes: b(
      [0x68, 0x15], // start; APDU length 21 = 4 control + 17 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x3c, // type id 60 C_RC_TA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x0a, 0x00], // COT 10 activation termination; originator 0
      [0x01, 0x00], // CA 1
      [0x58, 0x1b, 0x00], // IOA 7000
      0x86, // RCO: RCS 2 next step higher | QU 1 short pulse | S/E 1 select
      T_IV_SU.bytes, // CP56Time2a 2000-01-01 00:00:00.000, IV and SU set, Saturday
    ),
    apdu: iFrame(
      asdu(TypeId.C_RC_TA_1, { cot: 10, ca: 1 }, [
        { ioa: 7000, value: 2, select: true, qu: 1, time: T_IV_SU.value },
      ]),
    ),
  },

  // ---- 61 C_SE_TA_1: NVA + QOS + CP56Time2a ----
  {
    name: "C_SE_TA_1 act, normalized -0.5, execute",
    bytes: b(
      [0x68, 0x17], // start; APDU length 23 = 4 control + 19 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x3d, // type id 61 C_SE_TA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x40, 0x1f, 0x00], // IOA 8000
      [0x00, 0xc0], // NVA -16384 -> -0.5
      0x00, // QOS: QL 0 | S/E 0 execute
      T_FRI.bytes, // CP56Time2a 2024-03-15 13:45:30.123, Friday
    ),
    apdu: iFrame(
      asdu(TypeId.C_SE_TA_1, { cot: 6, ca: 1 }, [
        { ioa: 8000, value: -0.5, select: false, ql: 0, time: T_FRI.value },
      ]),
    ),
  },
  {
    name: "C_SE_TA_1 actcon, normalized 32767/32768, select QL 127, CP56 Monday",
    bytes: b(
      [0x68, 0x17], // start; APDU length 23 = 4 control + 19 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x3d, // type id 61 C_SE_TA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x07, 0x00], // COT 7 activation confirmation; originator 0
      [0x01, 0x00], // CA 1
      [0x40, 0x1f, 0x00], // IOA 8000
      [0xff, 0x7f], // NVA 32767 -> 32767/32768
      0xff, // QOS: QL 127 | S/E 1 select
      T_MON.bytes, // CP56Time2a 2024-01-01 12:00:01.500, Monday
    ),
    apdu: iFrame(
      asdu(TypeId.C_SE_TA_1, { cot: 7, ca: 1 }, [
        { ioa: 8000, value: 32767 / 32768, select: true, ql: 127, time: T_MON.value },
      ]),
    ),
  },

  // ---- 62 C_SE_TB_1: SVA + QOS + CP56Time2a ----
  {
    name: "C_SE_TB_1 act, scaled -1234, execute",
    bytes: b(
      [0x68, 0x17], // start; APDU length 23 = 4 control + 19 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x3e, // type id 62 C_SE_TB_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x28, 0x23, 0x00], // IOA 9000
      [0x2e, 0xfb], // SVA -1234 (0xfb2e)
      0x00, // QOS: QL 0 | S/E 0 execute
      T_FRI.bytes, // CP56Time2a 2024-03-15 13:45:30.123, Friday
    ),
    apdu: iFrame(
      asdu(TypeId.C_SE_TB_1, { cot: 6, ca: 1 }, [
        { ioa: 9000, value: -1234, select: false, ql: 0, time: T_FRI.value },
      ]),
    ),
  },
  {
    name: "C_SE_TB_1 actterm, scaled 0, select, CP56 SU",
    bytes: b(
      [0x68, 0x17], // start; APDU length 23 = 4 control + 19 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x3e, // type id 62 C_SE_TB_1
      0x01, // VSQ: SQ=0, 1 object
      [0x0a, 0x00], // COT 10 activation termination; originator 0
      [0x01, 0x00], // CA 1
      [0x28, 0x23, 0x00], // IOA 9000
      [0x00, 0x00], // SVA 0
      0x80, // QOS: QL 0 | S/E 1 select
      T_SU.bytes, // CP56Time2a 2023-07-02 08:05:00.000, SU set, Sunday
    ),
    apdu: iFrame(
      asdu(TypeId.C_SE_TB_1, { cot: 10, ca: 1 }, [
        { ioa: 9000, value: 0, select: true, ql: 0, time: T_SU.value },
      ]),
    ),
  },

  // ---- 63 C_SE_TC_1: float + QOS + CP56Time2a ----
  {
    name: "C_SE_TC_1 act, float 100.25, execute",
    bytes: b(
      [0x68, 0x19], // start; APDU length 25 = 4 control + 21 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x3f, // type id 63 C_SE_TC_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x10, 0x27, 0x00], // IOA 10000
      [0x00, 0x80, 0xc8, 0x42], // float 100.25
      0x00, // QOS: QL 0 | S/E 0 execute
      T_FRI.bytes, // CP56Time2a 2024-03-15 13:45:30.123, Friday
    ),
    apdu: iFrame(
      asdu(TypeId.C_SE_TC_1, { cot: 6, ca: 1 }, [
        { ioa: 10000, value: Math.fround(100.25), select: false, ql: 0, time: T_FRI.value },
      ]),
    ),
  },
  {
    name: "C_SE_TC_1 act, float -FLT_MAX, select QL 3, CP56 IV",
    bytes: b(
      [0x68, 0x19], // start; APDU length 25 = 4 control + 21 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x3f, // type id 63 C_SE_TC_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x10, 0x27, 0x00], // IOA 10000
      [0xff, 0xff, 0x7f, 0xff], // float -FLT_MAX (0xff7fffff)
      0x83, // QOS: QL 3 | S/E 1 select
      T_IV.bytes, // CP56Time2a 2021-12-31 23:59:59.999, IV set, day of week 0
    ),
    apdu: iFrame(
      asdu(TypeId.C_SE_TC_1, { cot: 6, ca: 1 }, [
        { ioa: 10000, value: Math.fround(-3.4028234663852886e38), select: true, ql: 3, time: T_IV.value },
      ]),
    ),
  },

  // ---- 64 C_BO_TA_1: BSI + CP56Time2a ----
  {
    name: "C_BO_TA_1 act, BSI 0xa5a5a5a5",
    bytes: b(
      [0x68, 0x18], // start; APDU length 24 = 4 control + 20 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x40, // type id 64 C_BO_TA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0xf8, 0x2a, 0x00], // IOA 11000
      [0xa5, 0xa5, 0xa5, 0xa5], // BSI 0xa5a5a5a5
      T_FRI.bytes, // CP56Time2a 2024-03-15 13:45:30.123, Friday
    ),
    apdu: iFrame(
      asdu(TypeId.C_BO_TA_1, { cot: 6, ca: 1 }, [{ ioa: 11000, value: 0xa5a5a5a5, time: T_FRI.value }]),
    ),
  },
  {
    name: "C_BO_TA_1 negative actcon, BSI 0, CP56 IV and SU",
    bytes: b(
      [0x68, 0x18], // start; APDU length 24 = 4 control + 20 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x40, // type id 64 C_BO_TA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x47, 0x00], // COT 7 activation confirmation | P/N=1; originator 0
      [0x01, 0x00], // CA 1
      [0xf8, 0x2a, 0x00], // IOA 11000
      [0x00, 0x00, 0x00, 0x00], // BSI 0
      T_IV_SU.bytes, // CP56Time2a 2000-01-01 00:00:00.000, IV and SU set, Saturday
    ),
    apdu: iFrame(
      asdu(TypeId.C_BO_TA_1, { cot: 7, ca: 1, negative: true }, [
        { ioa: 11000, value: 0, time: T_IV_SU.value },
      ]),
    ),
  },
];
