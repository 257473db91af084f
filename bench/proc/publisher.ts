/**
 * The publisher process: one mqtt.js client (QoS 0, as a telemetry publisher uses it) publishing
 * values to the gateway, one per message on `<base>/point/<ca>/<ioa>` or many per message on
 * `<base>/batch`, as fast as the socket takes them or paced at a rate. A value is a fresh sequence
 * number (every one is a change, so every one becomes an event), or for latency the send time.
 * Nagle's algorithm is off on its socket.
 */
import { Socket } from "node:net";
import mqtt, { type MqttClient } from "mqtt";
import { serveParent } from "../lib/ipc.js";
import { BENCH_CA } from "../lib/points.js";
import {
  type PublishArgs,
  type PublisherArgs,
  type PublishResult,
  TIME_VALUE_MODULUS,
} from "../lib/protocol.js";
import { wallMs } from "../lib/stats.js";

const BASE = "iec104";
/** Messages written before waiting for the socket to take them (flat out). */
const CHUNK = 256;

function publish(client: MqttClient, topic: string, payload: string): Promise<void> {
  return new Promise((resolve, reject) =>
    client.publish(topic, payload, { qos: 0 }, (e) => (e ? reject(e) : resolve())),
  );
}

await serveParent(async (args: PublisherArgs) => {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${args.mqttPort}`, {
    clientId: `bench-publisher-${process.pid}`,
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 0,
  });
  // A latency-minded publisher turns Nagle's algorithm off (mqtt.js leaves it on), so that what is
  // measured is the gateway's side.
  if (client.stream instanceof Socket) client.stream.setNoDelay(true);
  let seq = 0;
  let ioa = 0;
  const nextValue = (a: PublishArgs): string => {
    ioa = ioa === a.points ? 1 : ioa + 1;
    return a.value === "time" ? String(wallMs() % TIME_VALUE_MODULUS) : String(++seq);
  };
  const message = (a: PublishArgs): [string, string] => {
    if (a.mode === "single") {
      const v = nextValue(a);
      return [`${BASE}/point/${BENCH_CA}/${ioa}`, v];
    }
    const entries: string[] = [];
    for (let k = 0; k < a.perMessage; k++) {
      const v = nextValue(a);
      entries.push(`[${BENCH_CA},${ioa},${v}]`);
    }
    return [`${BASE}/batch`, `[${entries.join(",")}]`];
  };

  const run = async (a: PublishArgs): Promise<PublishResult> => {
    const firstMs = wallMs();
    let sent = 0;
    if (a.rate === 0) {
      while (sent < a.messages) {
        let last: Promise<void> | undefined;
        for (let k = 0; k < CHUNK && sent < a.messages; k++, sent++) last = publish(client, ...message(a));
        await last;
      }
    } else {
      // Paced on a 1 ms timer: each tick sends what is due by then.
      while (sent < a.messages) {
        const due = Math.min(a.messages, Math.floor(((wallMs() - firstMs) * a.rate) / 1000) + 1);
        for (; sent < due; sent++) void publish(client, ...message(a));
        await new Promise((r) => setTimeout(r, 1));
      }
    }
    const perMessage = a.mode === "single" ? 1 : a.perMessage;
    return { sent, values: sent * perMessage, firstMs, lastMs: wallMs() };
  };

  return {
    ready: { clientId: client.options.clientId },
    handlers: { publish: run },
    onExit: () => client.endAsync(),
  };
});
