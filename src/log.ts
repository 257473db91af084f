/**
 * Logging: pino JSON lines by default (what log collectors want), human-readable colour output when
 * a person runs the gateway in a terminal. Secrets are redacted wherever they appear in a log object.
 */
import { pino } from "pino";
import pretty from "pino-pretty";
import type { Logger } from "./iec104/outstation/log.js";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

export const REDACT_PATHS = [
  "password",
  "*.password",
  "*.*.password",
  "key",
  "*.key",
  "*.*.key",
  "passphrase",
  "*.passphrase",
  "authorization",
  "*.authorization",
];

/** Whether logs to `destination` are pretty text for a person rather than JSON lines. */
export function prettyFor(
  mode: "auto" | "always" | "never",
  destination: NodeJS.WritableStream = process.stdout,
): boolean {
  return mode === "always" || (mode === "auto" && (destination as { isTTY?: boolean }).isTTY === true);
}

export function createLogger(
  level: LogLevel,
  mode: "auto" | "always" | "never",
  destination: NodeJS.WritableStream = process.stdout,
): Logger & pino.Logger {
  const usePretty = prettyFor(mode, destination);
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: REDACT_PATHS, censor: "***" },
    base: undefined,
  };
  if (usePretty) {
    return pino(
      options,
      pretty({ colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname", destination }),
    );
  }
  return pino(options, destination as pino.DestinationStream);
}
