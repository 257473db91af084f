/**
 * Timers with fake time (IEC 104 5.2, 9.6): t1 on the oldest unacknowledged I-frame and on TESTFR
 * act, t2 from the first unacknowledged received I-frame, t3 idle testing; and nextDeadline(), which
 * must always be the earliest moment at which tick() does something.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CloseCode, type LinkConfig, type LinkRole } from "../../../src/iec104/link/session.js";
import {
  CFG,
  fraction,
  iFrame,
  makeSession,
  outFrame,
  type Rig,
  sFrame,
  startedSession,
  uFrame,
} from "./harness.js";

const { t1Ms: T1, t2Ms: T2, t3Ms: T3 } = CFG;
const ROLES: LinkRole[] = ["outstation", "master"];

describe("t1: acknowledgement of our I-frames", () => {
  for (const role of ROLES) {
    it(`${role}: runs on the oldest unacknowledged I-frame`, () => {
      const { session, sink } = startedSession(role);
      session.sendIFrame(outFrame(0), 0);
      session.sendIFrame(outFrame(1), 5_000);
      expect(session.nextDeadline()).toBe(T1);
      session.tick(T1 - 1);
      expect(sink.closes).toEqual([]);
      session.tick(T1);
      expect(sink.closes).toEqual([{ code: CloseCode.T1, message: expect.stringContaining("N(S)=0") }]);
    });

    it(`${role}: a partial acknowledgement moves t1 to the next frame's send time`, () => {
      const { session, sink } = startedSession(role);
      session.sendIFrame(outFrame(0), 0);
      session.sendIFrame(outFrame(1), 5_000);
      session.sendIFrame(outFrame(2), 7_000);
      session.receive(sFrame(1), 10_000);
      expect(session.nextDeadline()).toBe(5_000 + T1);
      session.tick(5_000 + T1 - 1);
      expect(sink.closes).toEqual([]);
      session.receive(iFrame(0, 2), 19_000);
      expect(session.nextDeadline()).toBe(7_000 + T1);
      session.tick(7_000 + T1 - 1);
      expect(sink.closes).toEqual([]);
      session.tick(7_000 + T1);
      expect(sink.closes).toEqual([{ code: CloseCode.T1, message: expect.stringContaining("N(S)=2") }]);
    });

    it(`${role}: a full acknowledgement stops t1`, () => {
      const { session, sink } = startedSession(role);
      session.sendIFrame(outFrame(0), 0);
      session.receive(sFrame(1), 1_000);
      expect(session.nextDeadline()).toBe(1_000 + T3);
      sink.clear();
      session.tick(T1);
      expect(sink.events).toEqual([]);
    });

    it(`${role}: runs on a TESTFR act we sent, stopped by the con`, () => {
      const lost = makeSession(role);
      lost.session.test(1_000);
      expect(lost.session.nextDeadline()).toBe(1_000 + T1);
      lost.session.tick(1_000 + T1 - 1);
      expect(lost.sink.closes).toEqual([]);
      lost.session.tick(1_000 + T1);
      expect(lost.sink.closes).toEqual([{ code: CloseCode.T1, message: expect.stringContaining("TESTFR") }]);

      const answered = makeSession(role);
      answered.session.test(1_000);
      answered.session.receive(uFrame("TESTFR_CON"), 2_000);
      expect(answered.session.nextDeadline()).toBe(2_000 + T3);
      answered.session.tick(1_000 + T1);
      expect(answered.sink.closes).toEqual([]);
    });
  }
});

describe("t2: acknowledging received I-frames", () => {
  for (const role of ROLES) {
    it(`${role}: sends an S-frame t2 after the first unacknowledged I-frame, not the later ones`, () => {
      const { session, sink } = startedSession(role);
      session.receive(iFrame(0, 0), 1_000);
      session.receive(iFrame(1, 0), 4_000);
      session.receive(iFrame(2, 0), 6_000);
      expect(session.nextDeadline()).toBe(1_000 + T2);
      session.tick(1_000 + T2 - 1);
      expect(sink.sent).toEqual([]);
      session.tick(1_000 + T2);
      expect(sink.sentShort).toEqual(["S:3"]);
      expect(session.nextDeadline()).toBe(6_000 + T3);
      session.tick(6_000 + T2);
      expect(sink.sentShort).toEqual(["S:3"]);
    });

    it(`${role}: starts again from the first I-frame after an S-frame`, () => {
      const { session, sink } = startedSession(role);
      session.receive(iFrame(0, 0), 0);
      session.tick(T2);
      session.receive(iFrame(1, 0), T2 + 500);
      session.receive(iFrame(2, 0), T2 + 900);
      session.tick(2 * T2 + 499);
      expect(sink.sentShort).toEqual(["S:1"]);
      session.tick(2 * T2 + 500);
      expect(sink.sentShort).toEqual(["S:1", "S:3"]);
    });

    it(`${role}: sends nothing when our I-frame acknowledged them meanwhile`, () => {
      const { session, sink } = startedSession(role);
      session.receive(iFrame(0, 0), 0);
      session.receive(iFrame(1, 0), 1_000);
      session.sendIFrame(outFrame(5), 2_000);
      expect(sink.sentShort).toEqual(["I:0/2"]);
      expect(session.nextDeadline()).toBe(2_000 + T1);
      session.tick(T2);
      expect(sink.sentShort).toEqual(["I:0/2"]);
    });

    it(`${role}: sends nothing when the w S-frame acknowledged them`, () => {
      const { session, sink } = startedSession(role);
      for (let i = 0; i < CFG.w; i++) session.receive(iFrame(i, 0), i * 100);
      expect(sink.sentShort).toEqual([`S:${CFG.w}`]);
      expect(session.nextDeadline()).toBe((CFG.w - 1) * 100 + T3);
      session.tick(T2);
      expect(sink.sentShort).toEqual([`S:${CFG.w}`]);
    });
  }
});

describe("t3: idle testing", () => {
  for (const role of ROLES) {
    for (const started of [false, true]) {
      it(`${role} ${started ? "STARTED" : "STOPPED"}: TESTFR act after t3 of silence, t1 then closes`, () => {
        const { session, sink } = started ? startedSession(role, CFG, 0) : makeSession(role, CFG, 0);
        expect(session.nextDeadline()).toBe(T3);
        session.tick(T3 - 1);
        expect(sink.events).toEqual([]);
        session.tick(T3);
        expect(sink.sentShort).toEqual(["U:TESTFR_ACT"]);
        expect(session.nextDeadline()).toBe(T3 + T1);
        session.tick(T3 + T1 - 1);
        expect(sink.sentShort).toEqual(["U:TESTFR_ACT"]);
        expect(sink.closes).toEqual([]);
        session.tick(T3 + T1);
        expect(sink.closes).toEqual([{ code: CloseCode.T1, message: expect.stringContaining("TESTFR") }]);
      });
    }

    it(`${role}: after the con, the next TESTFR comes t3 after it`, () => {
      const { session, sink } = startedSession(role);
      session.tick(T3);
      session.receive(uFrame("TESTFR_CON"), T3 + 300);
      expect(session.nextDeadline()).toBe(2 * T3 + 300);
      session.tick(2 * T3 + 299);
      expect(sink.sentShort).toEqual(["U:TESTFR_ACT"]);
      session.tick(2 * T3 + 300);
      expect(sink.sentShort).toEqual(["U:TESTFR_ACT", "U:TESTFR_ACT"]);
    });

    it(`${role}: every received frame (I, S, U) restarts t3`, () => {
      const received: Buffer[] = [iFrame(0, 0), sFrame(0), uFrame("TESTFR_ACT")];
      for (const frame of received) {
        const { session, sink } = startedSession(role);
        session.receive(frame, 5_000);
        sink.clear();
        session.tick(T3);
        expect(sink.sentShort.filter((s) => s === "U:TESTFR_ACT")).toEqual([]);
        session.tick(5_000 + T3);
        expect(sink.sentShort.filter((s) => s === "U:TESTFR_ACT")).toEqual(["U:TESTFR_ACT"]);
      }
    });

    it(`${role}: our own sending does not restart t3`, () => {
      const { session, sink } = startedSession(role);
      session.sendIFrame(outFrame(0), 0);
      session.receive(sFrame(1), 1_000);
      session.sendIFrame(outFrame(1), 1_000 + T3 - 1);
      session.tick(1_000 + T3);
      expect(sink.sentShort).toEqual(["I:0/0", "I:1/0", "U:TESTFR_ACT"]);
    });

    it(`${role}: sends no second TESTFR act while one is pending`, () => {
      const { session, sink } = startedSession(role);
      session.tick(T3);
      session.receive(iFrame(0, 0), T3 + 1_000);
      session.tick(T3 + 1_000 + T2);
      session.tick(T3 + T1 - 1);
      expect(sink.sentShort).toEqual(["U:TESTFR_ACT", "S:1"]);
    });

    it(`${role}: with a TESTFR pending, nextDeadline() is its t1, not a past t3`, () => {
      const { session, sink } = startedSession(role);
      session.test(T3 - 100);
      expect(session.nextDeadline()).toBe(T3 - 100 + T1);
      session.tick(T3);
      expect(sink.sentShort).toEqual(["U:TESTFR_ACT"]);
      expect(session.nextDeadline()).toBe(T3 - 100 + T1);
    });
  }
});

/** What an owner does between two looks at nextDeadline(). */
type Action =
  | { kind: "peerI"; count: number; fraction: number }
  | { kind: "peerAck"; fraction: number }
  | { kind: "peerTest" }
  | { kind: "peerTestCon" }
  | { kind: "peerCon" }
  | { kind: "send"; count: number }
  | { kind: "test" }
  | { kind: "stop" }
  | { kind: "start" }
  /** Waits `fraction` of t2, or of 3 x t3 when `long`. */
  | { kind: "wait"; fraction: number; long: boolean };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("peerI" as const),
      count: fc.integer({ min: 1, max: 10 }),
      fraction: fraction(),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant("peerAck" as const), fraction: fraction() }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "peerTest" as const }) },
  { weight: 5, arbitrary: fc.constant({ kind: "peerTestCon" as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: "peerCon" as const }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("send" as const), count: fc.integer({ min: 1, max: 5 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "test" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "stop" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "start" as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("wait" as const),
      fraction: fraction(),
      long: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
    }),
  },
);

