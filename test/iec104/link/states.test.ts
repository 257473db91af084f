/**
 * Link states (IEC 104 5.3): STOPPED / STARTED / STOPPING, the STARTDT, STOPDT and TESTFR
 * procedures of both roles, what each state refuses, deactivate(), dispose() and the promise that a
 * close is reported once and that nothing at all leaves the session after it.
 */
import { describe, expect, it } from "vitest";
import type { LinkRole } from "../../../src/iec104/link/session.js";
import { CloseCode } from "../../../src/iec104/link/session.js";
import { CFG, iFrame, makeSession, outFrame, sFrame, startedSession, uFrame } from "./harness.js";

const ROLES: LinkRole[] = ["outstation", "master"];

describe("outstation: STARTDT", () => {
  it("starts STOPPED, sends nothing and may not send I-frames", () => {
    const { session, sink } = makeSession("outstation");
    expect(session.state).toBe("STOPPED");
    expect(session.canSend).toBe(false);
    expect(session.isClosed).toBe(false);
    expect(session.sendIFrame(outFrame(1), 0)).toBe(false);
    expect(sink.events).toEqual([]);
  });

  it("answers STARTDT act with STARTDT con and becomes STARTED", () => {
    const { session, sink } = makeSession("outstation");
    session.receive(uFrame("STARTDT_ACT"), 10);
    expect(sink.sentShort).toEqual(["U:STARTDT_CON"]);
    expect(sink.states).toEqual(["STARTED"]);
    expect(session.state).toBe("STARTED");
    expect(session.canSend).toBe(true);
  });

  it("confirms a STARTDT act again when already started, without a state change", () => {
    const { session, sink } = startedSession("outstation");
    session.receive(uFrame("STARTDT_ACT"), 10);
    expect(sink.sentShort).toEqual(["U:STARTDT_CON"]);
    expect(sink.states).toEqual([]);
    expect(session.state).toBe("STARTED");
  });

  it("refuses STARTDT con and STOPDT con (it never sends an act)", () => {
    for (const fn of ["STARTDT_CON", "STOPDT_CON"] as const) {
      for (const started of [false, true]) {
        const { session, sink } = started ? startedSession("outstation") : makeSession("outstation");
        session.receive(uFrame(fn), 5);
        expect(sink.closes).toEqual([{ code: CloseCode.UNEXPECTED_U, message: expect.stringContaining(fn) }]);
        expect(sink.sent).toEqual([]);
        expect(session.isClosed).toBe(true);
      }
    }
  });

  it("ignores startDataTransfer/stopDataTransfer (master only)", () => {
    const { session, sink } = makeSession("outstation");
    session.startDataTransfer(0);
    expect(sink.events).toEqual([]);
    session.receive(uFrame("STARTDT_ACT"), 0);
    sink.clear();
    session.stopDataTransfer(0);
    expect(sink.events).toEqual([]);
    expect(session.state).toBe("STARTED");
  });
});

