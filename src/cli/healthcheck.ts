#!/usr/bin/env node
/**
 * Container HEALTHCHECK with Node itself (no curl in the image): exits 0 when the gateway's
 * `/readyz` answers 200, 1 otherwise. Port and host from IEC104GW_HTTP__PORT / IEC104GW_HTTP__HOST,
 * or the first argument (`healthcheck.js 8080`).
 */
import { get } from "node:http";

const port = Number(process.argv[2] ?? process.env.IEC104GW_HTTP__PORT ?? 8080);
const host = process.env.IEC104GW_HEALTHCHECK_HOST ?? "127.0.0.1";
const req = get({ host, port, path: "/readyz", timeout: 2500 }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on("timeout", () => req.destroy(new Error("timeout")));
req.on("error", (err) => {
  process.stderr.write(`healthcheck: ${err.message}\n`);
  process.exit(1);
});
