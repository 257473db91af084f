/**
 * Binary time formats of IEC 60870-5-4 as used by 101/104 (all little-endian):
 *
 * CP56Time2a (7 octets)            CP24Time2a (3 octets): octets 0-2 only
 *   0-1  milliseconds 0..59999 (seconds * 1000 + ms)
 *   2    bits 0-5 minute 0..59, bit 6 RES1, bit 7 IV (invalid)
 *   3    bits 0-4 hour 0..23, bits 5-6 RES2, bit 7 SU (summer time)
 *   4    bits 0-4 day of month 1..31, bits 5-7 day of week (0 unused, 1 Monday .. 7 Sunday)
 *   5    bits 0-3 month 1..12, bits 4-7 RES3
 *   6    bits 0-6 year 0..99, bit 7 RES4
 *
 * CP16Time2a (2 octets): milliseconds 0..59999 (elapsed or relay times of types 17-19, 38-40, 106).
 *
 * The structures hold the raw fields. The year is held as 2000 + the 7-bit year, as lib60870 reads it;
 * SU changes no field (nothing is shifted for summer time). Reserved bits are ignored on decode and
 * written as 0.
 */
import { checkInt } from "./errors.js";

export interface Cp56Time2a {
  /** Milliseconds within the minute, 0..59999. */
  ms: number;
  minute: number;
  hour: number;
  /** Day of month 1..31. */
  day: number;
  /** 0 = not used, 1 = Monday .. 7 = Sunday. */
  dayOfWeek: number;
  month: number;
  /** Full year, 2000 + the 7-bit year octet. */
  year: number;
  invalid: boolean;
  summerTime: boolean;
}

export interface Cp24Time2a {
  ms: number;
  minute: number;
  invalid: boolean;
}

export const CP56_SIZE = 7;
export const CP24_SIZE = 3;
export const CP16_SIZE = 2;

export function readCp56(buf: Uint8Array, off: number): Cp56Time2a {
  const o2 = buf[off + 2]!;
  const o3 = buf[off + 3]!;
  const o4 = buf[off + 4]!;
  return {
    ms: buf[off]! | (buf[off + 1]! << 8),
    minute: o2 & 0x3f,
    hour: o3 & 0x1f,
    day: o4 & 0x1f,
    dayOfWeek: o4 >> 5,
    month: buf[off + 5]! & 0x0f,
    year: 2000 + (buf[off + 6]! & 0x7f),
    invalid: (o2 & 0x80) !== 0,
    summerTime: (o3 & 0x80) !== 0,
  };
}

export function writeCp56(buf: Uint8Array, off: number, t: Cp56Time2a): void {
  checkInt("CP56Time2a.ms", t.ms, 0, 0xffff);
  checkInt("CP56Time2a.minute", t.minute, 0, 63);
  checkInt("CP56Time2a.hour", t.hour, 0, 31);
  checkInt("CP56Time2a.day", t.day, 0, 31);
  checkInt("CP56Time2a.dayOfWeek", t.dayOfWeek, 0, 7);
  checkInt("CP56Time2a.month", t.month, 0, 15);
  checkInt("CP56Time2a.year", t.year, 2000, 2127);
  buf[off] = t.ms & 0xff;
  buf[off + 1] = t.ms >> 8;
  buf[off + 2] = t.minute | (t.invalid ? 0x80 : 0);
  buf[off + 3] = t.hour | (t.summerTime ? 0x80 : 0);
  buf[off + 4] = t.day | (t.dayOfWeek << 5);
  buf[off + 5] = t.month;
  buf[off + 6] = t.year - 2000;
}

export function readCp24(buf: Uint8Array, off: number): Cp24Time2a {
  const o2 = buf[off + 2]!;
  return { ms: buf[off]! | (buf[off + 1]! << 8), minute: o2 & 0x3f, invalid: (o2 & 0x80) !== 0 };
}