describe("TESTFR", () => {
  for (const role of ROLES) {
    it(`${role}: answers TESTFR act in STOPPED, STARTED and STOPPING without a state change`, () => {
      const stopped = makeSession(role);
      stopped.session.receive(uFrame("TESTFR_ACT"), 1);
      expect(stopped.sink.sentShort).toEqual(["U:TESTFR_CON"]);
      expect(stopped.sink.states).toEqual([]);

      const started = startedSession(role);
      started.session.receive(uFrame("TESTFR_ACT"), 1);
      expect(started.sink.sentShort).toEqual(["U:TESTFR_CON"]);
      expect(started.sink.states).toEqual([]);

      const stopping = startedSession(role);
      if (role === "outstation") {
        stopping.session.sendIFrame(outFrame(1), 0);
        stopping.session.receive(uFrame("STOPDT_ACT"), 0);
      } else {
        stopping.session.stopDataTransfer(0);
      }
      expect(stopping.session.state).toBe("STOPPING");
      stopping.sink.clear();
      stopping.session.receive(uFrame("TESTFR_ACT"), 1);
      expect(stopping.sink.sentShort).toEqual(["U:TESTFR_CON"]);
      expect(stopping.session.state).toBe("STOPPING");
    });

    it(`${role}: closes on a TESTFR con nobody asked for`, () => {
      const { session, sink } = startedSession(role);
      session.receive(uFrame("TESTFR_CON"), 1);
      expect(sink.closes).toEqual([
        { code: CloseCode.UNEXPECTED_U, message: expect.stringContaining("TESTFR con") },
      ]);
      expect(sink.sent).toEqual([]);
    });

    it(`${role}: a TESTFR con answers our act once; a second one closes`, () => {
      const { session, sink } = makeSession(role);
      session.test(0);
      session.test(1);
      expect(sink.sentShort).toEqual(["U:TESTFR_ACT"]);
      session.receive(uFrame("TESTFR_CON"), 2);
      expect(sink.closes).toEqual([]);
      session.receive(uFrame("TESTFR_CON"), 3);
      expect(sink.closes.map((c) => c.code)).toEqual([CloseCode.UNEXPECTED_U]);
    });
  }
});

describe("STOPPED refuses data", () => {
  for (const role of ROLES) {
    it(`${role}: an I-frame before STARTDT closes with NOT_STARTED and is not delivered`, () => {
      const { session, sink } = makeSession(role);
      session.receive(iFrame(0, 0, 7), 1);
      expect(sink.closes).toEqual([
        { code: CloseCode.NOT_STARTED, message: expect.stringContaining("N(S)=0") },
      ]);
      expect(sink.tags).toEqual([]);
      expect(sink.sent).toEqual([]);
    });

    it(`${role}: an S-frame while STOPPED with nothing unacknowledged closes with NOT_STARTED`, () => {
      const { session, sink } = makeSession(role);
      session.receive(sFrame(0), 1);
      expect(sink.closes.map((c) => c.code)).toEqual([CloseCode.NOT_STARTED]);
    });
  }

  it("outstation: an I-frame after the data transfer was stopped again closes", () => {
    const { session, sink } = startedSession("outstation");
    session.receive(uFrame("STOPDT_ACT"), 1);
    expect(session.state).toBe("STOPPED");
    session.receive(iFrame(0, 0), 2);
    expect(sink.closes.map((c) => c.code)).toEqual([CloseCode.NOT_STARTED]);
  });
});

