#!/usr/bin/env node
/**
 * iec104-gw: `start` (the default), `validate`, `client`. See `--help` of each.
 */
import { type Gateway, loadCatalog, startGateway, VERSION } from "../app.js";
import { parseStartArgs, usage } from "../config/cli.js";
import { ConfigError } from "../config/errors.js";
import { loadConfig } from "../config/load.js";
import { redact } from "../config/redact.js";
import type { GatewayConfig } from "../config/schema.js";
import { createLogger, prettyFor } from "../log.js";
import { DatapointsError } from "../points/datapoints.js";
import type { MonitorPoint, PointCatalog } from "../points/model.js";
import { validateSimulation } from "../simulator/index.js";
import { runClient } from "./client.js";
import { startupRecord, summary } from "./summary.js";

const HELP = `iec104-gw ${VERSION}: an IEC 60870-5-104 outstation bridged to MQTT

Usage:
  iec104-gw [start] [options]        run the gateway (default: embedded broker on 1883, IEC 104 on 2404,
                                     simulators on, ./Datapoints.json)
  iec104-gw validate [options]       check the configuration and the point file, start nothing
  iec104-gw client HOST [PORT] ...   an IEC 104 master: interrogate, watch, command (client --help)

With npm: npm start -- [options]

${usage()}`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === "client") return runClient(rest);
  if (cmd === "--version" || cmd === "-v") {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (cmd === "help" || cmd === "--help" || cmd === "-h") {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (cmd === "validate") return validate(rest);
  return start(cmd === "start" ? rest : argv);
}

type Loaded = { config: GatewayConfig; catalog: PointCatalog; sources: string[] };

/** Loads the config and the catalog, printing every problem as `path: message`; an exit code on failure. */
async function load(argv: string[]): Promise<Loaded | number> {
  try {
    const args = parseStartArgs(argv);
    if (args.help) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    const { config, sources } = loadConfig({ file: args.configFile, overrides: args.overrides });
    const catalog = await loadCatalog(config);
    const simErrors = validateSimulation(
      catalog.points.filter((p): p is MonitorPoint => p.kind === "monitor"),
    );
    if (simErrors.length > 0) throw new ConfigError(simErrors.map((e) => `${config.datapoints.file}: ${e}`));
    return { config, catalog, sources };
  } catch (e) {
    if (e instanceof ConfigError || e instanceof DatapointsError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

async function validate(argv: string[]): Promise<number> {
  const loaded = await load(argv);
  if (typeof loaded === "number") return loaded;
  const { config, catalog, sources } = loaded;
  process.stdout.write(`configuration OK (${sources.join(", ")})\n`);
  process.stdout.write(summary(config, catalog));
  process.stdout.write(`\neffective configuration:\n${JSON.stringify(redact(config), null, 2)}\n`);
  return 0;
}

async function start(argv: string[]): Promise<number> {
  const loaded = await load(argv);
  if (typeof loaded === "number") return loaded;
  const { config, catalog, sources } = loaded;
  const log = createLogger(config.log.level, config.log.pretty);
  log.info({ version: VERSION, sources, config: redact(config) }, "starting iec104-mqtt-gateway");
  let gw: Gateway;
  try {
    gw = await startGateway(config, { logger: log, catalog });
  } catch (e) {
    log.fatal({ err: (e as Error).message }, "could not start");
    return 1;
  }
  const simulated = gw.simulator?.plan().length;
  if (prettyFor(config.log.pretty)) {
    process.stdout.write(summary(config, catalog, gw.addresses, simulated));
  } else {
    // JSON logs (containers, collectors): the summary as one more JSON line. At level info whatever
    // log.level says: like the text, it is printed once at every start.
    const { msg, fields } = startupRecord(config, catalog, gw.addresses, simulated);
    createLogger("info", "never").info(fields, msg);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log.warn({ signal }, "second signal: exiting at once");
      process.exit(130);
    }
    stopping = true;
    const force = setTimeout(() => {
      log.error("shutdown took too long: exiting");
      process.exit(1);
    }, 10_000);
    force.unref();
    gw.close(`signal ${signal}`).then(
      () => {
        log.info("stopped");
        process.exit(0);
      },
      (e: unknown) => {
        log.error({ err: (e as Error).message }, "error while stopping");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  return new Promise<number>(() => {});
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
