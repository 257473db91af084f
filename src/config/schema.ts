/**
 * The one schema of the gateway configuration (file, environment and command line all end up here).
 *
 * Units: durations are SECONDS in the input (file, env, flags: `t1: 15`, `selectTimeout: 10`) and
 * MILLISECONDS in the parsed `GatewayConfig`, where each such field carries an `Ms` suffix
 * (`t1Ms: 15000`, `selectTimeoutMs: 10000`). Every other field keeps its name and place.
 *
 * The IEC 104 defaults come from `defaultOutstationOptions()` so the two cannot drift apart.
 * Cross-field checks run even when other fields of the same object are invalid (each guards the
 * fields it reads), so one parse reports every problem.
 */
import { z } from "zod";
import { validateLinkConfig } from "../iec104/link/session.js";
import { defaultOutstationOptions } from "../iec104/outstation/options.js";
import { describeValue } from "./errors.js";
import {
  always,
  at,
  checkUnique,
  int,
  ipAddress,
  ms,
  nonEmpty,
  port,
  record,
  seconds,
  topic,
  valid,
} from "./fields.js";

const OS = defaultOutstationOptions();

interface IssueSink {
  addIssue(issue: { code: "custom"; message: string; path?: PropertyKey[]; input?: unknown }): void;
}
const issue = (ctx: IssueSink, path: PropertyKey[], message: string) =>
  ctx.addIssue({ code: "custom", path, message });

// ---------------------------------------------------------------- gateway

const gatewaySchema = z.strictObject({
  id: z
    .string()
    .superRefine((v, ctx) => {
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(v)) {
        issue(ctx, [], `must be 1 to 64 of the characters A-Z a-z 0-9 _ -, got ${describeValue(v)}`);
      }
    })
    .default("iec104-gw"),
  name: nonEmpty().optional(),
});

// ---------------------------------------------------------------- iec104

const redundancyGroupSchema = z.strictObject({
  name: nonEmpty(),
  ips: z.array(ipAddress()).superRefine((v, ctx) => {
    if (v.length === 0) issue(ctx, [], "must list at least one address");
  }),
});

const redundancyModes = ["per-connection", "single-group", "by-ip"] as const;
const redundancySchema = z
  .strictObject({
    mode: z.enum(redundancyModes).default(OS.redundancy.mode),
    groups: z.array(redundancyGroupSchema).default(() => []),
  })
  .superRefine((v, ctx) => checkRedundancy(v, ctx), always);

function checkRedundancy(v: unknown, ctx: IssueSink): void {
  const groups = at(v, "groups");
  if (!Array.isArray(groups)) return;
  const mode = valid(z.enum(redundancyModes).default(OS.redundancy.mode), at(v, "mode"));
  if (mode !== undefined && mode !== "by-ip" && groups.length > 0) {
    issue(ctx, ["groups"], `only used when mode is by-ip (mode is "${mode}")`);
  }
  checkUnique(
    groups,
    (g) => valid(nonEmpty(), at(g, "name")),
    (i, first, name) =>
      issue(ctx, ["groups", i, "name"], `duplicate group name "${name}" (also groups[${first}])`),
  );
  const owner = new Map<string, number>();
  groups.forEach((g, i) => {
    const ips = at(g, "ips");
    if (!Array.isArray(ips)) return;
    ips.forEach((ip, j) => {
      if (valid(ipAddress(), ip) === undefined) return;
      const first = owner.get(ip);
      if (first === undefined) owner.set(ip, i);
      else if (first !== i) issue(ctx, ["groups", i, "ips", j], `${ip} is already in groups[${first}]`);
    });
  });
}

/** The fields of a TLS server (IEC 104, the embedded MQTT broker): TLS 1.2 or newer only. */
const tlsServerFields = {
  /** Our certificate (PEM file). */
  cert: nonEmpty(),
  /** Our private key (PEM file). */
  key: nonEmpty(),
  /** The CA certificates that sign the clients' certificates (PEM file). */
  ca: nonEmpty().optional(),
  minVersion: z.enum(["TLSv1.2", "TLSv1.3"]).default("TLSv1.2"),
  ciphers: nonEmpty().optional(),
};

