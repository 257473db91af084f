/**
 * The gateway assembled: point catalog -> outstation (IEC 104 on 2404) <-> bridge <-> MQTT (the
 * embedded Aedes broker on 1883, or an external broker) <- simulators. `startGateway` starts the
 * parts in dependency order and `close` stops them in reverse, answering pending commands first.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Socket } from "node:net";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { Bridge } from "./bridge/bridge.js";
import { CommandRouter } from "./bridge/commands.js";
import { urlHostFor } from "./config/hosts.js";
import { outstationOptions, tlsServerOptions } from "./config/outstation.js";
import type { GatewayConfig } from "./config/schema.js";
import { createMetrics } from "./http/metrics.js";
import { HttpServer } from "./http/server.js";
import { type Logger, silentLogger } from "./iec104/outstation/log.js";
import { Outstation } from "./iec104/outstation/server.js";
import type { Credentials } from "./mqtt/auth.js";
import { EmbeddedBroker } from "./mqtt/broker.js";
import { keepConnected } from "./mqtt/reconnect.js";
import { Topics } from "./mqtt/topics.js";
import { loadDatapointsFile } from "./points/datapoints.js";
import type { MonitorPoint, PointCatalog } from "./points/model.js";
import { catalogToStations } from "./points/stations.js";
import { Simulator } from "./simulator/index.js";

export const VERSION: string = (createRequire(import.meta.url)("../package.json") as { version: string })
  .version;

/** Where things listen (ports resolved when 0 was configured). */
export interface Addresses {
  iec104: number;
  mqtt: number | undefined;
  mqttWs: number | undefined;
  mqttTls: number | undefined;
  mqttUrl: string;
  http: number | undefined;
}

export interface Gateway {
  readonly config: GatewayConfig;
  readonly catalog: PointCatalog;
  readonly outstation: Outstation;
  readonly bridge: Bridge;
  readonly broker: EmbeddedBroker | undefined;
  readonly client: MqttClient;
  readonly simulator: Simulator | undefined;
  readonly http: HttpServer | undefined;
  readonly addresses: Addresses;
  close(reason?: string): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** A catalog already loaded (validate, tests); otherwise config.datapoints.file is read. */
  catalog?: PointCatalog;
}

export async function loadCatalog(config: GatewayConfig): Promise<PointCatalog> {
  const { file, defaultCa, startAddress } = config.datapoints;
  return (await loadDatapointsFile(file, { defaultCa, startAddress })).catalog;
}

