/**
 * Property-based fuzzing of a live outstation (real TCP, real clock, short link timers): each run
 * opens 1-4 connections at once and plays a generated session on each: STARTDT then valid requests
 * from the ASDU arbitraries with octets flipped, inserted and deleted, wrong N(S)/N(R), random U and
 * S frames, random chunking and pauses, or plain random octets; a session ends by destroying, resetting
 * or half-closing its socket, by waiting for the outstation to close it, or by leaving it open (the
 * link timers then close it). Beside them a well-behaved Master receives a heartbeat of spontaneous
 * events and asks for a general interrogation every so often.
 *
 * Checked: no uncaught exception or unhandled rejection, the good master never closed nor timed out
 * and received every heartbeat in order; at the end only its connection and group are left, no
 * selection, no timer of the outstation beyond its own, no socket or ref'd timer more than before.
 *
 * Runs for FUZZ_SECONDS (default 4) seconds; FUZZ_SEED replays a reported failure.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  encodeIFrame,
  encodeSFrame,
  encodeUFrame,
  type UFunctionName,
} from "../../src/iec104/apci/frames.js";
import { seqAdd } from "../../src/iec104/apci/seq.js";
import { type Asdu, encodeAsdu } from "../../src/iec104/asdu/asdu.js";
import type { TypeId } from "../../src/iec104/asdu/types.js";
import { systemClock } from "../../src/iec104/outstation/clock.js";
import {
  ALL_TYPE_IDS,
  asduArb,
  type Mutation,
  mutate,
  mutationArb,
  rawFrameArb,
  seqArb,
  TYPE_IDS_104,
  uFunctionArb,
} from "../iec104/arbitraries.js";
import {
  connect,
  RawClient,
  STATION_1,
  sleep,
  startOutstation,
  until,
} from "../iec104/outstation/fixture.js";
import { HARDENING_STATIONS, Heartbeat } from "./harness.js";
import { activeResources, CountingClock } from "./resources.js";

const FUZZ_MS = Number(process.env.FUZZ_SECONDS ?? 4) * 1000;
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const CAPACITY = 2000;
const MAX_LEFT_OPEN = 24;

/* ---- sessions ------------------------------------------------------------------------------------ */

type Op =
  | { kind: "start" }
  | { kind: "i"; asdu: Asdu; mutations: Mutation[]; fixLength: boolean; ns: number | null; nr: number | null }
  | { kind: "u"; fn: UFunctionName }
  | { kind: "s"; nr: number | null }
  | { kind: "bytes"; bytes: Uint8Array }
  | { kind: "flush"; chunks: number[]; pauseMs: number };

type End = "destroy" | "reset" | "end" | "wait" | "leave";

interface Session {
  autoAck: boolean;
  ops: Op[];
  end: End;
}

/** Mostly null (the right value), sometimes anything. */
const mostlyNull = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });

const KNOWN_IOAS = [0, 1, 2, 3, 10, 20, 30, 40, 41, 42, 50, 51, 60, 70, 900, 1001, 1002, 1003, 1004, 1005];
const CONTROL_TYPES = TYPE_IDS_104.filter((t) => t >= 45);

/** An ASDU of (mostly) a control type, addressed (mostly) to our stations and points. */
const requestArb: fc.Arbitrary<Asdu> = fc
  .oneof(
    { weight: 4, arbitrary: fc.constantFrom(...CONTROL_TYPES) },
    { weight: 1, arbitrary: fc.constantFrom(...ALL_TYPE_IDS) },
  )
  .chain((t: TypeId) =>
    fc.tuple(
      asduArb(t, { maxCount: 3 }),
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(1, 2, 0xffff) },
        { weight: 1, arbitrary: fc.nat(0xffff) },
      ),
      fc.oneof({ weight: 4, arbitrary: fc.constantFrom(5, 6, 8) }, { weight: 1, arbitrary: fc.nat(63) }),
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...KNOWN_IOAS) },
        { weight: 1, arbitrary: fc.nat(0xffffff) },
      ),
      fc.boolean(),
    ),
  )
  .map(([a, ca, cot, ioa, single]) => {
    const objects = a.sq || !single ? a.objects : [{ ...a.objects[0]!, ioa }];
    return { ...a, ca, cot, negative: false, objects } as Asdu;
  });

