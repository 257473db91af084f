/**
 * Reconnection with exponential back-off for the gateway's MQTT clients (mqtt.js only knows a fixed
 * period). The client is created with reconnectPeriod 0; after a lost or failed connection the next
 * attempt comes after `baseMs`, then twice as long each time up to `maxMs`, and back to `baseMs`
 * once connected. A lost broker is logged once per outage, errors once per distinct message.
 */
import type { MqttClient } from "mqtt";
import type { Logger } from "../iec104/outstation/log.js";

export interface ReconnectOptions {
  /** First delay; 0 disables reconnection. */
  baseMs: number;
  maxMs: number;
  log: Logger;
  /** For log lines (passwords already hidden). */
  url: string;
}

export function keepConnected(client: MqttClient, o: ReconnectOptions): void {
  let delay = o.baseMs;
  let timer: NodeJS.Timeout | undefined;
  let outage = false;
  let lastError = "";
  client.on("connect", () => {
    delay = o.baseMs;
    outage = false;
    lastError = "";
  });
  client.on("error", (err) => {
    if (err.message === lastError) {
      o.log.debug({ err: err.message }, "MQTT error");
      return;
    }
    lastError = err.message;
    o.log.warn({ err: err.message, url: o.url }, "MQTT error");
  });
  client.on("close", () => {
    if (client.disconnecting || o.baseMs <= 0 || timer !== undefined) return;
    if (!outage) {
      outage = true;
      o.log.warn({ url: o.url }, "MQTT broker unreachable: reconnecting");
    }
    timer = setTimeout(() => {
      timer = undefined;
      if (!client.disconnecting) client.reconnect();
    }, delay);
    timer.unref();
    o.log.debug({ inMs: delay }, "MQTT reconnection scheduled");
    delay = Math.min(o.maxMs, delay * 2);
  });
  client.on("end", () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  });
}
