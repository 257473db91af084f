/**
 * Start-up suite: the real command line, compiled as in production (`node src/cli/main.js start
 * --config FILE`, see lib/build.ts) with a generated Datapoints.json of N points, embedded broker,
 * HTTP and simulators off, logging silent. Timed from spawn to the first TCP connection the IEC 104
 * port accepts (the listening moment as a master sees it), and to the start-up summary on stdout.
 * N = 1 gives the fixed cost (Node, the module graph, the broker); 10,000 and 100,000
 * the cost per point. A fresh process per run.
 */
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { compiledRoot } from "./lib/build.js";
import { benchCase, metric, waitForQuiet } from "./lib/harness.js";
import { profileFlags } from "./lib/ipc.js";
import { datapointsJson } from "./lib/points.js";
import type { CaseResult } from "./lib/results.js";
import { REPO_ROOT } from "./lib/results.js";
import { runSuite } from "./lib/suite.js";

const TARGET_MS = 2000;

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a !== null ? a.port : 0;
      s.close(() => done(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect({ port, host: "127.0.0.1" });
    s.once("connect", () => {
      s.destroy();
      done(true);
    });
    s.once("error", () => done(false));
  });
}

/** One start: spawn -> port accepts, spawn -> summary printed (ms). */
async function once(
  main: string,
  configFile: string,
  port: number,
): Promise<{ listening: number; summary: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...profileFlags(), main, "start", "--config", configFile], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  let summary = Number.NaN;
  child.stdout.on("data", (d: Buffer) => {
    if (Number.isNaN(summary) && d.toString().includes("IEC 104 outstation"))
      summary = performance.now() - t0;
  });
  let listening = Number.NaN;
  try {
    while (Number.isNaN(listening)) {
      if (child.exitCode !== null) throw new Error(`the gateway exited with code ${child.exitCode}`);
      if (await accepts(port)) listening = performance.now() - t0;
      else await new Promise((r) => setTimeout(r, 2));
    }
    while (Number.isNaN(summary) && child.exitCode === null) await new Promise((r) => setTimeout(r, 2));
  } finally {
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  }
  return { listening, summary };
}

await runSuite("startup", async ({ quick, log }) => {
  const sizes = quick ? [1, 2_000] : [1, 10_000, 100_000];
  const runs = quick ? 1 : 5;
  const dir = resolve(tmpdir(), `iec104-bench-startup-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const cases: CaseResult[] = [];
  const main = resolve(compiledRoot(log), "src/cli/main.js");
  try {
    for (const n of sizes) {
      const points = resolve(dir, `points-${n}.json`);
      writeFileSync(points, datapointsJson(n, 13));
      const port = await freePort();
      const config = resolve(dir, `gateway-${n}.json`);
      const settings = {
        iec104: { host: "127.0.0.1", port },
        datapoints: { file: points },
        mqtt: { embedded: { host: "127.0.0.1", port: 0 } },
        http: { enabled: false },
        simulator: { enabled: false },
        log: { level: "silent" },
      };
      writeFileSync(config, JSON.stringify(settings));
      const listening: number[] = [];
      const summary: number[] = [];
      for (let i = 0; i < runs; i++) {
        await waitForQuiet();
        log(`${n} points, run ${i + 1}/${runs}`);
        const r = await once(main, config, port);
        listening.push(r.listening);
        summary.push(r.summary);
      }
      const metrics = {
        "spawn->listening": metric(listening, "ms"),
        "spawn->summary": metric(summary, "ms"),
      };
      const headline = n === sizes[sizes.length - 1];
      const target = { key: "spawn->listening", target: { op: "<=" as const, value: TARGET_MS, unit: "ms" } };
      cases.push(
        benchCase(
          `startup ${n} points`,
          metrics,
          { points: n, source: "Datapoints.json" },
          headline ? target : undefined,
        ),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return cases;
});