/** Sets the CA, COT and first object of `a` (SQ=0, one object). */
function aimed(a: Asdu, ca: number, cot: number, fields: Record<string, unknown>): Asdu {
  return { ...a, ca, cot, sq: false, negative: false, objects: [{ ...a.objects[0]!, ...fields }] } as Asdu;
}

/** A process command on one of station 1's command points, as itself or time-tagged (+13). */
const commandArb: fc.Arbitrary<Asdu> = fc
  .tuple(fc.constantFrom(...STATION_1.commands!), fc.boolean(), fc.constantFrom(6, 6, 6, 8))
  .chain(([cmd, timed, cot]) =>
    asduArb((timed ? cmd.typeId + 13 : cmd.typeId) as TypeId, { sq: false, maxCount: 1 }).map((a) =>
      aimed(a, 1, cot, { ioa: cmd.ioa }),
    ),
  );

/** A system or parameter request with the fields that pass the first checks. */
const systemArb: fc.Arbitrary<Asdu> = fc
  .constantFrom(100, 101, 102, 103, 105, 107, 110, 111, 112, 113)
  .chain((t) =>
    fc.tuple(
      asduArb(t as TypeId, { sq: false, maxCount: 1 }),
      fc.constantFrom(1, 2, 0xffff),
      fc.integer({ min: 20, max: 36 }),
      fc.integer({ min: 0, max: 255 }).map((frz) => (frz & 0xc0) | 5),
      fc.constantFrom(...KNOWN_IOAS),
      fc.constantFrom(1, 2),
    ),
  )
  .map(([a, ca, qoi, qcc, ioa, qrp]) => {
    switch (a.typeId) {
      case 100:
        return aimed(a, ca, 6, { ioa: 0, qoi });
      case 101:
        return aimed(a, ca, 6, { ioa: 0, qcc });
      case 102:
        return aimed(a, ca === 0xffff ? 1 : ca, 5, { ioa });
      case 105:
        return aimed(a, ca, 6, { ioa: 0, qrp });
      case 110:
      case 111:
      case 112:
        return aimed(a, ca === 0xffff ? 1 : ca, 6, { ioa, qpm: 1 });
      default:
        return aimed(a, ca === 0xffff ? 1 : ca, 6, { ioa: 0 });
    }
  });

const iOpArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constant("i" as const),
  asdu: fc.oneof(requestArb, commandArb, systemArb),
  mutations: fc.oneof(
    { weight: 3, arbitrary: fc.constant<Mutation[]>([]) },
    { weight: 1, arbitrary: fc.array(mutationArb, { minLength: 1, maxLength: 3 }) },
  ),
  fixLength: fc.boolean(),
  ns: mostlyNull(seqArb),
  nr: mostlyNull(seqArb),
});

const flushArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constant("flush" as const),
  chunks: fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 4 }),
  pauseMs: fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 20 }) },
  ),
});

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: iOpArb },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("u" as const), fn: uFunctionArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("s" as const), nr: mostlyNull(seqArb) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("bytes" as const), bytes: fc.uint8Array({ maxLength: 16 }) }),
  },
  { weight: 3, arbitrary: flushArb },
);

/** Few sessions are left open, so that those live long enough for t3 and t1 to close them. */
const endArb: fc.Arbitrary<End> = fc.oneof(
  { weight: 16, arbitrary: fc.constantFrom<End>("destroy", "reset", "end", "wait") },
  { weight: 1, arbitrary: fc.constant<End>("leave") },
);

/** STARTDT, then valid requests and frames, some damaged. */
const mutatedSessionArb: fc.Arbitrary<Session> = fc.record({
  autoAck: fc.boolean(),
  ops: fc.array(opArb, { maxLength: 30 }).map((ops): Op[] => [{ kind: "start" }, ...ops]),
  end: endArb,
});

