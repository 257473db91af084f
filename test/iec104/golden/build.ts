/**
 * Small builders for the golden vectors. They only concatenate octets that the vectors spell out
 * and assemble the expected decoded structures: nothing here encodes a value, so the vectors stay
 * independent of the codec under test.
 */
import type { Apdu } from "../../../src/iec104/apci/apdu.js";
import type { AsduOf, InformationObject } from "../../../src/iec104/asdu/asdu.js";
import type { TypeId } from "../../../src/iec104/asdu/types.js";
import type { Cp56Time2a } from "../../../src/iec104/codec/time.js";

/** One field of a vector: a single octet or the octets of a multi-octet field, in wire order. */
export type Field = number | readonly number[];

/** The octets of the given fields, checked to be octets (Buffer.from would silently wrap 0x100). */
export function octets(...fields: readonly Field[]): number[] {
  const out = fields.flat();
  for (const o of out) {
    if (!Number.isInteger(o) || o < 0 || o > 0xff) throw new Error(`golden vector: ${o} is not an octet`);
  }
  return out;
}

/** A Buffer of the given fields (see `octets`). */
export function b(...fields: readonly Field[]): Buffer {
  return Buffer.from(octets(...fields));
}

/* Quality descriptor bits (IEC 60870-5-101 7.2.6.3-7.2.6.4), written out here rather than imported. */
/** Invalid. */
export const IV = 0x80;
/** Not topical. */
export const NT = 0x40;
/** Substituted. */
export const SB = 0x20;
/** Blocked. */
export const BL = 0x10;
/** Elapsed time invalid (QDP of protection events). */
export const EI = 0x08;
/** Overflow (QDS). */
export const OV = 0x01;

export interface Header {
  cot: number;
  ca: number;
  oa?: number;
  sq?: boolean;
  test?: boolean;
  negative?: boolean;
}

/** The decoded ASDU a vector expects; omitted header flags are false and the originator 0. */
export function asdu<K extends TypeId>(typeId: K, h: Header, objects: InformationObject<K>[]): AsduOf<K> {
  return {
    typeId,
    sq: h.sq ?? false,
    cot: h.cot,
    test: h.test ?? false,
    negative: h.negative ?? false,
    oa: h.oa ?? 0,
    ca: h.ca,
    objects,
  };
}

/** The decoded I-frame a vector expects. */
export function iFrame<K extends TypeId>(
  a: AsduOf<K>,
  seq: { ns: number; nr: number } = { ns: 0, nr: 0 },
): Apdu {
  return { format: "I", ns: seq.ns, nr: seq.nr, asdu: a } as Apdu;
}

/** A CP56Time2a tag: its 7 octets, written by hand, and the structure the decoder should return. */
export interface GoldenTime {
  bytes: readonly number[];
  value: Cp56Time2a;
}

/*
 * The CP56Time2a tags the vectors use (IEC 60870-5-4 6.8, 101 7.2.6.18):
 *   octets 0-1 milliseconds 0..59999, little-endian
 *   octet 2    bits 0-5 minute, bit 6 RES1, bit 7 IV
 *   octet 3    bits 0-4 hour, bits 5-6 RES2, bit 7 SU (summer time)
 *   octet 4    bits 0-4 day of month, bits 5-7 day of week (1 Monday .. 7 Sunday, 0 not used)
 *   octet 5    bits 0-3 month, bits 4-7 RES3
 *   octet 6    bits 0-6 year 0..99, bit 7 RES4
 */

/** 2024-03-15 13:45:30.123, Friday, no flag. */
export const T_FRI: GoldenTime = {
  bytes: octets(
    [0xab, 0x75], // milliseconds 30123 = 0x75ab (30.123 s)
    0x2d, // minute 45, RES1=0, IV=0
    0x0d, // hour 13, SU=0
    0xaf, // day 15 (0x0f) | day of week 5 Friday (5 << 5 = 0xa0)
    0x03, // month 3
    0x18, // year 24 (2024)
  ),
  value: {
    year: 2024,
    month: 3,
    day: 15,
    hour: 13,
    minute: 45,
    ms: 30123,
    dayOfWeek: 5,
    invalid: false,
    summerTime: false,
  },
};