/** `ca` is required while client certificates are required (`requireClientCert` defaults to `byDefault`). */
function checkClientCa(v: unknown, ctx: IssueSink, byDefault: boolean, whose: string): void {
  const required = at(v, "requireClientCert");
  const on = byDefault ? required !== false : required === true;
  if (on && at(v, "ca") === undefined) {
    issue(
      ctx,
      ["ca"],
      `required when requireClientCert is true (the CA that signs the ${whose} certificates)`,
    );
  }
}

const iecTlsSchema = z
  .strictObject({ ...tlsServerFields, requireClientCert: z.boolean().default(true) })
  .superRefine((v, ctx) => checkClientCa(v, ctx, true, "masters'"), always);

const linkFields = {
  k: int(1, 32767).default(OS.link.k),
  w: int(1, 32767).default(OS.link.w),
  t0: seconds(0.001, 255).default(OS.link.t0Ms / 1000),
  t1: seconds(0.001, 255).default(OS.link.t1Ms / 1000),
  t2: seconds(0.001, 255).default(OS.link.t2Ms / 1000),
  t3: seconds(0.001, 172800).default(OS.link.t3Ms / 1000),
};
const allowlistSchema = z.array(ipAddress()).default(() => []);

const iec104Schema = z
  .strictObject({
    host: nonEmpty().default(OS.host),
    port: port().default(OS.port),
    ...linkFields,
    maxConnections: int(1, 65535).default(OS.maxConnections),
    allowlist: allowlistSchema,
    allowedOriginators: z.array(int(0, 255)).default(() => []),
    redundancy: redundancySchema.prefault({}),
    eventQueue: z
      .strictObject({
        capacity: int(1, 10_000_000).default(OS.eventQueue.capacity),
        overflow: z.enum(["drop-oldest", "drop-newest"]).default(OS.eventQueue.overflow),
      })
      .prefault({}),
    selectTimeout: seconds(0.001, 3600).default(OS.selectTimeoutMs / 1000),
    commandTimeout: seconds(0.001, 3600).default(OS.commandTimeoutMs / 1000),
    maxCommandAge: seconds(0, 86400).default(OS.maxCommandAgeMs / 1000),
    clockSync: z.enum(["offset", "ignore", "reject"]).default(OS.clockSync),
    timeZone: z.enum(["utc", "local"]).default(OS.timeZone),
    sequenceInterrogation: z.boolean().default(OS.sequenceInterrogation),
    counters: z
      .strictObject({
        readFrozen: z.boolean().default(OS.counters.readFrozen),
        spontaneousAfterFreeze: z.boolean().default(OS.counters.spontaneousAfterFreeze),
      })
      .prefault({}),
    tls: iecTlsSchema.optional(),
  })
  .superRefine((v, ctx) => checkIec104(v, ctx), always)
  .transform(
    ({ host, port, k, w, t0, t1, t2, t3, selectTimeout, commandTimeout, maxCommandAge, ...rest }) => ({
      host,
      port,
      k,
      w,
      t0Ms: ms(t0),
      t1Ms: ms(t1),
      t2Ms: ms(t2),
      t3Ms: ms(t3),
      selectTimeoutMs: ms(selectTimeout),
      commandTimeoutMs: ms(commandTimeout),
      maxCommandAgeMs: ms(maxCommandAge),
      ...rest,
    }),
  );

/** What each relation of validateLinkConfig involves, and how to show the values. */
const LINK_RELATIONS: Record<string, { fields: (keyof typeof linkFields)[]; show: string }> = {
  w: { fields: ["w", "k"], show: "w is {w}, k is {k}" },
  t2: { fields: ["t2", "t1"], show: "t2 is {t2} s, t1 is {t1} s" },
  t3: { fields: ["t3", "t1"], show: "t3 is {t3} s, t1 is {t1} s" },
};

/**
 * The relations of validateLinkConfig (w <= k, t2 < t1 < t3), reported on the configured names.
 * Invalid fields are replaced by their defaults and every relation involving one is skipped.
 */
