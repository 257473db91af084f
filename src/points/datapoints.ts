/**
 * Datapoints.json -> PointCatalog. The file maps point names to points in the original Python
 * simulator's format (IOAddress, High/Middle/LowByte, "Type IEC", "Unit / Einheit"), which loads
 * unchanged, plus optional extension fields (docs/datapoints.md). Every problem is collected and
 * thrown at once as a DatapointsError of `path: message` lines, the path naming the point and field
 * (`"Netzfrequenz"."Type IEC": 99 is not a supported type`).
 */
import { readFile } from "node:fs/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { addressKey } from "../iec104/asdu/asdu.js";
import type { MonitorTypeId } from "../iec104/asdu/scalar.js";
import { TypeId } from "../iec104/asdu/types.js";
import { countKeys, positionOf, scanJson } from "./json-text.js";
import type { CatalogPoint, MonitorPoint, PointCatalog, SimulationSpec } from "./model.js";
import {
  COMMAND_FIELDS,
  fmt,
  MAX_IOA,
  MONITOR_FIELDS,
  type PointFields,
  parsePoint,
  type SimulateInput,
} from "./schema.js";
import {
  canReflect,
  isAnalogType,
  isCounterType,
  isProtectionEventType,
  type ResolvedType,
  reflectHint,
  resolveType,
  typeLabel,
  untimed,
  valueRange,
} from "./type-ids.js";

export interface DatapointsOptions {
  /** Where the text came from (a file path), for messages. */
  source: string;
  /** The common address of points without `ca`. */
  defaultCa: number;
  /** The first IOA given to points without an address (per station, skipping addresses in use). */
  startAddress: number;
}

export interface DatapointsIssue {
  /** `"<point name>"."<field>"...`, or the source (with line:column for JSON syntax errors). */
  path: string;
  message: string;
  /** The point's name, when the problem belongs to one. */
  point: string | undefined;
}

export class DatapointsError extends Error {
  readonly source: string;
  readonly issues: readonly DatapointsIssue[];

  constructor(source: string, issues: readonly DatapointsIssue[]) {
    const n = issues.length;
    super(
      `${source}: ${n} problem${n === 1 ? "" : "s"}:\n${issues.map((i) => `${i.path}: ${i.message}`).join("\n")}`,
    );
    this.name = "DatapointsError";
    this.source = source;
    this.issues = issues;
  }
}

/** One point on its way into the catalog. */
interface Draft {
  order: number;
  name: string;
  raw: Record<string, unknown>;
  fields: Partial<PointFields>;
  type: ResolvedType | undefined;
  ca: number;
  /** Given (IOAddress or the three bytes) or assigned; undefined while unknown. */
  ioa: number | undefined;
  /** False when the address fields are broken: no assignment, no duplicate check. */
  addressOk: boolean;
  statusIoa: number | undefined;
}

/** Gathers the problems; they are reported by point (file order), then by field (order in the point). */
class Collector {
  private readonly list: { issue: DatapointsIssue; order: number; field: string | undefined }[] = [];
  /** The fields of the point at `order`, in file order, to sort its problems by (read only then). */
  fieldsOf: (order: number) => string[] | undefined = () => undefined;

  add(order: number, point: string | undefined, path: readonly (string | number)[], message: string): void {
    const head = point === undefined ? "" : JSON.stringify(point);
    const tail = path.map((k) => (typeof k === "number" ? `[${k}]` : `.${JSON.stringify(k)}`)).join("");
    const field = typeof path[0] === "string" ? path[0] : undefined;
    this.list.push({ issue: { path: head + tail, message, point }, order, field });
  }

  /** A problem of the file as a whole (path: the source, optionally with line:column). */
  addFile(path: string, message: string): void {
    this.list.push({ issue: { path, message, point: undefined }, order: -1, field: undefined });
  }