/** 2021-12-31 23:59:59.999, day of week not used, IV set. */
export const T_IV: GoldenTime = {
  bytes: octets(
    [0x5f, 0xea], // milliseconds 59999 = 0xea5f (the largest)
    0xbb, // minute 59 (0x3b) | IV (0x80)
    0x17, // hour 23, SU=0
    0x1f, // day 31, day of week 0 (not used)
    0x0c, // month 12
    0x15, // year 21 (2021)
  ),
  value: {
    year: 2021,
    month: 12,
    day: 31,
    hour: 23,
    minute: 59,
    ms: 59999,
    dayOfWeek: 0,
    invalid: true,
    summerTime: false,
  },
};

/** 2023-07-02 08:05:00.000, Sunday, SU set. */
export const T_SU: GoldenTime = {
  bytes: octets(
    [0x00, 0x00], // milliseconds 0
    0x05, // minute 5, IV=0
    0x88, // hour 8 | SU (0x80)
    0xe2, // day 2 | day of week 7 Sunday (7 << 5 = 0xe0)
    0x07, // month 7
    0x17, // year 23 (2023)
  ),
  value: {
    year: 2023,
    month: 7,
    day: 2,
    hour: 8,
    minute: 5,
    ms: 0,
    dayOfWeek: 7,
    invalid: false,
    summerTime: true,
  },
};

/** 2000-01-01 00:00:00.000, Saturday, IV and SU set. */
export const T_IV_SU: GoldenTime = {
  bytes: octets(
    [0x00, 0x00], // milliseconds 0
    0x80, // minute 0 | IV (0x80)
    0x80, // hour 0 | SU (0x80)
    0xc1, // day 1 | day of week 6 Saturday (6 << 5 = 0xc0)
    0x01, // month 1
    0x00, // year 0 (2000)
  ),
  value: {
    year: 2000,
    month: 1,
    day: 1,
    hour: 0,
    minute: 0,
    ms: 0,
    dayOfWeek: 6,
    invalid: true,
    summerTime: true,
  },
};

/** 2024-01-01 12:00:01.500, Monday, no flag. */
export const T_MON: GoldenTime = {
  bytes: octets(
    [0xdc, 0x05], // milliseconds 1500 = 0x05dc
    0x00, // minute 0, IV=0
    0x0c, // hour 12, SU=0
    0x21, // day 1 | day of week 1 Monday (1 << 5 = 0x20)
    0x01, // month 1
    0x18, // year 24 (2024)
  ),
  value: {
    year: 2024,
    month: 1,
    day: 1,
    hour: 12,
    minute: 0,
    ms: 1500,
    dayOfWeek: 1,
    invalid: false,
    summerTime: false,
  },
};

/** 2099-12-31 23:59:00.000, Thursday: the last year a 7-bit year 0..99 holds. */
export const T_2099: GoldenTime = {
  bytes: octets(
    [0x00, 0x00], // milliseconds 0
    0x3b, // minute 59, IV=0
    0x17, // hour 23, SU=0
    0x9f, // day 31 (0x1f) | day of week 4 Thursday (4 << 5 = 0x80)
    0x0c, // month 12
    0x63, // year 99 (2099)
  ),
  value: {
    year: 2099,
    month: 12,
    day: 31,
    hour: 23,
    minute: 59,
    ms: 0,
    dayOfWeek: 4,
    invalid: false,
    summerTime: false,
  },
};

/** 2022-06-08 06:30:45.250, Wednesday, no flag. */
export const T_WED: GoldenTime = {
  bytes: octets(
    [0xc2, 0xb0], // milliseconds 45250 = 0xb0c2
    0x1e, // minute 30, IV=0
    0x06, // hour 6, SU=0
    0x68, // day 8 | day of week 3 Wednesday (3 << 5 = 0x60)
    0x06, // month 6
    0x16, // year 22 (2022)
  ),
  value: {
    year: 2022,
    month: 6,
    day: 8,
    hour: 6,
    minute: 30,
    ms: 45250,
    dayOfWeek: 3,
    invalid: false,
    summerTime: false,
  },
};
