/**
 * Building blocks of the configuration schema: numbers with ranges, durations in seconds, addresses,
 * topics, and helpers for the cross-field checks. Messages are written for the `path: message` lines
 * of `ConfigError` (`must be 0..65535, got 70000`).
 */
import { isIP } from "node:net";
import { z } from "zod";
import { describeValue } from "./errors.js";

/** An integer in min..max. */
export function int(min: number, max: number) {
  return z.number().superRefine((v, ctx) => {
    if (!Number.isInteger(v)) ctx.addIssue({ code: "custom", message: `must be an integer, got ${v}` });
    else if (v < min || v > max)
      ctx.addIssue({ code: "custom", message: `must be ${min}..${max}, got ${v}` });
  });
}

/** A TCP port; 0 lets the system pick a free one (tests). */
export const port = () => int(0, 65535);

/** A duration in seconds in min..max (fractions allowed, so tests can run with short timers). */
export function seconds(min: number, max: number) {
  return z.number().superRefine((v, ctx) => {
    if (v < min || v > max) {
      const hint = min === 0 ? " (0 disables)" : "";
      ctx.addIssue({ code: "custom", message: `must be ${min}..${max} seconds${hint}, got ${v}` });
    }
  });
}

/** Seconds (as configured) to whole milliseconds (as the code uses them). */
export const ms = (s: number): number => Math.round(s * 1000);

export const nonEmpty = () =>
  z.string().superRefine((v, ctx) => {
    if (v.trim() === "") ctx.addIssue({ code: "custom", message: "must not be empty" });
  });

export const ipAddress = () =>
  z.string().superRefine((v, ctx) => {
    if (isIP(v) === 0) {
      ctx.addIssue({ code: "custom", message: `must be an IPv4 or IPv6 address, got ${describeValue(v)}` });
    }
  });

/** Why `t` cannot be an MQTT topic name to publish to or subscribe to exactly, or undefined. */
export function topicProblem(t: string): string | undefined {
  if (t === "") return "must not be empty";
  if (/[+#]/.test(t)) return `must not contain the wildcards + or #, got ${describeValue(t)}`;
  if (t.includes("\u0000")) return "must not contain NUL characters";
  if (t.startsWith("/") || t.endsWith("/")) return `must not start or end with /, got ${describeValue(t)}`;
  if (t.includes("//")) return `must not contain empty levels (//), got ${describeValue(t)}`;
  if (t.startsWith("$")) return `must not start with $ (reserved for the broker), got ${describeValue(t)}`;
  if (Buffer.byteLength(t) > 65535) return "must be at most 65535 bytes long";
  return undefined;
}

export const topic = () =>
  z.string().superRefine((v, ctx) => {
    const problem = topicProblem(v);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  });

/** Runs a cross-field check even when other fields of the object failed (each check guards itself). */
export const always = { when: () => true };

/** The value if it is a plain object (a mapping), else undefined. */
export function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/** `v` parsed by `schema`, or undefined when it is not valid (its own problems are reported elsewhere). */
export function valid<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  v: unknown,
): T | undefined {
  const r = schema.safeParse(v);
  return r.success ? r.data : undefined;
}

/** The value at `path` inside nested plain objects, or undefined. */
export function at(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const key of path) {
    const r = record(cur);
    if (r === undefined || !Object.hasOwn(r, key)) return undefined;
    cur = r[key];
  }
  return cur;
}

/** Reports every later element whose `key(element)` repeats an earlier one (nothing if not a list). */
export function checkUnique<T>(
  items: unknown,
  key: (item: unknown) => T | undefined,
  report: (index: number, firstIndex: number, value: T) => void,
): void {
  if (!Array.isArray(items)) return;
  const seen = new Map<T, number>();
  items.forEach((item, i) => {
    const k = key(item);
    if (k === undefined) return;
    const first = seen.get(k);
    if (first === undefined) seen.set(k, i);
    else report(i, first, k);
  });
}
