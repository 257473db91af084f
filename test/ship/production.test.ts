/**
 * What the container image relies on, proven without a Docker engine: the project builds, its
 * production dependencies alone install into a fresh directory (npm ci --omit=dev, as the image's
 * runtime stage does), and the gateway starts from there as the image's CMD would: a master
 * interrogates it, the Node healthcheck passes, SIGTERM stops it with exit code 0. And the
 * healthcheck, run as the image's HEALTHCHECK runs it (no argument, the container's environment),
 * finds the gateway where a mounted configuration file put it.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Master } from "../../src/iec104/master/index.js";
import { REPO_ROOT } from "../helpers/shared.js";

const run = promisify(execFile);

describe("production install (what Dockerfile.alpine does)", () => {
  let dir: string;
  let child: ChildProcess;
  let stdout = "";

  beforeAll(async () => {
    await run("npm", ["run", "build", "--silent"], { cwd: REPO_ROOT });
    dir = mkdtempSync(join(tmpdir(), "gw-prod-"));
    for (const f of ["package.json", "package-lock.json", "dist", "Datapoints.json", "config"]) {
      cpSync(join(REPO_ROOT, f), join(dir, f), { recursive: true });
    }
    await run("npm", ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: dir });
  }, 180_000);

  afterAll(() => {
    if (child?.exitCode === null) child.kill("SIGKILL");
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("starts from the production install, serves a master, is healthy and stops on SIGTERM", async () => {
    child = spawn("node", ["dist/cli/main.js", "start"], {
      cwd: dir,
      env: {
        ...process.env,
        NODE_ENV: "production",
        IEC104GW_IEC104__PORT: "0",
        IEC104GW_MQTT__EMBEDDED__PORT: "0",
        IEC104GW_HTTP__PORT: "0",
        IEC104GW_LOG__PRETTY: "never",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    // The start-up summary is one JSON line too: where everything listens.
    const listen = await waitFor(() => jsonLines(stdout).find((l) => l.listen !== undefined)?.listen);
    const port = listen.iec104.port;
    const httpPort = listen.http?.port;
    expect(httpPort).toBeGreaterThan(0);

    const master = await Master.connect({ host: "127.0.0.1", port: Number(port) });
    await master.startDataTransfer();
    const gi = await master.interrogate(1);
    expect(gi.data.length).toBeGreaterThan(0);
    await master.close();

    await waitFor(async () => {
      const r = await run("node", ["dist/cli/healthcheck.js", String(httpPort)], { cwd: dir }).then(
        () => true,
        () => undefined,
      );
      return r;
    });
    expect(stdout).toMatch(/^\{"level":30,.*"msg":"starting iec104-mqtt-gateway"/m);

    const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(stdout).toContain('"msg":"stopped"');
    // Every line on stdout is JSON (log collectors read it line by line).
    expect(stdout.endsWith("\n")).toBe(true);
    expect(jsonLines(stdout).length).toBeGreaterThan(5);
  }, 60_000);

  it("the HEALTHCHECK (no argument) follows http.port of the file named by IEC104GW_CONFIG", async () => {
    const httpPort = await freePort();
    const file = join(dir, "gateway.yaml");
    writeFileSync(
      file,
      `iec104: { port: 0 }\nmqtt: { embedded: { port: 0 } }\nhttp: { port: ${httpPort} }\nsimulator: { enabled: false }\n`,
    );
    // log.pretty left at auto: stdout is not a terminal, so JSON lines, as in the image.
    const env = { ...withoutGatewayVars(), NODE_ENV: "production", IEC104GW_CONFIG: file };
    let output = "";
    let errors = "";
    child = spawn("node", ["dist/cli/main.js", "start"], {
      cwd: dir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      errors += d.toString();
    });
    const healthcheck = (args: string[], extra: Record<string, string> = {}) =>
      run("node", ["dist/cli/healthcheck.js", ...args], { cwd: dir, env: { ...env, ...extra } }).then(
        () => 0,
        (e: { code?: number }) => e.code ?? -1,
      );

    await waitFor(async () => ((await healthcheck([])) === 0 ? true : undefined)).catch((e: Error) => {
      throw new Error(`${e.message}; the gateway printed:\n${output}${errors}`);
    });
    const wrong = String(await freePort());
    expect(await healthcheck([wrong])).not.toBe(0);
    expect(await healthcheck([], { IEC104GW_HTTP__PORT: wrong })).not.toBe(0);

    const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(jsonLines(output).find((l) => l.listen !== undefined)?.listen?.http?.port).toBe(httpPort);
  }, 60_000);
});

type Listen = { iec104: { port: number }; http?: { port: number } };

/** Each complete line of `text` parsed as JSON; fails on the first that is not a JSON object. */
function jsonLines(text: string): { msg?: string; listen?: Listen }[] {
  return text
    .slice(0, text.lastIndexOf("\n") + 1)
    .split("\n")
    .slice(0, -1)
    .map((line) => {
      try {
        const v: unknown = JSON.parse(line);
        if (typeof v === "object" && v !== null && !Array.isArray(v)) return v;
      } catch {}
      throw new Error(`not a JSON log line on stdout: ${JSON.stringify(line)}`);
    });
}

/** process.env without IEC104GW_* variables (the runner's own would leak into the gateway). */
function withoutGatewayVars(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.toUpperCase().startsWith("IEC104GW_")),
  );
}

/** A port that was free a moment ago: bound to port 0, then released. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}