describe("outstation: STOPDT", () => {
  it("confirms at once when nothing it sent is unacknowledged", () => {
    const { session, sink } = startedSession("outstation");
    session.receive(uFrame("STOPDT_ACT"), 1);
    expect(sink.sentShort).toEqual(["U:STOPDT_CON"]);
    expect(sink.states.at(-1)).toBe("STOPPED");
    expect(session.state).toBe("STOPPED");
    expect(session.canSend).toBe(false);
  });

  it("confirms a STOPDT act received while already STOPPED", () => {
    const { session, sink } = makeSession("outstation");
    session.receive(uFrame("STOPDT_ACT"), 1);
    expect(sink.sentShort).toEqual(["U:STOPDT_CON"]);
    expect(sink.states).toEqual([]);
  });

  it("acknowledges the received I-frames with an S-frame before STOPDT con", () => {
    const { session, sink } = startedSession("outstation");
    session.receive(Buffer.concat([iFrame(0, 0, 1), iFrame(1, 0, 2), iFrame(2, 0, 3)]), 1);
    expect(sink.tags).toEqual([1, 2, 3]);
    sink.clear();
    session.receive(uFrame("STOPDT_ACT"), 2);
    expect(sink.sentShort).toEqual(["S:3", "U:STOPDT_CON"]);
  });

  it("sends no S-frame on STOPDT act when everything received is acknowledged", () => {
    const { session, sink } = startedSession("outstation");
    session.receive(iFrame(0, 0, 1), 1);
    session.sendIFrame(outFrame(9), 1);
    session.receive(sFrame(1), 2);
    sink.clear();
    session.receive(uFrame("STOPDT_ACT"), 3);
    expect(sink.sentShort).toEqual(["U:STOPDT_CON"]);
  });

  it("waits in STOPPING until an S-frame acknowledges every I-frame it sent", () => {
    const { session, sink } = startedSession("outstation");
    for (let i = 0; i < 3; i++) session.sendIFrame(outFrame(i), 0);
    sink.clear();
    session.receive(uFrame("STOPDT_ACT"), 1);
    expect(session.state).toBe("STOPPING");
    expect(sink.states).toEqual(["STOPPING"]);
    expect(sink.sent).toEqual([]);
    expect(session.canSend).toBe(false);
    expect(session.sendIFrame(outFrame(9), 1)).toBe(false);
    expect(sink.sent).toEqual([]);
    session.receive(sFrame(2), 2);
    expect(sink.ackedCounts).toEqual([2]);
    expect(sink.sent).toEqual([]);
    expect(session.state).toBe("STOPPING");
    session.receive(sFrame(3), 3);
    expect(sink.ackedCounts).toEqual([2, 1]);
    expect(sink.sentShort).toEqual(["U:STOPDT_CON"]);
    expect(sink.states).toEqual(["STOPPING", "STOPPED"]);
    expect(sink.closes).toEqual([]);
  });

  it("confirms at once when an I-frame just before the act acknowledged everything", () => {
    const { session, sink } = startedSession("outstation");
    session.sendIFrame(outFrame(1), 0);
    session.sendIFrame(outFrame(2), 0);
    sink.clear();
    session.receive(Buffer.concat([iFrame(0, 2, 5), uFrame("STOPDT_ACT")]), 1);
    expect(sink.ackedCounts).toEqual([2]);
    expect(sink.tags).toEqual([5]);
    expect(sink.sentShort).toEqual(["S:1", "U:STOPDT_CON"]);
    expect(session.state).toBe("STOPPED");
  });

  it("an I-frame's N(R) acknowledges part, then an S-frame the rest, then STOPDT con", () => {
    const { session, sink } = startedSession("outstation");
    for (let i = 0; i < 4; i++) session.sendIFrame(outFrame(i), 0);
    sink.clear();
    session.receive(Buffer.concat([iFrame(0, 1, 5), uFrame("STOPDT_ACT")]), 1);
    expect(sink.sentShort).toEqual(["S:1"]);
    expect(session.state).toBe("STOPPING");
    session.receive(sFrame(4), 2);
    expect(sink.ackedCounts).toEqual([1, 3]);
    expect(sink.sentShort).toEqual(["S:1", "U:STOPDT_CON"]);
    expect(session.state).toBe("STOPPED");
  });

  it("closes with STOPPING on an I-frame after STOPDT act, delivering nothing", () => {
    const { session, sink } = startedSession("outstation");
    session.sendIFrame(outFrame(1), 0);
    session.receive(uFrame("STOPDT_ACT"), 1);
    sink.clear();
    session.receive(iFrame(0, 1, 3), 2);
    expect(sink.closes).toEqual([
      { code: CloseCode.STOPPING, message: expect.stringContaining("after STOPDT act") },
    ]);
    expect(sink.tags).toEqual([]);
    expect(sink.ackedCounts).toEqual([]);
    expect(sink.sent).toEqual([]);
  });

  it("a repeated STOPDT act while STOPPING changes nothing", () => {
    const { session, sink } = startedSession("outstation");
    session.sendIFrame(outFrame(1), 0);
    session.receive(uFrame("STOPDT_ACT"), 1);
    sink.clear();
    session.receive(uFrame("STOPDT_ACT"), 2);
    expect(sink.events).toEqual([]);
    expect(session.state).toBe("STOPPING");
  });

  it("can be started again after a stop, sequence numbers continuing", () => {
    const { session, sink } = startedSession("outstation");
    session.receive(iFrame(0, 0, 1), 0);
    session.sendIFrame(outFrame(1), 0);
    session.receive(sFrame(1), 0);
    session.receive(uFrame("STOPDT_ACT"), 1);
    session.receive(uFrame("STARTDT_ACT"), 2);
    sink.clear();
    session.receive(iFrame(1, 1, 2), 3);
    expect(sink.tags).toEqual([2]);
    expect(session.sendIFrame(outFrame(2), 3)).toBe(true);
    expect(sink.sentShort).toEqual(["I:1/2"]);
  });
});

