/**
 * Reading a configuration file: YAML (`.yaml`, `.yml`) or JSON (`.json`), chosen by the extension.
 * Syntax errors come back as `file:line:column: message` problems; an empty value in a mapping
 * (`tls:` or `null`) means "not set", so a section whose options are all commented out is fine.
 */
import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import { parseDocument } from "yaml";
import { describeValue } from "./errors.js";

export type FileResult = { ok: true; data: Record<string, unknown> } | { ok: false; problems: string[] };

/** 1-based line and column of a character offset. */
function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, col: offset - (before.lastIndexOf("\n") + 1) + 1 };
}

/** Whether parsing `prefix` fails inside it (not merely because the text ends early). */
function failsInside(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (e) {
    const message = (e as Error).message;
    const at = /at position (\d+)/.exec(message);
    if (at !== null) return Number(at[1]) < prefix.length;
    return !message.startsWith("Unexpected end of JSON input");
  }
}

/** The offset of the character that makes JSON.parse fail (V8 does not always say). */
function jsonErrorOffset(text: string, message: string): number {
  const at = /at position (\d+)/.exec(message);
  if (at !== null) return Number(at[1]);
  if (message.startsWith("Unexpected end of JSON input")) return text.length;
  let lo = 1;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (failsInside(text.slice(0, mid))) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

function parseJsonText(
  text: string,
  name: string,
): { ok: true; value: unknown } | { ok: false; problem: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const message = (e as Error).message;
    const { line, col } = lineCol(text, jsonErrorOffset(text, message));
    const short = message.split(/, (\.\.\.)?"/)[0]!.replace(/ in JSON at position \d+.*$/s, "");
    return { ok: false, problem: `${name}:${line}:${col}: invalid JSON: ${short}` };
  }
}

function parseYamlText(
  text: string,
  name: string,
): { ok: true; value: unknown } | { ok: false; problems: string[] } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((err) => {
        const pos = err.linePos?.[0];
        const where = pos === undefined ? name : `${name}:${pos.line}:${pos.col}`;
        return `${where}: invalid YAML: ${err.message.split(/ at line \d+, column \d+/)[0]}`;
      }),
    };
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) };
  } catch (e) {
    return { ok: false, problems: [`${name}: invalid YAML: ${(e as Error).message}`] };
  }
}

/** Removes mapping entries whose value is null (an empty YAML value means "use the default"). */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (typeof v !== "object" || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v)) {
    if (value === null) continue;
    Object.defineProperty(out, key, {
      value: dropNulls(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** The configuration in `text` (named `name` in messages), parsed as YAML or JSON by `format`. */
export function parseConfigText(text: string, name: string, format: "yaml" | "json"): FileResult {
  let value: unknown;
  if (format === "json") {
    const r = parseJsonText(text, name);
    if (!r.ok) return { ok: false, problems: [r.problem] };
    value = r.value;
  } else {
    const r = parseYamlText(text, name);
    if (!r.ok) return r;
    value = r.value;
  }
  if (value === null || value === undefined) return { ok: true, data: {} };
  if (typeof value !== "object" || Array.isArray(value)) {
    return {
      ok: false,
      problems: [
        `${name}: must be a mapping of sections (gateway, iec104, mqtt...), got ${describeValue(value)}`,
      ],
    };
  }
  return { ok: true, data: dropNulls(value) as Record<string, unknown> };
}

export function formatOf(file: string): "yaml" | "json" | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === ".yaml" || ext === ".yml") return "yaml";
  if (ext === ".json") return "json";
  return undefined;
}

/** Reads and parses the configuration file at the absolute path `file` (`name` in messages). */
export function readConfigFile(file: string, name: string = basename(file)): FileResult {
  const format = formatOf(file);
  if (format === undefined) {
    return { ok: false, problems: [`${name}: unknown file type; use .yaml, .yml or .json`] };
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "file not found" : code === "EISDIR" ? "is a directory" : (e as Error).message;
    return { ok: false, problems: [`${name}: cannot read the configuration: ${why}`] };
  }
  return parseConfigText(text.replace(/^\uFEFF/, ""), name, format);
}
