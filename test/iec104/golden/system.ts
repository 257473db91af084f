/**
 * System commands (IEC 60870-5-101 7.3.4 and 104 clause 8 for C_TS_TA_1) and parameters (101 7.3.5).
 * C_TS_NA_1 (104) and C_CD_NA_1 (106) are IEC 101 only: marked allowNon104.
 *   QOI: 20 station interrogation, 21..36 group 1..16
 *   QCC: bits 0-5 RQT (1..4 group 1..4, 5 general), bits 6-7 FRZ (0 read, 1 freeze without reset,
 *        2 freeze with reset, 3 counter reset)
 *   QRP: 1 general reset of process, 2 reset of pending information with time tag of the event buffer
 *   QPM: bits 0-5 KPA (1 threshold, 2 smoothing factor, 3 low limit, 4 high limit), bit 6 LPC (local
 *        parameter change), bit 7 POP (parameter not in operation)
 *   QPA: 1 act/deact of previously loaded parameters (IOA 0), 2 of the parameter of the addressed
 *        object, 3 of persistent cyclic or periodic transmission of the addressed object
 */
import { TypeId } from "../../../src/iec104/asdu/types.js";
import { asdu, b, iFrame, T_FRI, T_IV, T_IV_SU, T_MON, T_SU } from "./build.js";
import type { GoldenVector } from "./index.js";

