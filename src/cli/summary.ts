/**
 * The start-up summary: what listens where and what each station holds. As text for a person
 * (`summary`: `validate`, and `start` in a terminal) or as one log record (`startupRecord`: `start`
 * when the logs are JSON lines, so that every line a collector reads is JSON).
 */
import type { Addresses } from "../app.js";
import type { GatewayConfig } from "../config/schema.js";
import { typeName } from "../iec104/asdu/types.js";
import type { PointCatalog } from "../points/model.js";

export function summary(
  config: GatewayConfig,
  catalog: PointCatalog,
  addr?: Addresses,
  simulated?: number,
): string {
  const lines: string[] = [""];
  if (addr !== undefined) {
    const tls = config.iec104.tls ? " (TLS)" : "";
    lines.push(`  IEC 104 outstation   ${config.iec104.host}:${addr.iec104}${tls}`);
    if (config.mqtt.mode === "embedded") {
      lines.push(`  MQTT broker          embedded, ${config.mqtt.embedded.host}:${addr.mqtt}`);
      if (addr.mqttWs !== undefined)
        lines.push(`  MQTT over WebSocket  ${config.mqtt.embedded.host}:${addr.mqttWs}`);
      if (addr.mqttTls !== undefined)
        lines.push(
          `  MQTT over TLS        ${config.mqtt.embedded.tls?.host ?? config.mqtt.embedded.host}:${addr.mqttTls}`,
        );
    } else {
      lines.push(`  MQTT broker          external, ${addr.mqttUrl}`);
    }
    if (addr.http !== undefined) {
      lines.push(`  health and metrics   http://${config.http.host}:${addr.http}/healthz /readyz /metrics`);
    }
    lines.push(
      `  topics               ${config.mqtt.baseTopic}/# (try: mosquitto_sub -t '${config.mqtt.baseTopic}/#' -v)`,
    );
    lines.push(
      `  simulators           ${config.simulator.enabled ? `${simulated ?? 0} points, every ${config.simulator.intervalMs} ms` : "off"}`,
    );
  }
  lines.push(`  points               ${catalog.source}`);
  for (const st of stations(config, catalog)) {
    const types = Object.entries(st.types)
      .map(([t, n]) => `${n} ${t}`)
      .join(", ");
    lines.push(
      `    station CA ${st.ca}${st.name ? ` (${st.name})` : ""}: ${st.points} points, ${st.commands} commands: ${types}`,
    );
  }
  lines.push("");
  return `${lines.join("\n")}\n`;
}

/** Per station: points, commands and how many of each type. */
function stations(config: GatewayConfig, catalog: PointCatalog) {
  const byCa = new Map<number, { monitor: number; command: number; types: Record<string, number> }>();
  for (const p of catalog.points) {
    const s = byCa.get(p.ca) ?? { monitor: 0, command: 0, types: {} };
    byCa.set(p.ca, s);
    s[p.kind]++;
    const t = typeName(p.typeId);
    s.types[t] = (s.types[t] ?? 0) + 1;
  }
  return [...byCa]
    .sort(([a], [b]) => a - b)
    .map(([ca, s]) => {
      const name = config.stations.find((x) => x.ca === ca)?.name;
      return { ca, ...(name ? { name } : {}), points: s.monitor, commands: s.command, types: s.types };
    });
}

/**
 * What `summary` says once the gateway listens, as one log record: a one-line message (with
 * `IEC 104 outstation HOST:PORT` first, as in the text) and the same facts as fields.
 */
export function startupRecord(
  config: GatewayConfig,
  catalog: PointCatalog,
  addr: Addresses,
  simulated?: number,
): { msg: string; fields: Record<string, unknown> } {
  const e = config.mqtt.embedded;
  const mqtt =
    config.mqtt.mode === "embedded"
      ? {
          mode: "embedded",
          host: e.host,
          port: addr.mqtt,
          ...(addr.mqttWs !== undefined ? { wsPort: addr.mqttWs } : {}),
          ...(addr.mqttTls !== undefined ? { tls: { host: e.tls?.host ?? e.host, port: addr.mqttTls } } : {}),
        }
      : { mode: "external", url: addr.mqttUrl };
  const http = addr.http === undefined ? undefined : { host: config.http.host, port: addr.http };
  const parts = [
    `IEC 104 outstation ${config.iec104.host}:${addr.iec104}${config.iec104.tls ? " (TLS)" : ""}`,
    config.mqtt.mode === "embedded"
      ? `MQTT broker embedded ${e.host}:${addr.mqtt}`
      : `MQTT broker external ${addr.mqttUrl}`,
  ];
  if (http) parts.push(`health and metrics http://${http.host}:${http.port}`);
  const st = stations(config, catalog);
  const count = (k: "points" | "commands") => st.reduce((n, x) => n + x[k], 0);
  parts.push(
    `${count("points")} points and ${count("commands")} commands in ${st.length} station${st.length === 1 ? "" : "s"}`,
  );
  return {
    msg: `listening: ${parts.join(", ")}`,
    fields: {
      listen: {
        iec104: { host: config.iec104.host, port: addr.iec104, tls: config.iec104.tls !== undefined },
        mqtt,
        ...(http ? { http } : {}),
      },
      topics: `${config.mqtt.baseTopic}/#`,
      simulator: config.simulator.enabled
        ? { points: simulated ?? 0, intervalMs: config.simulator.intervalMs }
        : false,
      points: { file: catalog.source, stations: st },
    },
  };
}
