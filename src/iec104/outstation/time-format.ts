/**
 * How the outstation writes its CP56Time2a time tags: in UTC (the default, as lib60870 does) or in
 * the gateway's local time with the SU flag set during daylight-saving time, for masters configured
 * for local time. The clock-sync offset is applied before this, by whoever stamps the time.
 */
import { writeCp56Epoch } from "../codec/time.js";

export type TimeZoneMode = "utc" | "local";

export interface TimeFormat {
  /** Writes the CP56Time2a of epoch `ms` at buf[off]; `invalid` sets the IV flag. */
  write(buf: Buffer, off: number, ms: number, invalid?: boolean): void;
}

export function timeFormat(mode: TimeZoneMode): TimeFormat {
  if (mode === "utc") {
    return { write: (buf, off, ms, invalid) => writeCp56Epoch(buf, off, ms, invalid ? 0x80 : 0) };
  }
  return {
    write(buf, off, ms, invalid) {
      const offsetMin = -new Date(ms).getTimezoneOffset();
      const year = new Date(ms).getFullYear();
      const standard = -Math.max(
        new Date(year, 0, 1).getTimezoneOffset(),
        new Date(year, 6, 1).getTimezoneOffset(),
      );
      const summer = offsetMin > standard ? 0x100 : 0;
      writeCp56Epoch(buf, off, ms + offsetMin * 60_000, (invalid ? 0x80 : 0) | summer);
    },
  };
}
