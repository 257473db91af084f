/**
 * The process benchmarks' plumbing: a suite forks its helper processes (gateway, master, publisher,
 * fake outstation: bench/proc/*.ts, compiled, see build.ts) and talks to each over the IPC channel:
 * one `ready` message when the child is up, then requests `{id, cmd, args}` answered by
 * `{id, result}` or `{id, error}`. Children write nothing to stdout (the suite's table).
 */
import { type ChildProcess, fork } from "node:child_process";
import { resolve } from "node:path";
import { compiledRoot } from "./build.js";

/**
 * Set to a directory to profile the gateway: a gateway process profiles itself from the moment it
 * is ready until it exits (bench/proc/gateway.ts); the start-up suite runs it under --cpu-prof.
 */
export const CPU_PROF_ENV = "BENCH_CPU_PROF_DIR";

/**
 * Node/V8 flags for the gateway process only, space-separated (e.g. `--optimize-for-size`), to
 * measure what a runtime setting trades: BENCHMARKS.md records such an experiment.
 */
export const GATEWAY_FLAGS_ENV = "BENCH_GATEWAY_FLAGS";

function execArgvFor(name: string): string[] {
  const flags = name === "gateway" ? process.env[GATEWAY_FLAGS_ENV]?.trim() : undefined;
  return flags ? flags.split(/\s+/) : [];
}

interface Request {
  id: number;
  cmd: string;
  args: object;
}
type Reply = { id: number; result: unknown } | { id: number; error: string };
type ReadyMessage = { ready: unknown } | { failed: string };

/** Node flags for a process to profile: --cpu-prof into BENCH_CPU_PROF_DIR when that is set. */
export function profileFlags(): string[] {
  const dir = process.env[CPU_PROF_ENV];
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : [];
}

export class Child<Ready> {
  readonly name: string;
  readonly process: ChildProcess;
  readonly ready: Promise<Ready>;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly exited: Promise<number | null>;

  constructor(name: string, args: object) {
    this.name = name;
    this.process = fork(resolve(compiledRoot(), "bench", "proc", `${name}.js`), [JSON.stringify(args)], {
      execArgv: execArgvFor(name),
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.exited = new Promise((done) => this.process.once("exit", (code) => done(code)));
    this.ready = new Promise<Ready>((resolveReady, rejectReady) => {
      this.process.on("message", (m: Reply | ReadyMessage) => {
        if ("ready" in m) resolveReady(m.ready as Ready);
        else if ("failed" in m) rejectReady(new Error(`${name}: ${m.failed}`));
        else {
          const p = this.pending.get(m.id);
          this.pending.delete(m.id);
          if ("error" in m) p?.reject(new Error(`${name}: ${m.error}`));
          else p?.resolve(m.result);
        }
      });
      void this.exited.then((code) => {
        const err = new Error(`${name} exited with code ${code}`);
        rejectReady(err);
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
    });
  }

  request<R>(cmd: string, args: object = {}): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.process.send({ id, cmd, args } satisfies Request);
    });
  }

  /** Asks the child to exit (`exit` command) and waits; kills it after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.request("exit").catch(() => {});
    const timer = setTimeout(() => this.process.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Spawns `bench/proc/<name>.ts` (compiled) and waits for its `ready` message. */
export async function spawnChild<Ready>(
  name: string,
  args: object,
): Promise<{ child: Child<Ready>; ready: Ready }> {
  const child = new Child<Ready>(name, args);
  try {
    return { child, ready: await child.ready };
  } catch (e) {
    child.process.kill("SIGKILL");
    throw e;
  }
}

/** A command of a child; its argument is whatever the parent sent (each handler names its type). */
export type Handler = (args: never) => unknown;

/**
 * The child side: parses the arguments the parent passed, runs `init`, reports `ready` with what it
 * returned, then answers requests with `handlers`. `exit` is built in: it runs `onExit`, replies and
 * exits with code 0 (so --cpu-prof writes its profile).
 */
export async function serveParent<A>(
  init: (args: A) => Promise<{ ready: unknown; handlers: Record<string, Handler>; onExit?: () => unknown }>,
): Promise<void> {
  const send = (m: Reply | ReadyMessage, then?: () => void) => process.send?.(m, undefined, {}, then);
  const args = JSON.parse(process.argv[2] ?? "{}") as A;
  let served: Awaited<ReturnType<typeof init>>;
  try {
    served = await init(args);
  } catch (e) {
    send({ failed: (e as Error).stack ?? String(e) }, () => process.exit(1));
    return;
  }
  process.on("disconnect", () => process.exit(0));
  process.on("message", async (m: Request) => {
    try {
      if (m.cmd === "exit") {
        await served.onExit?.();
        send({ id: m.id, result: null }, () => process.exit(0));
        return;
      }
      const h = served.handlers[m.cmd];
      if (h === undefined) throw new Error(`unknown command ${m.cmd}`);
      send({ id: m.id, result: (await h(m.args as never)) ?? null });
    } catch (e) {
      send({ id: m.id, error: (e as Error).message });
    }
  });
  send({ ready: served.ready });
}
