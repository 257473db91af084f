/**
 * The bounded event queue against a plain array model, on random sequences of operations: pushes
 * past the capacity under both overflow policies, acknowledgements, rewinds and resets of pending
 * events, with the ring wrapping around and growing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue, type OverflowPolicy } from "../../../src/iec104/outstation/event-queue.js";

type Op =
  | { op: "push"; type: number }
  | { op: "send"; n: number }
  | { op: "ack"; n: number }
  | { op: "rewind" }
  | { op: "clear"; timedOnly: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ op: fc.constant("push" as const), type: fc.constantFrom(1, 13, 30, 36, 70) }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("send" as const), n: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("ack" as const), n: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("rewind" as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("clear" as const), timedOnly: fc.boolean() }) },
);

const timed = (t: number) => t >= 30 && t <= 40;

interface Ev {
  id: number;
  type: number;
}

describe("EventQueue", () => {
  it("behaves like a bounded list with sent and acknowledged marks", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600 }),
        fc.constantFrom<OverflowPolicy>("drop-oldest", "drop-newest"),
        fc.array(opArb, { maxLength: 400 }),
        (capacity, policy, ops) => {
          const q = new EventQueue(capacity, policy);
          let held: Ev[] = [];
          let sent = 0; // events of `held` sent and not acknowledged
          let dropped = 0;
          let cleared = 0;
          let next = 0;
          for (const o of ops) {
            switch (o.op) {
              case "push": {
                const id = next++;
                const full = held.length >= capacity;
                const ok = q.push(0, id, o.type, 3, id * 2, 0, 0, id);
                if (full && policy === "drop-newest") {
                  expect(ok).toBe(false);
                  dropped++;
                  break;
                }
                if (full) {
                  held.shift();
                  if (sent > 0) sent--;
                  dropped++;
                }
                expect(ok).toBe(true);
                held.push({ id, type: o.type });
                break;
              }
              case "send": {
                const n = Math.min(o.n, held.length - sent);
                q.sent += n;
                sent += n;
                break;
              }
              case "ack": {
                const n = Math.min(o.n, sent);
                q.acknowledge(q.head + n);
                held = held.slice(n);
                sent -= n;
                break;
              }
              case "rewind":
                q.rewind();
                sent = 0;
                break;
              case "clear": {
                const gone = q.clearUnsent(o.timedOnly ? timed : undefined);
                const keep = held.slice(sent).filter((e) => o.timedOnly && !timed(e.type));
                expect(gone).toBe(held.length - sent - keep.length);
                cleared += gone;
                held = [...held.slice(0, sent), ...keep];
                break;
              }
            }
            expect(q.length).toBe(held.length);
            expect(q.unsent).toBe(held.length - sent);
            expect(q.sent - q.head).toBe(sent);
          }
          expect([q.dropped, q.cleared]).toEqual([dropped, cleared]);
          const got: Ev[] = [];
          for (let p = q.head; p < q.tail; p++) {
            got.push({ id: q.pointAt(p), type: q.typeAt(p) });
            expect([q.valueAt(p), q.timeAt(p), q.cotAt(p)]).toEqual([q.pointAt(p) * 2, q.pointAt(p), 3]);
          }
          expect(got).toEqual(held);
        },
      ),
      { numRuns: 300 },
    );
  });
});
