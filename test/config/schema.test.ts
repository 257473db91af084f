/** The schema: defaults, units, field checks and every cross-field check. */
import { describe, expect, it } from "vitest";
import {
  defaultConfig,
  type GatewayConfigInput,
  outstationOptions,
  parseConfig,
  tlsServerOptions,
} from "../../src/config/index.js";
import { DEFAULT_LINK_CONFIG } from "../../src/iec104/link/session.js";
import { defaultOutstationOptions } from "../../src/iec104/outstation/options.js";
import { problemsOf } from "./helpers.js";

const problems = (input: GatewayConfigInput | Record<string, unknown>) =>
  problemsOf(() => parseConfig(input));

describe("defaults", () => {
  it("the iec104 section gives exactly defaultOutstationOptions() (without the hooks and TLS)", () => {
    const { tls, ...expected } = defaultOutstationOptions();
    expect(tls).toBeUndefined();
    expect(outstationOptions(defaultConfig().iec104)).toEqual(expected);
    expect(defaultConfig().iec104.tls).toBeUndefined();
  });

  it("timers are configured in seconds and parsed to milliseconds", () => {
    const c = defaultConfig();
    expect([c.iec104.k, c.iec104.w]).toEqual([12, 8]);
    expect([c.iec104.t0Ms, c.iec104.t1Ms, c.iec104.t2Ms, c.iec104.t3Ms]).toEqual([
      30_000, 15_000, 10_000, 20_000,
    ]);
    expect(DEFAULT_LINK_CONFIG).toEqual({
      k: 12,
      w: 8,
      t0Ms: 30_000,
      t1Ms: 15_000,
      t2Ms: 10_000,
      t3Ms: 20_000,
    });
    const t = parseConfig({
      iec104: { t1: 2.5, t2: 0.5, t3: 4, selectTimeout: 3, commandTimeout: 0.25, maxCommandAge: 0 },
    });
    expect(t.iec104).toMatchObject({
      t1Ms: 2500,
      t2Ms: 500,
      t3Ms: 4000,
      selectTimeoutMs: 3000,
      commandTimeoutMs: 250,
      maxCommandAgeMs: 0,
    });
    expect(t.iec104).not.toHaveProperty("t1");
    const b = parseConfig({ bridge: { staleAfter: 90, commandTimeout: 4 }, simulator: { interval: 0.2 } });
    expect(b.bridge.staleAfterMs).toBe(90_000);
    expect(b.bridge.commandTimeoutMs).toBe(4000);
    expect(b.simulator.intervalMs).toBe(200);
    const m = parseConfig({ mqtt: { keepalive: 45, reconnectPeriod: 2.5 } }).mqtt;
    expect([m.keepaliveMs, m.reconnectPeriodMs]).toEqual([45_000, 2500]);
  });

  it("every section", () => {
    const c = defaultConfig();
    expect(c.gateway).toEqual({ id: "iec104-gw" });
    expect(c.stations).toEqual([]);
    expect(c.datapoints).toEqual({ file: "Datapoints.json", defaultCa: 1, startAddress: 1 });
    expect(c.mqtt).toEqual({
      mode: "embedded",
      url: undefined,
      clientId: "iec104-gw",
      baseTopic: "iec104",
      qos: 1,
      keepaliveMs: 30_000,
      reconnectPeriodMs: 1000,
      reconnectPeriodMaxMs: 30_000,
      embedded: { host: "0.0.0.0", port: 1883, maxPacketSize: 1_048_576, maxPendingBytes: 8_388_608 },
    });
    expect(c.bridge).toEqual({
      staleAfterMs: 0,
      badPayload: "keep",
      commandMode: "auto",
      commandTimeoutMs: 10_000,
      availability: [],
      republishOnConnect: true,
      stateIntervalMs: 200,
    });
    expect(c.simulator).toEqual({ enabled: true, seed: 1, intervalMs: 1000 });
    expect(c.http).toEqual({ enabled: true, host: "0.0.0.0", port: 8080 });
    expect(c.log).toEqual({ level: "info", pretty: "auto" });
  });

  it("defaults that follow other settings: mqtt.clientId, bridge.commandTimeout", () => {
    const c = parseConfig({ gateway: { id: "gw-7" }, iec104: { commandTimeout: 3 } });
    expect(c.mqtt.clientId).toBe("gw-7");
    expect(c.bridge.commandTimeoutMs).toBe(3000);
    const d = parseConfig({
      gateway: { id: "gw-7" },
      mqtt: { clientId: "own" },
      bridge: { commandTimeout: 1 },
    });
    expect(d.mqtt.clientId).toBe("own");
    expect(d.bridge.commandTimeoutMs).toBe(1000);
  });

  it("default lists are not shared between parses", () => {
    const a = defaultConfig();
    a.iec104.allowlist.push("10.0.0.1");
    a.stations.push({ ca: 1 });
    expect(defaultConfig().iec104.allowlist).toEqual([]);
    expect(defaultConfig().stations).toEqual([]);
  });

  it("bridge.availability entries get their defaults", () => {
    const c = parseConfig({ bridge: { availability: [{ topic: "plant/rtu1/status" }] } });
    expect(c.bridge.availability).toEqual([
      { topic: "plant/rtu1/status", offline: "offline", online: "online", points: "all" },
    ]);
  });
});