function checkLink(v: unknown, ctx: IssueSink): void {
  const values: Record<string, number> = {};
  const invalid = new Set<string>();
  for (const [key, schema] of Object.entries(linkFields)) {
    const value = valid(schema, at(v, key));
    if (value === undefined) invalid.add(key);
    values[key] = value ?? schema.parse(undefined);
  }
  const link = {
    k: values.k!,
    w: values.w!,
    t0Ms: ms(values.t0!),
    t1Ms: ms(values.t1!),
    t2Ms: ms(values.t2!),
    t3Ms: ms(values.t3!),
  };
  for (const error of validateLinkConfig(link)) {
    const sep = error.indexOf(": ");
    const key = error.slice(0, sep).replace(/Ms$/, "");
    const relation = LINK_RELATIONS[key];
    if ((relation?.fields ?? [key]).some((f) => invalid.has(f))) continue;
    const shown = relation?.show.replace(/\{(\w+)\}/g, (_, f: string) => String(values[f]));
    issue(ctx, [key], shown === undefined ? error.slice(sep + 2) : `${error.slice(sep + 2)}; ${shown}`);
  }
}

function checkIec104(v: unknown, ctx: IssueSink): void {
  checkLink(v, ctx);
  const allowlist = valid(allowlistSchema, at(v, "allowlist"));
  const groups = at(v, "redundancy", "groups");
  if (allowlist === undefined || allowlist.length === 0 || !Array.isArray(groups)) return;
  const allowed = new Set(allowlist);
  groups.forEach((g, i) => {
    const ips = at(g, "ips");
    if (!Array.isArray(ips)) return;
    ips.forEach((ip, j) => {
      if (valid(ipAddress(), ip) !== undefined && !allowed.has(ip)) {
        issue(
          ctx,
          ["redundancy", "groups", i, "ips", j],
          `${ip} is not in iec104.allowlist, so it can never connect`,
        );
      }
    });
  });
}

// ---------------------------------------------------------------- stations, datapoints

const stationsSchema = z
  .array(z.strictObject({ ca: int(1, 65534), name: nonEmpty().optional() }))
  .superRefine(
    (v, ctx) =>
      checkUnique(
        v,
        (s) => valid(int(1, 65534), at(s, "ca")),
        (i, first, ca) => issue(ctx, [i, "ca"], `duplicate common address ${ca} (also stations[${first}])`),
      ),
    always,
  )
  .default(() => []);

const datapointsSchema = z.strictObject({
  /** Relative paths are resolved by loadConfig (against the config file's directory or the cwd). */
  file: nonEmpty().default("Datapoints.json"),
  defaultCa: int(1, 65534).default(1),
  startAddress: int(1, 16_777_215).default(1),
});

// ---------------------------------------------------------------- mqtt

const MQTT_SCHEMES = ["mqtt:", "mqtts:", "ws:", "wss:"];

function mqttUrlProblem(v: string): string | undefined {
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return `must be a URL like mqtt://broker:1883, got ${describeValue(v)}`;
  }
  if (!MQTT_SCHEMES.includes(url.protocol)) {
    return `must start with mqtt://, mqtts://, ws:// or wss://, got ${describeValue(v)}`;
  }
  if (url.hostname === "") return `must name a host, got ${describeValue(v)}`;
  return undefined;
}

const mqttUrl = () =>
  z.string().superRefine((v, ctx) => {
    const problem = mqttUrlProblem(v);
    if (problem !== undefined) issue(ctx, [], problem);
  });

const mqttTlsSchema = z
  .strictObject({
    ca: nonEmpty().optional(),
    cert: nonEmpty().optional(),
    key: nonEmpty().optional(),
    rejectUnauthorized: z.boolean().default(true),
  })
  .superRefine((v, ctx) => {
    const cert = at(v, "cert");
    const key = at(v, "key");
    if (cert !== undefined && key === undefined) issue(ctx, ["key"], "required with mqtt.tls.cert");
    if (key !== undefined && cert === undefined) issue(ctx, ["cert"], "required with mqtt.tls.key");
  }, always);

