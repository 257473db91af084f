/**
 * Load and soak run of the outstation, outside the test suite: `npm run soak` (full, about 90 s) or
 * `npm run soak -- --short` (under 30 s; CI runs it after the benchmarks). The script is
 * `node --expose-gc --import tsx test/hardening/soak.ts`: --expose-gc lets the heap be measured after
 * a full collection. Prints one line per check and a summary; exits 1 when any check fails.
 * `--only NAME` (repeatable: stream, overflow, churn, switch-over) runs those checks alone.
 *
 * 1. stream: 50,000 events in 10 s (short: 10,000 in 2 s) to one master, every one delivered, in order.
 * 2. overflow: more events than the queue holds while no master is connected, for both overflow
 *    policies: the policy applied, the drops counted (queue.dropped) and reported ('events-dropped'),
 *    the queued events delivered in order on the next STARTDT, and the image recovered by a GI.
 * 3. churn: connect, STARTDT, kill every 100 ms for 60 s (short: 10 s) while events flow: open file
 *    descriptors, heap after GC and the outstation's timers back where they started.
 * 4. switch-over: single-group redundancy under a stream of events; master B's STARTDT takes over
 *    from master A: every event delivered across A then B, in order, none lost, those A left
 *    unacknowledged sent again on B.
 */
import net from "node:net";
import { parseArgs } from "node:util";
import { type Apci, decodeApci, encodeIFrame, encodeUFrame } from "../../src/iec104/apci/frames.js";
import { ApduSplitter } from "../../src/iec104/apci/splitter.js";
import { type Asdu, encodeAsdu } from "../../src/iec104/asdu/asdu.js";
import { Cot, TypeId } from "../../src/iec104/asdu/types.js";
import { Master } from "../../src/iec104/master/index.js";
import { systemClock } from "../../src/iec104/outstation/clock.js";
import type { OverflowPolicy } from "../../src/iec104/outstation/event-queue.js";
import type { OutstationEvent } from "../../src/iec104/outstation/events.js";
import { Outstation, type OutstationInit } from "../../src/iec104/outstation/server.js";
import type { StationDef } from "../../src/iec104/outstation/station.js";
import { activeResources, CountingClock, openFds, settledHeap } from "./resources.js";

const { values: args } = parseArgs({
  options: { short: { type: "boolean", default: false }, only: { type: "string", multiple: true } },
});
const SHORT = args.short;
/** `--only churn` (repeatable): run those checks alone. */
const ONLY = args.only ?? [];
const HOST = "127.0.0.1";

/** Ten bitstring points (any new value is an event) and ten measured values for the image. */
const POINTS = 10;
const STATION: StationDef = {
  ca: 1,
  points: [
    ...Array.from({ length: POINTS }, (_, i) => ({ ioa: 100 + i, typeId: TypeId.M_BO_NA_1 })),
    ...Array.from({ length: POINTS }, (_, i) => ({ ioa: 200 + i, typeId: TypeId.M_ME_NB_1 })),
  ],
};

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}
const checks: Check[] = [];

function check(name: string, ok: boolean, detail: string): void {
  checks.push({ name, ok, detail });
  console.log(`${ok ? "ok  " : "FAIL"} ${name}: ${detail}`);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) return false;
    await sleep(5);
  }
  return true;
}

/** An outstation on 127.0.0.1; `keepEvents` false counts its events instead of keeping them. */
async function outstation(init: Partial<OutstationInit> = {}, keepEvents = true) {
  const clock = new CountingClock(systemClock);
  const events: OutstationEvent[] = [];
  const counts = new Map<string, number>();
  const os = new Outstation({ stations: [STATION], host: HOST, port: 0, clock, ...init });
  os.on("event", (e) => {
    counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
    if (keepEvents) events.push(e);
  });
  await os.listen();
  const addr = (Reflect.get(os, "server") as net.Server).address() as net.AddressInfo;
  return { os, port: addr.port, clock, events, counts };
}

type Os = Awaited<ReturnType<typeof outstation>>;

