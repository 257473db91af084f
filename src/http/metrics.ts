/**
 * Prometheus metrics (prom-client). Counters the protocol stack keeps as plain numbers are read at
 * scrape time (collect), so the hot paths only increment numbers and never touch prom-client.
 */
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { Bridge } from "../bridge/bridge.js";
import { typeName } from "../iec104/asdu/types.js";
import { Quality } from "../iec104/codec/quality.js";
import type { Outstation } from "../iec104/outstation/server.js";

export interface MetricsSources {
  outstation: Outstation;
  bridge: Bridge;
  /** The router publishes the masters' commands itself (not through the bridge): its own count. */
  commands: { readonly published: number };
  mqttConnected: () => boolean;
}

export function createMetrics(src: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  const { outstation: os, bridge } = src;
  const stats = os.stats;

  new Gauge({
    name: "iec104_masters_connected",
    help: "Masters connected to the outstation, by link state",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      this.reset();
      for (const state of ["STARTED", "STOPPED", "STOPPING"]) this.set({ state }, 0);
      for (const c of os.connections) this.inc({ state: c.state });
    },
  });
  new Counter({
    name: "iec104_connections_total",
    help: "Master connections accepted or refused (allowlist, connection limit, TLS handshake)",
    labelNames: ["result"],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ result: "accepted" }, stats.connectionsAccepted);
      this.inc({ result: "refused" }, stats.connectionsRefused);
    },
  });
  new Counter({
    name: "iec104_connection_closes_total",
    help: "Connections closed, by reason code (BAD_FRAME, SEQ_NS, SEQ_NR, T1, PEER_CLOSED, SOCKET_ERROR, LOCAL...)",
    labelNames: ["code"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [code, n] of stats.closes) this.inc({ code }, n);
    },
  });
  new Counter({
    name: "iec104_frames_total",
    help: "APDUs received and sent, by format (I: numbered with an ASDU, S: acknowledgement, U: STARTDT/STOPDT/TESTFR)",
    labelNames: ["direction", "format"],
    registers: [registry],
    collect() {
      this.reset();
      for (const format of ["I", "S", "U"] as const) {
        let fin = stats.framesIn[format];
        let fout = stats.framesOut[format];
        for (const c of os.connections) {
          fin += c.received[format];
          fout += c.sent[format];
        }
        this.inc({ direction: "in", format }, fin);
        this.inc({ direction: "out", format }, fout);
      }
    },
  });
  new Counter({
    name: "iec104_asdus_total",
    help: "ASDUs received and sent, by type",
    labelNames: ["direction", "type"],
    registers: [registry],
    collect() {
      this.reset();
      for (let t = 0; t < 256; t++) {
        const nin = stats.asdusIn[t]!;
        const nout = stats.asdusOut[t]!;
        if (nin > 0) this.inc({ direction: "in", type: typeName(t) }, nin);
        if (nout > 0) this.inc({ direction: "out", type: typeName(t) }, nout);
      }
    },
  });
  new Counter({
    name: "iec104_commands_total",
    help: "Master commands (select, execute, cancel), by outcome",
    labelNames: ["result"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [result, n] of Object.entries(stats.commands)) this.inc({ result }, n);
    },
  });
  new Counter({
    name: "iec104_negative_replies_total",
    help: "Negative confirmations sent, by cause of transmission",
    labelNames: ["cot"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [cot, n] of stats.negatives) this.inc({ cot: String(cot) }, n);
    },
  });
  new Gauge({
    name: "iec104_event_queue_depth",
    help: "Events held in the redundancy groups' queues (unacknowledged included)",
    registers: [registry],
    collect() {
      this.set(os.groupList().reduce((n, g) => n + g.queue.length, 0));
    },
  });
  new Counter({
    name: "iec104_event_queue_dropped_total",
    help: "Events dropped by a full queue (overflow policy)",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(os.groupList().reduce((n, g) => n + g.queue.dropped, stats.droppedInClosedGroups));
    },
  });
  new Gauge({
    name: "mqtt_connected",
    help: "1 when the gateway's MQTT client is connected to the broker",
    registers: [registry],
    collect() {
      this.set(src.mqttConnected() ? 1 : 0);
    },
  });
  new Counter({
    name: "mqtt_messages_total",
    help: "MQTT messages received and published by the gateway (values, state, events, commands...)",
    labelNames: ["direction"],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ direction: "in" }, bridge.stats.messagesIn);
      this.inc({ direction: "out" }, bridge.stats.messagesOut + src.commands.published);
    },
  });
  new Counter({
    name: "bridge_values_total",
    help: "Point values from MQTT, accepted or rejected (payload or value invalid for the point's type, no such point, unreadable batch or batch entry)",
    labelNames: ["result"],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ result: "accepted" }, bridge.stats.valuesAccepted);
      this.inc({ result: "rejected" }, bridge.stats.valuesRejected);
    },
  });
  new Counter({
    name: "bridge_intake_held_total",
    help: "Times MQTT intake waited because an active master was more than half its event queue behind",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(bridge.intakeHeld);
    },
  });
  new Gauge({
    name: "points",
    help: "Monitoring points, and how many are stale (NT) or invalid (IV) now",
    labelNames: ["flag"],
    registers: [registry],
    collect() {
      let nt = 0;
      let iv = 0;
      for (const t of bridge.targets.all) {
        const q = t.station.quality[t.index]!;
        if (q & Quality.NT) nt++;
        if (q & Quality.IV) iv++;
      }
      this.set({ flag: "all" }, bridge.targets.all.length);
      this.set({ flag: "not_topical" }, nt);
      this.set({ flag: "invalid" }, iv);
    },
  });
  return registry;
}
