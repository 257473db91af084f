/**
 * The environment and command-line layers of the configuration: each variable or override becomes an
 * assignment of a value (coerced to the schema's type) to a canonical path, and the layers are merged
 * over the file's data (defaults < file < env < command line).
 *
 * Environment variables: `IEC104GW_` + path segments separated by `__`, matched to the schema's keys
 * ignoring case, `_` and `-` (`IEC104GW_IEC104__MAX_CONNECTIONS=4`). A name ending in `_FILE` takes
 * the value from that file, trailing newlines removed (Docker secrets). `IEC104GW_CONFIG` names the
 * configuration file.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { coerce, resolvePath } from "./introspect.js";

export const ENV_PREFIX = "IEC104GW_";
/** The variable that names the configuration file (not a setting). */
export const ENV_CONFIG_FILE = `${ENV_PREFIX}CONFIG`;

export interface Assignment {
  path: string[];
  value: unknown;
  /** `env IEC104GW_IEC104__PORT` or `cli iec104.port`, for `sources`. */
  source: string;
}

export interface Layer {
  assignments: Assignment[];
  problems: string[];
}

/** The value of IEC104GW_CONFIG (the prefix and name matched ignoring case, like the settings). */
export function configFileFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const name = Object.keys(env).find((n) => n.toUpperCase() === ENV_CONFIG_FILE && env[n] !== undefined);
  return name === undefined ? undefined : env[name];
}

function readSecret(file: string, cwd: string): { ok: true; value: string } | { ok: false; message: string } {
  const abs = resolve(cwd, file);
  try {
    return { ok: true, value: readFileSync(abs, "utf8").replace(/[\r\n]+$/, "") };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      ok: false,
      message: `cannot read ${abs}: ${code === "ENOENT" ? "file not found" : (e as Error).message}`,
    };
  }
}

/** The settings in the environment (variables under IEC104GW_, except IEC104GW_CONFIG). */
export function envLayer(env: NodeJS.ProcessEnv, cwd: string): Layer {
  const assignments: Assignment[] = [];
  const problems: string[] = [];
  const setBy = new Map<string, string>();
  const names = Object.keys(env)
    .filter((n) => n.toUpperCase().startsWith(ENV_PREFIX) && env[n] !== undefined)
    .sort();
  for (const name of names) {
    const rest = name.slice(ENV_PREFIX.length);
    if (rest.toUpperCase() === "CONFIG") continue;
    const segments = rest.split("__");
    if (segments.some((s) => s === "")) {
      problems.push(
        `${name}: unknown variable: separate the path segments with __, as in IEC104GW_IEC104__PORT`,
      );
      continue;
    }
    let resolved = resolvePath(segments);
    let fromFile = false;
    const last = segments[segments.length - 1]!;
    if (!resolved.ok && /.._FILE$/i.test(last)) {
      const direct = resolvePath([...segments.slice(0, -1), last.slice(0, -"_FILE".length)]);
      if (direct.ok) {
        resolved = direct;
        fromFile = true;
      }
    }
    if (!resolved.ok) {
      problems.push(`${name}: unknown variable: ${resolved.message}`);
      continue;
    }
    const dotted = resolved.path.join(".");
    const other = setBy.get(dotted);
    if (other !== undefined) {
      problems.push(`${name}: sets ${dotted}, as ${other} does; set only one of them`);
      continue;
    }
    setBy.set(dotted, name);
    let raw = env[name]!;
    if (fromFile) {
      const secret = readSecret(raw, cwd);
      if (!secret.ok) {
        problems.push(`${name}: ${secret.message}`);
        continue;
      }
      raw = secret.value;
    }
    const value = coerce(resolved.schema, raw);
    if (!value.ok) problems.push(`${name}: ${value.message}`);
    else assignments.push({ path: resolved.path, value: value.value, source: `env ${name}` });
  }
  return { assignments, problems };
}

/** The command-line overrides (`{"iec104.port": "2405"}`); strings are coerced like env values. */
export function overrideLayer(overrides: Record<string, unknown>): Layer {
  const assignments: Assignment[] = [];
  const problems: string[] = [];
  for (const [key, raw] of Object.entries(overrides)) {
    if (raw === undefined) continue;
    const where = `${/^\S+$/.test(key) ? key : JSON.stringify(key)} (command line)`;
    const resolved = resolvePath(key.split("."));
    if (!resolved.ok) {
      problems.push(`${where}: unknown setting: ${resolved.message}`);
      continue;
    }
    const value = typeof raw === "string" ? coerce(resolved.schema, raw) : { ok: true as const, value: raw };
    if (!value.ok) problems.push(`${where}: ${value.message}`);
    else
      assignments.push({ path: resolved.path, value: value.value, source: `cli ${resolved.path.join(".")}` });
  }
  return { assignments, problems };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Own-property assignment that treats `__proto__` as an ordinary key. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `over` merged into a copy of `base`: objects recursively, everything else replaced. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base)) put(out, k, v);
  for (const [k, v] of Object.entries(over)) put(out, k, Object.hasOwn(out, k) ? deepMerge(out[k], v) : v);
  return out;
}

/** The assignments as one nested object (later ones win). */
export function layerObject(assignments: readonly Assignment[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const { path, value } of assignments) {
    let cur = root;
    path.forEach((key, i) => {
      if (i === path.length - 1) {
        put(cur, key, Object.hasOwn(cur, key) ? deepMerge(cur[key], value) : value);
        return;
      }
      const next = Object.hasOwn(cur, key) ? cur[key] : undefined;
      if (!isPlainObject(next)) put(cur, key, {});
      cur = cur[key] as Record<string, unknown>;
    });
  }
  return root;
}