const mqttRoles = ["publisher", "executor", "observer", "admin"] as const;

const embeddedTlsSchema = z
  .strictObject({
    /** Default: mqtt.embedded.host. */
    host: nonEmpty().optional(),
    port: port().default(8883),
    ...tlsServerFields,
    requireClientCert: z.boolean().default(false),
  })
  .superRefine((v, ctx) => checkClientCa(v, ctx, false, "clients'"), always);

const MAX_MQTT_PACKET = 268_435_455;
const DEFAULT_MAX_PACKET = 1_048_576;
const DEFAULT_MAX_PENDING = 8_388_608;

const embeddedSchema = z
  .strictObject({
    host: nonEmpty().default("0.0.0.0"),
    port: port().default(1883),
    /** A WebSocket listener as well (none when absent). */
    wsPort: port().optional(),
    /** A TLS listener as well (none when absent). */
    tls: embeddedTlsSchema.optional(),
    /** Bytes: the largest remaining length a client's packet may announce. */
    maxPacketSize: int(1, MAX_MQTT_PACKET).default(DEFAULT_MAX_PACKET),
    /** Bytes waiting to be written to one client before it is disconnected. */
    maxPendingBytes: int(1, 2 ** 31).default(DEFAULT_MAX_PENDING),
    auth: z
      .strictObject({
        users: z
          .array(z.strictObject({ username: nonEmpty(), password: nonEmpty(), role: z.enum(mqttRoles) }))
          .superRefine((v, ctx) => {
            if (v.length === 0)
              issue(ctx, [], "must list at least one user (leave auth out for no authentication)");
            checkUnique(
              v,
              (u) => valid(nonEmpty(), at(u, "username")),
              (i, first, name) =>
                issue(ctx, [i, "username"], `duplicate user "${name}" (also users[${first}])`),
            );
          }, always),
      })
      .optional(),
  })
  .superRefine((v, ctx) => {
    const packet = valid(int(1, MAX_MQTT_PACKET), at(v, "maxPacketSize") ?? DEFAULT_MAX_PACKET);
    const pending = valid(int(1, 2 ** 31), at(v, "maxPendingBytes") ?? DEFAULT_MAX_PENDING);
    if (packet !== undefined && pending !== undefined && pending < packet) {
      issue(
        ctx,
        ["maxPendingBytes"],
        `must be at least maxPacketSize (${packet}), or one largest message disconnects a client; got ${pending}`,
      );
    }
  }, always);

const mqttModes = ["embedded", "external"] as const;

const mqttSchema = z
  .strictObject({
    mode: z.enum(mqttModes).default("embedded"),
    url: mqttUrl().optional(),
    username: nonEmpty().optional(),
    password: z.string().optional(),
    /** Default: gateway.id. */
    clientId: nonEmpty().optional(),
    baseTopic: topic().default("iec104"),
    /** QoS of the gateway's state publications. */
    qos: z.literal([0, 1]).default(1),
    keepalive: int(0, 65535).default(30),
    reconnectPeriod: seconds(0, 3600).default(1),
    /** The back-off doubles the delay after each failed attempt up to this. */
    reconnectPeriodMax: seconds(0, 3600).default(30),
    tls: mqttTlsSchema.optional(),
    embedded: embeddedSchema.prefault({}),
  })
  .superRefine((v, ctx) => checkMqtt(v, ctx), always)
  .transform(({ keepalive, reconnectPeriod, reconnectPeriodMax, ...rest }) => {
    const base = {
      ...rest,
      keepaliveMs: keepalive * 1000,
      reconnectPeriodMs: ms(reconnectPeriod),
      reconnectPeriodMaxMs: ms(Math.max(reconnectPeriod, reconnectPeriodMax)),
    };
    return base.mode === "external"
      ? { ...base, mode: "external" as const, url: base.url ?? "" }
      : { ...base, mode: "embedded" as const, url: undefined };
  });