export async function startGateway(config: GatewayConfig, opts: StartOptions = {}): Promise<Gateway> {
  const log = opts.logger ?? silentLogger;
  const catalog = opts.catalog ?? (await loadCatalog(config));
  const topics = new Topics(config.mqtt.baseTopic);
  const names = new Map(
    config.stations.flatMap((s) => (s.name === undefined ? [] : [[s.ca, s.name] as const])),
  );
  const router = new CommandRouter(
    topics,
    catalog,
    config.bridge.commandMode,
    log.child({ part: "commands" }),
    config.bridge.commandTimeoutMs,
  );
  const outstation = new Outstation({
    ...outstationOptions(config.iec104),
    commandTimeoutMs: config.bridge.commandTimeoutMs,
    stations: catalogToStations(catalog, names),
    tls: config.iec104.tls === undefined ? undefined : tlsServerOptions(config.iec104.tls),
    logger: log.child({ part: "iec104" }),
    commandHandler: router,
  });

  // Stopped in reverse order of start if start-up fails half way.
  const closers: Array<() => Promise<void> | void> = [];
  const unwind = async () => {
    for (const c of closers.reverse()) await c();
  };
  try {
    let broker: EmbeddedBroker | undefined;
    let url: string;
    if (config.mqtt.mode === "embedded") {
      const e = config.mqtt.embedded;
      const b = await EmbeddedBroker.start({
        host: e.host,
        port: e.port,
        wsPort: e.wsPort,
        tls:
          e.tls === undefined
            ? undefined
            : { host: e.tls.host, port: e.tls.port, options: tlsServerOptions(e.tls) },
        maxPacketSize: e.maxPacketSize,
        maxPendingBytes: e.maxPendingBytes,
        auth:
          e.auth === undefined
            ? undefined
            : { users: e.auth.users, baseTopic: topics.base, sourceTopics: publisherTopics(config, catalog) },
        logger: log.child({ part: "broker" }),
      });
      broker = b;
      closers.push(() => b.close());
      url = `mqtt://${urlHostFor(e.host)}:${b.port}`;
    } else {
      url = config.mqtt.url;
    }
    // The gateway's own clients log in to the embedded broker with its internal credentials.
    const client = mqtt.connect(
      url,
      clientOptions(config, topics, config.mqtt.clientId, broker?.internal.gateway),
    );
    closers.push(() => endClient(client));
    const mqttLog = log.child({ part: "mqtt" });
    client.on("connect", () => {
      noDelay(client);
      mqttLog.info({ url: redactUrl(url) }, "MQTT connected");
    });
    const backoff = {
      baseMs: config.mqtt.reconnectPeriodMs,
      maxMs: config.mqtt.reconnectPeriodMaxMs,
      url: redactUrl(url),
    };
    keepConnected(client, { ...backoff, log: mqttLog });

    // The IEC 104 port is filled in once listening (the configured one may be 0: any free port).
    const info = {
      broker: config.mqtt.mode,
      iec104: { host: config.iec104.host, port: config.iec104.port, tls: config.iec104.tls !== undefined },
    };
    const bridge = new Bridge({
      id: config.gateway.id,
      version: VERSION,
      topics,
      outstation,
      catalog,
      router,
      staleAfterMs: config.bridge.staleAfterMs,
      badPayload: config.bridge.badPayload,
      availability: config.bridge.availability,
      republishOnConnect: config.bridge.republishOnConnect,
      stateQos: config.mqtt.qos,
      stateIntervalMs: config.bridge.stateIntervalMs,
      // With the embedded broker, state goes straight into it: no encoding, socket or parsing.
      publishState:
        broker === undefined
          ? undefined
          : (topic, payload, qos, done) => broker.publishInternal(topic, payload, qos, true, done),
      // And values come straight out of it: no encoding, loopback socket and parsing per message.
      valueIntake:
        broker === undefined ? undefined : (topics, handler) => broker.subscribeInternal(topics, handler),
      info,
      monotonic: () => performance.now(),
      logger: log.child({ part: "bridge" }),
      // Late-bound: the simulator starts after the bridge.
      simulator: !config.simulator.enabled
        ? undefined
        : {
            get running() {
              return simulator?.running ?? false;
            },
            start: () => simulator?.start(),
            stop: () => simulator?.stop(),
            enable: (ca, ioa) => simulator?.enable(ca, ioa) ?? false,
            disable: (ca, ioa) => simulator?.disable(ca, ioa) ?? false,
          },
    });
    // The embedded broker serves the retained state from the point image instead of storing a copy.
    if (broker !== undefined) broker.serveRetainedFrom(bridge.retainedState());
    bridge.attach(client);
    closers.push(() => bridge.stop());

    const { port } = await outstation.listen();
    closers.push(() => outstation.close());
    info.iec104.port = port;
    bridge.publishInfo();

    let http: HttpServer | undefined;
    if (config.http.enabled) {
      const h = await HttpServer.start({
        host: config.http.host,
        port: config.http.port,
        registry: createMetrics({
          outstation,
          bridge,
          commands: router,
          mqttConnected: () => client.connected,
        }),
        notReady: () => [
          ...(outstation.listening ? [] : ["IEC 104 outstation not listening"]),
          ...(client.connected ? [] : ["MQTT not connected"]),
          ...(bridge.refusedSubscriptions.length === 0
            ? []
            : [`MQTT subscriptions refused by the broker: ${bridge.refusedSubscriptions.join(", ")}`]),
        ],
        health: () => bridge.health(),
        logger: log.child({ part: "http" }),
      });
      http = h;
      closers.push(() => h.close());
    }

    let simulator: Simulator | undefined;
    let simClient: MqttClient | undefined;
    if (config.simulator.enabled) {
      const monitors = catalog.points.filter((p): p is MonitorPoint => p.kind === "monitor");
      const sc = mqtt.connect(url, {
        ...clientOptions(config, topics, `${config.mqtt.clientId}-sim`, broker?.internal.simulator),
        will: undefined,
      });
      keepConnected(sc, { ...backoff, log: log.child({ part: "simulator" }) });
      const sim = new Simulator(
        monitors,
        {
          seed: config.simulator.seed,
          intervalMs: config.simulator.intervalMs,
          baseTopic: config.mqtt.baseTopic,
        },
        // Live, not retained: a gateway started later (or whose simulators were switched off for
        // real publishers) never takes an old simulated value kept by the broker as fresh.
        { publish: (topic, payload) => sc.publish(topic, payload, { qos: 0, retain: false }) },
      );
      sc.once("connect", () => sim.start());
      closers.push(() => endClient(sc));
      closers.push(() => sim.stop());
      simulator = sim;
      simClient = sc;
    }

    /**
     * Graceful shutdown: no new masters, pending commands answered negatively and those replies
     * flushed, `offline` announced, then masters, MQTT and the broker closed.
     */
    const close = async (reason = "shutdown") => {
      log.info({ reason }, "shutting down");
      simulator?.stop();
      outstation.stopAccepting();
      router.failAll(`the gateway is shutting down (${reason})`);
      await outstation.flush(1000);
      await bridge.stop();
      await outstation.close(`the gateway is shutting down (${reason})`);
      await http?.close();
      if (simClient !== undefined) await endClient(simClient);
      await endClient(client);
      await broker?.close();
    };

    return {
      config,
      catalog,
      outstation,
      bridge,
      broker,
      client,
      simulator,
      http,
      addresses: {
        iec104: port,
        mqtt: broker?.port,
        mqttWs: broker?.wsPort,
        mqttTls: broker?.tlsPort,
        mqttUrl: redactUrl(url),
        http: http?.port,
      },
      close,
    };
  } catch (e) {
    await unwind();
    await outstation.close();
    throw e;
  }
}