describe("field checks", () => {
  it("ranges, integers, enums, types, unknown keys", () => {
    expect(
      problems({
        gateway: { id: "my gateway" },
        iec104: {
          port: 70000,
          k: 1.5,
          t1: 0,
          maxCommandAge: -1,
          allowedOriginators: [256],
          clockSync: "set",
          prot: 1,
        },
        stations: [{ ca: 0 }, { ca: 65535 }],
        mqtt: { qos: 2, keepalive: "30" },
        log: { level: "verbose" },
      }),
    ).toEqual([
      'gateway.id: must be 1 to 64 of the characters A-Z a-z 0-9 _ -, got "my gateway"',
      "iec104.port: must be 0..65535, got 70000",
      "iec104.k: must be an integer, got 1.5",
      "iec104.t1: must be 0.001..255 seconds, got 0",
      "iec104.allowedOriginators[0]: must be 0..255, got 256",
      "iec104.maxCommandAge: must be 0..86400 seconds (0 disables), got -1",
      'iec104.clockSync: must be one of "offset", "ignore", "reject", got "set"',
      'iec104.prot: unknown key (did you mean "port"?)',
      "stations[0].ca: must be 1..65534, got 0",
      "stations[1].ca: must be 1..65534, got 65535",
      "mqtt.qos: must be one of 0, 1, got 2",
      'mqtt.keepalive: expected a number, got "30"',
      'log.level: must be one of "fatal", "error", "warn", "info", "debug", "trace", "silent", got "verbose"',
    ]);
  });

  it("unknown sections name the sections", () => {
    expect(problems({ iec: {} })).toEqual([
      "iec: unknown section; the sections are gateway, iec104, stations, datapoints, mqtt, bridge, simulator, http, log",
    ]);
  });

  it("wrong container types and required fields", () => {
    expect(
      problems({ iec104: [], stations: {}, bridge: { availability: [{ online: "up" }] }, http: "on" }),
    ).toEqual([
      "iec104: expected an object, got a list",
      "stations: expected a list, got an object",
      "bridge.availability[0].topic: required",
      'http: expected an object, got "on"',
    ]);
  });

  it("IP addresses (IPv4 and IPv6) in the allowlist and redundancy groups", () => {
    expect(
      parseConfig({ iec104: { allowlist: ["10.0.0.1", "::1", "fe80::1"] } }).iec104.allowlist,
    ).toHaveLength(3);
    expect(problems({ iec104: { allowlist: ["10.0.0.300", "host.example", ""] } })).toEqual([
      'iec104.allowlist[0]: must be an IPv4 or IPv6 address, got "10.0.0.300"',
      'iec104.allowlist[1]: must be an IPv4 or IPv6 address, got "host.example"',
      'iec104.allowlist[2]: must be an IPv4 or IPv6 address, got ""',
    ]);
  });

  it("TLS: only TLSv1.2 and TLSv1.3", () => {
    const tls = { cert: "c.pem", key: "k.pem", ca: "ca.pem" };
    expect(parseConfig({ iec104: { tls } }).iec104.tls).toEqual({
      ...tls,
      requireClientCert: true,
      minVersion: "TLSv1.2",
    });
    expect(parseConfig({ iec104: { tls: { ...tls, minVersion: "TLSv1.3" } } }).iec104.tls?.minVersion).toBe(
      "TLSv1.3",
    );
    expect(problems({ iec104: { tls: { ...tls, minVersion: "TLSv1.1" } } })).toEqual([
      'iec104.tls.minVersion: must be one of "TLSv1.2", "TLSv1.3", got "TLSv1.1"',
    ]);
    expect(problems({ iec104: { tls: { cert: "c.pem", ca: "ca.pem" } } })).toEqual([
      "iec104.tls.key: required",
    ]);
  });

  it("MQTT URLs and the base topic", () => {
    const ext = (url: string) => ({ mqtt: { mode: "external", url } });
    for (const url of ["mqtt://b:1883", "mqtts://b:8883", "ws://b:9001/mqtt", "wss://b/mqtt"]) {
      expect(parseConfig(ext(url)).mqtt.url).toBe(url);
    }
    expect(problems(ext("http://b"))).toEqual([
      'mqtt.url: must start with mqtt://, mqtts://, ws:// or wss://, got "http://b"',
    ]);
    expect(problems(ext("broker:1883"))).toEqual([
      'mqtt.url: must start with mqtt://, mqtts://, ws:// or wss://, got "broker:1883"',
    ]);
    expect(problems(ext("not a url"))).toEqual([
      'mqtt.url: must be a URL like mqtt://broker:1883, got "not a url"',
    ]);
    const topic = (baseTopic: string) => problems({ mqtt: { baseTopic } });
    expect(topic("a/#")).toEqual(['mqtt.baseTopic: must not contain the wildcards + or #, got "a/#"']);
    expect(topic("a/+/b")).toEqual(['mqtt.baseTopic: must not contain the wildcards + or #, got "a/+/b"']);
    expect(topic("/iec104")).toEqual(['mqtt.baseTopic: must not start or end with /, got "/iec104"']);
    expect(topic("iec104/")).toEqual(['mqtt.baseTopic: must not start or end with /, got "iec104/"']);
    expect(topic("a//b")).toEqual(['mqtt.baseTopic: must not contain empty levels (//), got "a//b"']);
    expect(topic("$SYS")).toEqual([
      'mqtt.baseTopic: must not start with $ (reserved for the broker), got "$SYS"',
    ]);
    expect(topic("")).toEqual(["mqtt.baseTopic: must not be empty"]);
    expect(parseConfig({ mqtt: { baseTopic: "site/4711/iec104" } }).mqtt.baseTopic).toBe("site/4711/iec104");
  });
});

