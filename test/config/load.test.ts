/** loadConfig: files (YAML, JSON), environment variables, overrides, precedence, paths, errors. */
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, defaultConfig, loadConfig } from "../../src/config/index.js";
import { problemsOf, tempDir } from "./helpers.js";

const CONFIG_DIR = resolve(import.meta.dirname, "../../config");

describe("configuration files", () => {
  it("a file with five mistakes gives five lines, at once", () => {
    const dir = tempDir({
      "gateway.yaml": [
        "iec104:",
        "  port: 70000",
        "  w: 20",
        "  allowlist: [10.0.0.300]",
        "mqtt:",
        "  mode: external",
        "log:",
        "  levle: debug",
        "",
      ].join("\n"),
    });
    let error: unknown;
    try {
      loadConfig({ file: "gateway.yaml", env: {}, cwd: dir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = [
      "iec104.port: must be 0..65535, got 70000",
      'iec104.allowlist[0]: must be an IPv4 or IPv6 address, got "10.0.0.300"',
      "iec104.w: must not exceed k; w is 20, k is 12",
      "mqtt.url: required when mqtt.mode is external",
      'log.levle: unknown key (did you mean "level"?)',
    ];
    expect((error as ConfigError).problems).toEqual(lines);
    expect((error as ConfigError).message).toBe(`invalid configuration (5 problems):\n${lines.join("\n")}`);
  });

  it("YAML and JSON give the same configuration", () => {
    const dir = tempDir({
      "a.yaml": "iec104:\n  port: 2405\n  allowlist: [10.0.0.1]\nlog:\n  level: debug\n",
      "a.yml": "iec104: { port: 2405, allowlist: ['10.0.0.1'] }\nlog: { level: debug }\n",
      "a.json": '{ "iec104": { "port": 2405, "allowlist": ["10.0.0.1"] }, "log": { "level": "debug" } }\n',
    });
    const [y, yml, j] = ["a.yaml", "a.yml", "a.json"].map(
      (file) => loadConfig({ file, env: {}, cwd: dir }).config,
    );
    expect(y?.iec104.port).toBe(2405);
    expect(y?.log.level).toBe("debug");
    expect(yml).toEqual(y);
    expect(j).toEqual(y);
  });

  it("YAML syntax errors name the line and column", () => {
    const dir = tempDir({
      "bad.yaml": "iec104:\n  port: 2405\n k: 12\n",
      "dup.yaml": "log:\n  level: info\n  level: debug\n",
      "quote.yaml": "gateway:\n  id: 'gw\n",
    });
    expect(problemsOf(() => loadConfig({ file: "bad.yaml", env: {}, cwd: dir }))).toEqual([
      "bad.yaml:3:1: invalid YAML: All mapping items must start at the same column",
    ]);
    expect(problemsOf(() => loadConfig({ file: "dup.yaml", env: {}, cwd: dir }))).toEqual([
      "dup.yaml:3:3: invalid YAML: Map keys must be unique",
    ]);
    const quote = problemsOf(() => loadConfig({ file: "quote.yaml", env: {}, cwd: dir }));
    expect(quote).toHaveLength(1);
    expect(quote[0]).toMatch(/^quote\.yaml:\d+:\d+: invalid YAML: Missing closing 'quote/);
  });

  it("JSON syntax errors name the line and column", () => {
    const dir = tempDir({
      "comma.json": '{\n  "iec104": {\n    "port": 2405,\n  }\n}\n',
      "token.json": '{\n  "log": { "level": tru }\n}\n',
      "short.json": '{\n  "log": {\n',
    });
    expect(problemsOf(() => loadConfig({ file: "comma.json", env: {}, cwd: dir }))).toEqual([
      "comma.json:4:3: invalid JSON: Expected double-quoted property name",
    ]);
    const token = problemsOf(() => loadConfig({ file: "token.json", env: {}, cwd: dir }));
    expect(token).toHaveLength(1);
    expect(token[0]).toMatch(/^token\.json:2:24: invalid JSON: Unexpected token ' '$/);
    const short = problemsOf(() => loadConfig({ file: "short.json", env: {}, cwd: dir }));
    expect(short[0]).toMatch(/^short\.json:3:1: invalid JSON: /);
  });

  it("unreadable, unknown and empty files", () => {
    const dir = tempDir({
      "empty.yaml": "# nothing yet\n",
      "gw.toml": "",
      "list.yaml": "- a\n",
      "n.json": "5",
    });
    expect(problemsOf(() => loadConfig({ file: "missing.yaml", env: {}, cwd: dir }))).toEqual([
      "missing.yaml: cannot read the configuration: file not found",
    ]);
    expect(problemsOf(() => loadConfig({ file: "gw.toml", env: {}, cwd: dir }))).toEqual([
      "gw.toml: unknown file type; use .yaml, .yml or .json",
    ]);
    expect(problemsOf(() => loadConfig({ file: "list.yaml", env: {}, cwd: dir }))).toEqual([
      "list.yaml: must be a mapping of sections (gateway, iec104, mqtt...), got a list",
    ]);
    expect(problemsOf(() => loadConfig({ file: "n.json", env: {}, cwd: dir }))).toEqual([
      "n.json: must be a mapping of sections (gateway, iec104, mqtt...), got 5",
    ]);
    const { config } = loadConfig({ file: "empty.yaml", env: {}, cwd: dir });
    expect(config.iec104).toEqual(defaultConfig().iec104);
  });

  it("an empty YAML value means the default", () => {
    const dir = tempDir({ "gw.yaml": "iec104:\n  tls:\n  allowlist:\nmqtt:\n  embedded:\n" });
    const { config } = loadConfig({ file: "gw.yaml", env: {}, cwd: dir });
    expect(config.iec104.tls).toBeUndefined();
    expect(config.iec104.allowlist).toEqual([]);
    expect(config.mqtt.embedded.port).toBe(1883);
  });

  it("a syntax error in the file is reported with the environment's problems", () => {
    const dir = tempDir({ "bad.json": "{" });
    expect(problemsOf(() => loadConfig({ file: "bad.json", env: { IEC104GW_NOPE: "1" }, cwd: dir }))).toEqual(
      [
        "bad.json:1:2: invalid JSON: Expected property name or '}'",
        'IEC104GW_NOPE: unknown variable: no setting "NOPE"',
      ],
    );
  });

  it("the example files load without error", () => {
    const files = readdirSync(CONFIG_DIR).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(files).toEqual(
      expect.arrayContaining(["external-broker.yaml", "gateway.example.yaml", "redundancy.yaml"]),
    );
    for (const file of files) {
      const { config, sources } = loadConfig({ file: join(CONFIG_DIR, file), env: {} });
      expect(sources).toEqual(["defaults", `file ${join(CONFIG_DIR, file)}`]);
      expect(config.datapoints.file).toBe(join(CONFIG_DIR, "Datapoints.json"));
    }
  });

  it("gateway.example.yaml states exactly the defaults", () => {
    const { config } = loadConfig({ file: join(CONFIG_DIR, "gateway.example.yaml"), env: {} });
    const defaults = defaultConfig();
    defaults.datapoints.file = join(CONFIG_DIR, "Datapoints.json");
    expect(config).toEqual(defaults);
  });

  it("redundancy.yaml and external-broker.yaml configure what they say", () => {
    const r = loadConfig({ file: join(CONFIG_DIR, "redundancy.yaml"), env: {} }).config;
    expect(r.iec104.redundancy.mode).toBe("by-ip");
    expect(r.iec104.redundancy.groups.map((g) => g.ips.length)).toEqual([2, 2]);
    const env = { IEC104GW_MQTT__PASSWORD: "from-env" };
    const e = loadConfig({ file: join(CONFIG_DIR, "external-broker.yaml"), env }).config;
    expect(e.mqtt.mode).toBe("external");
    expect(e.mqtt.password).toBe("from-env");
    expect(e.simulator.enabled).toBe(false);
  });
});

describe("environment variables", () => {
  it("IEC104GW_<SECTION>__<KEY>, matched without regard to case, _ or -", () => {
    const env = {
      IEC104GW_IEC104__PORT: "2405",
      IEC104GW_MQTT__URL: "mqtts://broker:8883",
      IEC104GW_MQTT__MODE: "external",
      IEC104GW_LOG__LEVEL: "debug",
      iec104gw_gateway__id: "lower-case",
      IEC104GW_Iec104__Max_Connections: "3",
      IEC104GW_IEC104__EVENT_QUEUE__OVERFLOW: "drop-newest",
      IEC104GW_IEC104__COUNTERS__SPONTANEOUS_AFTER_FREEZE: "TRUE",
    };
    const { config, sources } = loadConfig({ env, cwd: tempDir() });
    expect(config.iec104.port).toBe(2405);
    expect(config.mqtt.mode === "external" && config.mqtt.url).toBe("mqtts://broker:8883");
    expect(config.log.level).toBe("debug");
    expect(config.gateway.id).toBe("lower-case");
    expect(config.iec104.maxConnections).toBe(3);
    expect(config.iec104.eventQueue.overflow).toBe("drop-newest");
    expect(config.iec104.counters.spontaneousAfterFreeze).toBe(true);
    expect(sources).toEqual([
      "defaults",
      "env IEC104GW_IEC104__COUNTERS__SPONTANEOUS_AFTER_FREEZE",
      "env IEC104GW_IEC104__EVENT_QUEUE__OVERFLOW",
      "env IEC104GW_IEC104__PORT",
      "env IEC104GW_Iec104__Max_Connections",
      "env IEC104GW_LOG__LEVEL",
      "env IEC104GW_MQTT__MODE",
      "env IEC104GW_MQTT__URL",
      "env iec104gw_gateway__id",
    ]);
  });

  it("values are coerced to the schema's type: numbers, booleans, lists, JSON", () => {
    const env = {
      IEC104GW_IEC104__T1: "12.5",
      IEC104GW_HTTP__ENABLED: "false",
      IEC104GW_IEC104__ALLOWLIST: "10.0.0.1, ::1",
      IEC104GW_IEC104__ALLOWED_ORIGINATORS: "[1, 2]",
      IEC104GW_MQTT__QOS: "0",
      IEC104GW_STATIONS: '[{"ca": 1, "name": "Feeder"}]',
      IEC104GW_BRIDGE__AVAILABILITY: '[{"topic": "rtu/status", "points": ["P1"]}]',
      IEC104GW_IEC104__REDUNDANCY: '{"mode": "single-group"}',
      IEC104GW_MQTT__USERNAME: "0123",
    };
    const { config } = loadConfig({ env, cwd: tempDir() });
    expect(config.iec104.t1Ms).toBe(12_500);
    expect(config.http.enabled).toBe(false);
    expect(config.iec104.allowlist).toEqual(["10.0.0.1", "::1"]);
    expect(config.iec104.allowedOriginators).toEqual([1, 2]);
    expect(config.mqtt.qos).toBe(0);
    expect(config.stations).toEqual([{ ca: 1, name: "Feeder" }]);
    expect(config.bridge.availability[0]?.points).toEqual(["P1"]);
    expect(config.iec104.redundancy).toEqual({ mode: "single-group", groups: [] });
    expect(config.mqtt.username).toBe("0123");
    const empty = loadConfig({ env: { IEC104GW_IEC104__ALLOWLIST: "" }, cwd: tempDir() });
    expect(empty.config.iec104.allowlist).toEqual([]);
  });

  it("a value that does not fit the type names the variable", () => {
    const env = {
      IEC104GW_IEC104__PORT: "twenty",
      IEC104GW_HTTP__ENABLED: "yes",
      IEC104GW_IEC104__ALLOWED_ORIGINATORS: "1,x",
      IEC104GW_STATIONS: "1",
      IEC104GW_IEC104__TLS: "{cert: a}",
      IEC104GW_MQTT__QOS: "2",
    };
    expect(problemsOf(() => loadConfig({ env, cwd: tempDir() }))).toEqual([
      'IEC104GW_HTTP__ENABLED: expected true or false, got "yes"',
      'IEC104GW_IEC104__ALLOWED_ORIGINATORS: item 2: expected a number, got "x"',
      'IEC104GW_IEC104__PORT: expected a number, got "twenty"',
      "IEC104GW_IEC104__TLS: expected a JSON object: Expected property name or '}' in JSON at position 1",
      "IEC104GW_STATIONS: expected a JSON list, got 1",
      "mqtt.qos: must be one of 0, 1, got 2",
    ]);
  });

  it("*_FILE reads the value from a file, without the trailing newline (Docker secrets)", () => {
    const dir = tempDir({ mqtt_password: "s3cret\n", port: "2406\r\n" });
    const env = {
      IEC104GW_MQTT__MODE: "external",
      IEC104GW_MQTT__URL: "mqtt://broker",
      IEC104GW_MQTT__USERNAME: "gw",
      IEC104GW_MQTT__PASSWORD_FILE: join(dir, "mqtt_password"),
      IEC104GW_IEC104__PORT_FILE: "port",
      IEC104GW_DATAPOINTS__FILE: "points.json",
    };
    const { config, sources } = loadConfig({ env, cwd: dir });
    expect(config.mqtt.password).toBe("s3cret");
    expect(config.iec104.port).toBe(2406);
    expect(config.datapoints.file).toBe(join(dir, "points.json"));
    expect(sources).toContain("env IEC104GW_MQTT__PASSWORD_FILE");
    expect(
      problemsOf(() =>
        loadConfig({
          env: { IEC104GW_MQTT__PASSWORD_FILE: "/nonexistent/secret", IEC104GW_NOTHING_FILE: "x" },
          cwd: dir,
        }),
      ),
    ).toEqual([
      "IEC104GW_MQTT__PASSWORD_FILE: cannot read /nonexistent/secret: file not found",
      'IEC104GW_NOTHING_FILE: unknown variable: no setting "NOTHING_FILE"',
    ]);
  });

  it("unknown variables under the prefix are errors that name them", () => {
    const env = {
      IEC104GW_IEC104__PROT: "2405",
      IEC104GW_MQTT__EMBEDDED_PORT: "1884",
      IEC104GW_PORT: "1",
      IEC104GW_IEC104__PORT__X: "1",
      IEC104GW_STATIONS__0__CA: "1",
      IEC104GW_GATEWAY__ID: "ok",
      OTHER_VARIABLE: "ignored",
    };
    expect(problemsOf(() => loadConfig({ env, cwd: tempDir() }))).toEqual([
      'IEC104GW_IEC104__PORT__X: unknown variable: iec104.port is a single value; it has no setting "X"',
      'IEC104GW_IEC104__PROT: unknown variable: no setting "PROT" under iec104 (did you mean iec104.port?)',
      'IEC104GW_MQTT__EMBEDDED_PORT: unknown variable: no setting "EMBEDDED_PORT" under mqtt',
      'IEC104GW_PORT: unknown variable: no setting "PORT"',
      'IEC104GW_STATIONS__0__CA: unknown variable: stations is a list (set it whole, as JSON); it has no setting "0"',
    ]);
    expect(problemsOf(() => loadConfig({ env: { IEC104GW_IEC104____PORT: "1" }, cwd: tempDir() }))).toEqual([
      "IEC104GW_IEC104____PORT: unknown variable: separate the path segments with __, as in IEC104GW_IEC104__PORT",
    ]);
  });

  it("two variables for one setting are an error", () => {
    const dir = tempDir({ pw: "a" });
    const env = {
      IEC104GW_MQTT__USERNAME: "a",
      IEC104GW_MQTT__PASSWORD: "b",
      IEC104GW_MQTT__PASSWORD_FILE: "pw",
      IEC104GW_IEC104__MAXCONNECTIONS: "3",
      IEC104GW_IEC104__MAX_CONNECTIONS: "4",
    };
    expect(problemsOf(() => loadConfig({ env, cwd: dir }))).toEqual([
      "IEC104GW_IEC104__MAX_CONNECTIONS: sets iec104.maxConnections, as IEC104GW_IEC104__MAXCONNECTIONS does; set only one of them",
      "IEC104GW_MQTT__PASSWORD_FILE: sets mqtt.password, as IEC104GW_MQTT__PASSWORD does; set only one of them",
    ]);
  });

  it("IEC104GW_CONFIG names the configuration file", () => {
    const dir = tempDir({ "gw.yaml": "iec104:\n  port: 2410\n" });
    const { config } = loadConfig({ env: { IEC104GW_CONFIG: "gw.yaml" }, cwd: dir });
    expect(config.iec104.port).toBe(2410);
    expect(loadConfig({ env: { iec104gw_config: "gw.yaml" }, cwd: dir }).config.iec104.port).toBe(2410);
    const explicit = tempDir({ "other.yaml": "iec104:\n  port: 2411\n" });
    const both = loadConfig({
      file: join(explicit, "other.yaml"),
      env: { IEC104GW_CONFIG: "gw.yaml" },
      cwd: dir,
    });
    expect(both.config.iec104.port).toBe(2411);
  });
});

describe("precedence: defaults < file < environment < command line", () => {
  const dir = tempDir({
    "gw.yaml": "iec104:\n  port: 2501\n  k: 20\n  w: 10\nhttp:\n  port: 8081\nlog:\n  level: warn\n",
  });

  it("each layer overrides the ones below, setting by setting", () => {
    const { config, sources } = loadConfig({
      file: "gw.yaml",
      env: { IEC104GW_IEC104__PORT: "2502", IEC104GW_HTTP__PORT: "8082" },
      overrides: { "iec104.port": "2503" },
      cwd: dir,
    });
    expect(config.iec104.port).toBe(2503);
    expect(config.http.port).toBe(8082);
    expect(config.log.level).toBe("warn");
    expect([config.iec104.k, config.iec104.w]).toEqual([20, 10]);
    expect(config.iec104.t1Ms).toBe(15_000);
    expect(sources).toEqual([
      "defaults",
      `file ${join(dir, "gw.yaml")}`,
      "env IEC104GW_HTTP__PORT",
      "env IEC104GW_IEC104__PORT",
      "cli iec104.port",
    ]);
  });

  it("objects merge across layers; lists are replaced", () => {
    const file = tempDir({
      "gw.yaml": "iec104:\n  allowlist: [10.0.0.1]\n  eventQueue:\n    capacity: 5\n",
    });
    const { config } = loadConfig({
      file: "gw.yaml",
      env: {
        IEC104GW_IEC104__EVENT_QUEUE: '{"overflow": "drop-newest"}',
        IEC104GW_IEC104__ALLOWLIST: "10.0.0.2",
      },
      cwd: file,
    });
    expect(config.iec104.eventQueue).toEqual({ capacity: 5, overflow: "drop-newest" });
    expect(config.iec104.allowlist).toEqual(["10.0.0.2"]);
  });

  it("overrides take typed values as they are and coerce strings", () => {
    const { config } = loadConfig({
      overrides: {
        "simulator.enabled": false,
        "iec104.allowedOriginators": "1,2",
        "MQTT.Embedded.Port": 1999,
      },
      env: {},
      cwd: dir,
    });
    expect(config.simulator.enabled).toBe(false);
    expect(config.iec104.allowedOriginators).toEqual([1, 2]);
    expect(config.mqtt.embedded.port).toBe(1999);
    expect(
      problemsOf(() =>
        loadConfig({ overrides: { "iec104.prot": "1", "http.port": "x" }, env: {}, cwd: dir }),
      ),
    ).toEqual([
      'iec104.prot (command line): unknown setting: no setting "prot" under iec104 (did you mean iec104.port?)',
      'http.port (command line): expected a number, got "x"',
    ]);
  });

  it("problems of every layer are reported together", () => {
    const bad = tempDir({ "gw.yaml": "iec104:\n  port: -1\n" });
    expect(
      problemsOf(() =>
        loadConfig({
          file: "gw.yaml",
          env: { IEC104GW_X: "1" },
          overrides: { "log.level": "loud" },
          cwd: bad,
        }),
      ),
    ).toEqual([
      'IEC104GW_X: unknown variable: no setting "X"',
      "iec104.port: must be 0..65535, got -1",
      'log.level: must be one of "fatal", "error", "warn", "info", "debug", "trace", "silent", got "loud"',
    ]);
  });
});

describe("file paths in the configuration", () => {
  it("datapoints.file: relative to the config file's directory, or to the cwd without a file", () => {
    const cwd = tempDir();
    const confDir = tempDir({ "gw.yaml": "datapoints:\n  file: points/dp.json\n" });
    expect(loadConfig({ file: join(confDir, "gw.yaml"), env: {}, cwd }).config.datapoints.file).toBe(
      join(confDir, "points/dp.json"),
    );
    expect(loadConfig({ env: {}, cwd }).config.datapoints.file).toBe(join(cwd, "Datapoints.json"));
    expect(
      loadConfig({ env: {}, cwd: confDir, overrides: { "datapoints.file": "/abs/dp.json" } }).config
        .datapoints.file,
    ).toBe("/abs/dp.json");
  });

  it("paths from the environment or the command line are relative to the cwd", () => {
    const cwd = tempDir();
    const confDir = tempDir({ "gw.yaml": "datapoints:\n  file: dp.json\n" });
    const file = join(confDir, "gw.yaml");
    const fromEnv = loadConfig({ file, env: { IEC104GW_DATAPOINTS__FILE: "env.json" }, cwd });
    expect(fromEnv.config.datapoints.file).toBe(join(cwd, "env.json"));
    const fromCli = loadConfig({ file, env: {}, overrides: { "datapoints.file": "cli.json" }, cwd });
    expect(fromCli.config.datapoints.file).toBe(join(cwd, "cli.json"));
  });

  it("TLS files must exist (all missing ones reported)", () => {
    const dir = tempDir({
      "gw.yaml": "iec104:\n  tls:\n    cert: gw.pem\n    key: gw.key\n    ca: ca.pem\n",
      "gw.pem": "x",
      "gw.key": "x",
    });
    expect(problemsOf(() => loadConfig({ file: "gw.yaml", env: {}, cwd: dir }))).toEqual([
      `iec104.tls.ca: file not found: ${join(dir, "ca.pem")}`,
    ]);
    const { config } = loadConfig({ file: "gw.yaml", env: {}, cwd: dir, checkFiles: false });
    expect(config.iec104.tls).toMatchObject({ cert: join(dir, "gw.pem"), key: join(dir, "gw.key") });
    const ok = loadConfig({
      file: "gw.yaml",
      env: { IEC104GW_IEC104__TLS__CA: join(dir, "gw.pem") },
      cwd: dir,
    });
    expect(ok.config.iec104.tls?.ca).toBe(join(dir, "gw.pem"));
  });

  it("mqtt.embedded.tls files: resolved against the config file, must exist; settable from the environment", () => {
    const dir = tempDir({
      "gw.yaml":
        "mqtt:\n  embedded:\n    tls:\n      cert: broker.pem\n      key: broker.key\n      ca: ca.pem\n",
      "broker.pem": "x",
      "broker.key": "x",
    });
    expect(problemsOf(() => loadConfig({ file: "gw.yaml", env: {}, cwd: dir }))).toEqual([
      `mqtt.embedded.tls.ca: file not found: ${join(dir, "ca.pem")}`,
    ]);
    const env = {
      IEC104GW_MQTT__EMBEDDED__TLS__CA: join(dir, "broker.pem"),
      IEC104GW_MQTT__EMBEDDED__TLS__PORT: "8884",
      IEC104GW_MQTT__EMBEDDED__TLS__REQUIRE_CLIENT_CERT: "true",
      IEC104GW_MQTT__EMBEDDED__MAX_PENDING_BYTES: "2097152",
    };
    const { config } = loadConfig({ file: "gw.yaml", env, cwd: dir });
    expect(config.mqtt.embedded.tls).toMatchObject({
      cert: join(dir, "broker.pem"),
      key: join(dir, "broker.key"),
      ca: join(dir, "broker.pem"),
      port: 8884,
      requireClientCert: true,
    });
    expect(config.mqtt.embedded.maxPendingBytes).toBe(2_097_152);
  });

  it("missing TLS files are reported along with the other problems", () => {
    const dir = tempDir({
      "gw.yaml": "iec104:\n  port: 99999\n  tls: { cert: a.pem, key: a.key, ca: ca.pem }\n",
    });
    expect(problemsOf(() => loadConfig({ file: "gw.yaml", env: {}, cwd: dir }))).toEqual([
      "iec104.port: must be 0..65535, got 99999",
      `iec104.tls.cert: file not found: ${join(dir, "a.pem")}`,
      `iec104.tls.key: file not found: ${join(dir, "a.key")}`,
      `iec104.tls.ca: file not found: ${join(dir, "ca.pem")}`,
    ]);
  });
});