/** Sets event number `seq` (1..): bitstring point seq % 10 takes the value seq. */
function emit(o: Os, seq: number): void {
  const st = o.os.stations[0]!;
  st.update(st.indexOf(100 + (seq % POINTS)), seq, 0, o.os.now());
}

/** The sequence numbers (bitstring values) in ASDUs a master received, in order. */
function collect(m: Master, into: number[]): void {
  m.on("asdu", (a: Asdu) => {
    if (a.typeId !== TypeId.M_BO_NA_1 || a.cot !== Cot.SPONTANEOUS) return;
    for (const o of a.objects) into.push(o.value);
  });
}

function isRun(values: readonly number[], first: number, last: number): boolean {
  if (values.length !== last - first + 1) return false;
  return values.every((v, i) => v === first + i);
}

/** Emits `total` events evenly over `ms`, on a 5 ms tick; resolves with the last sequence number. */
async function stream(o: Os, total: number, ms: number, from = 1): Promise<number> {
  const start = Date.now();
  let next = from;
  const last = from + total - 1;
  while (next <= last) {
    const due = Math.min(last, from - 1 + Math.ceil((total * (Date.now() - start)) / ms));
    while (next <= due) emit(o, next++);
    await sleep(5);
  }
  return last;
}

/* ---- 1. stream ---------------------------------------------------------------------------------- */

async function streamToOneMaster(): Promise<void> {
  const total = SHORT ? 10_000 : 50_000;
  const ms = SHORT ? 2_000 : 10_000;
  const o = await outstation();
  const m = await Master.connect({ host: HOST, port: o.port });
  const got: number[] = [];
  collect(m, got);
  await m.startDataTransfer();
  let maxDepth = 0;
  const depth = setInterval(() => {
    for (const g of o.os.groupList()) maxDepth = Math.max(maxDepth, g.queue.unsent);
  }, 10);
  const t0 = Date.now();
  const last = await stream(o, total, ms);
  const delivered = await until(() => got.length >= total, 10_000);
  const took = Date.now() - t0;
  clearInterval(depth);
  check(
    "stream",
    delivered && isRun(got, 1, last) && !m.isClosed,
    `${got.length}/${total} events in order in ${took} ms (${Math.round((total * 1000) / took)}/s), ` +
      `queue depth at most ${maxDepth}`,
  );
  await m.close();
  await o.os.close();
}

/* ---- 2. overflow -------------------------------------------------------------------------------- */

async function overflowWithoutMaster(policy: OverflowPolicy): Promise<void> {
  const capacity = 1000;
  const total = 5000;
  const o = await outstation({
    redundancy: { mode: "single-group", groups: [] },
    eventQueue: { capacity, overflow: policy },
  });
  const st = o.os.stations[0]!;
  const q = o.os.groupList()[0]!.queue;
  const queuedBefore = q.length;
  for (let seq = 1; seq <= total; seq++) {
    emit(o, seq);
    st.update(st.indexOf(200 + (seq % POINTS)), seq % 30_000, 0, o.os.now());
  }
  const pushed = queuedBefore + 2 * total;
  const dropped = pushed - capacity;
  // the first drop is reported at once, the whole burst a second after its last drop
  const counts = () =>
    o.events.flatMap((e) => (e.type === "events-dropped" && e.group === "all" ? [e.dropped] : []));
  const reported = await until(() => counts().at(-1) === dropped, 3000);

  const m = await Master.connect({ host: HOST, port: o.port });
  const got: number[] = [];
  collect(m, got);
  await m.startDataTransfer();
  // the queue alternates bitstring and measured-value events: half of what it kept are bitstrings
  // (drop-oldest keeps the newest, from a measured value on; drop-newest the end of initialization
  // and the oldest, from a bitstring on)
  const expectSeq =
    policy === "drop-oldest" ? Math.floor(capacity / 2) : Math.ceil((capacity - queuedBefore) / 2);
  await until(() => got.length >= expectSeq, 5000);
  await sleep(50);
  // drop-oldest keeps the newest events (the last 500 bitstring ones), drop-newest the first
  const inOrder =
    policy === "drop-oldest" ? isRun(got, total - expectSeq + 1, total) : isRun(got, 1, expectSeq);
  const gi = await m.interrogate(1);
  const image = new Map<number, unknown>();
  for (const a of gi.data)
    for (const o2 of a.objects) image.set(o2.ioa, "value" in o2 ? o2.value : undefined);
  const recovered = STATION.points.every((p) => {
    const i = st.indexOf(p.ioa);
    return image.get(p.ioa) === st.value[i];
  });
  check(
    `overflow ${policy}`,
    q.dropped === dropped && reported && inOrder && recovered,
    `${pushed} events into ${capacity}: queue.dropped ${q.dropped} (want ${dropped}), ` +
      `'events-dropped' reported ${counts().join(", ")}, ` +
      `${got.length} queued events delivered ${inOrder ? "in order" : "OUT OF ORDER"}, ` +
      `GI ${recovered ? "recovered" : "did NOT recover"} all ${STATION.points.length} points`,
  );
  await m.close();
  await o.os.close();
}