describe("cross-field checks", () => {
  it("w <= k, t2 < t1 < t3 (validateLinkConfig's rules, on the configured names)", () => {
    expect(problems({ iec104: { k: 12, w: 13 } })).toEqual(["iec104.w: must not exceed k; w is 13, k is 12"]);
    expect(problems({ iec104: { t1: 15, t2: 15 } })).toEqual([
      "iec104.t2: must be shorter than t1 (else the peer's t1 fires first); t2 is 15 s, t1 is 15 s",
    ]);
    expect(problems({ iec104: { t1: 20, t3: 20 } })).toEqual([
      "iec104.t3: must be longer than t1; t3 is 20 s, t1 is 20 s",
    ]);
    expect(parseConfig({ iec104: { k: 8, w: 8, t1: 5, t2: 4.999, t3: 5.001 } }).iec104.w).toBe(8);
  });

  it("a relation is not checked when one of its fields is itself invalid", () => {
    expect(problems({ iec104: { k: 0, w: 20 } })).toEqual(["iec104.k: must be 1..32767, got 0"]);
    expect(problems({ iec104: { t1: "x", t2: 30, w: 20 } })).toEqual([
      'iec104.t1: expected a number, got "x"',
      "iec104.w: must not exceed k; w is 20, k is 12",
    ]);
  });

  it("redundancy groups", () => {
    const groups = [
      { name: "a", ips: ["10.0.0.1", "10.0.0.2"] },
      { name: "a", ips: ["10.0.0.2"] },
      { name: "c", ips: [] },
    ];
    expect(problems({ iec104: { redundancy: { mode: "by-ip", groups } } })).toEqual([
      "iec104.redundancy.groups[2].ips: must list at least one address",
      'iec104.redundancy.groups[1].name: duplicate group name "a" (also groups[0])',
      "iec104.redundancy.groups[1].ips[0]: 10.0.0.2 is already in groups[0]",
    ]);
    expect(problems({ iec104: { redundancy: { mode: "single-group", groups: [groups[0]] } } })).toEqual([
      'iec104.redundancy.groups: only used when mode is by-ip (mode is "single-group")',
    ]);
    expect(parseConfig({ iec104: { redundancy: { mode: "by-ip" } } }).iec104.redundancy.groups).toEqual([]);
  });

  it("redundancy group addresses must be allowed to connect", () => {
    const redundancy = { mode: "by-ip", groups: [{ name: "a", ips: ["10.0.0.1", "10.0.0.9"] }] };
    expect(problems({ iec104: { allowlist: ["10.0.0.1"], redundancy } })).toEqual([
      "iec104.redundancy.groups[0].ips[1]: 10.0.0.9 is not in iec104.allowlist, so it can never connect",
    ]);
    expect(parseConfig({ iec104: { redundancy } }).iec104.redundancy.groups).toHaveLength(1);
  });

  it("TLS client authentication needs a CA", () => {
    expect(problems({ iec104: { tls: { cert: "c", key: "k" } } })).toEqual([
      "iec104.tls.ca: required when requireClientCert is true (the CA that signs the masters' certificates)",
    ]);
    expect(
      parseConfig({ iec104: { tls: { cert: "c", key: "k", requireClientCert: false } } }).iec104.tls,
    ).toEqual({
      cert: "c",
      key: "k",
      requireClientCert: false,
      minVersion: "TLSv1.2",
    });
  });

  it("stations: one entry per common address", () => {
    expect(problems({ stations: [{ ca: 1 }, { ca: 2 }, { ca: 1, name: "again" }] })).toEqual([
      "stations[2].ca: duplicate common address 1 (also stations[0])",
    ]);
  });

  it("mqtt: url with the mode, password with a username, TLS with a secure external URL", () => {
    expect(problems({ mqtt: { mode: "external" } })).toEqual([
      "mqtt.url: required when mqtt.mode is external",
    ]);
    expect(problems({ mqtt: { url: "mqtt://b" } })).toEqual([
      "mqtt.url: only used when mqtt.mode is external (set mqtt.mode to external, or remove mqtt.url)",
    ]);
    expect(problems({ mqtt: { password: "x" } })).toEqual(["mqtt.password: needs mqtt.username"]);
    expect(problems({ mqtt: { mode: "external", url: "mqtt://b", tls: {} } })).toEqual([
      "mqtt.tls: only used with an mqtts:// or wss:// url of an external broker",
    ]);
    expect(problems({ mqtt: { tls: {} } })).toEqual([
      "mqtt.tls: only used with an mqtts:// or wss:// url of an external broker (the embedded broker's TLS listener is mqtt.embedded.tls)",
    ]);
    expect(problems({ mqtt: { mode: "external", url: "mqtts://b", tls: { cert: "c" } } })).toEqual([
      "mqtt.tls.key: required with mqtt.tls.cert",
    ]);
    const ok = parseConfig({
      mqtt: { mode: "external", url: "wss://b/mqtt", username: "u", password: "p", tls: {} },
    });
    expect(ok.mqtt.tls).toEqual({ rejectUnauthorized: true });
  });

  it("mqtt.embedded: WebSocket port, users", () => {
    expect(problems({ mqtt: { embedded: { port: 1883, wsPort: 1883 } } })).toEqual([
      "mqtt.embedded.wsPort: port 1883 is already used by mqtt.embedded.port",
    ]);
    expect(parseConfig({ mqtt: { embedded: { port: 0, wsPort: 0 } } }).mqtt.embedded.wsPort).toBe(0);
    const user = { username: "a", password: "p", role: "admin" };
    expect(problems({ mqtt: { embedded: { auth: { users: [user, { ...user, role: "root" }] } } } })).toEqual([
      'mqtt.embedded.auth.users[1].role: must be one of "publisher", "executor", "observer", "admin", got "root"',
      'mqtt.embedded.auth.users[1].username: duplicate user "a" (also users[0])',
    ]);
    expect(problems({ mqtt: { embedded: { auth: { users: [] } } } })).toEqual([
      "mqtt.embedded.auth.users: must list at least one user (leave auth out for no authentication)",
    ]);
    expect(
      problems({ mqtt: { embedded: { auth: { users: [{ username: "a", password: "", role: "admin" }] } } } }),
    ).toEqual(["mqtt.embedded.auth.users[0].password: must not be empty"]);
    const users = [
      { username: "p", password: "1", role: "publisher" },
      { username: "e", password: "2", role: "executor" },
      { username: "o", password: "3", role: "observer" },
      { username: "a", password: "4", role: "admin" },
    ];
    expect(parseConfig({ mqtt: { embedded: { auth: { users } } } }).mqtt.embedded.auth).toEqual({ users });
  });

  it("mqtt.embedded: maxPacketSize and maxPendingBytes", () => {
    const e = parseConfig({ mqtt: { embedded: { maxPacketSize: 4096, maxPendingBytes: 65536 } } }).mqtt
      .embedded;
    expect([e.maxPacketSize, e.maxPendingBytes]).toEqual([4096, 65536]);
    expect(problems({ mqtt: { embedded: { maxPacketSize: 0, maxPendingBytes: 2 ** 31 + 1 } } })).toEqual([
      "mqtt.embedded.maxPacketSize: must be 1..268435455, got 0",
      "mqtt.embedded.maxPendingBytes: must be 1..2147483648, got 2147483649",
    ]);
    expect(problems({ mqtt: { embedded: { maxPendingBytes: 65536 } } })).toEqual([
      "mqtt.embedded.maxPendingBytes: must be at least maxPacketSize (1048576), or one largest message disconnects a client; got 65536",
    ]);
    expect(problems({ mqtt: { embedded: { maxPacketSize: 16_777_216 } } })).toEqual([
      "mqtt.embedded.maxPendingBytes: must be at least maxPacketSize (16777216), or one largest message disconnects a client; got 8388608",
    ]);
  });

  it("mqtt.embedded.tls: defaults, a CA for client certificates, TLS 1.2 or newer", () => {
    expect(parseConfig({ mqtt: { embedded: { tls: { cert: "c", key: "k" } } } }).mqtt.embedded.tls).toEqual({
      cert: "c",
      key: "k",
      port: 8883,
      requireClientCert: false,
      minVersion: "TLSv1.2",
    });
    const full = { host: "127.0.0.1", port: 8884, cert: "c", key: "k", ca: "ca", requireClientCert: true };
    expect(
      parseConfig({
        mqtt: { embedded: { tls: { ...full, minVersion: "TLSv1.3", ciphers: "TLS_AES_256_GCM_SHA384" } } },
      }).mqtt.embedded.tls,
    ).toEqual({ ...full, minVersion: "TLSv1.3", ciphers: "TLS_AES_256_GCM_SHA384" });
    expect(
      problems({ mqtt: { embedded: { tls: { requireClientCert: true, minVersion: "TLSv1.1", pot: 1 } } } }),
    ).toEqual([
      "mqtt.embedded.tls.cert: required",
      "mqtt.embedded.tls.key: required",
      'mqtt.embedded.tls.minVersion: must be one of "TLSv1.2", "TLSv1.3", got "TLSv1.1"',
      'mqtt.embedded.tls.pot: unknown key (did you mean "port"?)',
      "mqtt.embedded.tls.ca: required when requireClientCert is true (the CA that signs the clients' certificates)",
    ]);
  });

  it("mqtt.embedded.tls.port: a listener of its own (its default 8883 included)", () => {
    const tls = { cert: "c", key: "k" };
    expect(problems({ mqtt: { embedded: { port: 8883, tls } } })).toEqual([
      "mqtt.embedded.tls.port: port 8883 is already used by mqtt.embedded.port",
    ]);
    expect(problems({ iec104: { port: 8884 }, mqtt: { embedded: { tls: { ...tls, port: 8884 } } } })).toEqual(
      ["mqtt.embedded.tls.port: port 8884 is already used by iec104.port"],
    );
    expect(
      problems({ mqtt: { embedded: { wsPort: 9001, tls: { ...tls, port: 9001, host: "127.0.0.1" } } } }),
    ).toEqual(["mqtt.embedded.tls.port: port 9001 is already used by mqtt.embedded.wsPort"]);
    // Different addresses may share a port; a TLS listener of its own host is fine.
    const apart = parseConfig({
      mqtt: { embedded: { host: "127.0.0.1", port: 1883, tls: { ...tls, host: "10.0.0.5", port: 1883 } } },
    });
    expect(apart.mqtt.embedded.tls?.host).toBe("10.0.0.5");
    // An external broker: the embedded listeners are not checked.
    expect(
      parseConfig({ mqtt: { mode: "external", url: "mqtt://b", embedded: { port: 8883, tls } } }).mqtt.mode,
    ).toBe("external");
  });

  it("bridge.availability", () => {
    expect(
      problems({
        bridge: {
          availability: [
            { topic: "a/status", online: "up", offline: "up" },
            { topic: "a/status", points: [] },
            { topic: "b/status", points: "some" },
            { topic: "c/+/status" },
          ],
        },
      }),
    ).toEqual([
      "bridge.availability[0].offline: must differ from online",
      'bridge.availability[1].points: must list at least one point (or be "all")',
      'bridge.availability[2].points: must be "all" or a list of point names, got "some"',
      'bridge.availability[3].topic: must not contain the wildcards + or #, got "c/+/status"',
      'bridge.availability[1].topic: duplicate topic "a/status" (also availability[0])',
    ]);
    const c = parseConfig({ bridge: { availability: [{ topic: "a/s", points: ["Netzfrequenz"] }] } });
    expect(c.bridge.availability[0]?.points).toEqual(["Netzfrequenz"]);
  });

  it("listeners of the gateway on one port", () => {
    expect(problems({ http: { port: 2404 } })).toEqual([
      "http.port: port 2404 is already used by iec104.port",
    ]);
    expect(problems({ mqtt: { embedded: { wsPort: 8080 } } })).toEqual([
      "mqtt.embedded.wsPort: port 8080 is already used by http.port",
    ]);
    expect(parseConfig({ http: { port: 2404, enabled: false } }).http.port).toBe(2404);
    expect(parseConfig({ http: { port: 1883 }, mqtt: { mode: "external", url: "mqtt://b" } }).http.port).toBe(
      1883,
    );
    expect(
      parseConfig({ http: { port: 2404, host: "127.0.0.1" }, iec104: { host: "10.0.0.5" } }).http.port,
    ).toBe(2404);
    expect(parseConfig({ http: { port: 0 }, iec104: { port: 0 } }).http.port).toBe(0);
  });
});

