/**
 * The flags of `start` (and of `validate`, which takes the same ones): a config file, a datapoints
 * file, and shortcuts that become dotted overrides for loadConfig, applied in command-line order
 * (a later flag for the same setting wins).
 */
import { parseArgs } from "node:util";
import { ConfigError } from "./errors.js";

export interface StartArgs {
  configFile?: string;
  /** Also in `overrides` as `datapoints.file`. */
  datapoints?: string;
  /** `--no-simulate` (false) or `--simulate` (true); also in `overrides` as `simulator.enabled`. */
  simulate?: boolean;
  /** Dotted paths to values for loadConfig; flag values stay strings (loadConfig coerces them). */
  overrides: Record<string, unknown>;
  help: boolean;
}

const OPTIONS = {
  config: { type: "string", short: "c" },
  datapoints: { type: "string", short: "d" },
  simulate: { type: "boolean" },
  "no-simulate": { type: "boolean" },
  port: { type: "string", short: "p" },
  "mqtt-port": { type: "string" },
  "mqtt-url": { type: "string" },
  "http-port": { type: "string" },
  "log-level": { type: "string" },
  set: { type: "string", multiple: true },
  help: { type: "boolean", short: "h" },
} as const;

/** The shortcut flags and the setting each one overrides. */
export const SHORTCUTS: Readonly<Record<string, string>> = {
  port: "iec104.port",
  "mqtt-port": "mqtt.embedded.port",
  "mqtt-url": "mqtt.url",
  "http-port": "http.port",
  "log-level": "log.level",
};

/** Parses `start [flags]` (the leading `start` is optional). Throws ConfigError listing every bad flag. */
export function parseStartArgs(argv: string[]): StartArgs {
  const { tokens } = parseArgs({
    args: argv,
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const problems: string[] = [];
  const result: StartArgs = { overrides: {}, help: false };
  const set = (path: string, value: unknown) =>
    Object.defineProperty(result.overrides, path, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  tokens.forEach((token, i) => {
    if (token.kind === "positional") {
      if (!(i === 0 && token.value === "start")) problems.push(`${token.value}: unexpected argument`);
      return;
    }
    if (token.kind !== "option") return;
    const name = token.name;
    const spec = Object.hasOwn(OPTIONS, name) ? OPTIONS[name as keyof typeof OPTIONS] : undefined;
    if (spec === undefined) {
      problems.push(`${token.rawName}: unknown option`);
      return;
    }
    if (spec.type === "boolean") {
      if (token.value !== undefined) problems.push(`${token.rawName}: takes no value`);
      else if (name === "help") result.help = true;
      else {
        result.simulate = name === "simulate";
        set("simulator.enabled", result.simulate);
      }
      return;
    }
    const value = token.value;
    if (value === undefined || (!token.inlineValue && value.startsWith("-") && value.length > 1)) {
      problems.push(`${token.rawName}: needs a value`);
      return;
    }
    if (name === "config") result.configFile = value;
    else if (name === "datapoints") {
      result.datapoints = value;
      set("datapoints.file", value);
    } else if (name === "set") {
      const eq = value.indexOf("=");
      if (eq <= 0) problems.push(`--set ${value}: expected path=value, as in --set iec104.k=12`);
      else set(value.slice(0, eq).trim(), value.slice(eq + 1));
    } else {
      if (name === "mqtt-url") set("mqtt.mode", "external");
      set(SHORTCUTS[name]!, value);
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return result;
}

export function usage(): string {
  return `Usage: iec104-mqtt-gateway start [options]

Runs the IEC 60870-5-104 outstation bridged to MQTT.

Options:
  -c, --config FILE       configuration file (.yaml, .yml or .json); default: $IEC104GW_CONFIG, else none
  -d, --datapoints FILE   the points (Datapoints.json format)          [datapoints.file]
      --no-simulate       do not run the built-in simulators           [simulator.enabled=false]
      --simulate          run them (the default)                       [simulator.enabled=true]
  -p, --port N            IEC 104 TCP port (default 2404)               [iec104.port]
      --mqtt-port N       port of the embedded MQTT broker (1883)       [mqtt.embedded.port]
      --mqtt-url URL      use an external broker (mqtt://, mqtts://, ws://, wss://)
                                                                        [mqtt.mode=external, mqtt.url]
      --http-port N       port of /healthz, /readyz, /metrics (8080)    [http.port]
      --log-level L       fatal, error, warn, info, debug, trace, silent [log.level]
      --set PATH=VALUE    any setting, e.g. --set iec104.t1=15 --set bridge.staleAfter=60
                          (repeatable; times in seconds; lists comma-separated or JSON)
  -h, --help              this text

Precedence: defaults < config file < IEC104GW_* environment variables < these flags
(a later flag for the same setting wins). Environment: IEC104GW_<SECTION>__<KEY>, e.g.
IEC104GW_IEC104__PORT=2405, IEC104GW_MQTT__PASSWORD_FILE=/run/secrets/mqtt_password.
See docs/configuration.md.
`;
}
