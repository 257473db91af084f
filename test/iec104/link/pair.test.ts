/**
 * A master and an outstation session wired back to back through their sinks, with a simulated
 * network: bytes in flight are delivered in random pieces, within at most `LATENCY` ms; time moves on
 * in random steps below the timers, every deadline ticked on time. A random but legal exchange
 * (ASDUs both ways, STOPDT and STARTDT by the master) must never close, must deliver every ASDU
 * exactly once and in order both ways, and must end with every I-frame acknowledged after a final
 * idle period of t2.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_LINK_CONFIG, type LinkConfig, type LinkSession } from "../../../src/iec104/link/session.js";
import { fraction, makeSession, outFrame, type Rig } from "./harness.js";

/** Longest time a byte stays in flight. */
const LATENCY = 500;

type Command =
  | { kind: "masterData"; count: number }
  | { kind: "outstationData"; count: number }
  | { kind: "deliver"; toOutstation: boolean; fraction: number }
  | { kind: "advance"; ms: number }
  | { kind: "stop" }
  | { kind: "start" };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("masterData" as const),
      count: fc.integer({ min: 1, max: 20 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("outstationData" as const),
      count: fc.integer({ min: 1, max: 30 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("deliver" as const),
      toOutstation: fc.boolean(),
      fraction: fraction(),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("advance" as const),
      ms: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 9_999 })),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: "stop" as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: "start" as const }) },
);

const cfgArb: fc.Arbitrary<LinkConfig> = fc
  .tuple(fc.integer({ min: 1, max: 12 }), fraction())
  .map(([k, f]) => ({ ...DEFAULT_LINK_CONFIG, k, w: 1 + Math.floor(f * (k - 1)) }));

/** A tiny deterministic PRNG (mulberry32) for the cut points, seeded by fast-check. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One direction of the network: bytes queued by a sink, delivered later to the other session. */
class Pipe {
  private bytes: Buffer[] = [];
  /** When the oldest byte in flight was sent (NaN when none is). */
  since = Number.NaN;

  write(frame: Buffer, now: number): void {
    if (this.bytes.length === 0) this.since = now;
    this.bytes.push(frame);
  }

  /** When the oldest byte in flight must have arrived (Infinity when none is in flight). */
  get due(): number {
    return Number.isNaN(this.since) ? Number.POSITIVE_INFINITY : this.since + LATENCY;
  }

  get pending(): number {
    return this.bytes.reduce((n, b) => n + b.length, 0);
  }

  /** Delivers the first `n` octets in flight (as one chunk) to `to`. */
  deliver(n: number, to: LinkSession, now: number): void {
    const all = Buffer.concat(this.bytes);
    const chunk = all.subarray(0, n);
    const rest = all.subarray(n);
    this.bytes = rest.length > 0 ? [rest] : [];
    if (rest.length === 0) this.since = Number.NaN;
    to.receive(chunk, now);
  }

  /** Delivers everything in flight, cut into random pieces. */
  flush(to: LinkSession, now: number, random: () => number): void {
    while (this.pending > 0) this.deliver(1 + Math.floor(random() * Math.min(this.pending, 40)), to, now);
  }
}

class Network {
  now = 0;
  readonly master: Rig;
  readonly outstation: Rig;
  readonly toOutstation = new Pipe();
  readonly toMaster = new Pipe();
  /** Tags the application still has to hand to its session, in order. */
  readonly masterQueue: number[] = [];
  readonly outstationQueue: number[] = [];
  masterTag = 0;
  outstationTag = 0;
  private readonly random: () => number;

  constructor(cfg: LinkConfig, seed: number) {
    this.random = prng(seed);
    this.master = makeSession("master", cfg, 0);
    this.outstation = makeSession("outstation", cfg, 0);
    this.master.sink.onEvent = (e) => {
      if (e.kind === "send") this.toOutstation.write(e.frame, this.now);
    };
    this.outstation.sink.onEvent = (e) => {
      if (e.kind === "send") this.toMaster.write(e.frame, this.now);
    };
  }

  /** The applications hand queued ASDUs to their sessions while the window allows. */
  pump(): void {
    for (const [rig, queue] of [
      [this.master, this.masterQueue],
      [this.outstation, this.outstationQueue],
    ] as const) {
      while (queue.length > 0 && rig.session.canSend) {
        expect(rig.session.sendIFrame(outFrame(queue[0]!), this.now)).toBe(true);
        queue.shift();
      }
    }
  }