/* ---- 3. churn ----------------------------------------------------------------------------------- */

/** Connects, STARTDT, waits for the STARTDT con and a first I-frame, maybe sends a GI, and kills. */
async function churnOnce(port: number, i: number): Promise<boolean> {
  const socket = net.connect({ host: HOST, port });
  socket.on("error", () => {});
  const closed = new Promise<void>((r) => socket.once("close", () => r()));
  const splitter = new ApduSplitter();
  let started = false;
  let iFrames = 0;
  socket.on("data", (chunk: Buffer) => {
    for (const f of splitter.push(chunk)) {
      const apci: Apci = decodeApci(f);
      if (apci.format === "U" && apci.fn === "STARTDT_CON") started = true;
      if (apci.format === "I") iFrames++;
    }
  });
  await new Promise<void>((r) => socket.once("connect", () => r()));
  socket.write(encodeUFrame("STARTDT_ACT"));
  const ok = await until(() => started && iFrames > 0, 2000);
  if (i % 3 === 0) {
    const gi = encodeAsdu({
      typeId: TypeId.C_IC_NA_1,
      sq: false,
      cot: Cot.ACTIVATION,
      test: false,
      negative: false,
      oa: 0,
      ca: 1,
      objects: [{ ioa: 0, qoi: 20 }],
    });
    socket.write(encodeIFrame(0, iFrames, gi));
  }
  if (i % 2 === 0) socket.resetAndDestroy();
  else socket.destroy();
  await closed;
  return ok;
}

async function churn(): Promise<void> {
  const seconds = SHORT ? 10 : 60;
  // the events are counted, not kept: a growing list would read as a leak
  const o = await outstation({ maxConnections: 100 }, false);
  let seq = 0;
  const ticker = setInterval(() => emit(o, ++seq), 10);
  for (let i = 0; i < 20; i++) await churnOnce(o.port, i);
  await until(() => o.os.connections.size === 0, 2000);
  await sleep(100);
  const before = {
    fds: openFds(),
    heap: settledHeap(),
    timers: o.clock.activeTimers,
    res: activeResources(),
  };
  const heapSamples: number[] = [];
  let failed = 0;
  let n = 0;
  const running = new Set<Promise<void>>();
  const end = Date.now() + seconds * 1000;
  let nextSample = Date.now() + 2000;
  while (Date.now() < end) {
    const i = n++;
    const p: Promise<void> = churnOnce(o.port, i).then((ok) => {
      if (!ok) failed++;
      running.delete(p);
    });
    running.add(p);
    await sleep(100);
    if (Date.now() >= nextSample) {
      heapSamples.push(settledHeap());
      nextSample += 5000;
    }
  }
  await Promise.all(running);
  await until(() => o.os.connections.size === 0, 5000);
  clearInterval(ticker);
  await sleep(200);
  const after = { fds: openFds(), heap: settledHeap(), timers: o.clock.activeTimers, res: activeResources() };
  const closes = [...o.os.stats.closes.values()].reduce((a, b) => a + b, 0);
  const heapGrowth = after.heap - before.heap;
  const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
  const resourcesFlat = Object.entries(after.res).every(([k, v]) => v <= (before.res[k] ?? 0));
  check(
    "churn",
    failed === 0 &&
      o.os.connections.size === 0 &&
      o.os.groupList().length === 0 &&
      closes === o.os.stats.connectionsAccepted &&
      o.counts.get("master-closed") === o.counts.get("master-connected") &&
      after.fds <= before.fds + 2 &&
      heapGrowth < 4 * 1048576 &&
      after.timers === before.timers &&
      resourcesFlat,
    `${n} connect/STARTDT/kill in ${seconds} s (${failed} without a STARTDT con), ` +
      `fds ${before.fds} -> ${after.fds}, heap ${mb(before.heap)} -> ${mb(after.heap)} ` +
      `(samples ${heapSamples.map(mb).join(" ")}), outstation timers ${before.timers} -> ${after.timers}, ` +
      `handles ${JSON.stringify(before.res)} -> ${JSON.stringify(after.res)}, groups left ${o.os.groupList().length}`,
  );
  await o.os.close();
}

