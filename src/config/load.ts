/**
 * Loading the configuration: defaults < file (YAML or JSON) < environment (IEC104GW_...) < command
 * line overrides, validated by the one schema, with every problem reported at once in a ConfigError.
 */
import { statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { ConfigError } from "./errors.js";
import { readConfigFile } from "./file.js";
import {
  type Assignment,
  configFileFromEnv,
  deepMerge,
  envLayer,
  layerObject,
  overrideLayer,
} from "./layers.js";
import { issuesToProblems } from "./problems.js";
import { type GatewayConfig, GatewayConfigSchema } from "./schema.js";

export interface LoadOptions {
  /** The configuration file (.yaml, .yml or .json), relative to `cwd`; default: IEC104GW_CONFIG, else none. */
  file?: string | undefined;
  /** Default: process.env. */
  env?: NodeJS.ProcessEnv | undefined;
  /** Dotted paths to values from command-line flags (`{"iec104.port": "2405"}`); strings are coerced. */
  overrides?: Record<string, unknown> | undefined;
  /** Default: process.cwd(). */
  cwd?: string | undefined;
  /** Check that the TLS files exist (default true). */
  checkFiles?: boolean | undefined;
}

export interface LoadedConfig {
  config: GatewayConfig;
  /** What contributed, in order of precedence: `defaults`, `file /abs/path`, `env NAME`, `cli path`. */
  sources: string[];
}

/** Validates an in-memory configuration object (file syntax, durations in seconds). */
export function parseConfig(raw: unknown): GatewayConfig {
  const r = GatewayConfigSchema.safeParse(raw, { reportInput: true });
  if (!r.success) throw new ConfigError(issuesToProblems(r.error.issues));
  return r.data;
}

/** The configuration when nothing is configured. */
export function defaultConfig(): GatewayConfig {
  return parseConfig({});
}

/** The file paths inside the configuration; relative ones are resolved by loadConfig. */
const FILE_FIELDS = [
  { path: ["datapoints", "file"], mustExist: false },
  { path: ["iec104", "tls", "cert"], mustExist: true },
  { path: ["iec104", "tls", "key"], mustExist: true },
  { path: ["iec104", "tls", "ca"], mustExist: true },
  { path: ["mqtt", "tls", "ca"], mustExist: true },
  { path: ["mqtt", "tls", "cert"], mustExist: true },
  { path: ["mqtt", "tls", "key"], mustExist: true },
  { path: ["mqtt", "embedded", "tls", "cert"], mustExist: true },
  { path: ["mqtt", "embedded", "tls", "key"], mustExist: true },
  { path: ["mqtt", "embedded", "tls", "ca"], mustExist: true },
] as const;

function getString(obj: unknown, path: readonly string[]): string | undefined {
  let cur = obj;
  for (const key of path) {
    if (typeof cur !== "object" || cur === null || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return typeof cur === "string" && cur !== "" ? cur : undefined;
}

function setString(obj: object, path: readonly string[], value: string): void {
  let cur = obj as Record<string, unknown>;
  for (const key of path.slice(0, -1)) cur = cur[key] as Record<string, unknown>;
  cur[path[path.length - 1]!] = value;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Where each configured file path points: relative paths are resolved against the config file's
 * directory when the file set them, else against `cwd` (environment, command line, no file).
 */
function fileResolver(fileDir: string | undefined, cwd: string, layered: readonly Assignment[]) {
  return (path: readonly string[], value: string): string => {
    const fromLayer = layered.some((a) => a.path.every((seg, i) => path[i] === seg));
    const base = fromLayer || fileDir === undefined ? cwd : fileDir;
    return isAbsolute(value) ? value : resolve(base, value);
  };
}

/**
 * Loads and validates the configuration. Throws ConfigError with every problem (file syntax, unknown
 * variables or keys, invalid values, cross-field checks, missing TLS files) at once.
 */
export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = resolve(options.cwd ?? process.cwd());
  const problems: string[] = [];
  const sources = ["defaults"];

  let fileData: Record<string, unknown> = {};
  let fileDir: string | undefined;
  let fileFailed = false;
  const file = options.file ?? configFileFromEnv(env);
  if (file !== undefined && file !== "") {
    const abs = resolve(cwd, file);
    const read = readConfigFile(abs, file);
    if (read.ok) {
      fileData = read.data;
      fileDir = dirname(abs);
      sources.push(`file ${abs}`);
    } else {
      problems.push(...read.problems);
      fileFailed = true;
    }
  }

  const fromEnv = envLayer(env, cwd);
  const fromCli = overrideLayer(options.overrides ?? {});
  problems.push(...fromEnv.problems, ...fromCli.problems);
  const layered = [...fromEnv.assignments, ...fromCli.assignments];
  sources.push(...layered.map((a) => a.source));

  // Without the file's content, the schema would only report consequences of its absence.
  if (fileFailed) throw new ConfigError(problems);

  const merged = deepMerge(
    deepMerge(fileData, layerObject(fromEnv.assignments)),
    layerObject(fromCli.assignments),
  );
  const parsed = GatewayConfigSchema.safeParse(merged, { reportInput: true });
  if (!parsed.success) problems.push(...issuesToProblems(parsed.error.issues));
  const where = fileResolver(fileDir, cwd, layered);
  for (const field of FILE_FIELDS) {
    const value = getString(parsed.success ? parsed.data : merged, field.path);
    if (value === undefined) continue;
    const abs = where(field.path, value);
    if (options.checkFiles !== false && field.mustExist && !isFile(abs)) {
      problems.push(`${field.path.join(".")}: file not found: ${abs}`);
    }
    if (parsed.success) setString(parsed.data, field.path, abs);
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return { config: parsed.data, sources };
}
