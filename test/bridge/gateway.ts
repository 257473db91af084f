/**
 * The bridge test fixture: a whole gateway (startGateway) on ephemeral ports of 127.0.0.1 with a
 * small Datapoints.json written to a temp dir, talking to the embedded Aedes broker or to a real
 * Mosquitto, plus an mqtt.js test client (subscribed to everything under the gateway's base topic)
 * and a started IEC 104 Master. Every gateway gets its own base topic and client id, so tests can
 * share one Mosquitto. Everything started here is closed after each test.
 *
 *   describeBrokers("values in", (env) => {
 *     it("...", async () => {
 *       const t = await env.start({ datapoints: { ... }, config: { bridge: { staleAfter: 0.3 } } });
 *       await t.mqtt.publish(t.pointTopic(1, 1001), "230.5");
 *       await t.master.wait({ ca: 1, ioa: 1001, cot: 3 });
 *     });
 *   });
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { IClientOptions } from "mqtt";
import { afterAll, afterEach, beforeAll, describe } from "vitest";
import { type Gateway, startGateway } from "../../src/app.js";
import { parseConfig } from "../../src/config/load.js";
import type { GatewayConfig } from "../../src/config/schema.js";
import type { PointCatalog } from "../../src/points/model.js";
import { CaptureLogger } from "../helpers/logger.js";
import { REPO_ROOT } from "../helpers/shared.js";
import { requireTool } from "../helpers/tools.js";
import { TestMaster, TestMqtt, until } from "./clients.js";
import { MOSQUITTO_HINT, Mosquitto } from "./mosquitto.js";

export type BrokerKind = "embedded" | "mosquitto";

/** A configuration fragment (file syntax: durations in seconds), merged over the test defaults. */
export type ConfigOverrides = Record<string, unknown>;

export interface TestGatewayOptions {
  broker: BrokerKind;
  /** Required for `mosquitto`: the broker to use. */
  mosquitto?: Mosquitto;
  /** Datapoints.json content (written to a temp dir), unless `datapointsFile` or `catalog` is given. */
  datapoints?: Record<string, unknown>;
  /** An existing Datapoints.json. */
  datapointsFile?: string;
  /** A catalog already loaded (startGateway's `catalog` option). */
  catalog?: PointCatalog;
  config?: ConfigOverrides;
  /** Options of the test clients (`mqtt`, and `newMqtt` unless it is given its own): credentials... */
  clientOptions?: IClientOptions;
}

export interface TestGateway {
  gw: Gateway;
  config: GatewayConfig;
  /** The gateway's base topic (unique per test gateway). */
  base: string;
  /** The broker URL as seen from the tests. */
  url: string;
  /** A client subscribed to `<base>/#`: connected before the gateway starts (Mosquitto) or right after. */
  mqtt: TestMqtt;
  /** A started master, connected after the gateway announced itself online. */
  master: TestMaster;
  logs: CaptureLogger;
  pointTopic(ca: number, ioa: number): string;
  stateTopic(ca: number, ioa: number): string;
  commandTopic(ca: number, ioa: number): string;
  topic(rest: string): string;
  /** Another MQTT client on the same broker (closed after the test). */
  newMqtt(opts?: IClientOptions): Promise<TestMqtt>;
  /** Another started master (closed after the test). */
  newMaster(): Promise<TestMaster>;
  /** Stops the gateway (once; also done after the test). */
  stop(): Promise<void>;
}

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  const errors: unknown[] = [];
  for (const c of cleanups.splice(0).reverse()) {
    try {
      await c();
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length > 0) throw errors[0];
});

export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

let serial = 0;

