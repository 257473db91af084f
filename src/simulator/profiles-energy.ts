/**
 * An energy meter: a monotonic counter that integrates a power point (trapezoid rule over each
 * tick, magnitude of the power, so import and export meters both count up), or counts at a steady
 * rate without one. Restarts at 0 on reaching `wrap`, like a meter register.
 */
import { bool, type Cell, defineProfile, num, str } from "./profile.js";

const HOUR = 3_600_000;

interface Energy {
  acc: number;
  cell: Cell | undefined;
  perMsHour: number;
  rate: number;
  integer: boolean;
  wrap: number;
}

export const energy = defineProfile<Energy>({
  name: "energy",
  doc: "a monotonic counter integrating the power point `source` (or counting at `rate` per hour)",
  derived: true,
  params: {
    source: {
      type: "string",
      default: "",
      doc: "name of the power point to integrate (empty: count at `rate`)",
    },
    scale: {
      type: "number",
      default: 0.001,
      positive: true,
      doc: "counter units per source unit and hour (0.001: W to kWh)",
    },
    rate: { type: "number", default: 100, min: 0, doc: "counter units per hour without a source" },
    initial: { type: "number", default: 0, min: 0, doc: "value at start" },
    integer: { type: "boolean", default: false, doc: "count in whole units (always for integrated totals)" },
    wrap: {
      type: "number",
      default: 999_999_999,
      positive: true,
      doc: "the counter restarts at 0 on reaching this",
    },
  },
  check: (p) => (num(p, "initial") < num(p, "wrap") ? [] : ["initial: must be below wrap"]),
  bounds: (p) => [0, num(p, "wrap")],
  decimals: (p) => (bool(p, "integer") ? 0 : 3),
  init: (p, _rng, ctx) => ({
    acc: num(p, "initial"),
    cell: str(p, "source") === "" ? undefined : ctx.source,
    perMsHour: num(p, "scale") / HOUR,
    rate: num(p, "rate"),
    integer: bool(p, "integer"),
    wrap: num(p, "wrap"),
  }),
  next(s, dtMs) {
    if (dtMs > 0) {
      const c = s.cell;
      const add =
        c === undefined ? (s.rate * dtMs) / HOUR : Math.abs((c.prev + c.value) / 2) * s.perMsHour * dtMs;
      if (Number.isFinite(add)) s.acc += add;
      if (s.acc >= s.wrap) s.acc %= s.wrap;
    }
    return s.integer ? Math.floor(s.acc) : s.acc;
  },
});
