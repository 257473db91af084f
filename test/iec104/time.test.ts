/**
 * CP56Time2a / CP24Time2a / CP16Time2a helpers: the allocation-free writeCp56Epoch against the
 * reference path writeCp56(cp56FromEpochMs(...)), epoch conversions, plausibility, leap days and
 * local-time offsets.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CP56_SIZE,
  type Cp56Time2a,
  cp56FromEpochMs,
  cp56ToEpochMs,
  isCp56Plausible,
  readCp16,
  readCp24,
  readCp56,
  writeCp16,
  writeCp24,
  writeCp56,
  writeCp56Epoch,
} from "../../src/iec104/index.js";
import { cp24Arb, cp56Arb, record } from "./arbitraries.js";

const RUNS = 1000;
const MS_PER_DAY = 86_400_000;
const T2000 = Date.UTC(2000, 0, 1);
const T2100 = Date.UTC(2100, 0, 1);
const T2128 = Date.UTC(2128, 0, 1);
const INVALID = 0x80;
const SUMMER = 0x100;

/** Epoch ms in [from, to): a day and a time of day, with the edges of the day weighted in. */
function epochArb(from: number, to: number): fc.Arbitrary<number> {
  const days = (to - from) / MS_PER_DAY;
  const msOfDay = fc.oneof(
    fc.integer({ min: 0, max: MS_PER_DAY - 1 }),
    fc.constantFrom(0, 999, 1000, 59_999, 60_000, 3_599_999, 3_600_000, 43_200_000, MS_PER_DAY - 1),
  );
  return fc
    .tuple(fc.integer({ min: 0, max: days - 1 }), msOfDay)
    .map(([d, ms]) => from + d * MS_PER_DAY + ms);
}

const epoch2000to2099 = epochArb(T2000, T2100);
const flagsArb = record({ invalid: fc.boolean(), summerTime: fc.boolean() });

function viaReference(t: number, flags: { invalid: boolean; summerTime: boolean }): Buffer {
  const b = Buffer.alloc(CP56_SIZE);
  writeCp56(b, 0, cp56FromEpochMs(t, flags));
  return b;
}

function viaEpoch(t: number, flags: { invalid: boolean; summerTime: boolean }): Buffer {
  const b = Buffer.alloc(CP56_SIZE);
  writeCp56Epoch(b, 0, t, (flags.invalid ? INVALID : 0) | (flags.summerTime ? SUMMER : 0));
  return b;
}

/** 1 = Monday .. 7 = Sunday. */
function isoDayOfWeek(t: number): number {
  return new Date(t).getUTCDay() || 7;
}

