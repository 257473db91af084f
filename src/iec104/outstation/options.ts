/** Everything the outstation can be told, with the defaults a SCADA engineer expects. */
import type { SecureContextOptions, TlsOptions } from "node:tls";
import { DEFAULT_LINK_CONFIG, type LinkConfig } from "../link/session.js";
import type { Clock } from "./clock.js";
import type { CommandHandler } from "./commands.js";
import type { OverflowPolicy } from "./event-queue.js";
import type { Logger } from "./log.js";
import type { StationDef } from "./station.js";
import type { TimeZoneMode } from "./time-format.js";

export type RedundancyMode = "per-connection" | "single-group" | "by-ip";

export interface OutstationOptions {
  host: string;
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  link: LinkConfig;
  stations: StationDef[];
  redundancy: {
    /**
     * `per-connection`: every connection is its own group and gets every event (the default).
     * `single-group`: all connections share one queue; one is active, the others stand by.
     * `by-ip`: connections from the addresses of one configured group (or, unlisted, from one IP) share.
     */
    mode: RedundancyMode;
    groups: { name: string; ips: string[] }[];
  };
  eventQueue: { capacity: number; overflow: OverflowPolicy };
  /** Open connections at most; more are refused before any protocol handling. */
  maxConnections: number;
  /** Master IP addresses allowed to connect (empty: any). */
  allowlist: string[];
  /** Originator addresses accepted in control-direction ASDUs (empty: any). */
  allowedOriginators: number[];
  selectTimeoutMs: number;
  /** How long the command handler may take before a negative ACT_CON. */
  commandTimeoutMs: number;
  /** Time-tagged commands whose time differs from ours by more than this are refused (0: no check). */
  maxCommandAgeMs: number;
  /** `offset`: keep an offset for our time tags (never sets the system clock); `ignore`; `reject`. */
  clockSync: "offset" | "ignore" | "reject";
  timeZone: TimeZoneMode;
  /** Pack interrogation answers with SQ=1 where IOAs are consecutive. */
  sequenceInterrogation: boolean;
  counters: {
    /**
     * Counter interrogation FRZ=0 sends the frozen readings (those of the last freeze; a counter
     * never frozen gives its current one). False: always the current readings.
     */
    readFrozen: boolean;
    /** After a freeze, report the frozen readings spontaneously (mode D). */
    spontaneousAfterFreeze: boolean;
  };
  /** TLS (IEC 62351-3) when set. */
  tls: (TlsOptions & SecureContextOptions) | undefined;
  clock: Clock;
  logger: Logger;
  commandHandler: CommandHandler;
}

export const DEFAULT_PORT = 2404;

export function defaultOutstationOptions(): Omit<
  OutstationOptions,
  "clock" | "logger" | "commandHandler" | "stations"
> {
  return {
    host: "0.0.0.0",
    port: DEFAULT_PORT,
    link: { ...DEFAULT_LINK_CONFIG },
    redundancy: { mode: "per-connection", groups: [] },
    eventQueue: { capacity: 10_000, overflow: "drop-oldest" },
    maxConnections: 10,
    allowlist: [],
    allowedOriginators: [],
    selectTimeoutMs: 10_000,
    commandTimeoutMs: 10_000,
    maxCommandAgeMs: 10_000,
    clockSync: "offset",
    timeZone: "utc",
    sequenceInterrogation: false,
    counters: { readFrozen: true, spontaneousAfterFreeze: false },
    tls: undefined,
  };
}
