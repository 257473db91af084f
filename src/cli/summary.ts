/** The start-up summary: what listens where and what each station holds. */
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
  const byCa = new Map<number, { monitor: number; command: number; types: Map<string, number> }>();
  for (const p of catalog.points) {
    const s = byCa.get(p.ca) ?? { monitor: 0, command: 0, types: new Map<string, number>() };
    byCa.set(p.ca, s);
    s[p.kind]++;
    const t = typeName(p.typeId);
    s.types.set(t, (s.types.get(t) ?? 0) + 1);
  }
  for (const [ca, s] of [...byCa].sort(([a], [b]) => a - b)) {
    const name = config.stations.find((x) => x.ca === ca)?.name;
    const types = [...s.types].map(([t, n]) => `${n} ${t}`).join(", ");
    lines.push(
      `    station CA ${ca}${name ? ` (${name})` : ""}: ${s.monitor} points, ${s.command} commands: ${types}`,
    );
  }
  lines.push("");
  return `${lines.join("\n")}\n`;
}