describe("master: STARTDT / STOPDT", () => {
  it("sends STARTDT act, stays STOPPED until the con, then STARTED", () => {
    const { session, sink } = makeSession("master");
    session.startDataTransfer(0);
    expect(sink.sentShort).toEqual(["U:STARTDT_ACT"]);
    expect(session.state).toBe("STOPPED");
    expect(session.canSend).toBe(false);
    expect(session.nextDeadline()).toBe(CFG.t1Ms);
    session.receive(uFrame("STARTDT_CON"), 100);
    expect(session.state).toBe("STARTED");
    expect(sink.states).toEqual(["STARTED"]);
    expect(session.canSend).toBe(true);
    expect(session.nextDeadline()).toBe(100 + CFG.t3Ms);
  });

  it("closes with T1 when the STARTDT con does not come", () => {
    const { session, sink } = makeSession("master");
    session.startDataTransfer(0);
    session.tick(CFG.t1Ms - 1);
    expect(sink.closes).toEqual([]);
    session.tick(CFG.t1Ms);
    expect(sink.closes).toEqual([{ code: CloseCode.T1, message: expect.stringContaining("STARTDT") }]);
  });

  it("sends no second STARTDT act while one is pending (t1 keeps running from the first)", () => {
    const { session, sink } = makeSession("master");
    session.startDataTransfer(0);
    session.startDataTransfer(5_000);
    expect(sink.sentShort).toEqual(["U:STARTDT_ACT"]);
    expect(session.nextDeadline()).toBe(CFG.t1Ms);
    session.tick(CFG.t1Ms);
    expect(sink.closes.map((c) => c.code)).toEqual([CloseCode.T1]);
  });

  it("ignores startDataTransfer when started and stopDataTransfer when stopped", () => {
    const stopped = makeSession("master");
    stopped.session.stopDataTransfer(0);
    expect(stopped.sink.events).toEqual([]);
    const started = startedSession("master");
    started.session.startDataTransfer(0);
    expect(started.sink.events).toEqual([]);
  });

  it("closes on a STARTDT con it did not ask for, and on a second one", () => {
    const a = makeSession("master");
    a.session.receive(uFrame("STARTDT_CON"), 0);
    expect(a.sink.closes.map((c) => c.code)).toEqual([CloseCode.UNEXPECTED_U]);
    const b = startedSession("master");
    b.session.receive(uFrame("STARTDT_CON"), 0);
    expect(b.sink.closes.map((c) => c.code)).toEqual([CloseCode.UNEXPECTED_U]);
  });

  it("closes on STARTDT act and STOPDT act (only the outstation receives acts)", () => {
    for (const fn of ["STARTDT_ACT", "STOPDT_ACT"] as const) {
      const { session, sink } = startedSession("master");
      session.receive(uFrame(fn), 0);
      expect(sink.closes).toEqual([{ code: CloseCode.UNEXPECTED_U, message: expect.stringContaining(fn) }]);
      expect(sink.sent).toEqual([]);
    }
  });

  it("stops: S-frame for what it received, STOPDT act, STOPPING, STOPPED on the con", () => {
    const { session, sink } = startedSession("master");
    session.receive(Buffer.concat([iFrame(0, 0, 1), iFrame(1, 0, 2)]), 0);
    sink.clear();
    session.stopDataTransfer(10);
    expect(sink.sentShort).toEqual(["S:2", "U:STOPDT_ACT"]);
    expect(session.state).toBe("STOPPING");
    expect(session.canSend).toBe(false);
    expect(session.sendIFrame(outFrame(1), 10)).toBe(false);
    session.receive(iFrame(2, 0, 3), 20);
    expect(sink.tags).toEqual([3]);
    expect(sink.closes).toEqual([]);
    session.receive(sFrame(0), 30);
    sink.clear();
    session.tick(20 + CFG.t2Ms);
    expect(sink.sentShort).toEqual(["S:3"]);
    session.receive(uFrame("STOPDT_CON"), 20 + CFG.t2Ms + 1);
    expect(session.state).toBe("STOPPED");
    expect(sink.states).toEqual(["STOPPED"]);
    session.startDataTransfer(20 + CFG.t2Ms + 2);
    expect(sink.sentShort).toEqual(["S:3", "U:STARTDT_ACT"]);
  });

  it("closes with T1 when the STOPDT con does not come", () => {
    const { session, sink } = startedSession("master");
    session.stopDataTransfer(1_000);
    expect(session.nextDeadline()).toBe(1_000 + CFG.t1Ms);
    session.tick(1_000 + CFG.t1Ms - 1);
    expect(sink.closes).toEqual([]);
    session.tick(1_000 + CFG.t1Ms);
    expect(sink.closes).toEqual([{ code: CloseCode.T1, message: expect.stringContaining("STOPDT") }]);
  });

  it("closes on a STOPDT con it did not ask for", () => {
    const { session, sink } = startedSession("master");
    session.receive(uFrame("STOPDT_CON"), 0);
    expect(sink.closes.map((c) => c.code)).toEqual([CloseCode.UNEXPECTED_U]);
  });

  it("an S-frame while STOPPED is accepted when it acknowledges our I-frames", () => {
    const { session, sink } = startedSession("master");
    session.sendIFrame(outFrame(1), 0);
    session.stopDataTransfer(1);
    session.receive(uFrame("STOPDT_CON"), 2);
    expect(session.state).toBe("STOPPED");
    session.receive(sFrame(1), 3);
    expect(sink.closes).toEqual([]);
    expect(sink.ackedCounts).toEqual([1]);
    expect(session.unacknowledged).toBe(0);
  });
});

