/**
 * The container HEALTHCHECK (src/cli/healthcheck.ts) asks /readyz where the gateway's own
 * configuration says it listens: the file named by IEC104GW_CONFIG, IEC104GW_* variables in any case,
 * the flags of `start`; a first argument that is a number overrides the port. Here against a stand-in
 * /readyz on an ephemeral port (test/ship/production.test.ts runs it against the real gateway).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/shared.js";

const SCRIPT = join(REPO_ROOT, "src/cli/healthcheck.ts");

/** The environment without any IEC104GW_* of the runner's own. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toUpperCase().startsWith("IEC104GW_")) env[k] = v;
  return { ...env, ...extra };
}

function healthcheck(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", SCRIPT, ...args],
      { cwd: REPO_ROOT, env: cleanEnv(env), timeout: 15_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** A stand-in /readyz on an ephemeral port of `host`, answering `status`. */
async function readyz(host: string, status: number): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === "/readyz" ? status : 404).end();
  });
  await new Promise<void>((r, j) => server.once("error", j).listen(0, host, r));
  return { server, port: (server.address() as AddressInfo).port };
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const { server, port } = await readyz("127.0.0.1", 200);
  await new Promise((r) => server.close(r));
  return port;
}

const servers: Server[] = [];
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gw-healthcheck-"));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function serve(host: string, status = 200): Promise<number> {
  const { server, port } = await readyz(host, status);
  servers.push(server);
  return port;
}

describe("healthcheck", () => {
  it("asks the port of the file named by IEC104GW_CONFIG, on loopback for a wildcard host", async () => {
    const port = await serve("127.0.0.1");
    const file = join(dir, "file.yaml");
    writeFileSync(file, `http:\n  host: 0.0.0.0\n  port: ${port}\n`);
    expect(await healthcheck([], { IEC104GW_CONFIG: file })).toMatchObject({ code: 0 });
    expect((await healthcheck(["--config", file], {})).code).toBe(0);
  });

  it("takes variables in lower case, as the gateway does, over the file", async () => {
    const port = await serve("127.0.0.1");
    const file = join(dir, "other.yaml");
    writeFileSync(file, `http:\n  port: ${await closedPort()}\n`);
    expect((await healthcheck([], { IEC104GW_CONFIG: file })).code).toBe(1);
    expect((await healthcheck([], { iec104gw_config: file, iec104gw_http__port: String(port) })).code).toBe(
      0,
    );
  });

  it("asks ::1 for a gateway bound to ::", async () => {
    let port: number;
    try {
      port = await serve("::1");
    } catch {
      return; // no IPv6 loopback on this machine
    }
    expect(
      (await healthcheck([], { IEC104GW_HTTP__HOST: "::", IEC104GW_HTTP__PORT: String(port) })).code,
    ).toBe(0);
  });

  it("an explicit port argument wins over the configuration", async () => {
    const port = await serve("127.0.0.1");
    const env = { IEC104GW_HTTP__PORT: String(await closedPort()) };
    expect((await healthcheck([], env)).code).toBe(1);
    expect((await healthcheck([String(port)], env)).code).toBe(0);
    expect((await healthcheck([], { ...env, IEC104GW_HTTP__ENABLED: "false" })).code).toBe(0);
    expect((await healthcheck([String(await closedPort())], { IEC104GW_HTTP__ENABLED: "false" })).code).toBe(
      1,
    );
  });

  it("fails on a 503, on nothing listening, and says where it asked", async () => {
    const port = await serve("127.0.0.1", 503);
    const notReady = await healthcheck([], { IEC104GW_HTTP__PORT: String(port) });
    expect(notReady.code).toBe(1);
    expect(notReady.stderr).toContain(`http://127.0.0.1:${port}/readyz answered 503`);
    const closed = await closedPort();
    const none = await healthcheck([String(closed)]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`http://127.0.0.1:${closed}/readyz`);
  });

  it("with http disabled: says so and exits 0", async () => {
    const file = join(dir, "no-http.yaml");
    writeFileSync(file, "http:\n  enabled: false\n");
    const r = await healthcheck([], { IEC104GW_CONFIG: file });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("http.enabled is false");
  });

  it("a configuration the gateway would refuse, or port 0: exit 1 with the reason", async () => {
    const bad = await healthcheck([], { IEC104GW_HTTP__PORT: "70000" });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("http.port: must be 0..65535");
    const zero = await healthcheck(["--http-port", "0"]);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toContain("http.port is 0");
  });
});
