/**
 * The master process: `masters` lean readers (bench/lib/reader.ts) connected to one outstation, data
 * transfer started. Commands: `gi` (every master interrogates at once; times ACT -> ACT_TERM and
 * checks every point arrived exactly once), `arm` + `await` (count spontaneous objects, or read
 * each one's value as its send time for latency).
 */
import { serveParent } from "../lib/ipc.js";
import {
  type ArmArgs,
  type AwaitArgs,
  type AwaitResult,
  type CountResult,
  type GiArgs,
  type GiResult,
  type LatencySummary,
  type MasterArgs,
  TIME_VALUE_MODULUS,
} from "../lib/protocol.js";
import { ELEMENT_SIZE, Reader } from "../lib/reader.js";
import { quantile, wallMs } from "../lib/stats.js";

const TYPE_C_IC_NA_1 = 100;
const COT_SPONTANEOUS = 3;
const COT_ACT_CON = 7;
const COT_ACT_TERM = 10;
const COT_STATION_INTERROGATION = 20;
const GI_TIMEOUT_MS = 60_000;

/** One master's interrogation: resolves on ACT_TERM with its duration and what was wrong, if anything. */
function interrogate(r: Reader, a: GiArgs): Promise<{ ms: number; error: string | undefined }> {
  return new Promise((resolve) => {
    const seen = new Uint8Array(a.points + 1);
    const size = ELEMENT_SIZE[a.typeId] ?? 0;
    let objects = 0;
    let confirmed = false;
    let problem: string | undefined;
    const check = (): string | undefined => {
      if (problem !== undefined) return problem;
      if (!confirmed) return "no positive ACT_CON";
      if (objects !== a.points) return `${objects} objects, expected ${a.points}`;
      for (let ioa = 1; ioa <= a.points; ioa++) {
        if (seen[ioa] !== 1) return `IOA ${ioa} arrived ${seen[ioa]} times`;
      }
      return undefined;
    };
    r.onAsdu = (typeId, cot, vsq, buf, off) => {
      if (typeId === TYPE_C_IC_NA_1) {
        const negative = (buf[off + 2]! & 0x40) !== 0;
        if (cot === COT_ACT_CON) confirmed = !negative;
        else if (cot === COT_ACT_TERM) {
          const ms = performance.now() - t0;
          r.onAsdu = undefined;
          clearTimeout(timeout);
          resolve({ ms, error: check() });
        }
        return;
      }
      if (cot !== COT_STATION_INTERROGATION) return;
      if (typeId !== a.typeId) {
        problem ??= `type ${typeId} in the answer, expected ${a.typeId}`;
        return;
      }
      const n = vsq & 0x7f;
      objects += n;
      const sq = (vsq & 0x80) !== 0;
      let p = off + 6;
      const first = sq ? buf.readUIntLE(p, 3) : 0;
      for (let k = 0; k < n; k++) {
        const ioa = sq ? first + k : buf.readUIntLE(p, 3);
        if (!sq) p += 3 + size;
        if (ioa > a.points) problem ??= `IOA ${ioa} is not a point`;
        else seen[ioa]!++;
      }
    };
    const timeout = setTimeout(() => {
      r.onAsdu = undefined;
      resolve({ ms: Number.NaN, error: `no ACT_TERM within ${GI_TIMEOUT_MS} ms (${r.error ?? "link up"})` });
    }, GI_TIMEOUT_MS);
    const t0 = performance.now();
    r.interrogate(a.ca);
  });
}

async function interrogateAll(readers: readonly Reader[], a: GiArgs): Promise<GiResult> {
  const t0 = performance.now();
  const runs = readers.map((r) => interrogate(r, a));
  const perMaster: number[] = [];
  const errors: string[] = [];
  await Promise.all(
    runs.map(async (run, i) => {
      const { ms, error } = await run;
      perMaster[i] = ms;
      if (error !== undefined) errors.push(`master ${i}: ${error}`);
    }),
  );
  return { totalMs: performance.now() - t0, perMasterMs: perMaster, errors };
}