function checkMqtt(v: unknown, ctx: IssueSink): void {
  const mode = valid(z.enum(mqttModes).default("embedded"), at(v, "mode"));
  const url = at(v, "url");
  if (mode === "external" && url === undefined) issue(ctx, ["url"], "required when mqtt.mode is external");
  if (mode === "embedded" && url !== undefined) {
    issue(
      ctx,
      ["url"],
      "only used when mqtt.mode is external (set mqtt.mode to external, or remove mqtt.url)",
    );
  }
  if (at(v, "password") !== undefined && at(v, "username") === undefined) {
    issue(ctx, ["password"], "needs mqtt.username");
  }
  if (at(v, "tls") !== undefined && mode !== undefined) {
    const u = valid(mqttUrl(), url);
    const secure = u !== undefined && (u.startsWith("mqtts:") || u.startsWith("wss:"));
    if (mode === "embedded") {
      issue(
        ctx,
        ["tls"],
        "only used with an mqtts:// or wss:// url of an external broker (the embedded broker's TLS listener is mqtt.embedded.tls)",
      );
    } else if (u !== undefined && !secure) {
      issue(ctx, ["tls"], "only used with an mqtts:// or wss:// url of an external broker");
    }
  }
}

// ---------------------------------------------------------------- bridge, simulator, http, log

const availabilitySchema = z
  .strictObject({
    topic: topic(),
    offline: nonEmpty().default("offline"),
    online: nonEmpty().default("online"),
    points: z
      .union([z.literal("all"), z.array(nonEmpty())], {
        error: (iss) => `must be "all" or a list of point names, got ${describeValue(iss.input)}`,
      })
      .superRefine((v, ctx) => {
        if (Array.isArray(v) && v.length === 0) issue(ctx, [], 'must list at least one point (or be "all")');
      })
      .default("all"),
  })
  .superRefine((v, ctx) => {
    const online = at(v, "online") ?? "online";
    if (online === (at(v, "offline") ?? "offline")) issue(ctx, ["offline"], "must differ from online");
  }, always);

const bridgeSchema = z
  .strictObject({
    staleAfter: seconds(0, 604_800).default(0),
    badPayload: z.enum(["keep", "invalid"]).default("keep"),
    commandMode: z.enum(["auto", "mqtt", "reject"]).default("auto"),
    /** Default: iec104.commandTimeout. */
    commandTimeout: seconds(0.001, 3600).optional(),
    availability: z
      .array(availabilitySchema)
      .superRefine(
        (v, ctx) =>
          checkUnique(
            v,
            (a) => valid(topic(), at(a, "topic")),
            (i, first, t) => issue(ctx, [i, "topic"], `duplicate topic "${t}" (also availability[${first}])`),
          ),
        always,
      )
      .default(() => []),
    republishOnConnect: z.boolean().default(true),
    /** Retained state is coalesced per point over this interval (0: published at once). */
    stateInterval: seconds(0, 3600).default(0.2),
  })
  .transform(({ staleAfter, commandTimeout, stateInterval, ...rest }) => ({
    ...rest,
    staleAfterMs: ms(staleAfter),
    stateIntervalMs: ms(stateInterval),
    commandTimeoutMs: commandTimeout === undefined ? undefined : ms(commandTimeout),
  }));

const simulatorSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    seed: int(0, 4_294_967_295).default(1),
    interval: seconds(0.01, 3600).default(1),
  })
  .transform(({ interval, ...rest }) => ({ ...rest, intervalMs: ms(interval) }));

const httpSchema = z.strictObject({
  enabled: z.boolean().default(true),
  host: nonEmpty().default("0.0.0.0"),
  port: port().default(8080),
});

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const logSchema = z.strictObject({
  level: z.enum(LOG_LEVELS).default("info"),
  pretty: z.enum(["auto", "always", "never"]).default("auto"),
});

// ---------------------------------------------------------------- the whole

export const SECTIONS = [
  "gateway",
  "iec104",
  "stations",
  "datapoints",
  "mqtt",
  "bridge",
  "simulator",
  "http",
  "log",
] as const;