  throwIfAny(source: string): void {
    if (this.list.length === 0) return;
    const rank = (order: number, field: string | undefined): number =>
      field === undefined ? -1 : (this.fieldsOf(order)?.indexOf(field) ?? -1);
    const sorted = this.list
      .map((e, i) => ({ ...e, i, rank: rank(e.order, e.field) }))
      .sort((a, b) => a.order - b.order || a.rank - b.rank || a.i - b.i)
      .map((e) => e.issue);
    throw new DatapointsError(source, sorted);
  }
}

/** Parses and validates a Datapoints.json text. Throws DatapointsError listing every problem. */
export function loadDatapoints(text: string, opts: DatapointsOptions): { catalog: PointCatalog } {
  const issues = new Collector();
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const root = parseJson(body, opts.source, issues);
  issues.throwIfAny(opts.source);
  if (root === null || typeof root !== "object" || Array.isArray(root)) {
    issues.addFile(
      opts.source,
      `must be a JSON object mapping point names to points ({"Grid frequency": {"Type IEC": 36, ...}}), not ${fmt(root)}`,
    );
    issues.throwIfAny(opts.source);
  }
  const file = root as Record<string, unknown>;
  // The names in file order (a key list, not 100,000 [name, value] pairs).
  const pointNames = Object.keys(file);
  issues.fieldsOf = (order) => {
    const name = pointNames[order];
    const raw = name === undefined ? undefined : file[name];
    return raw !== null && typeof raw === "object" ? Object.keys(raw) : undefined;
  };
  const duplicates = hasRepeatedKeys(body, file, pointNames.length) ? scanJson(body).duplicates : [];
  const orderOf = duplicates.length === 0 ? undefined : new Map(pointNames.map((name, i) => [name, i]));
  for (const d of duplicates) {
    if (d.path.length === 0) {
      issues.add(
        orderOf?.get(d.key) ?? -1,
        d.key,
        [],
        `defined twice (lines ${d.firstLine} and ${d.line}); JSON keeps only the last: rename one`,
      );
    } else {
      const name = d.path[0]!;
      const lines = d.firstLine === d.line ? `line ${d.line}` : `lines ${d.firstLine} and ${d.line}`;
      issues.add(orderOf?.get(name) ?? -1, name, [d.key], `given twice (${lines}); JSON keeps only the last`);
    }
  }

  const drafts: Draft[] = [];
  pointNames.forEach((name, order) => {
    const raw = file[name];
    const draft = checkPoint(name, raw, order, opts.defaultCa, issues);
    if (draft !== undefined) drafts.push(draft);
  });
  assignAddresses(drafts, opts.startAddress, issues);
  checkDuplicates(drafts, issues);
  // Indexes for status links and simulation sources, built the first time a point needs one.
  let names: Map<string, Draft> | undefined;
  const byName = (): ReadonlyMap<string, Draft> => {
    names ??= new Map(drafts.map((d) => [d.name, d]));
    return names;
  };
  let monitors: Map<number, Draft> | undefined;
  const monitorAt = (): ReadonlyMap<number, Draft> => {
    if (monitors === undefined) {
      monitors = new Map();
      for (const d of drafts) {
        if (d.type?.kind !== "monitor" || d.ioa === undefined) continue;
        const key = addressKey(d.ca, d.ioa);
        if (!monitors.has(key)) monitors.set(key, d);
      }
    }
    return monitors;
  };
  for (const d of drafts) {
    if (d.type?.kind === "command") linkStatus(d, d.type.typeId, monitorAt, byName, issues);
    checkSimulationSource(d, byName, issues);
  }
  issues.throwIfAny(opts.source);

  const points: CatalogPoint[] = drafts.map((d) => toCatalogPoint(d));
  return { catalog: { points, source: opts.source } };
}

