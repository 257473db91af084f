/** A logger that remembers what was logged, for tests that assert on log lines. */
import type { Logger } from "../../src/iec104/outstation/log.js";

export interface LogEntry {
  level: "debug" | "info" | "warn" | "error";
  obj: Record<string, unknown>;
  msg: string;
}

export class CaptureLogger implements Logger {
  readonly entries: LogEntry[];
  private readonly bindings: Record<string, unknown>;

  constructor(entries: LogEntry[] = [], bindings: Record<string, unknown> = {}) {
    this.entries = entries;
    this.bindings = bindings;
  }

  debug(obj: object, msg: string): void {
    this.add("debug", obj, msg);
  }
  info(obj: object, msg: string): void {
    this.add("info", obj, msg);
  }
  warn(obj: object, msg: string): void {
    this.add("warn", obj, msg);
  }
  error(obj: object, msg: string): void {
    this.add("error", obj, msg);
  }
  child(bindings: object): Logger {
    return new CaptureLogger(this.entries, { ...this.bindings, ...bindings });
  }

  private add(level: LogEntry["level"], obj: object, msg: string): void {
    this.entries.push({ level, obj: { ...this.bindings, ...obj }, msg });
  }
}