/** Random octets, or frames with a valid start and length and random content, in random pieces. */
const randomSessionArb: fc.Arbitrary<Session> = fc.record({
  autoAck: fc.constant(false),
  ops: fc
    .tuple(
      fc.boolean(),
      fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 600 }),
        fc.array(rawFrameArb, { minLength: 1, maxLength: 6 }).map((f) => Buffer.concat(f)),
      ),
      flushArb,
    )
    .map(([start, bytes, flush]): Op[] => [
      ...(start ? [{ kind: "start" as const }] : []),
      { kind: "bytes", bytes },
      flush,
    ]),
  end: endArb,
});

const sessionArb = fc.oneof(
  { weight: 3, arbitrary: mutatedSessionArb },
  { weight: 1, arbitrary: randomSessionArb },
);

/* ---- playing a session ----------------------------------------------------------------------------- */

async function writeInChunks(c: RawClient, bytes: Buffer, chunks: number[]): Promise<void> {
  for (let pos = 0, i = 0; pos < bytes.length && !c.closed; i++) {
    const n = chunks[i % chunks.length]!;
    c.write(bytes.subarray(pos, pos + n));
    pos += n;
    if (i % 2 === 1) await new Promise((r) => setImmediate(r));
  }
}

async function play(port: number, s: Session, leftOpen: RawClient[]): Promise<void> {
  const c = await RawClient.connect(port);
  c.autoAck = s.autoAck;
  let pending: Buffer[] = [];
  const flush = async (chunks: number[]) => {
    const bytes = Buffer.concat(pending);
    pending = [];
    await writeInChunks(c, bytes, chunks);
  };
  for (const op of s.ops) {
    if (c.closed) break;
    switch (op.kind) {
      case "start": {
        await flush([512]);
        const from = c.frames.length;
        c.write(Buffer.from(encodeUFrame("STARTDT_ACT")));
        await until(
          () => c.closed || c.frames.slice(from).some((f) => f.format === "U" && f.fn === "STARTDT_CON"),
          "STARTDT con",
          200,
        ).catch(() => {});
        break;
      }
      case "i": {
        let asdu: Buffer;
        try {
          asdu = encodeAsdu(op.asdu, { allowNon104: true });
        } catch {
          break;
        }
        const frame = encodeIFrame(op.ns ?? c.vs, op.nr ?? c.vr, asdu);
        if (op.ns === null) c.vs = seqAdd(c.vs, 1);
        pending.push(op.mutations.length > 0 ? mutate(frame, op.mutations, op.fixLength) : frame);
        break;
      }
      case "u":
        pending.push(Buffer.from(encodeUFrame(op.fn)));
        break;
      case "s":
        pending.push(encodeSFrame(op.nr ?? c.vr));
        break;
      case "bytes":
        pending.push(Buffer.from(op.bytes));
        break;
      case "flush":
        await flush(op.chunks);
        if (op.pauseMs > 0) await sleep(op.pauseMs);
    }
  }
  await flush([256]);
  switch (s.end) {
    case "destroy":
      c.socket.destroy();
      break;
    case "reset":
      c.socket.resetAndDestroy();
      break;
    case "end":
      c.socket.end();
      await until(() => c.closed, "the close", 100).catch(() => {});
      c.socket.destroy();
      break;
    case "wait":
      await until(() => c.closed, "the outstation to close", 100).catch(() => {});
      c.socket.destroy();
      break;
    case "leave":
      leftOpen.push(c);
      while (leftOpen.length > MAX_LEFT_OPEN) leftOpen.shift()!.socket.destroy();
  }
}

/* ---- the test ------------------------------------------------------------------------------------- */

