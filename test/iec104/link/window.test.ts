/**
 * Sequence numbers and windows (IEC 104 5.1, 5.5): k unacknowledged I-frames out at most, an S-frame
 * once w received I-frames are unacknowledged, the N(S) and N(R) checks, and the wrap of both
 * counters past 32767.
 */
import { describe, expect, it } from "vitest";
import { decodeApci } from "../../../src/iec104/apci/frames.js";
import { SEQ_MOD } from "../../../src/iec104/apci/seq.js";
import { CloseCode, type LinkRole } from "../../../src/iec104/link/session.js";
import { CFG, iFrame, outFrame, sFrame, short, startedSession } from "./harness.js";

const ROLES: LinkRole[] = ["outstation", "master"];

describe("k: the send window", () => {
  for (const role of ROLES) {
    it(`${role}: closes at k unacknowledged I-frames and an acknowledgement reopens it`, () => {
      const { session, sink } = startedSession(role);
      for (let i = 0; i < CFG.k; i++) {
        expect(session.canSend).toBe(true);
        expect(session.sendIFrame(outFrame(i), i)).toBe(true);
        expect(session.unacknowledged).toBe(i + 1);
      }
      expect(session.canSend).toBe(false);
      sink.clear();
      expect(session.sendIFrame(outFrame(99), 20)).toBe(false);
      expect(sink.events).toEqual([]);
      expect(session.sendSeq).toBe(CFG.k);
      session.receive(sFrame(5), 30);
      expect(sink.ackedCounts).toEqual([5]);
      expect(session.unacknowledged).toBe(CFG.k - 5);
      expect(session.canSend).toBe(true);
      for (let i = 0; i < 5; i++) expect(session.sendIFrame(outFrame(i), 31)).toBe(true);
      expect(session.canSend).toBe(false);
      expect(sink.sentShort).toEqual(["I:12/0", "I:13/0", "I:14/0", "I:15/0", "I:16/0"]);
    });
  }

  it("acked(n) reports exactly the frames each acknowledgement confirms, nothing for a repeat", () => {
    const { session, sink } = startedSession("outstation");
    for (let i = 0; i < 10; i++) session.sendIFrame(outFrame(i), 0);
    session.receive(sFrame(1), 1);
    session.receive(sFrame(1), 2);
    session.receive(iFrame(0, 4, 1), 3);
    session.receive(iFrame(1, 4, 2), 4);
    session.receive(sFrame(10), 5);
    expect(sink.ackedCounts).toEqual([1, 3, 6]);
    expect(session.unacknowledged).toBe(0);
    expect(sink.closes).toEqual([]);
  });

  it("writes N(S) = V(S) and N(R) = V(R) into the I-frame bytes, and the ASDU untouched", () => {
    const { session, sink } = startedSession("outstation");
    session.receive(Buffer.concat([iFrame(0, 0, 1), iFrame(1, 0, 2), iFrame(2, 0, 3)]), 0);
    const frame = outFrame(42);
    const asduBefore = Buffer.from(frame.subarray(6));
    expect(session.sendIFrame(frame, 1)).toBe(true);
    expect(decodeApci(frame, 0)).toEqual({ format: "I", ns: 0, nr: 3 });
    expect(frame.subarray(6)).toEqual(asduBefore);
    session.receive(iFrame(3, 1, 4), 2);
    session.sendIFrame(outFrame(43), 3);
    const sent = sink.events.flatMap((e) => (e.kind === "send" ? [e.frame] : []));
    expect(sent.map((f) => decodeApci(f, 0))).toEqual([
      { format: "I", ns: 0, nr: 3 },
      { format: "I", ns: 1, nr: 4 },
    ]);
    expect(sent[1]!.subarray(6)).toEqual(outFrame(43).subarray(6));
  });

  it("refuses a frame without an ASDU or with one too long to frame", () => {
    const { session, sink } = startedSession("outstation");
    expect(() => session.sendIFrame(Buffer.alloc(6), 0)).toThrow(RangeError);
    expect(() => session.sendIFrame(Buffer.alloc(6 + 250), 0)).toThrow(RangeError);
    expect(session.sendIFrame(Buffer.alloc(6 + 249), 0)).toBe(true);
    expect(sink.sent).toEqual([{ format: "I", ns: 0, nr: 0 }]);
    expect(session.sendSeq).toBe(1);
  });
});