/* ---- 4. switch-over ------------------------------------------------------------------------------ */

async function switchOver(): Promise<void> {
  const rate = 2000;
  const phase = SHORT ? 1000 : 4000;
  const o = await outstation({ redundancy: { mode: "single-group", groups: [] } });
  // A acknowledges only every 12 I-frames (w = k): it always has some unacknowledged at the switch
  const a = await Master.connect({ host: HOST, port: o.port, link: { w: 12 } });
  const b = await Master.connect({ host: HOST, port: o.port });
  const gotA: number[] = [];
  const gotB: number[] = [];
  collect(a, gotA);
  collect(b, gotB);
  await a.startDataTransfer();
  const last1 = await stream(o, (rate * phase) / 1000, phase);
  const streaming = stream(o, (rate * phase) / 1000, phase, last1 + 1);
  await sleep(phase / 2);
  await b.startDataTransfer();
  const last = await streaming;
  const delivered = await until(() => gotB.at(-1) === last, 5000);
  await sleep(50);
  const lastA = gotA.at(-1) ?? 0;
  const firstB = gotB[0] ?? 0;
  const resent = lastA - firstB + 1;
  const ok =
    delivered && isRun(gotA, 1, lastA) && isRun(gotB, firstB, last) && firstB <= lastA + 1 && resent > 0;
  const closedA = o.events.find((e) => e.type === "master-closed");
  check(
    "switch-over",
    ok,
    `${last} events: A got 1..${lastA}, B got ${firstB}..${last} (${resent} unacknowledged on A sent again on B), ` +
      `A ${closedA ? `closed (${closedA.type === "master-closed" ? closedA.reason : ""})` : "stopped"}`,
  );
  if (!a.isClosed) await a.close();
  await b.close();
  await o.os.close();
}

/* ---- main --------------------------------------------------------------------------------------- */

const t0 = Date.now();
const errors: unknown[] = [];
process.on("uncaughtException", (e) => errors.push(e));
process.on("unhandledRejection", (e) => errors.push(e));
console.log(
  `soak ${SHORT ? "--short" : "(full)"}: node ${process.version}, gc ${"gc" in globalThis ? "on" : "OFF"}`,
);
for (const [name, run] of [
  ["stream", streamToOneMaster],
  ["overflow drop-oldest", () => overflowWithoutMaster("drop-oldest")],
  ["overflow drop-newest", () => overflowWithoutMaster("drop-newest")],
  ["churn", churn],
  ["switch-over", switchOver],
] as const) {
  if (ONLY.length > 0 && !ONLY.some((o) => name.startsWith(o))) continue;
  try {
    await run();
  } catch (e) {
    check(name, false, `threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}
check(
  "no uncaught errors",
  errors.length === 0,
  errors.length === 0 ? "none" : errors.map(String).join("; "),
);
const failedChecks = checks.filter((c) => !c.ok);
console.log(
  `soak: ${checks.length - failedChecks.length}/${checks.length} checks passed in ${((Date.now() - t0) / 1000).toFixed(1)} s` +
    (failedChecks.length > 0 ? `; FAILED: ${failedChecks.map((c) => c.name).join(", ")}` : ""),
);
process.exit(failedChecks.length > 0 ? 1 : 0);