describe("deactivate", () => {
  it("refuses while our I-frames are unacknowledged, changing nothing", () => {
    const { session, sink } = startedSession("outstation");
    session.sendIFrame(outFrame(1), 0);
    sink.clear();
    expect(session.deactivate()).toBe(false);
    expect(sink.events).toEqual([]);
    expect(session.state).toBe("STARTED");
  });

  it("acknowledges what it received, then STOPPED without a STOPDT con", () => {
    const { session, sink } = startedSession("outstation");
    session.receive(Buffer.concat([iFrame(0, 0, 1), iFrame(1, 0, 2)]), 0);
    sink.clear();
    expect(session.deactivate()).toBe(true);
    expect(sink.sentShort).toEqual(["S:2"]);
    expect(sink.states).toEqual(["STOPPED"]);
    expect(session.state).toBe("STOPPED");
    expect(session.canSend).toBe(false);
    session.tick(CFG.t2Ms);
    expect(sink.sentShort).toEqual(["S:2"]);
  });

  it("sends nothing when nothing needs acknowledging; I-frames then close", () => {
    const { session, sink } = startedSession("outstation");
    expect(session.deactivate()).toBe(true);
    expect(sink.sent).toEqual([]);
    session.receive(iFrame(0, 0), 1);
    expect(sink.closes.map((c) => c.code)).toEqual([CloseCode.NOT_STARTED]);
  });

  it("is refused once closed", () => {
    const { session } = startedSession("outstation");
    session.dispose();
    expect(session.deactivate()).toBe(false);
  });
});