describe("w: acknowledging received I-frames", () => {
  for (const role of ROLES) {
    it(`${role}: sends an S-frame exactly at the w-th unacknowledged I-frame, again w later`, () => {
      const { session, sink } = startedSession(role);
      for (let i = 0; i < CFG.w - 1; i++) session.receive(iFrame(i, 0, i), i);
      expect(sink.sent).toEqual([]);
      session.receive(iFrame(CFG.w - 1, 0, 7), 7);
      expect(sink.sentShort).toEqual([`S:${CFG.w}`]);
      for (let i = CFG.w; i < 2 * CFG.w - 1; i++) session.receive(iFrame(i, 0, i), i);
      expect(sink.sentShort).toEqual([`S:${CFG.w}`]);
      session.receive(iFrame(2 * CFG.w - 1, 0), 20);
      expect(sink.sentShort).toEqual([`S:${CFG.w}`, `S:${2 * CFG.w}`]);
      expect(sink.tags).toHaveLength(2 * CFG.w);
    });
  }

  it("counts w again from our own I-frame, which acknowledged implicitly", () => {
    const { session, sink } = startedSession("outstation");
    for (let i = 0; i < 5; i++) session.receive(iFrame(i, 0), i);
    session.sendIFrame(outFrame(1), 5);
    expect(sink.sentShort).toEqual(["I:0/5"]);
    for (let i = 5; i < 5 + CFG.w - 1; i++) session.receive(iFrame(i, 0), i);
    expect(sink.sentShort).toEqual(["I:0/5"]);
    session.receive(iFrame(5 + CFG.w - 1, 0), 20);
    expect(sink.sentShort).toEqual(["I:0/5", `S:${5 + CFG.w}`]);
  });

  it("an I-frame sent from inside the asdu callback acknowledges the frame being delivered", () => {
    const { session, sink } = startedSession("outstation", { ...CFG, w: 2 });
    sink.onEvent = (e) => {
      if (e.kind === "asdu") session.sendIFrame(outFrame(e.tag + 100), 0);
    };
    session.receive(Buffer.concat([iFrame(0, 0, 1), iFrame(1, 1, 2), iFrame(2, 2, 3)]), 0);
    expect(sink.sentShort).toEqual(["I:0/1", "I:1/2", "I:2/3"]);
    expect(sink.ackedCounts).toEqual([1, 1]);
    expect(session.nextDeadline()).toBe(CFG.t1Ms);
    expect(sink.closes).toEqual([]);
  });

  it("with w = 1 acknowledges every I-frame, before delivering it", () => {
    const { session, sink } = startedSession("outstation", { ...CFG, w: 1 });
    session.receive(Buffer.concat([iFrame(0, 0, 1), iFrame(1, 0, 2)]), 0);
    expect(
      sink.events.map((e) => (e.kind === "send" ? short(e.apci) : `asdu ${e.kind === "asdu" && e.tag}`)),
    ).toEqual(["S:1", "asdu 1", "S:2", "asdu 2"]);
  });
});

describe("N(S) and N(R) checks", () => {
  for (const role of ROLES) {
    it(`${role}: a gap in N(S) closes with SEQ_NS (gap)`, () => {
      const { session, sink } = startedSession(role);
      session.receive(iFrame(0, 0, 1), 0);
      session.receive(iFrame(2, 0, 3), 1);
      expect(sink.closes).toEqual([{ code: CloseCode.SEQ_NS, message: expect.stringContaining("gap") }]);
      expect(sink.closes[0]!.message).toContain("N(S)=2");
      expect(sink.tags).toEqual([1]);
    });

    it(`${role}: a repeated N(S) closes with SEQ_NS (duplicate)`, () => {
      const { session, sink } = startedSession(role);
      session.receive(iFrame(0, 0, 1), 0);
      session.receive(iFrame(1, 0, 2), 0);
      session.receive(iFrame(1, 0, 2), 1);
      expect(sink.closes).toEqual([
        { code: CloseCode.SEQ_NS, message: expect.stringContaining("duplicate") },
      ]);
      expect(sink.tags).toEqual([1, 2]);
    });

    it(`${role}: an N(R) ahead of V(S) closes with SEQ_NR, in an S- or an I-frame`, () => {
      for (const bad of [sFrame(3), iFrame(0, 3)]) {
        const { session, sink } = startedSession(role);
        session.sendIFrame(outFrame(1), 0);
        session.sendIFrame(outFrame(2), 0);
        sink.clear();
        session.receive(bad, 1);
        expect(sink.closes).toEqual([{ code: CloseCode.SEQ_NR, message: expect.stringContaining("N(R)=3") }]);
        expect(sink.ackedCounts).toEqual([]);
        expect(sink.tags).toEqual([]);
      }
    });

    it(`${role}: an N(R) behind the oldest unacknowledged frame closes with SEQ_NR`, () => {
      for (const bad of [sFrame(1), iFrame(0, 1)]) {
        const { session, sink } = startedSession(role);
        for (let i = 0; i < 4; i++) session.sendIFrame(outFrame(i), 0);
        session.receive(sFrame(2), 1);
        sink.clear();
        session.receive(bad, 2);
        expect(sink.closes.map((c) => c.code)).toEqual([CloseCode.SEQ_NR]);
      }
    });

    it(`${role}: N(R) at the oldest unacknowledged frame or at V(S) is fine`, () => {
      const { session, sink } = startedSession(role);
      for (let i = 0; i < 4; i++) session.sendIFrame(outFrame(i), 0);
      session.receive(sFrame(0), 1);
      session.receive(sFrame(4), 2);
      session.receive(sFrame(4), 3);
      expect(sink.closes).toEqual([]);
      expect(sink.ackedCounts).toEqual([4]);
    });
  }

  it("a nonzero N(R) on a fresh link closes (nothing was sent)", () => {
    const { session, sink } = startedSession("outstation");
    session.receive(sFrame(1), 0);
    expect(sink.closes.map((c) => c.code)).toEqual([CloseCode.SEQ_NR]);
  });
});