/** A temp dir removed after the test. */
export function tempDir(prefix = "gw-bridge-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The test defaults (file syntax): ephemeral ports on 127.0.0.1, no simulator, no HTTP, short
 * reconnects, a 3 s command timeout, silent logs.
 */
export function testConfigInput(
  broker: BrokerKind,
  mosquitto: Mosquitto | undefined,
  id: string,
  base: string,
): ConfigOverrides {
  return {
    gateway: { id },
    iec104: { host: "127.0.0.1", port: 0 },
    mqtt: {
      ...(broker === "embedded"
        ? { mode: "embedded", embedded: { host: "127.0.0.1", port: 0 } }
        : { mode: "external", url: mosquitto!.url }),
      baseTopic: base,
      reconnectPeriod: 0.2,
      keepalive: 5,
    },
    bridge: { commandTimeout: 3 },
    simulator: { enabled: false },
    http: { enabled: false },
    log: { level: "silent" },
  };
}

export async function startTestGateway(o: TestGatewayOptions): Promise<TestGateway> {
  if (o.broker === "mosquitto" && o.mosquitto === undefined) throw new Error("mosquitto broker not given");
  const n = ++serial;
  const id = `gw-${process.pid}-${n}`;
  const base = `t${process.pid}x${n}/iec104`;
  const input = testConfigInput(o.broker, o.mosquitto, id, base);
  let file = o.datapointsFile;
  if (file === undefined && o.catalog === undefined) {
    file = join(tempDir(), "Datapoints.json");
    writeFileSync(file, JSON.stringify(o.datapoints ?? {}, null, 2));
  }
  const config = parseConfig(
    deepMerge(deepMerge(input, file === undefined ? {} : { datapoints: { file } }), o.config ?? {}),
  );
  const baseTopic = config.mqtt.baseTopic;

  // With Mosquitto the observer connects first, so it sees everything the gateway publishes.
  let mqtt: TestMqtt | undefined;
  const clients: TestMqtt[] = [];
  const masters: TestMaster[] = [];
  onCleanup(async () => {
    for (const m of masters) await m.close();
    for (const c of clients) await c.close();
  });
  if (o.broker === "mosquitto") {
    mqtt = await TestMqtt.connect(o.mosquitto!.url, o.clientOptions);
    clients.push(mqtt);
    await mqtt.subscribe(`${baseTopic}/#`);
  }

  const logs = new CaptureLogger();
  const gw = await startGateway(config, { logger: logs, ...(o.catalog ? { catalog: o.catalog } : {}) });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= gw.close("test over");
    return stopped;
  };
  onCleanup(stop);
  const url = o.broker === "embedded" ? `mqtt://127.0.0.1:${gw.addresses.mqtt}` : o.mosquitto!.url;
  if (mqtt === undefined) {
    mqtt = await TestMqtt.connect(url, o.clientOptions);
    clients.push(mqtt);
    await mqtt.subscribe(`${baseTopic}/#`);
  }
  const newMqtt = async (opts: IClientOptions | undefined = o.clientOptions) => {
    const c = await TestMqtt.connect(url, opts);
    clients.push(c);
    return c;
  };
  const newMaster = async () => {
    const m = await TestMaster.connect(gw.addresses.iec104);
    masters.push(m);
    return m;
  };
  // The gateway is ready for values once it has announced itself.
  await mqtt.wait(`${baseTopic}/bridge/state`, (m) => m.text.includes('"online"'), { timeoutMs: 5000 });
  const master = await newMaster();
  return {
    gw,
    config,
    base: baseTopic,
    url,
    mqtt,
    master,
    logs,
    pointTopic: (ca, ioa) => `${baseTopic}/point/${ca}/${ioa}`,
    stateTopic: (ca, ioa) => `${baseTopic}/state/${ca}/${ioa}`,
    commandTopic: (ca, ioa) => `${baseTopic}/command/${ca}/${ioa}`,
    topic: (rest) => `${baseTopic}/${rest}`,
    newMqtt,
    newMaster,
    stop,
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** `b` over `a`, objects merged key by key (arrays and scalars replaced). */
export function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = isRecord(cur) && isRecord(v) ? deepMerge(cur, v) : v;
  }
  return out;
}

/* ---- both brokers ------------------------------------------------------------------------------ */

let mosquittoInstalled: boolean | undefined;

/** Whether Mosquitto is installed (a loud banner when not; a failing test under CI=true). */
export function hasMosquitto(): boolean {
  mosquittoInstalled ??= requireTool("mosquitto", MOSQUITTO_HINT);
  return mosquittoInstalled;
}

export interface BrokerEnv {
  readonly kind: BrokerKind;
  /** The Mosquitto of this suite (undefined for the embedded broker). */
  readonly mosquitto: Mosquitto | undefined;
  start(o?: Omit<TestGatewayOptions, "broker" | "mosquitto">): Promise<TestGateway>;
}

/**
 * Declares the suite `body` twice: against the embedded Aedes broker, and against a Mosquitto
 * started for the suite (skipped loudly when Mosquitto is missing, failing under CI=true).
 */
export function describeBrokers(title: string, body: (env: BrokerEnv) => void, timeout?: number): void {
  const installed = hasMosquitto();
  for (const kind of ["embedded", "mosquitto"] as const) {
    describe.skipIf(kind === "mosquitto" && !installed)(`${title} [${kind}]`, { timeout }, () => {
      let mosquitto: Mosquitto | undefined;
      if (kind === "mosquitto") {
        beforeAll(async () => {
          mosquitto = await Mosquitto.start();
        });
        afterAll(async () => {
          await mosquitto?.close();
        });
      }
      body({
        kind,
        get mosquitto() {
          return mosquitto;
        },
        start: (o = {}) => startTestGateway({ ...o, broker: kind, mosquitto }),
      });
    });
  }
}

/* ---- a gateway in a process of its own ----------------------------------------------------------- */

export interface ChildGateway {
  proc: ChildProcess;
  /** The addresses it printed once started. */
  addresses: { iec104: number; mqtt: number | undefined };
  /** Everything it wrote to stdout and stderr so far. */
  output: () => string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
}

/**
 * Starts test/bridge/child-gateway.ts with `config` (file syntax) for tests that kill, freeze or
 * restart the gateway; killed with SIGKILL after the test if still running.
 */
export async function startChildGateway(config: ConfigOverrides): Promise<ChildGateway> {
  const proc = spawn(process.execPath, ["--import", "tsx", join("test", "bridge", "child-gateway.ts")], {
    cwd: REPO_ROOT,
    env: { ...process.env, GW_TEST_CONFIG: JSON.stringify(config) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  let output = "";
  const collect = (d: Buffer) => {
    output += d.toString();
  };
  proc.stdout?.on("data", collect);
  proc.stderr?.on("data", collect);
  onCleanup(async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill("SIGCONT");
      proc.kill("SIGKILL");
      await exited;
    }
  });
  await until(
    () => /READY .*\n/.test(output) || proc.exitCode !== null,
    "the child gateway to start",
    15_000,
  );
  const ready = /READY (.*)\n/.exec(output);
  if (ready === null) throw new Error(`the child gateway failed: ${output}`);
  return {
    proc,
    addresses: JSON.parse(ready[1]!) as ChildGateway["addresses"],
    output: () => output,
    exited,
  };
}
