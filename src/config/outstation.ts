/** From the configuration to what the IEC 104 outstation is given (OutstationOptions). */
import { readFileSync } from "node:fs";
import type { SecureContextOptions, TlsOptions } from "node:tls";
import type { OutstationOptions } from "../iec104/outstation/options.js";
import type { EmbeddedTlsConfig, Iec104Config, Iec104TlsConfig } from "./schema.js";

export type ConfiguredOutstationOptions = Omit<
  OutstationOptions,
  "clock" | "logger" | "commandHandler" | "stations" | "tls"
>;

/** The outstation options of the `iec104` section (stations, TLS contents and hooks come elsewhere). */
export function outstationOptions(c: Iec104Config): ConfiguredOutstationOptions {
  return {
    host: c.host,
    port: c.port,
    link: { k: c.k, w: c.w, t0Ms: c.t0Ms, t1Ms: c.t1Ms, t2Ms: c.t2Ms, t3Ms: c.t3Ms },
    redundancy: {
      mode: c.redundancy.mode,
      groups: c.redundancy.groups.map((g) => ({ name: g.name, ips: [...g.ips] })),
    },
    eventQueue: { ...c.eventQueue },
    maxConnections: c.maxConnections,
    allowlist: [...c.allowlist],
    allowedOriginators: [...c.allowedOriginators],
    selectTimeoutMs: c.selectTimeoutMs,
    commandTimeoutMs: c.commandTimeoutMs,
    maxCommandAgeMs: c.maxCommandAgeMs,
    clockSync: c.clockSync,
    timeZone: c.timeZone,
    sequenceInterrogation: c.sequenceInterrogation,
    counters: { ...c.counters },
  };
}

/**
 * Node TLS server options for `iec104.tls` (IEC 62351-3: TLS 1.2 or newer, mutual authentication
 * unless requireClientCert is false) or `mqtt.embedded.tls`. Reads the PEM files.
 */
export function tlsServerOptions(
  tls: Iec104TlsConfig | EmbeddedTlsConfig,
  read: (path: string) => Buffer = (p) => readFileSync(p),
): TlsOptions & SecureContextOptions {
  return {
    cert: read(tls.cert),
    key: read(tls.key),
    ...(tls.ca === undefined ? {} : { ca: read(tls.ca) }),
    requestCert: tls.requireClientCert,
    rejectUnauthorized: tls.requireClientCert,
    minVersion: tls.minVersion,
    ...(tls.ciphers === undefined ? {} : { ciphers: tls.ciphers }),
  };
}