describe("sequence wrap past 32767", () => {
  it("runs more than 32768 frames each way without a false close, all in order", () => {
    const { session, sink } = startedSession("outstation");
    const total = SEQ_MOD + 1_000;
    let acks = 0;
    let delivered = 0;
    let expectNs = 0;
    let bad = 0;
    sink.onEvent = (e) => {
      if (e.kind === "acked") acks += e.count;
      else if (e.kind === "asdu") {
        if (e.tag !== delivered) bad++;
        delivered++;
      } else if (e.kind === "send" && e.apci.format === "I") {
        if (e.apci.ns !== expectNs) bad++;
        expectNs = (expectNs + 1) % SEQ_MOD;
      }
    };
    for (let i = 0; i < total; i++) {
      expect(session.sendIFrame(outFrame(i), i)).toBe(true);
      session.receive(iFrame(i % SEQ_MOD, (i + 1) % SEQ_MOD, i), i);
      sink.events.length = 0;
    }
    expect(bad).toBe(0);
    expect(delivered).toBe(total);
    expect(acks).toBe(total);
    expect(session.isClosed).toBe(false);
    expect(session.sendSeq).toBe(total % SEQ_MOD);
    expect(session.receiveSeq).toBe(total % SEQ_MOD);
    expect(session.unacknowledged).toBe(0);
  });

  /** A started outstation whose V(S) and V(R) are both `at`, everything acknowledged. */
  function wrappedAt(at: number): ReturnType<typeof startedSession> {
    const rig = startedSession("outstation");
    const frame = outFrame(0);
    for (let i = 0; i < at; i++) {
      rig.session.sendIFrame(frame, 0);
      rig.session.receive(iFrame(i, i + 1), 0);
      rig.sink.events.length = 0;
    }
    return rig;
  }

  it("checks the N(R) window across the wrap", () => {
    const { session, sink } = wrappedAt(SEQ_MOD - 2);
    expect(session.sendSeq).toBe(SEQ_MOD - 2);
    for (let i = 0; i < 4; i++) session.sendIFrame(outFrame(i), 1);
    expect(sink.sent.map((a) => (a.format === "I" ? a.ns : -1))).toEqual([32766, 32767, 0, 1]);
    expect(session.sendSeq).toBe(2);
    session.receive(sFrame(0), 2);
    expect(sink.ackedCounts).toEqual([2]);
    session.receive(sFrame(1), 3);
    expect(sink.ackedCounts).toEqual([2, 1]);
    expect(sink.closes).toEqual([]);

    const behind = wrappedAt(SEQ_MOD - 2);
    for (let i = 0; i < 4; i++) behind.session.sendIFrame(outFrame(i), 1);
    behind.session.receive(sFrame(0), 2);
    behind.session.receive(sFrame(SEQ_MOD - 1), 3);
    expect(behind.sink.closes.map((c) => c.code)).toEqual([CloseCode.SEQ_NR]);

    const ahead = wrappedAt(SEQ_MOD - 2);
    for (let i = 0; i < 4; i++) ahead.session.sendIFrame(outFrame(i), 1);
    ahead.session.receive(sFrame(3), 2);
    expect(ahead.sink.closes.map((c) => c.code)).toEqual([CloseCode.SEQ_NR]);
  });

  it("checks N(S) across the wrap: 32767 then 0 is in sequence, 1 is a gap, 32767 again a duplicate", () => {
    const ok = wrappedAt(SEQ_MOD - 1);
    ok.session.receive(iFrame(SEQ_MOD - 1, SEQ_MOD - 1, 1), 0);
    ok.session.receive(iFrame(0, SEQ_MOD - 1, 2), 0);
    expect(ok.sink.tags).toEqual([1, 2]);
    expect(ok.session.receiveSeq).toBe(1);
    expect(ok.sink.closes).toEqual([]);

    const gap = wrappedAt(SEQ_MOD - 1);
    gap.session.receive(iFrame(SEQ_MOD - 1, SEQ_MOD - 1), 0);
    gap.session.receive(iFrame(1, SEQ_MOD - 1), 0);
    expect(gap.sink.closes).toEqual([{ code: CloseCode.SEQ_NS, message: expect.stringContaining("gap") }]);

    const dup = wrappedAt(SEQ_MOD - 1);
    dup.session.receive(iFrame(SEQ_MOD - 1, SEQ_MOD - 1), 0);
    dup.session.receive(iFrame(SEQ_MOD - 1, SEQ_MOD - 1), 0);
    expect(dup.sink.closes).toEqual([
      { code: CloseCode.SEQ_NS, message: expect.stringContaining("duplicate") },
    ]);
  });
});