describe("close and dispose", () => {
  /** Everything a session can be asked to do, to check that none of it has any effect. */
  function pokeEverything(session: ReturnType<typeof makeSession>["session"], now: number): void {
    session.receive(uFrame("TESTFR_ACT"), now);
    session.receive(uFrame("STARTDT_ACT"), now);
    session.receive(iFrame(0, 0), now);
    session.receive(Buffer.from([0x99, 0x99]), now);
    expect(session.sendIFrame(outFrame(1), now)).toBe(false);
    session.test(now);
    session.startDataTransfer(now);
    session.stopDataTransfer(now);
    expect(session.deactivate()).toBe(false);
    session.tick(now + 1e9);
    session.fail(CloseCode.LOCAL, "again");
  }

  for (const role of ROLES) {
    it(`${role}: reports a close once and then ignores every input`, () => {
      const { session, sink } = startedSession(role);
      session.sendIFrame(outFrame(1), 0);
      session.receive(sFrame(5), 1);
      expect(sink.closes).toEqual([{ code: CloseCode.SEQ_NR, message: expect.any(String) }]);
      expect(session.isClosed).toBe(true);
      expect(session.canSend).toBe(false);
      expect(session.nextDeadline()).toBe(Number.POSITIVE_INFINITY);
      sink.clear();
      pokeEverything(session, 2);
      expect(sink.events).toEqual([]);
    });

    it(`${role}: dispose() reports nothing and silences the session`, () => {
      const { session, sink } = startedSession(role);
      session.receive(iFrame(0, 0), 0);
      sink.clear();
      session.dispose();
      expect(session.isClosed).toBe(true);
      expect(session.nextDeadline()).toBe(Number.POSITIVE_INFINITY);
      pokeEverything(session, 1);
      expect(sink.events).toEqual([]);
    });
  }

  it("fail() from the owner is reported once with its code", () => {
    const { session, sink } = startedSession("outstation");
    session.fail(CloseCode.LOCAL, "shutdown");
    session.fail(CloseCode.T1, "late");
    expect(sink.closes).toEqual([{ code: CloseCode.LOCAL, message: "shutdown" }]);
  });

  it("the frames in a chunk after the one that closed are not looked at", () => {
    const { session, sink } = startedSession("outstation");
    session.receive(Buffer.concat([iFrame(1, 0), uFrame("TESTFR_ACT"), iFrame(0, 0)]), 0);
    expect(sink.closes.map((c) => c.code)).toEqual([CloseCode.SEQ_NS]);
    expect(sink.sent).toEqual([]);
    expect(sink.tags).toEqual([]);
  });

  it("a sink that disposes while told of an acknowledgement gets no ASDU, S-frame or STOPDT con", () => {
    const { session, sink } = startedSession("outstation", { ...CFG, w: 1 });
    session.sendIFrame(outFrame(1), 0);
    sink.clear();
    sink.onEvent = (e) => {
      if (e.kind === "acked") session.dispose();
    };
    session.receive(iFrame(0, 1, 4), 1);
    expect(sink.events.map((e) => e.kind)).toEqual(["acked"]);
  });

  it("a sink that closes the link on STOPPING gets no STOPDT con", () => {
    const { session, sink } = startedSession("outstation");
    sink.onEvent = (e) => {
      if (e.kind === "state") session.fail(CloseCode.LOCAL, "no stopping here");
    };
    session.receive(uFrame("STOPDT_ACT"), 1);
    expect(sink.events.map((e) => e.kind)).toEqual(["state", "close"]);
    expect(sink.sent).toEqual([]);
  });

  it("a sink that closes on the w S-frame gets no ASDU", () => {
    const { session, sink } = startedSession("outstation", { ...CFG, w: 1 });
    sink.onEvent = (e) => {
      if (e.kind === "send") session.dispose();
    };
    session.receive(Buffer.concat([iFrame(0, 0, 1), iFrame(1, 0, 2)]), 1);
    expect(sink.sentShort).toEqual(["S:1"]);
    expect(sink.tags).toEqual([]);
  });
});