/** Whether the text holds more keys (top level and points) than the parsed objects: a repeated one. */
function hasRepeatedKeys(text: string, points: Record<string, unknown>, count: number): boolean {
  const counted = countKeys(text);
  if (counted.top !== count) return true;
  let fields = 0;
  for (const name in points) {
    const raw = points[name];
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) continue;
    for (const _ in raw) fields++;
  }
  return counted.fields !== fields;
}

/** Reads and loads a Datapoints.json file; a file that cannot be read is a DatapointsError too. */
export async function loadDatapointsFile(
  path: string,
  opts: Omit<DatapointsOptions, "source"> & { source?: string },
): Promise<{ catalog: PointCatalog }> {
  const source = opts.source ?? path;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === "ENOENT" ? "the file does not exist" : `cannot be read (${err.code ?? err.message})`;
    throw new DatapointsError(source, [{ path: source, message: why, point: undefined }]);
  }
  const loaded = loadDatapoints(text, { ...opts, source });
  if (loaded.catalog.points.length >= LARGE_CATALOG) collectGarbage();
  return loaded;
}

/** Points from which the loader's garbage is worth a full collection before start-up goes on. */
const LARGE_CATALOG = 10_000;

let fullGc: (() => void) | undefined;

/**
 * One full garbage collection. Loading a large file leaves its text, the parsed tree and the drafts
 * as garbage (hundreds of bytes a point) that V8 would otherwise carry into start-up, growing the
 * heap further before a major collection; collected now, start-up reuses that space instead. V8's
 * `gc` is exposed for this in a context of its own, leaving the gateway's globals untouched.
 */
function collectGarbage(): void {
  if (fullGc === undefined) {
    setFlagsFromString("--expose-gc");
    fullGc = runInNewContext("gc") as () => void;
  }
  fullGc();
}

function parseJson(text: string, source: string, issues: Collector): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const scan = scanJson(text);
    if (scan.error !== undefined) {
      const { line, column } = positionOf(text, scan.error.offset);
      issues.addFile(`${source}:${line}:${column}`, `invalid JSON: ${scan.error.message}`);
    } else {
      const msg = (e as Error).message.replace(/ in JSON at position \d+.*$/, "");
      issues.addFile(source, `invalid JSON: ${msg}`);
    }
    return undefined;
  }
}

/** The checks of one point on its own (address, type, fields that depend on the type). */
function checkPoint(
  name: string,
  raw: unknown,
  order: number,
  defaultCa: number,
  issues: Collector,
): Draft | undefined {
  const add = (path: readonly (string | number)[], message: string): void =>
    issues.add(order, name, path, message);
  if (name.trim().length === 0) add([], "a point needs a name (the key must not be empty)");
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    add([], `must be an object of fields ({"Type IEC": 36, "Unit / Einheit": "Hz", ...}), not ${fmt(raw)}`);
    return undefined;
  }
  const obj = raw as Record<string, unknown>;
  const parsed = parsePoint(obj);
  for (const i of parsed.issues) add(i.path, i.message);
  const { fields, broken } = parsed;

  let type: ResolvedType | undefined;
  const given = fields["Type IEC"];
  if (given !== undefined) {
    const r = resolveType(given);
    if (typeof r === "string") add(["Type IEC"], r);
    else type = r;
  } else if (!broken.has("Type IEC")) {
    add(["Type IEC"], `is required: the IEC type id (e.g. 36) or its mnemonic (e.g. "M_ME_TF_1")`);
  }

  const draft: Draft = {
    order,
    name,
    raw: obj,
    fields,
    type,
    ca: fields.ca ?? defaultCa,
    ioa: undefined,
    addressOk: !broken.has("ca"),
    statusIoa: undefined,
  };
  checkAddress(draft, broken, add);
  if (type?.kind === "monitor") checkMonitor(draft, type.typeId, add);
  else if (type?.kind === "command") checkCommand(draft, type.typeId, add);
  return draft;
}

type Add = (path: readonly (string | number)[], message: string) => void;