export function writeCp24(buf: Uint8Array, off: number, t: Cp24Time2a): void {
  checkInt("CP24Time2a.ms", t.ms, 0, 0xffff);
  checkInt("CP24Time2a.minute", t.minute, 0, 63);
  buf[off] = t.ms & 0xff;
  buf[off + 1] = t.ms >> 8;
  buf[off + 2] = t.minute | (t.invalid ? 0x80 : 0);
}

export function readCp16(buf: Uint8Array, off: number): number {
  return buf[off]! | (buf[off + 1]! << 8);
}

export function writeCp16(buf: Uint8Array, off: number, ms: number, field = "CP16Time2a"): void {
  checkInt(field, ms, 0, 0xffff);
  buf[off] = ms & 0xff;
  buf[off + 1] = ms >> 8;
}

/** True when every field is in its range and the day exists in its month (IV is not looked at). */
export function isCp56Plausible(t: Cp56Time2a): boolean {
  return (
    t.ms <= 59999 &&
    t.minute <= 59 &&
    t.hour <= 23 &&
    t.day >= 1 &&
    t.month >= 1 &&
    t.month <= 12 &&
    t.year <= 2099 &&
    t.day <= new Date(Date.UTC(t.year, t.month, 0)).getUTCDate()
  );
}

/**
 * Converts a CP56Time2a read as UTC (or as local time with `offsetMinutes`, east positive) to epoch
 * milliseconds; NaN when a field is out of range.
 */
export function cp56ToEpochMs(t: Cp56Time2a, offsetMinutes = 0): number {
  if (!isCp56Plausible(t)) return Number.NaN;
  const sec = Math.floor(t.ms / 1000);
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, sec, t.ms % 1000) - offsetMinutes * 60_000;
}

/**
 * The CP56Time2a of an epoch time, in UTC or shifted by `offsetMinutes` (east positive) for masters
 * that expect local time. Day of week is filled (1 = Monday).
 */
export function cp56FromEpochMs(
  epochMs: number,
  opts: { offsetMinutes?: number; invalid?: boolean; summerTime?: boolean } = {},
): Cp56Time2a {
  const d = new Date(epochMs + (opts.offsetMinutes ?? 0) * 60_000);
  const dow = d.getUTCDay();
  return {
    ms: d.getUTCSeconds() * 1000 + d.getUTCMilliseconds(),
    minute: d.getUTCMinutes(),
    hour: d.getUTCHours(),
    day: d.getUTCDate(),
    dayOfWeek: dow === 0 ? 7 : dow,
    month: d.getUTCMonth() + 1,
    year: d.getUTCFullYear(),
    invalid: opts.invalid ?? false,
    summerTime: opts.summerTime ?? false,
  };
}

const MS_PER_DAY = 86_400_000;

/**
 * Writes the CP56Time2a of an epoch time straight into `buf` without allocating (the hot path of
 * spontaneous events). `flags` is OR-ed in: 0x80 invalid (minute octet), 0x100 summer time.
 */
export function writeCp56Epoch(buf: Uint8Array, off: number, epochMs: number, flags = 0): void {
  const msOfDay = ((epochMs % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
  const days = (epochMs - msOfDay) / MS_PER_DAY;
  const msOfMinute = msOfDay % 60_000;
  const minutes = (msOfDay - msOfMinute) / 60_000;
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm, integer only).
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const dow = (((days % 7) + 10) % 7) + 1; // 1970-01-01 was a Thursday (4)
  buf[off] = msOfMinute & 0xff;
  buf[off + 1] = msOfMinute >> 8;
  buf[off + 2] = (minutes % 60) | (flags & 0x80);
  buf[off + 3] = Math.floor(minutes / 60) | (flags & 0x100 ? 0x80 : 0);
  buf[off + 4] = day | (dow << 5);
  buf[off + 5] = month;
  buf[off + 6] = (year - 2000) & 0x7f;
}