export const GatewayConfigSchema = z
  .strictObject({
    gateway: gatewaySchema.prefault({}),
    iec104: iec104Schema.prefault({}),
    stations: stationsSchema,
    datapoints: datapointsSchema.prefault({}),
    mqtt: mqttSchema.prefault({}),
    bridge: bridgeSchema.prefault({}),
    simulator: simulatorSchema.prefault({}),
    http: httpSchema.prefault({}),
    log: logSchema.prefault({}),
  })
  .superRefine((v, ctx) => checkPorts(v, ctx), always)
  .transform((c) => ({
    ...c,
    mqtt: { ...c.mqtt, clientId: c.mqtt.clientId ?? c.gateway.id },
    bridge: { ...c.bridge, commandTimeoutMs: c.bridge.commandTimeoutMs ?? c.iec104.commandTimeoutMs },
  }));

const WILDCARD_HOSTS = new Set(["0.0.0.0", "::", "[::]"]);

/** Two listeners of the gateway on one port and overlapping addresses. */
function checkPorts(v: unknown, ctx: IssueSink): void {
  const listeners: { path: string[]; host: unknown; port: number | undefined }[] = [
    { path: ["iec104", "port"], host: at(v, "iec104", "host"), port: valid(port(), at(v, "iec104", "port")) },
  ];
  if (at(v, "http", "enabled") !== false) {
    listeners.push({
      path: ["http", "port"],
      host: at(v, "http", "host"),
      port: valid(port(), at(v, "http", "port")),
    });
  }
  if (record(at(v, "mqtt")) !== undefined && (at(v, "mqtt", "mode") ?? "embedded") === "embedded") {
    const host = at(v, "mqtt", "embedded", "host");
    for (const key of ["port", "wsPort"]) {
      const p = valid(port(), at(v, "mqtt", "embedded", key));
      listeners.push({ path: ["mqtt", "embedded", key], host, port: p });
    }
    if (record(at(v, "mqtt", "embedded", "tls")) !== undefined) {
      listeners.push({
        path: ["mqtt", "embedded", "tls", "port"],
        host: at(v, "mqtt", "embedded", "tls", "host") ?? host,
        port: valid(port().default(8883), at(v, "mqtt", "embedded", "tls", "port")),
      });
    }
  }
  listeners.forEach((l, i) => {
    if (l.port === undefined || l.port === 0) return;
    const other = listeners.slice(0, i).find((e) => e.port === l.port && sameAddress(e.host, l.host));
    if (other !== undefined) issue(ctx, l.path, `port ${l.port} is already used by ${other.path.join(".")}`);
  });
}

function sameAddress(a: unknown, b: unknown): boolean {
  const ha = typeof a === "string" ? a : "0.0.0.0";
  const hb = typeof b === "string" ? b : "0.0.0.0";
  return ha === hb || WILDCARD_HOSTS.has(ha) || WILDCARD_HOSTS.has(hb);
}

/** The parsed, fully defaulted configuration (durations in milliseconds, `...Ms`). */
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
/** What a configuration file may contain (durations in seconds; everything optional). */
export type GatewayConfigInput = z.input<typeof GatewayConfigSchema>;

export type GatewaySection = GatewayConfig["gateway"];
export type Iec104Config = GatewayConfig["iec104"];
export type Iec104TlsConfig = NonNullable<Iec104Config["tls"]>;
export type StationConfig = GatewayConfig["stations"][number];
export type DatapointsConfig = GatewayConfig["datapoints"];
export type MqttConfig = GatewayConfig["mqtt"];
export type MqttTlsConfig = NonNullable<MqttConfig["tls"]>;
export type EmbeddedBrokerConfig = MqttConfig["embedded"];
export type EmbeddedTlsConfig = NonNullable<EmbeddedBrokerConfig["tls"]>;
export type MqttRole = (typeof mqttRoles)[number];
export type BridgeConfig = GatewayConfig["bridge"];
export type AvailabilityConfig = BridgeConfig["availability"][number];
export type SimulatorConfig = GatewayConfig["simulator"];
export type HttpConfig = GatewayConfig["http"];
export type LogConfig = GatewayConfig["log"];
export type LogLevel = (typeof LOG_LEVELS)[number];
