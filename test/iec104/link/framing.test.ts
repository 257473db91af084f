/**
 * Framing (IEC 104 5.1): what closes with BAD_FRAME, and that the way TCP happens to cut the byte
 * stream never changes what the session does.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CloseCode, type LinkRole } from "../../../src/iec104/link/session.js";
import {
  cutAt,
  iFrame,
  type LinkEvent,
  makeSession,
  outFrame,
  sFrame,
  startedSession,
  uFrame,
} from "./harness.js";

const ROLES: LinkRole[] = ["outstation", "master"];

const BAD_FRAMES: [string, Buffer][] = [
  ["bad start byte", Buffer.from([0x69, 0x04, 0x43, 0x00, 0x00, 0x00])],
  ["length below 4", Buffer.from([0x68, 0x03, 0x43, 0x00, 0x00])],
  ["length above 253", Buffer.from([0x68, 0xfe, 0x43, 0x00, 0x00, 0x00])],
  ["U octet with two functions", Buffer.from([0x68, 0x04, 0x47, 0x00, 0x00, 0x00])],
  ["U octet of no function", Buffer.from([0x68, 0x04, 0x03, 0x00, 0x00, 0x00])],
  ["U-frame with a nonzero C3", Buffer.from([0x68, 0x04, 0x43, 0x00, 0x02, 0x00])],
  ["U-frame with an ASDU", Buffer.from([0x68, 0x05, 0x43, 0x00, 0x00, 0x00, 0x01])],
  ["S-frame with C2 set", Buffer.from([0x68, 0x04, 0x01, 0x01, 0x00, 0x00])],
  ["S-frame with an ASDU", Buffer.from([0x68, 0x05, 0x01, 0x00, 0x00, 0x00, 0x01])],
  ["I-frame with C3 bit 0 set", Buffer.from([0x68, 0x05, 0x00, 0x00, 0x01, 0x00, 0x01])],
  ["I-frame without an ASDU", Buffer.from([0x68, 0x04, 0x00, 0x00, 0x00, 0x00])],
];

describe("BAD_FRAME", () => {
  for (const role of ROLES) {
    for (const started of [false, true]) {
      for (const [name, bytes] of BAD_FRAMES) {
        it(`${role} ${started ? "STARTED" : "STOPPED"}: ${name} closes with BAD_FRAME`, () => {
          const { session, sink } = started ? startedSession(role) : makeSession(role);
          session.receive(bytes, 1);
          expect(sink.events).toEqual([
            { kind: "close", reason: { code: CloseCode.BAD_FRAME, message: expect.any(String) } },
          ]);
          expect(session.isClosed).toBe(true);
        });
      }
    }
  }

  it("an I-frame without an ASDU has no effect before the close (its N(R) acknowledges nothing)", () => {
    const { session, sink } = startedSession("outstation");
    session.sendIFrame(outFrame(1), 0);
    sink.clear();
    session.receive(Buffer.from([0x68, 0x04, 0x00, 0x00, 0x02, 0x00]), 1);
    expect(sink.events).toEqual([
      { kind: "close", reason: { code: CloseCode.BAD_FRAME, message: expect.stringContaining("ASDU") } },
    ]);
  });

  it("names the fault in the message", () => {
    const { session, sink } = makeSession("outstation");
    session.receive(Buffer.from([0x68, 0x04, 0x47, 0x00, 0x00, 0x00]), 0);
    expect(sink.closes[0]!.message).toMatch(/BAD_U_FRAME/);
    const b = makeSession("outstation");
    b.session.receive(Buffer.from([0x68, 0x02]), 0);
    expect(b.sink.closes[0]!.message).toMatch(/BAD_LENGTH/);
    const c = makeSession("outstation");
    c.session.receive(Buffer.from([0x00]), 0);
    expect(c.sink.closes[0]!.message).toMatch(/BAD_START/);
  });

  it("handles the good frames in front of a bad start byte in the same chunk, then closes", () => {
    const { session, sink } = startedSession("outstation");
    session.receive(Buffer.concat([uFrame("TESTFR_ACT"), iFrame(0, 0, 5), Buffer.from([0x00, 0x04])]), 0);
    expect(sink.sentShort).toEqual(["U:TESTFR_CON"]);
    expect(sink.tags).toEqual([5]);
    expect(sink.closes.map((c) => c.code)).toEqual([CloseCode.BAD_FRAME]);
  });

  it("handles a frame completed in the chunk that brings a bad length octet after it", () => {
    const { session, sink } = startedSession("outstation");
    const testfr = uFrame("TESTFR_ACT");
    session.receive(testfr.subarray(0, 1), 0);
    session.receive(Buffer.concat([testfr.subarray(1), Buffer.from([0x68, 0xff])]), 0);
    expect(sink.sentShort).toEqual(["U:TESTFR_CON"]);
    expect(sink.closes).toEqual([
      { code: CloseCode.BAD_FRAME, message: expect.stringContaining("BAD_LENGTH") },
    ]);
  });

  it("a bad length octet right after a held start octet closes", () => {
    const { session, sink } = startedSession("outstation");
    session.receive(Buffer.from([0x68]), 0);
    expect(sink.events).toEqual([]);
    session.receive(Buffer.from([0x02, 0x00]), 0);
    expect(sink.closes.map((c) => c.code)).toEqual([CloseCode.BAD_FRAME]);
  });

  it("an empty chunk changes nothing, also in the middle of a frame", () => {
    const { session, sink } = startedSession("outstation");
    const f = uFrame("TESTFR_ACT");
    for (const part of [
      Buffer.alloc(0),
      f.subarray(0, 1),
      Buffer.alloc(0),
      f.subarray(1, 2),
      Buffer.alloc(0),
      f.subarray(2),
    ]) {
      session.receive(part, 0);
    }
    expect(sink.sentShort).toEqual(["U:TESTFR_CON"]);
    expect(sink.closes).toEqual([]);
  });
});

/** A stream the peer of a started `role` might send: mostly legal, sometimes not at all. */
function streamArb(role: LinkRole): fc.Arbitrary<Buffer[]> {
  const uFunctions =
    role === "outstation"
      ? (["TESTFR_ACT", "STARTDT_ACT", "STOPDT_ACT", "TESTFR_CON"] as const)
      : (["TESTFR_ACT", "TESTFR_CON", "STOPDT_CON"] as const);
  const piece = fc.oneof(
    { weight: 8, arbitrary: fc.constant("I" as const) },
    { weight: 2, arbitrary: fc.constant("S" as const) },
    { weight: 2, arbitrary: fc.constantFrom(...uFunctions) },
    { weight: 1, arbitrary: fc.constantFrom(...BAD_FRAMES.map(([, b]) => b)) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 8 }).map((a) => Buffer.from(a)) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }).map((d) => ({ skip: d })) },
  );
  return fc.array(piece, { maxLength: 40, size: "max" }).map((pieces) => {
    let ns = 0;
    let tag = 0;
    const frames: Buffer[] = role === "outstation" ? [uFrame("STARTDT_ACT")] : [];
    for (const p of pieces) {
      if (p === "I") frames.push(iFrame(ns++ & 0x7fff, 0, tag++));
      else if (p === "S") frames.push(sFrame(0));
      else if (typeof p === "string") frames.push(uFrame(p));
      else if (Buffer.isBuffer(p)) frames.push(p);
      else ns += p.skip;
    }
    return frames;
  });
}

