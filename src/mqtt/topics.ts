/**
 * The topic scheme (ARCHITECTURE.md section 5), under a configurable base topic (default `iec104`):
 *
 *   <base>/point/<ca>/<ioa>                 values in (simulators, publishers), retained
 *   <base>/batch                            many values in one message
 *   <base>/state/<ca>/<ioa>                 what the outstation holds, retained, by the gateway
 *   <base>/command/<ca>/<ioa>               every master command, QoS 1, never retained
 *   <base>/command/<ca>/<ioa>/result        the executor's answer
 *   <base>/bridge/state                     online/offline (also the gateway's will), retained
 *   <base>/bridge/info | masters            gateway facts, retained
 *   <base>/bridge/event                     interrogations, clock syncs, rejections, errors
 *   <base>/bridge/request/<op>  ->  <base>/bridge/response/<op>
 */

/** The state topics a subscription filter matches: `ca` / `ioa` undefined for any. */
export interface StateFilter {
  ca: number | undefined;
  ioa: number | undefined;
}

export class Topics {
  readonly base: string;
  readonly pointPrefix: string;
  readonly statePrefix: string;
  /** The levels of `<base>/state`. */
  private readonly stateLevels: readonly string[];
  readonly batch: string;
  readonly bridgeState: string;
  readonly bridgeInfo: string;
  readonly bridgeMasters: string;
  readonly bridgeEvent: string;
  readonly requestPrefix: string;
  readonly commandPrefix: string;

  constructor(base: string) {
    this.base = base;
    this.pointPrefix = `${base}/point/`;
    this.statePrefix = `${base}/state/`;
    this.stateLevels = [...base.split("/"), "state"];
    this.batch = `${base}/batch`;
    this.bridgeState = `${base}/bridge/state`;
    this.bridgeInfo = `${base}/bridge/info`;
    this.bridgeMasters = `${base}/bridge/masters`;
    this.bridgeEvent = `${base}/bridge/event`;
    this.requestPrefix = `${base}/bridge/request/`;
    this.commandPrefix = `${base}/command/`;
  }

  point(ca: number, ioa: number): string {
    return `${this.pointPrefix}${ca}/${ioa}`;
  }

  state(ca: number, ioa: number): string {
    return `${this.statePrefix}${ca}/${ioa}`;
  }

  /** `[ca, ioa]` of `<base>/state/<ca>/<ioa>`, or undefined. */
  parseState(topic: string): [number, number] | undefined {
    return parseAddress(topic, this.statePrefix, "");
  }

  /**
   * Which `<base>/state/<ca>/<ioa>` topics an MQTT subscription filter matches (MQTT 3.1.1 4.7):
   * all, those of one CA or one IOA, one, or none (undefined).
   */
  stateFilter(filter: string): StateFilter | undefined {
    const f = filter.split("/");
    const prefix = this.stateLevels;
    for (let i = 0; i < prefix.length; i++) {
      const level = f[i];
      const wildcard = level === "+" || level === "#";
      // A filter starting with a wildcard does not match topics starting with '$' (4.7.2).
      if (wildcard && i === 0 && prefix[0]!.startsWith("$")) return undefined;
      if (level === "#") return { ca: undefined, ioa: undefined };
      if (!wildcard && level !== prefix[i]) return undefined;
    }
    const ca = addressLevel(f[prefix.length], 0xffff);
    if (ca === undefined) return undefined;
    if (ca === "#") return { ca: undefined, ioa: undefined };
    const ioa = addressLevel(f[prefix.length + 1], 0xffffff);
    if (ioa === undefined) return undefined;
    const filterCa = ca === "+" ? undefined : ca;
    if (ioa === "#") return { ca: filterCa, ioa: undefined };
    // '#' after the last level also matches the level above it (4.7.1.2).
    const rest = f.length - prefix.length - 2;
    if (rest > 1 || (rest === 1 && f[f.length - 1] !== "#")) return undefined;
    return { ca: filterCa, ioa: ioa === "+" ? undefined : ioa };
  }

  command(ca: number, ioa: number): string {
    return `${this.commandPrefix}${ca}/${ioa}`;
  }

  commandResult(ca: number, ioa: number): string {
    return `${this.commandPrefix}${ca}/${ioa}/result`;
  }

  response(op: string): string {
    return `${this.base}/bridge/response/${op}`;
  }

  /** The bridge's subscriptions for values (the points' own source topics come on top). */
  valueSubscriptions(): string[] {
    return [`${this.base}/point/+/+`, this.batch];
  }

  /** The bridge's other subscriptions: command results and requests (availability topics on top). */
  controlSubscriptions(): string[] {
    return [`${this.base}/command/+/+/result`, `${this.requestPrefix}+`];
  }

  /** `[ca, ioa]` of `<base>/point/<ca>/<ioa>`, or undefined. Parses without splitting. */
  parsePoint(topic: string): [number, number] | undefined {
    return parseAddress(topic, this.pointPrefix, "");
  }

  /** `[ca, ioa]` of `<base>/command/<ca>/<ioa>/result`, or undefined. */
  parseCommandResult(topic: string): [number, number] | undefined {
    return parseAddress(topic, this.commandPrefix, "/result");
  }

  /** The op of `<base>/bridge/request/<op>`, or undefined. */
  parseRequest(topic: string): string | undefined {
    if (!topic.startsWith(this.requestPrefix)) return undefined;
    const op = topic.slice(this.requestPrefix.length);
    return op.length > 0 && !op.includes("/") ? op : undefined;
  }
}

/** One address level of a filter: a wildcard, the number a state topic would spell, or undefined. */
function addressLevel(level: string | undefined, max: number): number | "+" | "#" | undefined {
  if (level === "+" || level === "#") return level;
  if (level === undefined || !/^(0|[1-9][0-9]{0,7})$/.test(level)) return undefined;
  const n = Number(level);
  return n <= max ? n : undefined;
}

/** Reads `<prefix><ca>/<ioa><suffix>` with both numbers decimal, without allocating. */
function parseAddress(topic: string, prefix: string, suffix: string): [number, number] | undefined {
  if (!topic.startsWith(prefix) || !topic.endsWith(suffix)) return undefined;
  const end = topic.length - suffix.length;
  let i = prefix.length;
  let ca = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = topic.charCodeAt(i) - 48;
    if (c === -1) break;
    if (c < 0 || c > 9 || digits > 5) return undefined;
    ca = ca * 10 + c;
    digits++;
  }
  if (digits === 0 || i >= end) return undefined;
  let ioa = 0;
  digits = 0;
  for (i++; i < end; i++) {
    const c = topic.charCodeAt(i) - 48;
    if (c < 0 || c > 9 || digits > 8) return undefined;
    ioa = ioa * 10 + c;
    digits++;
  }
  if (digits === 0 || ca > 0xffff || ioa > 0xffffff) return undefined;
  return [ca, ioa];
}

/** True when `topic` has no wildcard and no empty level at its ends: a valid topic to publish to. */
export function isPublishTopic(topic: string): boolean {
  return (
    topic.length > 0 &&
    !topic.includes("#") &&
    !topic.includes("+") &&
    !topic.startsWith("/") &&
    !topic.endsWith("/")
  );
}