describe("writeCp56Epoch", () => {
  it("writes the same 7 octets as writeCp56(cp56FromEpochMs(t)) for any t in 2000..2099", () => {
    fc.assert(
      fc.property(
        epoch2000to2099,
        flagsArb,
        fc.nat({ max: 16 }),
        fc.integer({ min: 0, max: 255 }),
        (t, flags, off, fill) => {
          const want = viaReference(t, flags);
          const buf = Buffer.alloc(off + CP56_SIZE + 3, fill);
          writeCp56Epoch(buf, off, t, (flags.invalid ? INVALID : 0) | (flags.summerTime ? SUMMER : 0));
          expect(buf.subarray(off, off + CP56_SIZE).toString("hex")).toBe(want.toString("hex"));
          // Nothing outside the 7 octets is touched.
          for (let i = 0; i < buf.length; i++) if (i < off || i >= off + CP56_SIZE) expect(buf[i]).toBe(fill);
          const read = readCp56(buf, off);
          expect(read.dayOfWeek).toBe(isoDayOfWeek(t));
          expect(read.invalid).toBe(flags.invalid);
          expect(read.summerTime).toBe(flags.summerTime);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("also agrees with the reference for 2100..2127 (the rest of the 7-bit year)", () => {
    fc.assert(
      fc.property(epochArb(T2100, T2128), flagsArb, (t, flags) => {
        expect(viaEpoch(t, flags).toString("hex")).toBe(viaReference(t, flags).toString("hex"));
      }),
      { numRuns: 300 },
    );
  });

  it("every midnight from 2000-01-01 to 2099-12-31 and the last ms of each day", () => {
    for (let t = T2000; t < T2100; t += MS_PER_DAY) {
      for (const at of [t, t + MS_PER_DAY - 1]) {
        const got = viaEpoch(at, { invalid: false, summerTime: false });
        const want = viaReference(at, { invalid: false, summerTime: false });
        if (!got.equals(want)) expect(got.toString("hex")).toBe(want.toString("hex"));
      }
    }
  });

  it.each([
    ["2000-01-01T00:00:00.000Z", 6],
    ["2000-02-29T12:00:00.000Z", 2],
    ["2024-02-29T00:00:00.000Z", 4],
    ["2024-12-31T23:59:59.999Z", 2],
    ["2038-01-19T03:14:08.000Z", 2],
    ["2096-02-29T00:00:00.000Z", 3],
    ["2099-12-31T23:59:59.999Z", 4],
  ])("%s is day of week %i", (iso, dow) => {
    const t = Date.parse(iso);
    expect(readCp56(viaEpoch(t, { invalid: false, summerTime: false }), 0).dayOfWeek).toBe(dow);
    expect(cp56FromEpochMs(t).dayOfWeek).toBe(dow);
  });

  it("exact octets of 2024-02-29T13:45:30.250Z, plain and with IV and SU", () => {
    const t = Date.parse("2024-02-29T13:45:30.250Z");
    // ms 30250 = 0x762A; minute 45; hour 13; day 29 | Thursday (4) << 5; month 2; year 24.
    expect(viaEpoch(t, { invalid: false, summerTime: false }).toString("hex")).toBe("2a762d0d9d0218");
    expect(viaEpoch(t, { invalid: true, summerTime: true }).toString("hex")).toBe("2a76ad8d9d0218");
    const b = Buffer.alloc(CP56_SIZE);
    writeCp56Epoch(b, 0, t);
    expect(b.toString("hex")).toBe("2a762d0d9d0218");
  });
});

describe("cp56FromEpochMs / cp56ToEpochMs", () => {
  it("cp56ToEpochMs(cp56FromEpochMs(t)) === t, and the fields are those of the UTC date", () => {
    fc.assert(
      fc.property(epoch2000to2099, flagsArb, (t, flags) => {
        const c = cp56FromEpochMs(t, flags);
        expect(cp56ToEpochMs(c)).toBe(t);
        const d = new Date(t);
        expect(c).toEqual({
          ms: d.getUTCSeconds() * 1000 + d.getUTCMilliseconds(),
          minute: d.getUTCMinutes(),
          hour: d.getUTCHours(),
          day: d.getUTCDate(),
          dayOfWeek: isoDayOfWeek(t),
          month: d.getUTCMonth() + 1,
          year: d.getUTCFullYear(),
          invalid: flags.invalid,
          summerTime: flags.summerTime,
        });
        expect(isCp56Plausible(c)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("with offsetMinutes: the fields are those of t + offset, and converting back with the offset gives t", () => {
    const offsetArb = fc.oneof(
      fc.integer({ min: -720, max: 840 }),
      fc.constantFrom(-720, -60, 0, 60, 120, 330, 840),
    );
    fc.assert(
      fc.property(epochArb(T2000 + MS_PER_DAY, T2100 - MS_PER_DAY), offsetArb, (t, offsetMinutes) => {
        const local = cp56FromEpochMs(t, { offsetMinutes });
        expect(local).toEqual(cp56FromEpochMs(t + offsetMinutes * 60_000));
        expect(cp56ToEpochMs(local, offsetMinutes)).toBe(t);
        expect(cp56ToEpochMs(local)).toBe(t + offsetMinutes * 60_000);
      }),
      { numRuns: RUNS },
    );
  });

  it("offsetMinutes across a year boundary, a leap day and in both directions", () => {
    const newYear = Date.parse("2024-01-01T00:30:00.000Z");
    const west = cp56FromEpochMs(newYear, { offsetMinutes: -60 });
    expect(west).toMatchObject({ year: 2023, month: 12, day: 31, hour: 23, minute: 30, dayOfWeek: 7 });
    expect(cp56ToEpochMs(west, -60)).toBe(newYear);

    const beforeLeapDay = Date.parse("2024-02-28T23:30:00.000Z");
    const east = cp56FromEpochMs(beforeLeapDay, { offsetMinutes: 60 });
    expect(east).toMatchObject({ year: 2024, month: 2, day: 29, hour: 0, minute: 30, dayOfWeek: 4 });
    expect(cp56ToEpochMs(east, 60)).toBe(beforeLeapDay);

    const india = cp56FromEpochMs(Date.parse("2024-06-01T20:00:00.000Z"), { offsetMinutes: 330 });
    expect(india).toMatchObject({ day: 2, hour: 1, minute: 30 });
  });

  it("SU and IV change no field: the epoch ignores them", () => {
    fc.assert(
      fc.property(epoch2000to2099, (t) => {
        const plain = cp56FromEpochMs(t);
        const flagged = cp56FromEpochMs(t, { invalid: true, summerTime: true });
        expect({ ...flagged, invalid: false, summerTime: false }).toEqual(plain);
        expect(cp56ToEpochMs(flagged)).toBe(t);
      }),
      { numRuns: 200 },
    );
  });
});

describe("leap days", () => {
  const leapYears = Array.from({ length: 25 }, (_, i) => 2000 + 4 * i);

  it.each(leapYears)("%i-02-29 exists, and the day after is 03-01", (year) => {
    const feb29 = Date.UTC(year, 1, 29);
    for (const t of [feb29, feb29 + MS_PER_DAY - 1]) {
      const read = readCp56(viaEpoch(t, { invalid: false, summerTime: false }), 0);
      expect(read).toMatchObject({ year, month: 2, day: 29, dayOfWeek: isoDayOfWeek(t) });
      expect(cp56ToEpochMs(read)).toBe(t);
    }
    expect(readCp56(viaEpoch(feb29 + MS_PER_DAY, { invalid: false, summerTime: false }), 0)).toMatchObject({
      month: 3,
      day: 1,
    });
    // Day 366 of a leap year.
    expect(
      readCp56(viaEpoch(Date.UTC(year, 11, 31, 12), { invalid: false, summerTime: false }), 0),
    ).toMatchObject({ year, month: 12, day: 31 });
  });

  it.each([2001, 2023, 2025, 2099])("%i has no 02-29: the ms after 02-28 23:59:59.999 is 03-01", (year) => {
    const last = Date.UTC(year, 1, 28, 23, 59, 59, 999);
    expect(readCp56(viaEpoch(last, { invalid: false, summerTime: false }), 0)).toMatchObject({
      month: 2,
      day: 28,
      hour: 23,
      minute: 59,
      ms: 59_999,
    });
    expect(readCp56(viaEpoch(last + 1, { invalid: false, summerTime: false }), 0)).toMatchObject({
      month: 3,
      day: 1,
      hour: 0,
      minute: 0,
      ms: 0,
    });
  });
});

describe("isCp56Plausible", () => {
  const base: Cp56Time2a = {
    ms: 0,
    minute: 0,
    hour: 0,
    day: 1,
    dayOfWeek: 1,
    month: 1,
    year: 2024,
    invalid: false,
    summerTime: false,
  };

  it.each([
    ["ms", 59_999, 60_000],
    ["minute", 59, 60],
    ["hour", 23, 24],
    ["day", 31, 32],
    ["day", 1, 0],
    ["month", 12, 13],
    ["month", 1, 0],
    ["year", 2099, 2100],
  ] as const)("%s: %i is plausible, %i is not (and converts to NaN)", (field, ok, bad) => {
    expect(isCp56Plausible({ ...base, [field]: ok })).toBe(true);
    expect(cp56ToEpochMs({ ...base, [field]: ok })).not.toBeNaN();
    expect(isCp56Plausible({ ...base, [field]: bad })).toBe(false);
    expect(cp56ToEpochMs({ ...base, [field]: bad })).toBeNaN();
  });

  it("IV, SU and the day of week do not matter", () => {
    for (const dayOfWeek of [0, 1, 7]) {
      expect(isCp56Plausible({ ...base, dayOfWeek, invalid: true, summerTime: true })).toBe(true);
    }
  });

  it("is true exactly when every field is in range and the day exists in its month; NaN exactly when false", () => {
    const rawArb = record<Cp56Time2a>({
      ms: fc.integer({ min: 0, max: 0xffff }),
      minute: fc.integer({ min: 0, max: 63 }),
      hour: fc.integer({ min: 0, max: 31 }),
      day: fc.integer({ min: 0, max: 31 }),
      dayOfWeek: fc.integer({ min: 0, max: 7 }),
      month: fc.integer({ min: 0, max: 15 }),
      year: fc.integer({ min: 2000, max: 2127 }),
      invalid: fc.boolean(),
      summerTime: fc.boolean(),
    });
    fc.assert(
      fc.property(rawArb, (t) => {
        const inRange =
          t.ms <= 59_999 &&
          t.minute <= 59 &&
          t.hour <= 23 &&
          t.day >= 1 &&
          t.month >= 1 &&
          t.month <= 12 &&
          t.year <= 2099 &&
          t.day <= new Date(Date.UTC(t.year, t.month, 0)).getUTCDate();
        expect(isCp56Plausible(t)).toBe(inRange);
        expect(Number.isNaN(cp56ToEpochMs(t))).toBe(!inRange);
      }),
      { numRuns: RUNS },
    );
  });

  it("whatever readCp56 reads off 7 random octets converts to a finite time exactly when plausible", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 7, maxLength: 7 }), (bytes) => {
        const t = readCp56(Buffer.from(bytes), 0);
        expect(Number.isFinite(cp56ToEpochMs(t))).toBe(isCp56Plausible(t));
      }),
      { numRuns: 300 },
    );
  });
});

describe("readCp56 / writeCp56 / CP24 / CP16", () => {
  it("readCp56(writeCp56(t)) equals t for any valid fields (years 2000..2127)", () => {
    fc.assert(
      fc.property(cp56Arb, fc.nat({ max: 8 }), (t, off) => {
        const b = Buffer.alloc(off + CP56_SIZE);
        writeCp56(b, off, t);
        expect(readCp56(b, off)).toEqual(t);
      }),
      { numRuns: RUNS },
    );
  });

  it("reserved bits are ignored on read and written as 0", () => {
    fc.assert(
      fc.property(cp56Arb, fc.uint8Array({ minLength: 4, maxLength: 4 }), (t, noise) => {
        const b = Buffer.alloc(CP56_SIZE);
        writeCp56(b, 0, t);
        expect(b[2]! & 0x40).toBe(0);
        expect(b[3]! & 0x60).toBe(0);
        expect(b[5]! & 0xf0).toBe(0);
        expect(b[6]! & 0x80).toBe(0);
        b[2] = b[2]! | (noise[0]! & 0x40);
        b[3] = b[3]! | (noise[1]! & 0x60);
        b[5] = b[5]! | (noise[2]! & 0xf0);
        b[6] = b[6]! | (noise[3]! & 0x80);
        expect(readCp56(b, 0)).toEqual(t);
      }),
      { numRuns: 300 },
    );
  });

  it("CP24Time2a round-trips", () => {
    fc.assert(
      fc.property(cp24Arb, (t) => {
        const b = Buffer.alloc(3);
        writeCp24(b, 0, t);
        expect(readCp24(b, 0)).toEqual(t);
      }),
      { numRuns: 300 },
    );
  });

  it("CP16Time2a round-trips for 0..65535", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (ms) => {
        const b = Buffer.alloc(2);
        writeCp16(b, 0, ms);
        expect(readCp16(b, 0)).toBe(ms);
        expect(b.readUInt16LE(0)).toBe(ms);
      }),
      { numRuns: 300 },
    );
  });
});