  /** Moves the clock to `target`, ticking every deadline and delivering what has been in flight too long. */
  advance(target: number): void {
    let stuck = 0;
    for (;;) {
      const next = Math.min(
        this.master.session.nextDeadline(),
        this.outstation.session.nextDeadline(),
        this.toOutstation.due,
        this.toMaster.due,
      );
      if (next > target) break;
      // A deadline at which tick() does nothing would make this loop spin: fail instead.
      stuck = next <= this.now ? stuck + 1 : 0;
      if (stuck > 1_000) throw new Error(`time does not advance past ${this.now}`);
      this.now = Math.max(this.now, next);
      if (this.toOutstation.due <= this.now)
        this.toOutstation.flush(this.outstation.session, this.now, this.random);
      if (this.toMaster.due <= this.now) this.toMaster.flush(this.master.session, this.now, this.random);
      this.master.session.tick(this.now);
      this.outstation.session.tick(this.now);
      this.pump();
    }
    this.now = target;
    this.pump();
  }

  run(c: Command): void {
    switch (c.kind) {
      case "masterData":
        for (let i = 0; i < c.count; i++) this.masterQueue.push(this.masterTag++);
        break;
      case "outstationData":
        for (let i = 0; i < c.count; i++) this.outstationQueue.push(this.outstationTag++);
        break;
      case "deliver": {
        const [pipe, to] = c.toOutstation
          ? [this.toOutstation, this.outstation.session]
          : [this.toMaster, this.master.session];
        const n = Math.ceil(c.fraction * pipe.pending);
        if (n > 0) pipe.deliver(n, to, this.now);
        break;
      }
      case "advance":
        this.advance(this.now + c.ms);
        break;
      case "stop":
        this.master.session.stopDataTransfer(this.now);
        break;
      case "start":
        this.master.session.startDataTransfer(this.now);
        break;
    }
    this.pump();
  }

  /** Delivers everything in flight now, again and again, until the network and the queues are quiet. */
  settle(): void {
    for (let i = 0; i < 100_000; i++) {
      this.pump();
      if (this.toOutstation.pending === 0 && this.toMaster.pending === 0) return;
      this.toOutstation.flush(this.outstation.session, this.now, this.random);
      this.toMaster.flush(this.master.session, this.now, this.random);
    }
    throw new Error("the network does not settle");
  }

  get closes(): unknown[] {
    return [...this.master.sink.closes, ...this.outstation.sink.closes];
  }
}

describe("master and outstation back to back", () => {
  it("a random legal exchange never closes, delivers every ASDU once and in order, ends acknowledged", () => {
    fc.assert(
      fc.property(
        cfgArb,
        fc.integer(),
        fc.array(commandArb, { minLength: 20, maxLength: 150, size: "max" }),
        (cfg, seed, commands) => {
          const net = new Network(cfg, seed);
          net.master.session.startDataTransfer(0);
          for (const c of commands) {
            net.run(c);
            expect(net.closes).toEqual([]);
          }
          // Drain: (re)start the data transfer and run until both queues and the network are empty.
          for (let round = 0; round < 200; round++) {
            if (net.master.session.state === "STOPPED") net.master.session.startDataTransfer(net.now);
            net.settle();
            const idle =
              net.master.session.state === "STARTED" &&
              net.masterQueue.length === 0 &&
              net.outstationQueue.length === 0 &&
              net.toMaster.pending === 0 &&
              net.toOutstation.pending === 0;
            if (idle) break;
            net.advance(net.now + 200);
          }
          expect(net.masterQueue).toEqual([]);
          expect(net.outstationQueue).toEqual([]);
          // The final idle period: t2, and the time the last S-frames need to arrive.
          net.advance(net.now + cfg.t2Ms + LATENCY);
          expect(net.closes).toEqual([]);
          expect(net.master.session.unacknowledged).toBe(0);
          expect(net.outstation.session.unacknowledged).toBe(0);
          expect(net.outstation.sink.tags).toEqual(Array.from({ length: net.masterTag }, (_, i) => i));
          expect(net.master.sink.tags).toEqual(Array.from({ length: net.outstationTag }, (_, i) => i));
          expect(net.master.session.sendSeq).toBe(net.outstation.session.receiveSeq);
          expect(net.outstation.session.sendSeq).toBe(net.master.session.receiveSeq);
        },
      ),
      { numRuns: 250 },
    );
  });
});