const BYTES = [
  ["HighByte", 16, "high"],
  ["MiddleByte", 8, "middle"],
  ["LowByte", 0, "low"],
] as const;

/** IOAddress and the three bytes: they must agree; the bytes alone give the IOA. */
function checkAddress(d: Draft, broken: Set<string>, add: Add): void {
  const f = d.fields;
  if (broken.has("IOAddress") || BYTES.some(([b]) => broken.has(b))) {
    d.addressOk = false;
    return;
  }
  if (f.IOAddress !== undefined) {
    const ioa = f.IOAddress;
    for (const [b, shift, word] of BYTES) {
      const v = f[b];
      const expected = (ioa >> shift) & 0xff;
      if (v !== undefined && v !== expected) {
        add([b], `${v} does not match IOAddress ${ioa} (its ${word} byte is ${expected})`);
      }
    }
    d.ioa = ioa;
    return;
  }
  const missing = BYTES.filter(([b]) => f[b] === undefined).map(([b]) => b);
  if (missing.length === 0) {
    d.ioa = (f.HighByte! << 16) | (f.MiddleByte! << 8) | f.LowByte!;
  } else if (missing.length < 3) {
    add(
      [],
      `IOAddress is missing and so is ${missing.join(", ")}: give IOAddress or all of HighByte, MiddleByte and LowByte`,
    );
    d.addressOk = false;
  }
}

const COMMAND_TYPES = "command points (types 45..51, 58..64)";

function checkMonitor(d: Draft, t: MonitorTypeId, add: Add): void {
  const f = d.fields;
  const has = (k: string): boolean => Object.hasOwn(d.raw, k);
  const self = `this point is ${typeLabel(t)}`;
  for (const k of COMMAND_FIELDS) if (has(k)) add([k], `only for ${COMMAND_TYPES}; ${self}`);
  if (has("groups")) {
    if (isCounterType(t)) {
      add(
        ["groups"],
        `integrated totals are not in station or group interrogation: use "counterGroup" (1..4) for counter interrogation`,
      );
    } else if (isProtectionEventType(t)) {
      add(["groups"], `protection events are not interrogated (they are only sent spontaneously); ${self}`);
    }
  }
  if (has("counterGroup") && !isCounterType(t)) {
    add(["counterGroup"], `only for integrated totals (15 M_IT_NA_1, 37 M_IT_TB_1); ${self}`);
  }
  if (has("deadband") && !isAnalogType(t)) {
    add(["deadband"], `only for measured values (9, 11, 13, 21, 34, 35, 36); ${self}`);
  }
  // IEC 101 COT table: periodic (1) only for measured values; background scan (2) not for
  // integrated totals or protection events. The outstation would skip them anyway.
  if (has("cyclicMs") && f.cyclicMs !== 0 && !isAnalogType(t)) {
    add(
      ["cyclicMs"],
      `periodic transmission (COT 1) is only for measured values (9, 11, 13, 21, 34, 35, 36); ${self}`,
    );
  }
  if (has("backgroundMs") && f.backgroundMs !== 0 && (isCounterType(t) || isProtectionEventType(t))) {
    add(
      ["backgroundMs"],
      `background scan (COT 2) is not for integrated totals or protection events; ${self}`,
    );
  }
  if (has("field") && !has("topic")) {
    add(["field"], `needs "topic": the field is read from that topic's JSON payload`);
  }
  const init = f.initial;
  if (init !== undefined) {
    const [min, max, integer] = valueRange(t);
    const path = init.object ? ["initial", "value"] : ["initial"];
    if (init.boolean && untimed(t) === TypeId.M_DP_NA_1) init.value = init.value === 1 ? 2 : 1;
    if (integer && !Number.isInteger(init.value)) {
      add(path, `${init.value} is not an integer: ${typeLabel(t)} holds whole numbers ${min}..${max}`);
    } else if (init.value < min || init.value > max) {
      add(path, `${init.value} is out of range ${min}..${max} for ${typeLabel(t)}`);
    }
  }
}