/** What `arm` set up and `await` reports. */
interface Armed {
  counts: CountResult[];
  cpu: NodeJS.CpuUsage;
  samples: Float64Array | undefined;
  taken: number;
}

function arm(readers: readonly Reader[], a: ArmArgs): Armed {
  const armed: Armed = {
    counts: readers.map(() => ({
      counted: 0,
      firstMs: Number.NaN,
      lastMs: Number.NaN,
      firstFrameObjects: 0,
    })),
    cpu: process.cpuUsage(),
    samples: a.mode === "latency" ? new Float64Array(a.expect * readers.length) : undefined,
    taken: 0,
  };
  readers.forEach((r, i) => {
    const c = armed.counts[i]!;
    r.onAsdu = (typeId, cot, vsq, buf, off) => {
      if (cot !== COT_SPONTANEOUS || typeId !== a.typeId) return;
      const n = vsq & 0x7f;
      if (c.counted === 0) {
        c.firstMs = wallMs();
        c.firstFrameObjects = n;
      }
      if (c.counted < a.expect) c.lastMs = wallMs();
      c.counted += n;
      const samples = armed.samples;
      if (samples === undefined) return;
      const now = wallMs() % TIME_VALUE_MODULUS;
      const sq = (vsq & 0x80) !== 0;
      for (let k = 0; k < n && armed.taken < samples.length; k++) {
        const at = sq ? off + 9 + k * 5 : off + 9 + k * 8;
        let latency = now - buf.readFloatLE(at);
        if (latency < -TIME_VALUE_MODULUS / 2) latency += TIME_VALUE_MODULUS;
        samples[armed.taken++] = latency;
      }
    };
  });
  return armed;
}

function summarizeLatency(samples: Float64Array, n: number): LatencySummary {
  const sorted = samples.subarray(0, n).sort();
  return {
    n,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    p999: quantile(sorted, 0.999),
    max: sorted[n - 1] ?? Number.NaN,
  };
}

/** Resolves when every master has its `expect` objects, or after `idleTimeoutMs` without progress. */
async function waitFor(
  readers: readonly Reader[],
  armed: Armed,
  expect: number,
  a: AwaitArgs,
): Promise<AwaitResult> {
  let last = -1;
  let lastChange = performance.now();
  let cpu = process.cpuUsage(armed.cpu);
  for (;;) {
    const total = armed.counts.reduce((s, c) => s + c.counted, 0);
    cpu = process.cpuUsage(armed.cpu);
    if (armed.counts.every((c) => c.counted >= expect)) {
      // A moment more, so a surplus (duplicates) would show in the counts.
      await new Promise((r) => setTimeout(r, 20));
      break;
    }
    if (total !== last) {
      last = total;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > a.idleTimeoutMs) break;
    if (readers.some((r) => r.error !== undefined)) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  for (const r of readers) r.onAsdu = undefined;
  return {
    readers: armed.counts,
    cpuMs: (cpu.user + cpu.system) / 1000,
    latency: armed.samples ? summarizeLatency(armed.samples, armed.taken) : undefined,
    errors: readers.flatMap((r, i) => (r.error === undefined ? [] : [`master ${i}: ${r.error}`])),
  };
}

await serveParent(async (args: MasterArgs) => {
  const readers = await Promise.all(
    Array.from({ length: args.masters }, () => Reader.connect(args.port, "127.0.0.1", { w: args.w })),
  );
  await Promise.all(readers.map((r) => r.startDataTransfer()));
  let armed: { state: Armed; expect: number } | undefined;
  return {
    ready: { masters: readers.length },
    handlers: {
      gi: (a: GiArgs) => interrogateAll(readers, a),
      arm: (a: ArmArgs) => {
        armed = { state: arm(readers, a), expect: a.expect };
      },
      await: (a: AwaitArgs) => {
        if (armed === undefined) throw new Error("await without arm");
        return waitFor(readers, armed.state, armed.expect, a);
      },
    },
    onExit: () => {
      for (const r of readers) r.close();
    },
  };
});
