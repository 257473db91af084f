/**
 * Monitoring direction with time tag: the CP56Time2a forms IEC 104 uses (30-40) and the
 * CP24Time2a forms of IEC 101 (2, 4, ..., 16, 17, 18, 19), which IEC 104 excludes (104 clause 8:
 * marked allowNon104). CP24Time2a: octets 0-1 milliseconds 0..59999, octet 2 bits 0-5 minute,
 * bit 6 RES1, bit 7 IV. CP16Time2a (the elapsed/relay times of 17-19 and 38-40): milliseconds 0..59999.
 */
import { TypeId } from "../../../src/iec104/asdu/types.js";
import {
  asdu,
  BL,
  b,
  EI,
  IV,
  iFrame,
  NT,
  OV,
  SB,
  T_2099,
  T_FRI,
  T_IV,
  T_IV_SU,
  T_MON,
  T_SU,
  T_WED,
} from "./build.js";
import type { GoldenVector } from "./index.js";

export const MONITOR_TIME: GoldenVector[] = [
  // ---- 30 M_SP_TB_1: SIQ + CP56Time2a ----
  {
    name: "M_SP_TB_1 spont, on, CP56 Friday",
    bytes: b(
      [0x68, 0x15], // start; APDU length 21 = 4 control + 17 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x1e, // type id 30 M_SP_TB_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous, P/N=0, T=0; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      0x01, // SIQ: on, no flag
      T_FRI.bytes, // CP56Time2a 2024-03-15 13:45:30.123, Friday (day of week 5)
    ),
    apdu: iFrame(
      asdu(TypeId.M_SP_TB_1, { cot: 3, ca: 1 }, [{ ioa: 1, value: true, quality: 0, time: T_FRI.value }]),
    ),
  },
  {
    name: "M_SP_TB_1 spont SQ=0, 2 objects, CP56 with IV and with SU",
    bytes: b(
      [0x68, 0x20], // start; APDU length 32 = 4 control + 28 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x1e, // type id 30 M_SP_TB_1
      0x02, // VSQ: SQ=0, 2 objects
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x02, 0x00, 0x00], // IOA 2
      0x80, // SIQ: off | IV
      T_IV.bytes, // CP56Time2a 2021-12-31 23:59:59.999, IV set, day of week 0 (not used)
      [0x03, 0x00, 0x00], // IOA 3
      0x00, // SIQ: off, no flag
      T_SU.bytes, // CP56Time2a 2023-07-02 08:05:00.000, SU set, Sunday (7)
    ),
    apdu: iFrame(
      asdu(TypeId.M_SP_TB_1, { cot: 3, ca: 1 }, [
        { ioa: 2, value: false, quality: IV, time: T_IV.value },
        { ioa: 3, value: false, quality: 0, time: T_SU.value },
      ]),
    ),
  },

  // ---- 31 M_DP_TB_1: DIQ + CP56Time2a ----
  {
    name: "M_DP_TB_1 spont, on, IOA 0x112233",
    bytes: b(
      [0x68, 0x15], // start; APDU length 21 = 4 control + 17 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x1f, // type id 31 M_DP_TB_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x33, 0x22, 0x11], // IOA 0x112233
      0x02, // DIQ: DPI 2 on
      T_FRI.bytes, // CP56Time2a 2024-03-15 13:45:30.123, Friday
    ),
    apdu: iFrame(
      asdu(TypeId.M_DP_TB_1, { cot: 3, ca: 1 }, [{ ioa: 0x112233, value: 2, quality: 0, time: T_FRI.value }]),
    ),
  },
  {
    name: "M_DP_TB_1 return info remote, originator 5, CP56 with IV and SU",
    bytes: b(
      [0x68, 0x15], // start; APDU length 21 = 4 control + 17 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x1f, // type id 31 M_DP_TB_1
      0x01, // VSQ: SQ=0, 1 object
      [0x0b, 0x05], // COT 11 return information caused by a remote command; originator 5
      [0x01, 0x00], // CA 1
      [0x0a, 0x00, 0x00], // IOA 10
      0x41, // DIQ: DPI 1 off | NT
      T_IV_SU.bytes, // CP56Time2a 2000-01-01 00:00:00.000, IV and SU set, Saturday (6)
    ),
    apdu: iFrame(
      asdu(TypeId.M_DP_TB_1, { cot: 11, ca: 1, oa: 5 }, [
        { ioa: 10, value: 1, quality: NT, time: T_IV_SU.value },
      ]),
    ),
  },

  // ---- 32 M_ST_TB_1: VTI + QDS + CP56Time2a ----
  {
    name: "M_ST_TB_1 spont, VTI 5 transient",
    bytes: b(
      [0x68, 0x16], // start; APDU length 22 = 4 control + 18 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x20, // type id 32 M_ST_TB_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      0x85, // VTI: value 5 | transient 0x80
      0x00, // QDS: no flag
      T_FRI.bytes, // CP56Time2a 2024-03-15 13:45:30.123, Friday
    ),
    apdu: iFrame(
      asdu(TypeId.M_ST_TB_1, { cot: 3, ca: 1 }, [
        { ioa: 1, value: 5, transient: true, quality: 0, time: T_FRI.value },
      ]),
    ),
  },
  {
    name: "M_ST_TB_1 return info local, VTI -10, CP56 Monday",
    bytes: b(
      [0x68, 0x16], // start; APDU length 22 = 4 control + 18 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x20, // type id 32 M_ST_TB_1
      0x01, // VSQ: SQ=0, 1 object
      [0x0c, 0x00], // COT 12 return information caused by a local command; originator 0
      [0x01, 0x00], // CA 1
      [0x02, 0x00, 0x00], // IOA 2
      0x76, // VTI: value -10 (128 - 10 = 0x76 in 7 bits), transient 0
      0x01, // QDS: OV
      T_MON.bytes, // CP56Time2a 2024-01-01 12:00:01.500, Monday (1)
    ),
    apdu: iFrame(
      asdu(TypeId.M_ST_TB_1, { cot: 12, ca: 1 }, [
        { ioa: 2, value: -10, transient: false, quality: OV, time: T_MON.value },
      ]),
    ),
  },

  // ---- 33 M_BO_TB_1: BSI + QDS + CP56Time2a ----
  {
    name: "M_BO_TB_1 spont, BSI 0x80000001",
    bytes: b(
      [0x68, 0x19], // start; APDU length 25 = 4 control + 21 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x21, // type id 33 M_BO_TB_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      [0x01, 0x00, 0x00, 0x80], // BSI 0x80000001 (bits 1 and 32)
      0x00, // QDS: no flag
      T_FRI.bytes, // CP56Time2a 2024-03-15 13:45:30.123, Friday
    ),
    apdu: iFrame(
      asdu(TypeId.M_BO_TB_1, { cot: 3, ca: 1 }, [
        { ioa: 1, value: 0x80000001, quality: 0, time: T_FRI.value },
      ]),
    ),
  },
  {
    name: "M_BO_TB_1 request, BSI 0xdeadbeef with IV and BL",
    bytes: b(
      [0x68, 0x19], // start; APDU length 25 = 4 control + 21 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x21, // type id 33 M_BO_TB_1
      0x01, // VSQ: SQ=0, 1 object
      [0x05, 0x00], // COT 5 request; originator 0
      [0x01, 0x00], // CA 1
      [0x02, 0x00, 0x00], // IOA 2
      [0xef, 0xbe, 0xad, 0xde], // BSI 0xdeadbeef
      0x90, // QDS: IV | BL
      T_SU.bytes, // CP56Time2a 2023-07-02 08:05:00.000, SU set, Sunday
    ),
    apdu: iFrame(
      asdu(TypeId.M_BO_TB_1, { cot: 5, ca: 1 }, [
        { ioa: 2, value: 0xdeadbeef, quality: IV | BL, time: T_SU.value },
      ]),
    ),
  },

  // ---- 34 M_ME_TD_1: NVA + QDS + CP56Time2a ----
  {
    name: "M_ME_TD_1 spont, normalized -1.0",
    bytes: b(
      [0x68, 0x17], // start; APDU length 23 = 4 control + 19 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x22, // type id 34 M_ME_TD_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      [0x00, 0x80], // NVA -32768 -> -1.0
      0x00, // QDS: no flag
      T_FRI.bytes, // CP56Time2a 2024-03-15 13:45:30.123, Friday
    ),
    apdu: iFrame(
      asdu(TypeId.M_ME_TD_1, { cot: 3, ca: 1 }, [{ ioa: 1, value: -1, quality: 0, time: T_FRI.value }]),
    ),
  },
  {
    name: "M_ME_TD_1 spont SQ=0, normalized 32767/32768 and 2^-15, years 2021 and 2099",
    bytes: b(
      [0x68, 0x24], // start; APDU length 36 = 4 control + 32 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x22, // type id 34 M_ME_TD_1
      0x02, // VSQ: SQ=0, 2 objects
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x0a, 0x00, 0x00], // IOA 10
      [0xff, 0x7f], // NVA 32767 -> 32767/32768
      0x41, // QDS: NT | OV
      T_IV.bytes, // CP56Time2a 2021-12-31 23:59:59.999, IV set, day of week 0
      [0x0b, 0x00, 0x00], // IOA 11
      [0x01, 0x00], // NVA 1 -> 1/32768, the smallest step
      0x00, // QDS: no flag
      T_2099.bytes, // CP56Time2a 2099-12-31 23:59:00.000, Thursday (4)
    ),
    apdu: iFrame(
      asdu(TypeId.M_ME_TD_1, { cot: 3, ca: 1 }, [
        { ioa: 10, value: 32767 / 32768, quality: NT | OV, time: T_IV.value },
        { ioa: 11, value: 1 / 32768, quality: 0, time: T_2099.value },
      ]),
    ),
  },

  // ---- 35 M_ME_TE_1: SVA + QDS + CP56Time2a ----
  {
    name: "M_ME_TE_1 spont, scaled -32768 substituted",
    bytes: b(
      [0x68, 0x17], // start; APDU length 23 = 4 control + 19 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x23, // type id 35 M_ME_TE_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      [0x00, 0x80], // SVA -32768
      0x20, // QDS: SB
      T_FRI.bytes, // CP56Time2a 2024-03-15 13:45:30.123, Friday
    ),
    apdu: iFrame(
      asdu(TypeId.M_ME_TE_1, { cot: 3, ca: 1 }, [{ ioa: 1, value: -32768, quality: SB, time: T_FRI.value }]),
    ),
  },
  {
    name: "M_ME_TE_1 spont with the test bit, originator 255, scaled 32767",
    bytes: b(
      [0x68, 0x17], // start; APDU length 23 = 4 control + 19 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x23, // type id 35 M_ME_TE_1
      0x01, // VSQ: SQ=0, 1 object
      [0x83, 0xff], // COT 3 spontaneous | T=1 (0x80); originator 255
      [0x01, 0x00], // CA 1
      [0x02, 0x00, 0x00], // IOA 2
      [0xff, 0x7f], // SVA 32767
      0x00, // QDS: no flag
      T_IV_SU.bytes, // CP56Time2a 2000-01-01 00:00:00.000, IV and SU set, Saturday
    ),
    apdu: iFrame(
      asdu(TypeId.M_ME_TE_1, { cot: 3, ca: 1, oa: 255, test: true }, [
        { ioa: 2, value: 32767, quality: 0, time: T_IV_SU.value },
      ]),
    ),
  },

  // ---- 36 M_ME_TF_1: float + QDS + CP56Time2a ----
  {
    name: "M_ME_TF_1 spont, float -0",
    bytes: b(
      [0x68, 0x19], // start; APDU length 25 = 4 control + 21 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x24, // type id 36 M_ME_TF_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      [0x00, 0x00, 0x00, 0x80], // float -0 (0x80000000)
      0x00, // QDS: no flag
      T_FRI.bytes, // CP56Time2a 2024-03-15 13:45:30.123, Friday
    ),
    apdu: iFrame(
      asdu(TypeId.M_ME_TF_1, { cot: 3, ca: 1 }, [{ ioa: 1, value: -0, quality: 0, time: T_FRI.value }]),
    ),
  },
  {
    name: "M_ME_TF_1 spont, originator 42, float 100.25 invalid, CP56 SU",
    bytes: b(
      [0x68, 0x19], // start; APDU length 25 = 4 control + 21 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x24, // type id 36 M_ME_TF_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x2a], // COT 3 spontaneous; originator 42
      [0x01, 0x00], // CA 1
      [0x02, 0x00, 0x00], // IOA 2
      [0x00, 0x80, 0xc8, 0x42], // float 100.25 (0x42c88000)
      0x80, // QDS: IV
      T_SU.bytes, // CP56Time2a 2023-07-02 08:05:00.000, SU set, Sunday
    ),
    apdu: iFrame(
      asdu(TypeId.M_ME_TF_1, { cot: 3, ca: 1, oa: 42 }, [
        { ioa: 2, value: Math.fround(100.25), quality: IV, time: T_SU.value },
      ]),
    ),
  },
  {
    name: "M_ME_TF_1 spont, float 230.5 blocked, CP56 Wednesday",
    bytes: b(
      [0x68, 0x19], // start; APDU length 25 = 4 control + 21 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x24, // type id 36 M_ME_TF_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x03, 0x00, 0x00], // IOA 3
      [0x00, 0x80, 0x66, 0x43], // float 230.5 (0x43668000)
      0x10, // QDS: BL
      T_WED.bytes, // CP56Time2a 2022-06-08 06:30:45.250, Wednesday (3)
    ),
    apdu: iFrame(
      asdu(TypeId.M_ME_TF_1, { cot: 3, ca: 1 }, [
        { ioa: 3, value: Math.fround(230.5), quality: BL, time: T_WED.value },
      ]),
    ),
  },

  // ---- 37 M_IT_TB_1: BCR + CP56Time2a ----
  {
    name: "M_IT_TB_1 reqcogen, BCR 1000 sequence 1",
    bytes: b(
      [0x68, 0x19], // start; APDU length 25 = 4 control + 21 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x25, // type id 37 M_IT_TB_1
      0x01, // VSQ: SQ=0, 1 object
      [0x25, 0x00], // COT 37 requested by general counter interrogation; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      [0xe8, 0x03, 0x00, 0x00], // counter 1000 (0x000003e8)
      0x01, // sequence 1, no flag
      T_FRI.bytes, // CP56Time2a 2024-03-15 13:45:30.123, Friday
    ),
    apdu: iFrame(
      asdu(TypeId.M_IT_TB_1, { cot: 37, ca: 1 }, [
        {
          ioa: 1,
          value: 1000,
          sequence: 1,
          carry: false,
          adjusted: false,
          invalid: false,
          time: T_FRI.value,
        },
      ]),
    ),
  },
  {
    name: "M_IT_TB_1 spont, BCR -5 with carry and invalid",
    bytes: b(
      [0x68, 0x19], // start; APDU length 25 = 4 control + 21 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x25, // type id 37 M_IT_TB_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x02, 0x00, 0x00], // IOA 2
      [0xfb, 0xff, 0xff, 0xff], // counter -5
      0xa2, // sequence 2 | CY 0x20 | IV 0x80
      T_IV.bytes, // CP56Time2a 2021-12-31 23:59:59.999, IV set, day of week 0
    ),
    apdu: iFrame(
      asdu(TypeId.M_IT_TB_1, { cot: 3, ca: 1 }, [
        { ioa: 2, value: -5, sequence: 2, carry: true, adjusted: false, invalid: true, time: T_IV.value },
      ]),
    ),
  },
  {
    name: "M_IT_TB_1 reqco4, BCR 65536 sequence 31 adjusted",
    bytes: b(
      [0x68, 0x19], // start; APDU length 25 = 4 control + 21 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x25, // type id 37 M_IT_TB_1
      0x01, // VSQ: SQ=0, 1 object
      [0x29, 0x00], // COT 41 requested by group 4 counter interrogation; originator 0
      [0x01, 0x00], // CA 1
      [0x03, 0x00, 0x00], // IOA 3
      [0x00, 0x00, 0x01, 0x00], // counter 65536 (0x00010000)
      0x5f, // sequence 31 | CA 0x40
      T_2099.bytes, // CP56Time2a 2099-12-31 23:59:00.000, Thursday
    ),
    apdu: iFrame(
      asdu(TypeId.M_IT_TB_1, { cot: 41, ca: 1 }, [
        {
          ioa: 3,
          value: 65536,
          sequence: 31,
          carry: false,
          adjusted: true,
          invalid: false,
          time: T_2099.value,
        },
      ]),
    ),
  },

  // ---- 38 M_EP_TD_1: SEP (ES bits 0-1, EI 0x08, BL SB NT IV) + CP16Time2a elapsed + CP56Time2a ----
  {
    name: "M_EP_TD_1 spont, event ON, elapsed 1500 ms",
    bytes: b(
      [0x68, 0x17], // start; APDU length 23 = 4 control + 19 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x26, // type id 38 M_EP_TD_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      0x02, // SEP: ES 2 ON, no flag
      [0xdc, 0x05], // CP16Time2a elapsed time 1500 ms
      T_FRI.bytes, // CP56Time2a 2024-03-15 13:45:30.123, Friday
    ),
    apdu: iFrame(
      asdu(TypeId.M_EP_TD_1, { cot: 3, ca: 1 }, [
        { ioa: 1, eventState: 2, quality: 0, elapsedMs: 1500, time: T_FRI.value },
      ]),
    ),
  },
  {
    name: "M_EP_TD_1 spont, event OFF with EI and IV, elapsed 59999 ms",
    bytes: b(
      [0x68, 0x17], // start; APDU length 23 = 4 control + 19 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x26, // type id 38 M_EP_TD_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x02, 0x00, 0x00], // IOA 2
      0x89, // SEP: ES 1 OFF | EI 0x08 (elapsed time invalid) | IV 0x80
      [0x5f, 0xea], // CP16Time2a elapsed time 59999 ms
      T_IV_SU.bytes, // CP56Time2a 2000-01-01 00:00:00.000, IV and SU set, Saturday
    ),
    apdu: iFrame(
      asdu(TypeId.M_EP_TD_1, { cot: 3, ca: 1 }, [
        { ioa: 2, eventState: 1, quality: EI | IV, elapsedMs: 59999, time: T_IV_SU.value },
      ]),
    ),
  },
  {
    name: "M_EP_TD_1 spont, event state 3 with NT SB BL, elapsed 0",
    bytes: b(
      [0x68, 0x17], // start; APDU length 23 = 4 control + 19 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x26, // type id 38 M_EP_TD_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x03, 0x00, 0x00], // IOA 3
      0x73, // SEP: ES 3 indeterminate | BL 0x10 | SB 0x20 | NT 0x40
      [0x00, 0x00], // CP16Time2a elapsed time 0 ms
      T_SU.bytes, // CP56Time2a 2023-07-02 08:05:00.000, SU set, Sunday
    ),
    apdu: iFrame(
      asdu(TypeId.M_EP_TD_1, { cot: 3, ca: 1 }, [
        { ioa: 3, eventState: 3, quality: NT | SB | BL, elapsedMs: 0, time: T_SU.value },
      ]),
    ),
  },

  // ---- 39 M_EP_TE_1: SPE (GS 0x01, SL1 0x02, SL2 0x04, SL3 0x08, SIE 0x10, SRD 0x20) + QDP
  //      + CP16Time2a relay duration + CP56Time2a ----
  {
    name: "M_EP_TE_1 spont, general start, duration 250 ms",
    bytes: b(
      [0x68, 0x18], // start; APDU length 24 = 4 control + 20 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x27, // type id 39 M_EP_TE_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      0x01, // SPE: GS general start
      0x00, // QDP: no flag
      [0xfa, 0x00], // CP16Time2a relay duration 250 ms
      T_FRI.bytes, // CP56Time2a 2024-03-15 13:45:30.123, Friday
    ),
    apdu: iFrame(
      asdu(TypeId.M_EP_TE_1, { cot: 3, ca: 1 }, [
        { ioa: 1, spe: 0x01, quality: 0, elapsedMs: 250, time: T_FRI.value },
      ]),
    ),
  },
  {
    name: "M_EP_TE_1 spont, every start bit, every QDP flag",
    bytes: b(
      [0x68, 0x18], // start; APDU length 24 = 4 control + 20 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x27, // type id 39 M_EP_TE_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x02, 0x00, 0x00], // IOA 2
      0x3f, // SPE: GS | SL1 | SL2 | SL3 | SIE | SRD
      0xf8, // QDP: EI 0x08 | BL 0x10 | SB 0x20 | NT 0x40 | IV 0x80
      [0x5f, 0xea], // CP16Time2a relay duration 59999 ms
      T_IV.bytes, // CP56Time2a 2021-12-31 23:59:59.999, IV set, day of week 0
    ),
    apdu: iFrame(
      asdu(TypeId.M_EP_TE_1, { cot: 3, ca: 1 }, [
        { ioa: 2, spe: 0x3f, quality: IV | NT | SB | BL | EI, elapsedMs: 59999, time: T_IV.value },
      ]),
    ),
  },

  // ---- 40 M_EP_TF_1: OCI (GC 0x01, CL1 0x02, CL2 0x04, CL3 0x08) + QDP + CP16Time2a relay operating
  //      time + CP56Time2a ----
  {
    name: "M_EP_TF_1 spont, general command, operating time 100 ms",
    bytes: b(
      [0x68, 0x18], // start; APDU length 24 = 4 control + 20 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x28, // type id 40 M_EP_TF_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      0x01, // OCI: GC general command to output circuit
      0x00, // QDP: no flag
      [0x64, 0x00], // CP16Time2a relay operating time 100 ms
      T_FRI.bytes, // CP56Time2a 2024-03-15 13:45:30.123, Friday
    ),
    apdu: iFrame(
      asdu(TypeId.M_EP_TF_1, { cot: 3, ca: 1 }, [
        { ioa: 1, oci: 0x01, quality: 0, operatingMs: 100, time: T_FRI.value },
      ]),
    ),
  },
  {
    name: "M_EP_TF_1 spont, phases L1 L2 L3, EI",
    bytes: b(
      [0x68, 0x18], // start; APDU length 24 = 4 control + 20 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x28, // type id 40 M_EP_TF_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x02, 0x00, 0x00], // IOA 2
      0x0e, // OCI: CL1 | CL2 | CL3
      0x08, // QDP: EI
      [0x34, 0x12], // CP16Time2a relay operating time 4660 ms (0x1234)
      T_SU.bytes, // CP56Time2a 2023-07-02 08:05:00.000, SU set, Sunday
    ),
    apdu: iFrame(
      asdu(TypeId.M_EP_TF_1, { cot: 3, ca: 1 }, [
        { ioa: 2, oci: 0x0e, quality: EI, operatingMs: 0x1234, time: T_SU.value },
      ]),
    ),
  },

  // ---- CP24Time2a forms (IEC 101 only) ----
  {
    name: "M_SP_TA_1 spont, on, CP24 7 min 12.345 s",
    allowNon104: true,
    bytes: b(
      [0x68, 0x11], // start; APDU length 17 = 4 control + 13 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x02, // type id 2 M_SP_TA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      0x01, // SIQ: on
      [0x39, 0x30], // CP24Time2a milliseconds 12345 (0x3039)
      0x07, // CP24Time2a minute 7, IV=0
    ),
    apdu: iFrame(
      asdu(TypeId.M_SP_TA_1, { cot: 3, ca: 1 }, [
        { ioa: 1, value: true, quality: 0, time: { ms: 12345, minute: 7, invalid: false } },
      ]),
    ),
  },
  {
    name: "M_SP_TA_1 spont SQ=0, 2 objects, CP24 with IV",
    allowNon104: true,
    bytes: b(
      [0x68, 0x18], // start; APDU length 24 = 4 control + 20 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x02, // type id 2 M_SP_TA_1
      0x02, // VSQ: SQ=0, 2 objects
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x02, 0x00, 0x00], // IOA 2
      0x80, // SIQ: off | IV
      [0x5f, 0xea], // CP24Time2a milliseconds 59999
      0xbb, // CP24Time2a minute 59 | IV 0x80
      [0x03, 0x00, 0x00], // IOA 3
      0x30, // SIQ: off | SB | BL
      [0x00, 0x00], // CP24Time2a milliseconds 0
      0x00, // CP24Time2a minute 0, IV=0
    ),
    apdu: iFrame(
      asdu(TypeId.M_SP_TA_1, { cot: 3, ca: 1 }, [
        { ioa: 2, value: false, quality: IV, time: { ms: 59999, minute: 59, invalid: true } },
        { ioa: 3, value: false, quality: SB | BL, time: { ms: 0, minute: 0, invalid: false } },
      ]),
    ),
  },
  {
    name: "M_DP_TA_1 spont, on, CP24 invalid",
    allowNon104: true,
    bytes: b(
      [0x68, 0x11], // start; APDU length 17 = 4 control + 13 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x04, // type id 4 M_DP_TA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      0x02, // DIQ: DPI 2 on
      [0x00, 0x00], // CP24Time2a milliseconds 0
      0x80, // CP24Time2a minute 0 | IV
    ),
    apdu: iFrame(
      asdu(TypeId.M_DP_TA_1, { cot: 3, ca: 1 }, [
        { ioa: 1, value: 2, quality: 0, time: { ms: 0, minute: 0, invalid: true } },
      ]),
    ),
  },
  {
    name: "M_ST_TA_1 spont, VTI -1, CP24 30 min 1 s",
    allowNon104: true,
    bytes: b(
      [0x68, 0x12], // start; APDU length 18 = 4 control + 14 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x06, // type id 6 M_ST_TA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      0x7f, // VTI: value -1, transient 0
      0x00, // QDS: no flag
      [0xe8, 0x03], // CP24Time2a milliseconds 1000
      0x1e, // CP24Time2a minute 30, IV=0
    ),
    apdu: iFrame(
      asdu(TypeId.M_ST_TA_1, { cot: 3, ca: 1 }, [
        { ioa: 1, value: -1, transient: false, quality: 0, time: { ms: 1000, minute: 30, invalid: false } },
      ]),
    ),
  },
  {
    name: "M_BO_TA_1 spont, BSI 0x0000ffff blocked",
    allowNon104: true,
    bytes: b(
      [0x68, 0x15], // start; APDU length 21 = 4 control + 17 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x08, // type id 8 M_BO_TA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      [0xff, 0xff, 0x00, 0x00], // BSI 0x0000ffff
      0x10, // QDS: BL
      [0xf4, 0x01], // CP24Time2a milliseconds 500
      0x01, // CP24Time2a minute 1, IV=0
    ),
    apdu: iFrame(
      asdu(TypeId.M_BO_TA_1, { cot: 3, ca: 1 }, [
        { ioa: 1, value: 0x0000ffff, quality: BL, time: { ms: 500, minute: 1, invalid: false } },
      ]),
    ),
  },
  {
    name: "M_ME_TA_1 spont, normalized 0.5",
    allowNon104: true,
    bytes: b(
      [0x68, 0x13], // start; APDU length 19 = 4 control + 15 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x0a, // type id 10 M_ME_TA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      [0x00, 0x40], // NVA 16384 -> 0.5
      0x00, // QDS: no flag
      [0x30, 0x75], // CP24Time2a milliseconds 30000 (0x7530)
      0x0f, // CP24Time2a minute 15, IV=0
    ),
    apdu: iFrame(
      asdu(TypeId.M_ME_TA_1, { cot: 3, ca: 1 }, [
        { ioa: 1, value: 0.5, quality: 0, time: { ms: 30000, minute: 15, invalid: false } },
      ]),
    ),
  },
  {
    name: "M_ME_TB_1 spont, scaled -100 overflow",
    allowNon104: true,
    bytes: b(
      [0x68, 0x13], // start; APDU length 19 = 4 control + 15 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x0c, // type id 12 M_ME_TB_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      [0x9c, 0xff], // SVA -100 (0xff9c)
      0x01, // QDS: OV
      [0x01, 0x00], // CP24Time2a milliseconds 1
      0x00, // CP24Time2a minute 0, IV=0
    ),
    apdu: iFrame(
      asdu(TypeId.M_ME_TB_1, { cot: 3, ca: 1 }, [
        { ioa: 1, value: -100, quality: OV, time: { ms: 1, minute: 0, invalid: false } },
      ]),
    ),
  },
  {
    name: "M_ME_TC_1 spont, float -0.125, CP24 invalid",
    allowNon104: true,
    bytes: b(
      [0x68, 0x15], // start; APDU length 21 = 4 control + 17 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x0e, // type id 14 M_ME_TC_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      [0x00, 0x00, 0x00, 0xbe], // float -0.125 (0xbe000000)
      0x00, // QDS: no flag
      [0xd0, 0x07], // CP24Time2a milliseconds 2000
      0xad, // CP24Time2a minute 45 (0x2d) | IV 0x80
    ),
    apdu: iFrame(
      asdu(TypeId.M_ME_TC_1, { cot: 3, ca: 1 }, [
        { ioa: 1, value: Math.fround(-0.125), quality: 0, time: { ms: 2000, minute: 45, invalid: true } },
      ]),
    ),
  },
  {
    name: "M_IT_TA_1 reqcogen, BCR 42 sequence 3",
    allowNon104: true,
    bytes: b(
      [0x68, 0x15], // start; APDU length 21 = 4 control + 17 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x10, // type id 16 M_IT_TA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x25, 0x00], // COT 37 requested by general counter interrogation; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      [0x2a, 0x00, 0x00, 0x00], // counter 42
      0x03, // sequence 3, no flag
      [0x00, 0x00], // CP24Time2a milliseconds 0
      0x00, // CP24Time2a minute 0, IV=0
    ),
    apdu: iFrame(
      asdu(TypeId.M_IT_TA_1, { cot: 37, ca: 1 }, [
        {
          ioa: 1,
          value: 42,
          sequence: 3,
          carry: false,
          adjusted: false,
          invalid: false,
          time: { ms: 0, minute: 0, invalid: false },
        },
      ]),
    ),
  },
  {
    name: "M_EP_TA_1 spont, event OFF, elapsed 10 ms",
    allowNon104: true,
    bytes: b(
      [0x68, 0x13], // start; APDU length 19 = 4 control + 15 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x11, // type id 17 M_EP_TA_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      0x01, // SEP: ES 1 OFF, no flag
      [0x0a, 0x00], // CP16Time2a elapsed time 10 ms
      [0x64, 0x00], // CP24Time2a milliseconds 100
      0x02, // CP24Time2a minute 2, IV=0
    ),
    apdu: iFrame(
      asdu(TypeId.M_EP_TA_1, { cot: 3, ca: 1 }, [
        { ioa: 1, eventState: 1, quality: 0, elapsedMs: 10, time: { ms: 100, minute: 2, invalid: false } },
      ]),
    ),
  },
  {
    name: "M_EP_TB_1 spont, start GS and L1, duration 20 ms",
    allowNon104: true,
    bytes: b(
      [0x68, 0x14], // start; APDU length 20 = 4 control + 16 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x12, // type id 18 M_EP_TB_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      0x03, // SPE: GS | SL1
      0x00, // QDP: no flag
      [0x14, 0x00], // CP16Time2a relay duration 20 ms
      [0xc8, 0x00], // CP24Time2a milliseconds 200
      0x03, // CP24Time2a minute 3, IV=0
    ),
    apdu: iFrame(
      asdu(TypeId.M_EP_TB_1, { cot: 3, ca: 1 }, [
        { ioa: 1, spe: 0x03, quality: 0, elapsedMs: 20, time: { ms: 200, minute: 3, invalid: false } },
      ]),
    ),
  },
  {
    name: "M_EP_TC_1 spont, general command invalid, operating 30 ms",
    allowNon104: true,
    bytes: b(
      [0x68, 0x14], // start; APDU length 20 = 4 control + 16 ASDU
      [0x00, 0x00, 0x00, 0x00], // I-frame N(S)=0, N(R)=0
      0x13, // type id 19 M_EP_TC_1
      0x01, // VSQ: SQ=0, 1 object
      [0x03, 0x00], // COT 3 spontaneous; originator 0
      [0x01, 0x00], // CA 1
      [0x01, 0x00, 0x00], // IOA 1
      0x01, // OCI: GC
      0x80, // QDP: IV
      [0x1e, 0x00], // CP16Time2a relay operating time 30 ms
      [0x2c, 0x01], // CP24Time2a milliseconds 300
      0x04, // CP24Time2a minute 4, IV=0
    ),
    apdu: iFrame(
      asdu(TypeId.M_EP_TC_1, { cot: 3, ca: 1 }, [
        { ioa: 1, oci: 0x01, quality: IV, operatingMs: 30, time: { ms: 300, minute: 4, invalid: false } },
      ]),
    ),
  },
];