function checkCommand(d: Draft, base: number, add: Add): void {
  const has = (k: string): boolean => Object.hasOwn(d.raw, k);
  for (const k of MONITOR_FIELDS) {
    if (has(k)) add([k], `only for monitoring points; this point is the command ${typeLabel(base)}`);
  }
  if (has("status") && has("statusIoa")) add(["statusIoa"], `give either "status" or "statusIoa", not both`);
  if (base === TypeId.C_BO_NA_1 && d.raw.select === "select") {
    add(
      ["select"],
      `${typeLabel(base)} has no select bit, so select-before-operate can never complete: use "direct"`,
    );
  }
}

/** Points without an address get the next free IOA of their station from `start`, in file order. */
function assignAddresses(drafts: Draft[], start: number, issues: Collector): void {
  if (!drafts.some((d) => d.addressOk && d.ioa === undefined)) return;
  const taken = new Map<number, Set<number>>();
  const takenIn = (ca: number): Set<number> => {
    const s = taken.get(ca) ?? new Set<number>();
    taken.set(ca, s);
    return s;
  };
  for (const d of drafts) if (d.addressOk && d.ioa !== undefined) takenIn(d.ca).add(d.ioa);
  const next = new Map<number, number>();
  for (const d of drafts) {
    if (!d.addressOk || d.ioa !== undefined) continue;
    const used = takenIn(d.ca);
    let ioa = next.get(d.ca) ?? start;
    while (used.has(ioa)) ioa++;
    if (ioa > MAX_IOA) {
      issues.add(d.order, d.name, [], `no free IOA left from ${start} up in station ${d.ca}: give IOAddress`);
      d.addressOk = false;
      continue;
    }
    d.ioa = ioa;
    used.add(ioa);
    next.set(d.ca, ioa + 1);
  }
}

/** Two monitoring points (or two commands) of one station may not share an IOA. */
function checkDuplicates(drafts: Draft[], issues: Collector): void {
  const seen = new Map<number, Draft>();
  for (const d of drafts) {
    if (!d.addressOk || d.ioa === undefined || d.type === undefined) continue;
    const key = addressKey(d.ca, d.ioa) * 2 + (d.type.kind === "monitor" ? 0 : 1);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, d);
      continue;
    }
    const what = d.type.kind === "monitor" ? "monitoring points" : "commands";
    issues.add(
      d.order,
      d.name,
      Object.hasOwn(d.raw, "IOAddress") ? ["IOAddress"] : [],
      `IOA ${d.ioa} in station ${d.ca} is already used by ${JSON.stringify(first.name)} (two ${what} cannot share an address)`,
    );
  }
}

/** Resolves `status` (a name) or `statusIoa` to a monitoring point of the command's station that can reflect it. */
function linkStatus(
  d: Draft,
  base: number,
  monitorAt: () => ReadonlyMap<number, Draft>,
  byName: () => ReadonlyMap<string, Draft>,
  issues: Collector,
): void {
  const add: Add = (path, message) => issues.add(d.order, d.name, path, message);
  const cmd = typeLabel(base);
  const { status, statusIoa } = d.fields;
  if (status !== undefined) {
    const target = byName().get(status);
    if (target === undefined) {
      add(["status"], `${JSON.stringify(status)} is not a point in this file`);
      return;
    }
    if (target.type === undefined) return;
    if (target.type.kind !== "monitor") {
      add(
        ["status"],
        `${JSON.stringify(status)} is the command ${typeLabel(target.type.typeId)}, not a monitoring point`,
      );
      return;
    }
    if (target.addressOk && d.addressOk && target.ca !== d.ca) {
      add(
        ["status"],
        `${JSON.stringify(status)} is in station ${target.ca}, not in this command's station ${d.ca}`,
      );
      return;
    }
    if (!canReflect(base, target.type.typeId)) {
      add(
        ["status"],
        `${JSON.stringify(status)} is ${typeLabel(target.type.typeId)}, which cannot reflect ${cmd}: link ${reflectHint(base)}`,
      );
      return;
    }
    d.statusIoa = target.ioa;
  } else if (statusIoa !== undefined && d.addressOk) {
    const target = monitorAt().get(addressKey(d.ca, statusIoa));
    if (target === undefined || target.type?.kind !== "monitor") {
      add(["statusIoa"], `${statusIoa} is not a monitoring point of station ${d.ca}`);
      return;
    }
    if (!canReflect(base, target.type.typeId)) {
      add(
        ["statusIoa"],
        `${statusIoa} (${JSON.stringify(target.name)}) is ${typeLabel(target.type.typeId)}, which cannot reflect ${cmd}: link ${reflectHint(base)}`,
      );
      return;
    }
    d.statusIoa = statusIoa;
  }
}

