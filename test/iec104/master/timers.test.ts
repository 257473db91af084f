/** The timer driver, on fake time: DeadlineTimer alone, then the master's link timers t1, t2, t3. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DeadlineTimer } from "../../../src/iec104/master/deadline-timer.js";
import { Master } from "../../../src/iec104/master/index.js";
import { duplexPair, type PairEnd } from "./pair.js";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("DeadlineTimer", () => {
  function target(first: number) {
    const t = { deadline: first, ticks: [] as number[], next: Number.POSITIVE_INFINITY };
    return Object.assign(t, {
      nextDeadline: () => t.deadline,
      tick: (now: number) => {
        t.ticks.push(now);
        if (now >= t.deadline) t.deadline = t.next;
      },
    });
  }

  it("arms one timer at the deadline, re-arming only when it moves earlier", () => {
    const s = target(1000);
    const timer = new DeadlineTimer(s, () => Date.now());
    timer.update();
    expect(timer.armedDeadline).toBe(1000);
    s.deadline = 2000;
    timer.update();
    expect(timer.armedDeadline).toBe(1000);
    s.deadline = 500;
    timer.update();
    expect(timer.armedDeadline).toBe(500);
    expect(vi.getTimerCount()).toBe(1);
    s.next = 1500;
    vi.advanceTimersByTime(499);
    expect(s.ticks).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(s.ticks).toEqual([500]);
    expect(timer.armedDeadline).toBe(1500);
    s.next = Number.POSITIVE_INFINITY;
    vi.advanceTimersByTime(1000);
    expect(s.ticks).toEqual([500, 1500]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("fires early harmlessly after the deadline moved later, then re-arms", () => {
    const s = target(1000);
    const timer = new DeadlineTimer(s, () => Date.now());
    timer.update();
    s.deadline = 3000;
    timer.update();
    vi.advanceTimersByTime(1000);
    expect(s.ticks).toEqual([1000]);
    expect(timer.armedDeadline).toBe(3000);
    vi.advanceTimersByTime(2000);
    expect(s.ticks).toEqual([1000, 3000]);
  });

  it("stop() disarms for good", () => {
    const s = target(10);
    const timer = new DeadlineTimer(s, () => Date.now());
    timer.update();
    timer.stop();
    timer.update();
    vi.advanceTimersByTime(100);
    expect(s.ticks).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("Master link timers", () => {
  const flush = () => new Promise<void>((r) => setImmediate(r));

  async function connected(): Promise<{ m: Master; peer: PairEnd; seen: string[] }> {
    const [ma, peer] = duplexPair();
    const seen: string[] = [];
    peer.on("data", (b: Buffer) => seen.push(b.toString("hex")));
    const m = new Master(ma, { now: () => Date.now() });
    return { m, peer, seen };
  }

  it("t1: closes when the STARTDT con does not come", async () => {
    const { m, seen } = await connected();
    const started = m.startDataTransfer();
    await flush();
    expect(seen).toEqual(["680407000000"]);
    vi.advanceTimersByTime(14_999);
    expect(m.isClosed).toBe(false);
    vi.advanceTimersByTime(1);
    await expect(started).rejects.toThrow(/T1: t1 expired: no STARTDT con within 15000 ms/);
    expect(m.closeReason?.code).toBe("T1");
  });

  it("t2 acknowledges a received I-frame; t3 tests an idle link; t1 closes an unanswered TESTFR", async () => {
    const { m, peer, seen } = await connected();
    const advanceTo = async (ms: number) => {
      vi.advanceTimersByTime(ms - Date.now());
      await flush();
    };
    const started = m.startDataTransfer();
    peer.write(Buffer.from("68040b000000", "hex"));
    await started;
    await advanceTo(1000);
    peer.write(Buffer.from("680e0000000001010300010064000000", "hex"));
    await flush();
    seen.length = 0;
    await advanceTo(10_999);
    expect(seen).toEqual([]);
    // t2 runs out at 11 000 (the link layer may act on it up to a millisecond later).
    await advanceTo(11_001);
    expect(seen).toEqual(["680401000200"]);
    await advanceTo(20_999);
    expect(seen).toEqual(["680401000200"]);
    await advanceTo(21_000);
    expect(seen).toEqual(["680401000200", "680443000000"]);
    await advanceTo(36_000);
    expect((await m.whenClosed).message).toMatch(/no TESTFR con/);
  });
});
