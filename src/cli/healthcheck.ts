#!/usr/bin/env node
/**
 * Container HEALTHCHECK with Node itself (no curl in the image): exits 0 when the gateway's `/readyz`
 * answers 200, 1 otherwise (not ready, nothing listening, no answer within 2.5 s).
 *
 * Where to ask is what the gateway itself would listen on: the configuration is loaded exactly as
 * `start` loads it (loadConfig: defaults < the file named by IEC104GW_CONFIG or --config <
 * IEC104GW_* variables, names matched ignoring case < flags), so a HEALTHCHECK, which runs with the
 * container's environment, follows a mounted gateway.yaml and every override. It asks
 * `http://<http.host>:<http.port>/readyz`, a wildcard http.host (0.0.0.0, ::) on loopback
 * (127.0.0.1, ::1).
 *
 *   healthcheck.js                     the configured http.host and http.port
 *   healthcheck.js 8080                port 8080 whatever is configured (and even if http is disabled)
 *   healthcheck.js --http-port 9090    the flags of `start` (--config, --http-port, --set ...), for a
 *                                      container whose command passes them to the gateway
 *
 * With `http.enabled: false` there is no readiness to ask: it says so on stdout and exits 0, so
 * "healthy" then only means "running", as without a HEALTHCHECK. It deliberately does not connect to
 * the IEC 104 port instead: every probe would be a master connecting and leaving in the outstation's
 * log and metrics, take one of its `maxConnections` for a moment, and be refused and logged as a
 * security event under an allowlist or TLS. For a real check keep http enabled, bound to 127.0.0.1 if
 * it must not be reachable from outside the container.
 *
 * A configuration that does not load, or http.port 0 (any free port, unknown from outside the
 * process), prints why on stderr and exits 1: the gateway would not start with the first, and the
 * second needs the port as argument.
 */
import { get } from "node:http";
import { parseStartArgs } from "../config/cli.js";
import { ConfigError } from "../config/errors.js";
import { loopbackFor } from "../config/hosts.js";
import { loadConfig } from "../config/load.js";

type Target = { host: string; port: number } | { skip: string } | { error: string };

function target(argv: string[]): Target {
  let explicitPort: number | undefined;
  let flags = argv;
  if (argv[0] !== undefined && /^\d+$/.test(argv[0])) {
    explicitPort = Number(argv[0]);
    if (explicitPort < 1 || explicitPort > 65535) return { error: `port must be 1..65535, got ${argv[0]}` };
    flags = argv.slice(1);
  }
  const args = parseStartArgs(flags);
  const { config } = loadConfig({ file: args.configFile, overrides: args.overrides, checkFiles: false });
  const host = loopbackFor(config.http.host);
  if (explicitPort !== undefined) return { host, port: explicitPort };
  if (!config.http.enabled) {
    return { skip: "http.enabled is false: no /readyz to ask, reporting healthy (running)" };
  }
  if (config.http.port === 0) {
    return { error: "http.port is 0 (any free port): give the port to check as the first argument" };
  }
  return { host, port: config.http.port };
}

function main(): void {
  let t: Target;
  try {
    t = target(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`healthcheck: ${e.message}\n`);
    process.exitCode = 1;
    return;
  }
  if ("skip" in t) {
    process.stdout.write(`healthcheck: ${t.skip}\n`);
    return;
  }
  if ("error" in t) {
    process.stderr.write(`healthcheck: ${t.error}\n`);
    process.exitCode = 1;
    return;
  }
  const where = `http://${t.host.includes(":") ? `[${t.host}]` : t.host}:${t.port}/readyz`;
  const req = get({ host: t.host, port: t.port, path: "/readyz", timeout: 2500, agent: false }, (res) => {
    res.resume();
    if (res.statusCode !== 200) {
      process.stderr.write(`healthcheck: ${where} answered ${res.statusCode}\n`);
      process.exitCode = 1;
    }
  });
  req.on("timeout", () => req.destroy(new Error("no answer within 2.5 s")));
  req.on("error", (err) => {
    process.stderr.write(`healthcheck: ${where}: ${err.message}\n`);
    process.exitCode = 1;
  });
}

main();
