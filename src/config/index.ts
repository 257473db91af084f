/** The configuration layer: schema, loading (file < env < flags), redaction, `start` flags. */
export { parseStartArgs, SHORTCUTS, type StartArgs, usage } from "./cli.js";
export { ConfigError } from "./errors.js";
export { ENV_CONFIG_FILE, ENV_PREFIX } from "./layers.js";
export { defaultConfig, type LoadedConfig, type LoadOptions, loadConfig, parseConfig } from "./load.js";
export { type ConfiguredOutstationOptions, outstationOptions, tlsServerOptions } from "./outstation.js";
export { REDACTED, redact } from "./redact.js";
export * from "./schema.js";
