/**
 * A real Mosquitto for the bridge tests: started on a free port of 127.0.0.1 with a generated
 * configuration in a temp dir (anonymous access, or users and an ACL; no persistence), optionally with a TLS listener on
 * a second port, stoppable (or killed with SIGKILL) and restartable on the same ports (a broker
 * outage), killed and its temp dir removed by `close`.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findTool } from "../helpers/tools.js";
import { sleep } from "./clients.js";

export const MOSQUITTO_HINT = "sudo apt-get install mosquitto";

/** A TLS listener (PEM files). */
export interface MosquittoTls {
  cafile: string;
  certfile: string;
  keyfile: string;
  /** Clients must present a certificate signed by `cafile`. */
  requireCertificate?: boolean;
}

export interface MosquittoOptions {
  tls?: MosquittoTls;
  /** Only these users may connect (a password file made with mosquitto_passwd; no anonymous access). */
  users?: readonly { username: string; password: string }[];
  /** The text of an ACL file (`user NAME` / `topic readwrite|read|write FILTER` lines). */
  acl?: string;
}

export class Mosquitto {
  readonly port: number;
  /** The TLS listener's port (when started with `tls`). */
  readonly tlsPort: number | undefined;
  private readonly dir: string;
  private readonly confPath: string;
  private child: ChildProcess | undefined;
  private output = "";

  private constructor(port: number, dir: string, tlsPort: number | undefined, o: MosquittoOptions) {
    const given = o.tls;
    this.port = port;
    this.tlsPort = tlsPort;
    this.dir = dir;
    this.confPath = join(dir, "mosquitto.conf");
    // Mosquitto started as root reads the certificates after dropping to its own user: copies it can read.
    let tls = given;
    if (given !== undefined) {
      chmodSync(dir, 0o755);
      const copy = (path: string, name: string) => {
        const to = join(dir, name);
        copyFileSync(path, to);
        chmodSync(to, 0o644);
        return to;
      };
      tls = {
        ...given,
        cafile: copy(given.cafile, "ca.pem"),
        certfile: copy(given.certfile, "server.pem"),
        keyfile: copy(given.keyfile, "server.key"),
      };
    }
    writeFileSync(
      this.confPath,
      [
        "per_listener_settings false",
        `listener ${port} 127.0.0.1`,
        ...(tls === undefined || tlsPort === undefined
          ? []
          : [
              `listener ${tlsPort} 127.0.0.1`,
              `cafile ${tls.cafile}`,
              `certfile ${tls.certfile}`,
              `keyfile ${tls.keyfile}`,
              `require_certificate ${tls.requireCertificate === true}`,
              "tls_version tlsv1.2",
            ]),
        ...this.access(o),
        "persistence false",
        "log_dest stderr",
        "log_type error",
        "log_type warning",
        "log_type notice",
        "",
      ].join("\n"),
    );
  }

  /** The access lines: anonymous, or the users of a password file, and an ACL file. */
  private access(o: MosquittoOptions): string[] {
    const lines: string[] = [];
    const file = (name: string, text: string): string => {
      const path = join(this.dir, name);
      writeFileSync(path, text, { mode: 0o644 });
      return path;
    };
    if (o.users === undefined) {
      lines.push("allow_anonymous true");
    } else {
      const path = file("passwd", "");
      for (const u of o.users) {
        const r = spawnSync(findTool("mosquitto_passwd") ?? "mosquitto_passwd", [
          "-b",
          path,
          u.username,
          u.password,
        ]);
        if (r.status !== 0)
          throw new Error(`mosquitto_passwd failed: ${r.stderr?.toString() ?? r.error?.message}`);
      }
      chmodSync(path, 0o644);
      chmodSync(this.dir, 0o755);
      lines.push("allow_anonymous false", `password_file ${path}`);
    }
    if (o.acl !== undefined) {
      chmodSync(this.dir, 0o755);
      lines.push(`acl_file ${file("acl", o.acl)}`);
    }
    return lines;
  }

  /** Starts Mosquitto on a free port (retrying when another process takes the port first). */
  static async start(o: MosquittoOptions = {}): Promise<Mosquitto> {
    let lastError: Error | undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      const dir = mkdtempSync(join(tmpdir(), "gw-mosquitto-"));
      const tlsPort = o.tls === undefined ? undefined : await freePort();
      const m = new Mosquitto(await freePort(), dir, tlsPort, o);
      try {
        await m.run();
        return m;
      } catch (e) {
        lastError = e as Error;
        await m.close();
      }
    }
    throw lastError ?? new Error("mosquitto did not start");
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** The URL of the TLS listener. */
  get tlsUrl(): string {
    if (this.tlsPort === undefined) throw new Error("mosquitto was started without TLS");
    return `mqtts://127.0.0.1:${this.tlsPort}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the broker process (again) on its port and waits until it accepts connections. */
  async run(): Promise<void> {
    if (this.running) return;
    const bin = findTool("mosquitto");
    if (bin === undefined) throw new Error(`mosquitto is not installed (${MOSQUITTO_HINT})`);
    const child = spawn(bin, ["-c", this.confPath], { stdio: ["ignore", "ignore", "pipe"] });
    this.child = child;
    child.stderr?.on("data", (d: Buffer) => {
      this.output += d.toString();
    });
    const until = Date.now() + 5000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`mosquitto exited (${child.exitCode ?? child.signalCode}): ${this.output.trim()}`);
      }
      if ((await accepts(this.port)) && (this.tlsPort === undefined || (await accepts(this.tlsPort)))) return;
      if (Date.now() > until) throw new Error(`mosquitto did not listen on ${this.port}: ${this.output}`);
      await sleep(20);
    }
  }

  /** Stops the broker (SIGTERM, SIGKILL after 2 s) and waits for its exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined || !this.running) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGCONT");
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
    await exited;
    clearTimeout(timer);
  }

  /** Kills the broker (SIGKILL: a crash, nothing said to its clients) and waits for its exit. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined || !this.running) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGKILL");
    await exited;
  }

  /** Freezes the broker (SIGSTOP): connections stay open, nothing is answered. */
  pause(): void {
    if (this.running) this.child!.kill("SIGSTOP");
  }

  /** Lets a paused broker run again (SIGCONT). */
  resume(): void {
    if (this.running) this.child!.kill("SIGCONT");
  }

  /** Stops the broker and removes its temp dir. */
  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A port nobody listens on right now (the OS's pick for port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const a = server.address();
      const port = typeof a === "object" && a !== null ? a.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}