/** Feeds `chunks` at time 0 to a fresh session (a master first started) and returns what it did. */
function run(role: LinkRole, chunks: Buffer[]): LinkEvent[] {
  const { session, sink } = makeSession(role);
  if (role === "master") {
    session.startDataTransfer(0);
    session.receive(uFrame("STARTDT_CON"), 0);
  }
  for (const c of chunks) session.receive(c, 0);
  return sink.events;
}

describe("chunking does not matter", () => {
  for (const role of ROLES) {
    it(`${role}: arbitrary cuts of the byte stream behave as one chunk per frame`, () => {
      fc.assert(
        fc.property(
          streamArb(role),
          fc.array(fc.nat(), { maxLength: 60, size: "max" }),
          fc.boolean(),
          (frames, cuts, single) => {
            const whole = Buffer.concat(frames);
            const expected = run(role, frames);
            const chunks = single
              ? [whole]
              : cutAt(
                  whole,
                  cuts.map((c) => c % (whole.length + 1)),
                );
            expect(run(role, chunks)).toEqual(expected);
          },
        ),
        { numRuns: 400 },
      );
    });
  }

  it("one octet at a time behaves as whole frames", () => {
    const frames = [
      uFrame("STARTDT_ACT"),
      iFrame(0, 0, 1),
      uFrame("TESTFR_ACT"),
      iFrame(1, 0, 2),
      sFrame(0),
      Buffer.from([0x68, 0x04, 0x47, 0, 0, 0]),
    ];
    const whole = Buffer.concat(frames);
    const octets = [...whole].map((b) => Buffer.from([b]));
    expect(run("outstation", octets)).toEqual(run("outstation", frames));
    expect(run("outstation", [whole])).toEqual(run("outstation", frames));
  });
});