describe("outstation options", () => {
  it("maps every configured field", () => {
    const c = parseConfig({
      iec104: {
        host: "127.0.0.1",
        port: 2405,
        k: 20,
        w: 10,
        t1: 5,
        t2: 2,
        t3: 30,
        maxConnections: 2,
        allowlist: ["10.0.0.1"],
        allowedOriginators: [3],
        redundancy: { mode: "by-ip", groups: [{ name: "g", ips: ["10.0.0.1"] }] },
        eventQueue: { capacity: 5, overflow: "drop-newest" },
        clockSync: "reject",
        timeZone: "local",
        sequenceInterrogation: true,
        counters: { readFrozen: true, spontaneousAfterFreeze: true },
      },
    });
    expect(outstationOptions(c.iec104)).toEqual({
      host: "127.0.0.1",
      port: 2405,
      link: { k: 20, w: 10, t0Ms: 30_000, t1Ms: 5000, t2Ms: 2000, t3Ms: 30_000 },
      redundancy: { mode: "by-ip", groups: [{ name: "g", ips: ["10.0.0.1"] }] },
      eventQueue: { capacity: 5, overflow: "drop-newest" },
      maxConnections: 2,
      allowlist: ["10.0.0.1"],
      allowedOriginators: [3],
      selectTimeoutMs: 10_000,
      commandTimeoutMs: 10_000,
      maxCommandAgeMs: 10_000,
      clockSync: "reject",
      timeZone: "local",
      sequenceInterrogation: true,
      counters: { readFrozen: true, spontaneousAfterFreeze: true },
    });
  });

  it("TLS server options of the embedded broker: no client certificate unless required", () => {
    const read = (p: string) => Buffer.from(`pem of ${p}`);
    const plain = parseConfig({ mqtt: { embedded: { tls: { cert: "c", key: "k" } } } }).mqtt.embedded.tls!;
    expect(tlsServerOptions(plain, read)).toEqual({
      cert: Buffer.from("pem of c"),
      key: Buffer.from("pem of k"),
      requestCert: false,
      rejectUnauthorized: false,
      minVersion: "TLSv1.2",
    });
    const mutual = parseConfig({
      mqtt: { embedded: { tls: { cert: "c", key: "k", ca: "ca", requireClientCert: true } } },
    }).mqtt.embedded.tls!;
    expect(tlsServerOptions(mutual, read)).toMatchObject({
      ca: Buffer.from("pem of ca"),
      requestCert: true,
      rejectUnauthorized: true,
    });
  });

  it("TLS server options: mutual authentication and the minimum version", () => {
    const read = (p: string) => Buffer.from(`pem of ${p}`);
    const tls = parseConfig({ iec104: { tls: { cert: "c", key: "k", ca: "ca", minVersion: "TLSv1.3" } } })
      .iec104.tls!;
    expect(tlsServerOptions(tls, read)).toEqual({
      cert: Buffer.from("pem of c"),
      key: Buffer.from("pem of k"),
      ca: Buffer.from("pem of ca"),
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: "TLSv1.3",
    });
  });
});