export const SYSTEM: GoldenVector[] = [
  // ---- 100 C_IC_NA_1: QOI ----
  {
    name: "C_IC_NA_1 act, station interrogation QOI 20",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x64, // type id 100 C_IC_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation, P/N=0, T=0; originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      0x14, // QOI 20 station interrogation
    ),
    apdu: iFrame(asdu(TypeId.C_IC_NA_1, { cot: 6, ca: 1 }, [{ ioa: 0, qoi: 20 }])),
  },
  {
    name: "C_IC_NA_1 act to the broadcast CA 0xFFFF",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x64, // type id 100 C_IC_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0xff, 0xff], // CA 0xFFFF (global address, every station)
      [0x00, 0x00, 0x00], // IOA 0
      0x14, // QOI 20 station interrogation
    ),
    apdu: iFrame(asdu(TypeId.C_IC_NA_1, { cot: 6, ca: 0xffff }, [{ ioa: 0, qoi: 20 }])),
  },
  {
    name: "C_IC_NA_1 actcon, group 1 QOI 21",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x64, // type id 100 C_IC_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x07, 0x00], // COT 7 activation confirmation; originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      0x15, // QOI 21 interrogation of group 1
    ),
    apdu: iFrame(asdu(TypeId.C_IC_NA_1, { cot: 7, ca: 1 }, [{ ioa: 0, qoi: 21 }])),
  },
  {
    name: "C_IC_NA_1 actterm, originator 42, group 16 QOI 36",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x64, // type id 100 C_IC_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x0a, 0x2a], // COT 10 activation termination; originator 42
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      0x24, // QOI 36 interrogation of group 16
    ),
    apdu: iFrame(asdu(TypeId.C_IC_NA_1, { cot: 10, ca: 1, oa: 42 }, [{ ioa: 0, qoi: 36 }])),
  },
  {
    name: "C_IC_NA_1 deact, QOI 20",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x64, // type id 100 C_IC_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x08, 0x00], // COT 8 deactivation; originator 0
      [0x34, 0x12], // CA 0x1234
      [0x00, 0x00, 0x00], // IOA 0
      0x14, // QOI 20 station interrogation
    ),
    apdu: iFrame(asdu(TypeId.C_IC_NA_1, { cot: 8, ca: 0x1234 }, [{ ioa: 0, qoi: 20 }])),
  },
  {
    name: "C_IC_NA_1 negative actcon with the test bit, group 2 QOI 22",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x64, // type id 100 C_IC_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0xc7, 0x00], // COT 7 activation confirmation | P/N=1 (0x40) | T=1 (0x80); originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      0x16, // QOI 22 interrogation of group 2
    ),
    apdu: iFrame(
      asdu(TypeId.C_IC_NA_1, { cot: 7, ca: 1, negative: true, test: true }, [{ ioa: 0, qoi: 22 }]),
    ),
  },

  // ---- 101 C_CI_NA_1: QCC ----
  {
    name: "C_CI_NA_1 act, general request, FRZ 0 read",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x65, // type id 101 C_CI_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      0x05, // QCC: RQT 5 general counter request | FRZ 0 read (no freeze or reset)
    ),
    apdu: iFrame(asdu(TypeId.C_CI_NA_1, { cot: 6, ca: 1 }, [{ ioa: 0, qcc: 0x05 }])),
  },
  {
    name: "C_CI_NA_1 act, group 1, FRZ 1 freeze without reset",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x65, // type id 101 C_CI_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      0x41, // QCC: RQT 1 counter group 1 | FRZ 1 (0x40) freeze without reset
    ),
    apdu: iFrame(asdu(TypeId.C_CI_NA_1, { cot: 6, ca: 1 }, [{ ioa: 0, qcc: 0x41 }])),
  },
  {
    name: "C_CI_NA_1 act, general, FRZ 2 freeze with reset",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x65, // type id 101 C_CI_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      0x85, // QCC: RQT 5 general | FRZ 2 (0x80) freeze with reset
    ),
    apdu: iFrame(asdu(TypeId.C_CI_NA_1, { cot: 6, ca: 1 }, [{ ioa: 0, qcc: 0x85 }])),
  },
  {
    name: "C_CI_NA_1 actcon, group 4, FRZ 3 counter reset",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x65, // type id 101 C_CI_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x07, 0x00], // COT 7 activation confirmation; originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      0xc4, // QCC: RQT 4 counter group 4 | FRZ 3 (0xc0) counter reset
    ),
    apdu: iFrame(asdu(TypeId.C_CI_NA_1, { cot: 7, ca: 1 }, [{ ioa: 0, qcc: 0xc4 }])),
  },
  {
    name: "C_CI_NA_1 actterm from the broadcast CA 0xFFFF",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x65, // type id 101 C_CI_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x0a, 0x00], // COT 10 activation termination; originator 0
      [0xff, 0xff], // CA 0xFFFF
      [0x00, 0x00, 0x00], // IOA 0
      0x05, // QCC: RQT 5 general | FRZ 0 read
    ),
    apdu: iFrame(asdu(TypeId.C_CI_NA_1, { cot: 10, ca: 0xffff }, [{ ioa: 0, qcc: 0x05 }])),
  },

  // ---- 102 C_RD_NA_1: no information element, only the IOA ----
  {
    name: "C_RD_NA_1 request, IOA 0x1234",
    bytes: b(
      [0x68, 0x0d], // start; APDU length 13 = 4 control + 9 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x66, // type id 102 C_RD_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x05, 0x00], // COT 5 request; originator 0
      [0x01, 0x00], // CA 1
      [0x34, 0x12, 0x00], // IOA 0x001234 (no element follows)
    ),
    apdu: iFrame(asdu(TypeId.C_RD_NA_1, { cot: 5, ca: 1 }, [{ ioa: 0x1234 }])),
  },
  {
    name: "C_RD_NA_1 negative unknown IOA, IOA 0xFFFFFF",
    bytes: b(
      [0x68, 0x0d], // start; APDU length 13 = 4 control + 9 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x66, // type id 102 C_RD_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x6f, 0x00], // COT 47 unknown IOA | P/N=1; originator 0
      [0x01, 0x00], // CA 1
      [0xff, 0xff, 0xff], // IOA 0xFFFFFF
    ),
    apdu: iFrame(asdu(TypeId.C_RD_NA_1, { cot: 47, ca: 1, negative: true }, [{ ioa: 0xffffff }])),
  },

  // ---- 103 C_CS_NA_1: CP56Time2a ----
  {
    name: "C_CS_NA_1 act, 2024-03-15 Friday",
    bytes: b(
      [0x68, 0x14], // start; APDU length 20 = 4 control + 16 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x67, // type id 103 C_CS_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      T_FRI.bytes, // CP56Time2a 2024-03-15 13:45:30.123, Friday
    ),
    apdu: iFrame(asdu(TypeId.C_CS_NA_1, { cot: 6, ca: 1 }, [{ ioa: 0, time: T_FRI.value }])),
  },
  {
    name: "C_CS_NA_1 actcon, summer time Sunday",
    bytes: b(
      [0x68, 0x14], // start; APDU length 20 = 4 control + 16 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x67, // type id 103 C_CS_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x07, 0x00], // COT 7 activation confirmation; originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      T_SU.bytes, // CP56Time2a 2023-07-02 08:05:00.000, SU set, Sunday
    ),
    apdu: iFrame(asdu(TypeId.C_CS_NA_1, { cot: 7, ca: 1 }, [{ ioa: 0, time: T_SU.value }])),
  },
  {
    name: "C_CS_NA_1 act to the broadcast CA 0xFFFF, CP56 IV and SU",
    bytes: b(
      [0x68, 0x14], // start; APDU length 20 = 4 control + 16 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x67, // type id 103 C_CS_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0xff, 0xff], // CA 0xFFFF
      [0x00, 0x00, 0x00], // IOA 0
      T_IV_SU.bytes, // CP56Time2a 2000-01-01 00:00:00.000, IV and SU set, Saturday
    ),
    apdu: iFrame(asdu(TypeId.C_CS_NA_1, { cot: 6, ca: 0xffff }, [{ ioa: 0, time: T_IV_SU.value }])),
  },

  // ---- 104 C_TS_NA_1 (IEC 101 only): FBP fixed test bit pattern 0x55AA ----
  {
    name: "C_TS_NA_1 act, FBP 0x55AA",
    allowNon104: true,
    bytes: b(
      [0x68, 0x0f], // start; APDU length 15 = 4 control + 11 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x68, // type id 104 C_TS_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      [0xaa, 0x55], // FBP 0x55AA
    ),
    apdu: iFrame(asdu(TypeId.C_TS_NA_1, { cot: 6, ca: 1 }, [{ ioa: 0, fbp: 0x55aa }])),
  },
  {
    name: "C_TS_NA_1 actcon, originator 1",
    allowNon104: true,
    bytes: b(
      [0x68, 0x0f], // start; APDU length 15 = 4 control + 11 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x68, // type id 104 C_TS_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x07, 0x01], // COT 7 activation confirmation; originator 1
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      [0xaa, 0x55], // FBP 0x55AA
    ),
    apdu: iFrame(asdu(TypeId.C_TS_NA_1, { cot: 7, ca: 1, oa: 1 }, [{ ioa: 0, fbp: 0x55aa }])),
  },

  // ---- 105 C_RP_NA_1: QRP ----
  {
    name: "C_RP_NA_1 act, QRP 1 general reset",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x69, // type id 105 C_RP_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      0x01, // QRP 1 general reset of process
    ),
    apdu: iFrame(asdu(TypeId.C_RP_NA_1, { cot: 6, ca: 1 }, [{ ioa: 0, qrp: 1 }])),
  },
  {
    name: "C_RP_NA_1 actcon, QRP 2 reset of time-tagged events",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x69, // type id 105 C_RP_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x07, 0x00], // COT 7 activation confirmation; originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      0x02, // QRP 2 reset of pending information with time tag of the event buffer
    ),
    apdu: iFrame(asdu(TypeId.C_RP_NA_1, { cot: 7, ca: 1 }, [{ ioa: 0, qrp: 2 }])),
  },
  {
    name: "C_RP_NA_1 act to the broadcast CA 0xFFFF",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x69, // type id 105 C_RP_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0xff, 0xff], // CA 0xFFFF
      [0x00, 0x00, 0x00], // IOA 0
      0x01, // QRP 1 general reset of process
    ),
    apdu: iFrame(asdu(TypeId.C_RP_NA_1, { cot: 6, ca: 0xffff }, [{ ioa: 0, qrp: 1 }])),
  },

  // ---- 106 C_CD_NA_1 (IEC 101 only): CP16Time2a ----
  {
    name: "C_CD_NA_1 act, CP16 1234 ms",
    allowNon104: true,
    bytes: b(
      [0x68, 0x0f], // start; APDU length 15 = 4 control + 11 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x6a, // type id 106 C_CD_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      [0xd2, 0x04], // CP16Time2a 1234 ms (0x04d2)
    ),
    apdu: iFrame(asdu(TypeId.C_CD_NA_1, { cot: 6, ca: 1 }, [{ ioa: 0, delayMs: 1234 }])),
  },
  {
    name: "C_CD_NA_1 spont, delay 59999 ms",
    allowNon104: true,
    bytes: b(
      [0x68, 0x0f], // start; APDU length 15 = 4 control + 11 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x6a, // type id 106 C_CD_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous (transmission of the delay); originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      [0x5f, 0xea], // CP16Time2a 59999 ms
    ),
    apdu: iFrame(asdu(TypeId.C_CD_NA_1, { cot: 3, ca: 1 }, [{ ioa: 0, delayMs: 59999 }])),
  },

  // ---- 107 C_TS_TA_1: TSC (16-bit test sequence counter) + CP56Time2a ----
  {
    name: "C_TS_TA_1 act, TSC 1",
    bytes: b(
      [0x68, 0x16], // start; APDU length 22 = 4 control + 18 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x6b, // type id 107 C_TS_TA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      [0x01, 0x00], // TSC 1
      T_FRI.bytes, // CP56Time2a 2024-03-15 13:45:30.123, Friday
    ),
    apdu: iFrame(asdu(TypeId.C_TS_TA_1, { cot: 6, ca: 1 }, [{ ioa: 0, tsc: 1, time: T_FRI.value }])),
  },
  {
    name: "C_TS_TA_1 actcon, TSC 0xFFFF, CP56 IV",
    bytes: b(
      [0x68, 0x16], // start; APDU length 22 = 4 control + 18 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x6b, // type id 107 C_TS_TA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x07, 0x00], // COT 7 activation confirmation; originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      [0xff, 0xff], // TSC 65535
      T_IV.bytes, // CP56Time2a 2021-12-31 23:59:59.999, IV set, day of week 0
    ),
    apdu: iFrame(asdu(TypeId.C_TS_TA_1, { cot: 7, ca: 1 }, [{ ioa: 0, tsc: 0xffff, time: T_IV.value }])),
  },
  {
    name: "C_TS_TA_1 act, TSC 0x1234, CP56 Monday",
    bytes: b(
      [0x68, 0x16], // start; APDU length 22 = 4 control + 18 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x6b, // type id 107 C_TS_TA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      [0x34, 0x12], // TSC 0x1234
      T_MON.bytes, // CP56Time2a 2024-01-01 12:00:01.500, Monday
    ),
    apdu: iFrame(asdu(TypeId.C_TS_TA_1, { cot: 6, ca: 1 }, [{ ioa: 0, tsc: 0x1234, time: T_MON.value }])),
  },

  // ---- 110 P_ME_NA_1: NVA + QPM ----
  {
    name: "P_ME_NA_1 act, normalized 0.0625, KPA 1 threshold",
    bytes: b(
      [0x68, 0x10], // start; APDU length 16 = 4 control + 12 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x6e, // type id 110 P_ME_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0xe0, 0x2e, 0x00], // IOA 12000 (0x002ee0)
      [0x00, 0x08], // NVA 2048 -> 0.0625
      0x01, // QPM: KPA 1 threshold value, LPC 0, POP 0
    ),
    apdu: iFrame(asdu(TypeId.P_ME_NA_1, { cot: 6, ca: 1 }, [{ ioa: 12000, value: 0.0625, qpm: 0x01 }])),
  },
  {
    name: "P_ME_NA_1 actcon, normalized -1.0, KPA 3 low limit with LPC",
    bytes: b(
      [0x68, 0x10], // start; APDU length 16 = 4 control + 12 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x6e, // type id 110 P_ME_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x07, 0x00], // COT 7 activation confirmation; originator 0
      [0x01, 0x00], // CA 1
      [0xe0, 0x2e, 0x00], // IOA 12000
      [0x00, 0x80], // NVA -32768 -> -1.0
      0x43, // QPM: KPA 3 low limit | LPC 0x40 local parameter change
    ),
    apdu: iFrame(asdu(TypeId.P_ME_NA_1, { cot: 7, ca: 1 }, [{ ioa: 12000, value: -1, qpm: 0x43 }])),
  },
  {
    name: "P_ME_NA_1 inrogen, normalized 32767/32768, KPA 4 high limit with POP",
    bytes: b(
      [0x68, 0x10], // start; APDU length 16 = 4 control + 12 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x6e, // type id 110 P_ME_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x14, 0x00], // COT 20 interrogated by station; originator 0
      [0x01, 0x00], // CA 1
      [0xe1, 0x2e, 0x00], // IOA 12001
      [0xff, 0x7f], // NVA 32767 -> 32767/32768
      0x84, // QPM: KPA 4 high limit | POP 0x80 parameter not in operation
    ),
    apdu: iFrame(
      asdu(TypeId.P_ME_NA_1, { cot: 20, ca: 1 }, [{ ioa: 12001, value: 32767 / 32768, qpm: 0x84 }]),
    ),
  },

  // ---- 111 P_ME_NB_1: SVA + QPM ----
  {
    name: "P_ME_NB_1 act, scaled 500, KPA 1 threshold",
    bytes: b(
      [0x68, 0x10], // start; APDU length 16 = 4 control + 12 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x6f, // type id 111 P_ME_NB_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0xe0, 0x2e, 0x00], // IOA 12000
      [0xf4, 0x01], // SVA 500
      0x01, // QPM: KPA 1 threshold value
    ),
    apdu: iFrame(asdu(TypeId.P_ME_NB_1, { cot: 6, ca: 1 }, [{ ioa: 12000, value: 500, qpm: 0x01 }])),
  },
  {
    name: "P_ME_NB_1 actcon, scaled -1, KPA 2 smoothing with LPC and POP",
    bytes: b(
      [0x68, 0x10], // start; APDU length 16 = 4 control + 12 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x6f, // type id 111 P_ME_NB_1
      0x01, // VSQ: SQ=0, 1 object
      [0x07, 0x00], // COT 7 activation confirmation; originator 0
      [0x01, 0x00], // CA 1
      [0xe0, 0x2e, 0x00], // IOA 12000
      [0xff, 0xff], // SVA -1
      0xc2, // QPM: KPA 2 smoothing factor | LPC 0x40 | POP 0x80
    ),
    apdu: iFrame(asdu(TypeId.P_ME_NB_1, { cot: 7, ca: 1 }, [{ ioa: 12000, value: -1, qpm: 0xc2 }])),
  },

  // ---- 112 P_ME_NC_1: float + QPM ----
  {
    name: "P_ME_NC_1 act, float 0.5, KPA 1 threshold",
    bytes: b(
      [0x68, 0x12], // start; APDU length 18 = 4 control + 14 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x70, // type id 112 P_ME_NC_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0xe0, 0x2e, 0x00], // IOA 12000
      [0x00, 0x00, 0x00, 0x3f], // float 0.5 (0x3f000000)
      0x01, // QPM: KPA 1 threshold value
    ),
    apdu: iFrame(
      asdu(TypeId.P_ME_NC_1, { cot: 6, ca: 1 }, [{ ioa: 12000, value: Math.fround(0.5), qpm: 0x01 }]),
    ),
  },
  {
    name: "P_ME_NC_1 act, float -0, KPA 4 high limit with LPC",
    bytes: b(
      [0x68, 0x12], // start; APDU length 18 = 4 control + 14 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x70, // type id 112 P_ME_NC_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0xe1, 0x2e, 0x00], // IOA 12001
      [0x00, 0x00, 0x00, 0x80], // float -0
      0x44, // QPM: KPA 4 high limit | LPC 0x40
    ),
    apdu: iFrame(asdu(TypeId.P_ME_NC_1, { cot: 6, ca: 1 }, [{ ioa: 12001, value: -0, qpm: 0x44 }])),
  },
  {
    name: "P_ME_NC_1 actcon, float FLT_MAX, KPA 3 low limit with POP",
    bytes: b(
      [0x68, 0x12], // start; APDU length 18 = 4 control + 14 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x70, // type id 112 P_ME_NC_1
      0x01, // VSQ: SQ=0, 1 object
      [0x07, 0x00], // COT 7 activation confirmation; originator 0
      [0x01, 0x00], // CA 1
      [0xe2, 0x2e, 0x00], // IOA 12002
      [0xff, 0xff, 0x7f, 0x7f], // float FLT_MAX
      0x83, // QPM: KPA 3 low limit | POP 0x80
    ),
    apdu: iFrame(
      asdu(TypeId.P_ME_NC_1, { cot: 7, ca: 1 }, [
        { ioa: 12002, value: Math.fround(3.4028234663852886e38), qpm: 0x83 },
      ]),
    ),
  },

  // ---- 113 P_AC_NA_1: QPA ----
  {
    name: "P_AC_NA_1 act, QPA 1 previously loaded parameters",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x71, // type id 113 P_AC_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x06, 0x00], // COT 6 activation; originator 0
      [0x01, 0x00], // CA 1
      [0x00, 0x00, 0x00], // IOA 0
      0x01, // QPA 1 act/deact of previously loaded parameters
    ),
    apdu: iFrame(asdu(TypeId.P_AC_NA_1, { cot: 6, ca: 1 }, [{ ioa: 0, qpa: 1 }])),
  },
  {
    name: "P_AC_NA_1 actcon, QPA 2 parameter of the addressed object",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x71, // type id 113 P_AC_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x07, 0x00], // COT 7 activation confirmation; originator 0
      [0x01, 0x00], // CA 1
      [0xe0, 0x2e, 0x00], // IOA 12000
      0x02, // QPA 2 act/deact of the parameter of the addressed object
    ),
    apdu: iFrame(asdu(TypeId.P_AC_NA_1, { cot: 7, ca: 1 }, [{ ioa: 12000, qpa: 2 }])),
  },
  {
    name: "P_AC_NA_1 deact, QPA 3 cyclic transmission",
    bytes: b(
      [0x68, 0x0e], // start; APDU length 14 = 4 control + 10 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x71, // type id 113 P_AC_NA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x08, 0x00], // COT 8 deactivation; originator 0
      [0x01, 0x00], // CA 1
      [0xe0, 0x2e, 0x00], // IOA 12000
      0x03, // QPA 3 act/deact of persistent cyclic or periodic transmission
    ),
    apdu: iFrame(asdu(TypeId.P_AC_NA_1, { cot: 8, ca: 1 }, [{ ioa: 12000, qpa: 3 }])),
  },
];