/**
 * Turns Nagle's algorithm off on the client's TCP (or TLS) socket: with it, a small publication
 * written while an earlier one is unacknowledged waits for the broker's delayed ACK (40 ms on Linux),
 * which delays values, commands and states alike.
 */
function noDelay(client: MqttClient): void {
  const stream: unknown = client.stream;
  if (stream instanceof Socket) stream.setNoDelay(true);
}

/**
 * Disconnects cleanly (DISCONNECT: the broker drops the will) once the publications in flight are
 * acknowledged, waiting at most `graceMs` for that; a broker that does not answer, or no connection
 * at all, gets the connection simply closed, so a shutdown never hangs on the broker.
 */
async function endClient(client: MqttClient, graceMs = 1000): Promise<void> {
  const inFlight = () => Object.keys(client.outgoing).length > 0;
  // Polled: mqtt.js signals an empty outgoing store only once end() has begun.
  const until = Date.now() + graceMs;
  while (client.connected && inFlight() && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const force = !client.connected || inFlight();
  await new Promise<void>((r) => client.end(force, {}, () => r()));
}

/**
 * The topics the points' publishers write besides `<base>/point/...` and `<base>/batch`: the points'
 * own source topics and the availability (last will) topics.
 */
function publisherTopics(config: GatewayConfig, catalog: PointCatalog): string[] {
  const sources = catalog.points.flatMap((p) =>
    p.kind === "monitor" && p.source.topic !== undefined ? [p.source.topic] : [],
  );
  return [...new Set([...sources, ...config.bridge.availability.map((a) => a.topic)])];
}

function clientOptions(
  config: GatewayConfig,
  topics: Topics,
  clientId: string,
  credentials?: Credentials,
): IClientOptions {
  const m = config.mqtt;
  const read = (p: string | undefined) => (p === undefined ? undefined : readFileSync(p));
  return {
    clientId,
    username: credentials?.username ?? m.username,
    password: credentials?.password ?? m.password,
    keepalive: Math.round(m.keepaliveMs / 1000),
    // keepConnected() reconnects, with back-off.
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    protocolVersion: 4,
    clean: true,
    will: {
      topic: topics.bridgeState,
      payload: Buffer.from(JSON.stringify({ state: "offline", reason: "connection lost" })),
      qos: 1,
      retain: true,
    },
    ...(m.tls === undefined
      ? {}
      : {
          ca: read(m.tls.ca),
          cert: read(m.tls.cert),
          key: read(m.tls.key),
          rejectUnauthorized: m.tls.rejectUnauthorized,
        }),
  };
}

/** A URL with its password hidden, for logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, "//$1:***@");
}
