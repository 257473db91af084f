/** What the figures were measured on: CPU, cores, memory, OS and Node. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";

export interface MachineInfo {
  /** CPUs this process may run on (nproc: affinity and cgroup limits respected). */
  nproc: number;
  /** Logical CPUs of the host. */
  cpus: number;
  cpuModel: string;
  totalMemoryMiB: number;
  platform: string;
  arch: string;
  osRelease: string;
  node: string;
  v8: string;
}

/** The CPU model from /proc/cpuinfo (x86 "model name", ARM "Hardware"/"Model"), else os.cpus(). */
export function cpuModel(): string {
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    for (const key of ["model name", "Hardware", "Model", "cpu model", "Processor"]) {
      const m = info.match(new RegExp(`^${key}\\s*:\\s*(.+)$`, "m"));
      if (m?.[1]) return m[1].trim();
    }
  } catch {
    // Not Linux: fall through to os.cpus().
  }
  return os.cpus()[0]?.model.trim() || "unknown";
}

export function machineInfo(): MachineInfo {
  return {
    nproc: typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length,
    cpus: os.cpus().length,
    cpuModel: cpuModel(),
    totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
    platform: os.platform(),
    arch: os.arch(),
    osRelease: os.release(),
    node: process.version,
    v8: process.versions.v8,
  };
}

/** The commit the code was at (read-only `git rev-parse`), or undefined outside a repository. */
export function gitCommit(cwd: string): string | undefined {
  try {
    return execFileSync("git", ["rev-parse", "--short=12", "HEAD"], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 2000,
    }).trim();
  } catch {
    return undefined;
  }
}

export function describeMachine(m: MachineInfo): string {
  return `${m.cpuModel}, ${m.nproc}/${m.cpus} CPUs, ${m.totalMemoryMiB} MiB, ${m.platform}-${m.arch} ${m.osRelease}, Node ${m.node}`;
}
