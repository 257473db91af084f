/**
 * The command line's signal handling: SIGINT/SIGTERM stop the gateway gracefully (exit 0); a second
 * signal while it is stopping exits at once (130).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { encodeAsdu, encodeIFrame, encodeUFrame } from "../../src/iec104/index.js";
import { REPO_ROOT } from "../helpers/shared.js";

let child: ChildProcess | undefined;
afterEach(() => {
  if (child?.exitCode === null) child.kill("SIGKILL");
});

let output = "";
const SUMMARY = /IEC 104 outstation\s+\S+:(\d+)/;

async function startCli(): Promise<ChildProcess> {
  const c = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(REPO_ROOT, "src/cli/main.ts"),
      "start",
      "--port",
      "0",
      "--mqtt-port",
      "0",
      "--http-port",
      "0",
      "--no-simulate",
    ],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, IEC104GW_CONFIG: "", IEC104GW_LOG__PRETTY: "never" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child = c;
  output = "";
  c.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  // The start-up summary, printed once the signal handlers are in place (not the log line).
  await waitFor(() => SUMMARY.test(output));
  return c;
}

async function waitFor(cond: () => boolean): Promise<void> {
  const until = Date.now() + 20_000;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out; the gateway printed:\n${output}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const exitCode = (c: ChildProcess) => new Promise<number | null>((r) => c.once("exit", (code) => r(code)));

describe("signals", () => {
  it("SIGINT stops gracefully with exit code 0", async () => {
    const c = await startCli();
    const code = exitCode(c);
    c.kill("SIGINT");
    expect(await code).toBe(0);
  }, 30_000);

  it("a second signal during the shutdown exits at once with 130", async () => {
    const c = await startCli();
    // A master that asks and never acknowledges: replies wait beyond the k window, so the
    // graceful shutdown waits (up to a second) for them to go out: time for a second signal.
    const port = Number(SUMMARY.exec(output)?.[1]);
    const master = connect(port, "127.0.0.1");
    master.on("error", () => {});
    master.pause();
    master.write(encodeUFrame("STARTDT_ACT"));
    for (let ns = 0; ns < 20; ns++) {
      const read = {
        typeId: 102 as const,
        sq: false,
        cot: 5,
        test: false,
        negative: false,
        oa: 0,
        ca: 1,
        objects: [{ ioa: 1001 }],
      };
      master.write(encodeIFrame(ns, 0, encodeAsdu(read)));
    }
    await new Promise((r) => setTimeout(r, 300));
    const code = exitCode(c);
    c.kill("SIGTERM");
    await waitFor(() => output.includes("shutting down"));
    c.kill("SIGTERM");
    expect(await code, output).toBe(130);
    master.destroy();
  }, 30_000);
});