interface Peer {
  /** N(S) of the peer's next I-frame. */
  ns: number;
  /** The session sent a TESTFR act the peer has not answered. */
  testPending: boolean;
  /** The master session sent a STARTDT/STOPDT act the peer has not answered. */
  conPending: "STARTDT_CON" | "STOPDT_CON" | undefined;
}

/** Drives a session with legal peer behaviour (in sequence, acknowledging only what was sent). */
function apply(rig: Rig, a: Action, now: number, peer: Peer): number {
  const { session } = rig;
  const started = session.state === "STARTED" || (session.state === "STOPPING" && session.role === "master");
  switch (a.kind) {
    case "peerI":
      if (!started) return now;
      for (let i = 0; i < a.count; i++) {
        const nr = session.sendSeq - session.unacknowledged + Math.floor(a.fraction * session.unacknowledged);
        session.receive(iFrame(peer.ns, nr & 0x7fff), now);
        peer.ns = (peer.ns + 1) & 0x7fff;
      }
      return now;
    case "peerAck": {
      if (session.state === "STOPPED" && session.unacknowledged === 0) return now;
      const n = Math.floor(a.fraction * session.unacknowledged);
      session.receive(sFrame((session.sendSeq - session.unacknowledged + n) & 0x7fff), now);
      return now;
    }
    case "peerTest":
      session.receive(uFrame("TESTFR_ACT"), now);
      return now;
    case "peerTestCon":
      if (peer.testPending) {
        peer.testPending = false;
        session.receive(uFrame("TESTFR_CON"), now);
      }
      return now;
    case "peerCon":
      if (peer.conPending !== undefined) {
        session.receive(uFrame(peer.conPending), now);
        peer.conPending = undefined;
      }
      return now;
    case "send":
      for (let i = 0; i < a.count; i++) session.sendIFrame(outFrame(i), now);
      return now;
    case "test":
      session.test(now);
      return now;
    case "stop":
      if (session.role === "outstation") {
        if (session.state === "STARTED") session.receive(uFrame("STOPDT_ACT"), now);
      } else session.stopDataTransfer(now);
      return now;
    case "start":
      if (session.role === "outstation") session.receive(uFrame("STARTDT_ACT"), now);
      else session.startDataTransfer(now);
      return now;
    case "wait": {
      const { t2Ms, t3Ms } = rig.cfg;
      return now + Math.floor(a.fraction * (a.long ? 3 * t3Ms : t2Ms));
    }
  }
}