/** A simulation parameter `source` names the point it derives from (e.g. the power an energy counter integrates). */
function checkSimulationSource(d: Draft, byName: () => ReadonlyMap<string, Draft>, issues: Collector): void {
  const sim = d.fields.simulate;
  if (sim === undefined || typeof sim !== "object" || typeof sim.source !== "string") return;
  const target = byName().get(sim.source);
  const path = ["simulate", "source"];
  if (target === undefined) {
    issues.add(d.order, d.name, path, `${JSON.stringify(sim.source)} is not a point in this file`);
  } else if (target.type?.kind === "command") {
    issues.add(
      d.order,
      d.name,
      path,
      `${JSON.stringify(sim.source)} is a command point, not a monitoring point`,
    );
  } else if (target === d) {
    issues.add(d.order, d.name, path, "a point cannot be its own source");
  }
}

function simulation(s: SimulateInput | undefined): SimulationSpec | false | undefined {
  if (s === undefined || s === true) return undefined;
  if (s === false) return false;
  if (typeof s === "string") return { profile: s, params: {} };
  const { profile, ...params } = s;
  return { profile, params };
}

/** Object literals with every field in one place (no spreads): 100k points must load fast and small. */
function toCatalogPoint(d: Draft): CatalogPoint {
  const f = d.fields;
  const type = d.type!;
  const unit = f["Unit / Einheit"] ?? "";
  if (type.kind === "command") {
    return {
      name: d.name,
      ca: d.ca,
      ioa: d.ioa!,
      unit,
      kind: "command",
      typeId: type.typeId,
      mode: f.commandMode,
      select: f.select ?? "both",
      statusIoa: d.statusIoa,
      actTerm: f.actTerm ?? true,
    };
  }
  return {
    name: d.name,
    ca: d.ca,
    ioa: d.ioa!,
    unit,
    kind: "monitor",
    typeId: type.typeId,
    groups: f.groups === undefined ? NO_GROUPS : [...new Set(f.groups)].sort((a, b) => a - b),
    counterGroup: f.counterGroup,
    deadband: f.deadband ?? 0,
    cyclicMs: f.cyclicMs ?? 0,
    backgroundMs: f.backgroundMs ?? 0,
    spontaneous: f.spontaneous,
    source: f.topic === undefined && f.field === undefined ? NO_SOURCE : { topic: f.topic, field: f.field },
    staleAfterMs: f.staleAfterMs,
    simulate: f.simulate === undefined ? undefined : simulation(f.simulate),
    initial: f.initial === undefined ? undefined : { value: f.initial.value, quality: f.initial.quality },
  };
}

/** The groups of every point in none (shared: nothing writes to it). */
const NO_GROUPS: number[] = Object.freeze([]) as unknown as number[];

/** The source of every point that reads its own topic (shared: nothing writes to it). */
const NO_SOURCE: MonitorPoint["source"] = Object.freeze({ topic: undefined, field: undefined });