describe("fuzzing a live outstation", () => {
  it(
    `survives mutated sessions and random octets for ${FUZZ_MS / 1000} s; the good master loses nothing`,
    async () => {
      const problems: string[] = [];
      const onError = (e: unknown) => problems.push(`uncaught: ${e instanceof Error ? e.stack : String(e)}`);
      process.on("uncaughtException", onError);
      process.on("unhandledRejection", onError);
      try {
        const clock = new CountingClock(systemClock);
        const fx = await startOutstation({
          stations: HARDENING_STATIONS,
          clock,
          maxConnections: 64,
          eventQueue: { capacity: CAPACITY, overflow: "drop-oldest" },
          link: { t1Ms: 1000, t2Ms: 500, t3Ms: 1500 },
        });
        const good = await connect(fx, { master: { link: { w: 1 }, requestTimeoutMs: 5000 }, waitInit: 2 });
        const goodConn = [...fx.os.connections][0]!;
        const baseline = { timers: clock.activeTimers, resources: activeResources() };

        const hb = new Heartbeat(fx);
        hb.start();
        let running = true;
        let interrogations = 0;
        const interrogating = (async () => {
          while (running) {
            try {
              const r = await good.m.interrogate(1);
              const n = r.data.reduce((k, a) => k + a.objects.length, 0);
              if (n !== 10) problems.push(`GI answered ${n} objects, not 10`);
              interrogations++;
            } catch (e) {
              problems.push(`GI failed: ${(e as Error).message}`);
              return;
            }
            await sleep(200);
          }
        })();

        const leftOpen: RawClient[] = [];
        const started = Date.now();
        const details = await fc.check(
          fc.asyncProperty(fc.array(sessionArb, { minLength: 1, maxLength: 4 }), async (sessions) => {
            await Promise.all(sessions.map((s) => play(fx.port, s, leftOpen)));
            expect(problems).toEqual([]);
            expect(good.m.isClosed).toBe(false);
            for (const g of fx.os.groupList()) expect(g.queue.length).toBeLessThanOrEqual(CAPACITY);
          }),
          {
            numRuns: 1_000_000,
            interruptAfterTimeLimit: FUZZ_MS,
            endOnFailure: true,
            ...(SEED === undefined ? {} : { seed: SEED }),
          },
        );
        running = false;
        await interrogating;
        if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? "fuzzing failed");
        expect(details.numRuns).toBeGreaterThan(10);
        expect(interrogations).toBeGreaterThan(0);
        expect(Date.now() - started).toBeLessThan(FUZZ_MS + 5000);

        // Every connection but the good one closes and leaves nothing behind.
        for (const c of leftOpen) c.socket.destroy();
        await until(() => fx.os.connections.size === 1, "only the good connection left", 5000);
        expect(fx.os.connections.has(goodConn)).toBe(true);
        expect(fx.os.groupList()).toEqual([goodConn.group]);
        await hb.verify(good);
        await until(() => goodConn.session.unacknowledged === 0, "the good master's acknowledgement");
        expect(goodConn.group!.queue.length).toBe(0);
        expect(goodConn.group!.queue.dropped).toBe(0);
        expect((Reflect.get(fx.os.selections, "selected") as Map<string, unknown>).size).toBe(0);
        expect((Reflect.get(fx.os.selections, "busy") as Set<string>).size).toBe(0);
        await until(() => clock.activeTimers === baseline.timers, "the outstation's timers to settle");
        await sleep(50);
        // no more sockets, servers or ref'd timers than with the good master alone (fewer is fine)
        const after = activeResources();
        for (const [kind, n] of Object.entries(after)) {
          expect(n, `active ${kind}`).toBeLessThanOrEqual(baseline.resources[kind] ?? 0);
        }
        expect(after.TCPSocketWrap).toBe(baseline.resources.TCPSocketWrap);
        expect(problems).toEqual([]);
        expect(good.m.isClosed).toBe(false);
        console.log(
          `fuzz: ${details.numRuns} runs in ${Date.now() - started} ms, ${fx.os.stats.connectionsAccepted - 1} connections, ` +
            `closes ${JSON.stringify(Object.fromEntries(fx.os.stats.closes))}, ` +
            `negative replies ${JSON.stringify(Object.fromEntries(fx.os.stats.negatives))}, ` +
            `commands ${JSON.stringify(fx.os.stats.commands)}, ${interrogations} GIs, seed ${details.seed}`,
        );
      } finally {
        process.off("uncaughtException", onError);
        process.off("unhandledRejection", onError);
      }
    },
    FUZZ_MS + 30_000,
  );
});