describe("nextDeadline() is exactly the next thing tick() does", () => {
  const cfgArb: fc.Arbitrary<LinkConfig> = fc
    .record({
      k: fc.integer({ min: 1, max: 12 }),
      wFraction: fraction(),
      t2: fc.integer({ min: 1, max: 10_000 }),
      t1Extra: fc.integer({ min: 1, max: 10_000 }),
      t3Extra: fc.integer({ min: 1, max: 20_000 }),
    })
    .map(({ k, wFraction, t2, t1Extra, t3Extra }) => ({
      k,
      w: 1 + Math.floor(wFraction * (k - 1)),
      t0Ms: 30_000,
      t1Ms: t2 + t1Extra,
      t2Ms: t2,
      t3Ms: t2 + t1Extra + t3Extra,
    }));

  for (const role of ROLES) {
    it(`${role}: tick() before nextDeadline() does nothing; at it, something happens`, () => {
      fc.assert(
        fc.property(
          cfgArb,
          fc.boolean(),
          fc.array(
            fc.tuple(
              actionArb,
              fraction(),
              fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
            ),
            { maxLength: 80, size: "max" },
          ),
          (cfg, started, script) => {
            const rig = started ? startedSession(role, cfg, 0) : makeSession(role, cfg, 0);
            const peer: Peer = { ns: 0, testPending: false, conPending: undefined };
            rig.sink.onEvent = (e) => {
              if (e.kind !== "send" || e.apci.format !== "U") return;
              if (e.apci.fn === "TESTFR_ACT") peer.testPending = true;
              if (e.apci.fn === "STARTDT_ACT") peer.conPending = "STARTDT_CON";
              if (e.apci.fn === "STOPDT_ACT") peer.conPending = "STOPDT_CON";
            };
            let now = 0;
            for (const [action, where, fire] of script) {
              if (rig.session.isClosed) break;
              now = apply(rig, action, now, peer);
              if (rig.session.isClosed) break;
              const d = rig.session.nextDeadline();
              expect(Number.isNaN(d)).toBe(false);
              if (d < now) {
                // A wait jumped past the deadline: the owner ticks late, and something must happen.
                rig.sink.clear();
                rig.session.tick(now);
                expect(rig.sink.events.length).toBeGreaterThan(0);
                continue;
              }
              const before = Math.min(d - 1, now + Math.floor(where * (d - now)));
              if (before >= now) {
                rig.sink.clear();
                rig.session.tick(before);
                expect(rig.sink.events).toEqual([]);
                expect(rig.session.nextDeadline()).toBe(d);
                now = before;
              }
              if (fire && Number.isFinite(d)) {
                rig.sink.clear();
                rig.session.tick(d);
                expect(rig.sink.events.length).toBeGreaterThan(0);
                now = d;
              }
            }
          },
        ),
        { numRuns: 800 },
      );
    });
  }
});
