/**
 * The link timers of a master's connection, driven by the outstation's injected clock (fake time):
 * t3 sends TESTFR act on an idle link, t2 acknowledges received I-frames when no I-frame of ours can
 * carry the acknowledgement, and t1 closes a connection whose master does not acknowledge.
 */
import { describe, expect, it } from "vitest";
import { Cot, TypeId } from "../../../src/iec104/asdu/types.js";
import { RawClient, sleep, startOutstation, until } from "./fixture.js";
import { ManualClock } from "./manual-clock.js";

async function setup(k = 12) {
  const clock = new ManualClock();
  const fx = await startOutstation({ clock, link: { k, w: Math.min(8, k) } });
  const c = await RawClient.connect(fx.port);
  await c.startDt();
  await c.waitAsdus(2);
  return { clock, fx, c };
}

describe("link timers on the outstation's clock", () => {
  it("t3: TESTFR act after 20 s without a received frame; answered, the link stays up", async () => {
    const { clock, fx, c } = await setup();
    c.autoAck = true;
    c.write(c.sframe());
    await sleep(20);
    const from = c.frames.length;
    clock.advance(19_999);
    await sleep(20);
    expect(c.frames.slice(from)).toEqual([]);
    clock.advance(1);
    await c.waitFrame((f) => f.format === "U", from);
    expect(c.frames.slice(from)).toEqual([{ format: "U", fn: "TESTFR_ACT" }]);
    c.write(c.u("TESTFR_CON"));
    await sleep(20);
    clock.advance(15_000);
    await sleep(20);
    expect(c.closed).toBe(false);
    expect(fx.os.connections.size).toBe(1);
  });

  it("t2: an S-frame acknowledges a request whose reply cannot be sent (window full)", async () => {
    // k = w = 2: the two M_EI fill the window, one received I-frame is below w
    const { clock, c } = await setup(2);
    const from = c.frames.length;
    c.write(
      c.iframe(
        {
          typeId: TypeId.C_RD_NA_1,
          sq: false,
          cot: Cot.REQUEST,
          test: false,
          negative: false,
          oa: 0,
          ca: 1,
          objects: [{ ioa: 1 }],
        },
        0,
      ),
    );
    await sleep(20);
    clock.advance(9_999);
    await sleep(20);
    expect(c.frames.slice(from)).toEqual([]);
    clock.advance(2);
    await c.waitFrame((f) => f.format === "S", from);
    expect(c.frames.slice(from)).toEqual([{ format: "S", nr: 1 }]);
  });

  it("t1: a master that does not acknowledge is disconnected after 15 s (code T1)", async () => {
    const { clock, fx, c } = await setup();
    clock.advance(14_999);
    await sleep(20);
    expect(c.closed).toBe(false);
    clock.advance(1);
    await c.whenClosed;
    await until(() => fx.events.some((e) => e.type === "master-closed"), "master-closed");
    expect(fx.events.find((e) => e.type === "master-closed")).toMatchObject({ code: "T1" });
    expect(fx.os.stats.closes.get("T1")).toBe(1);
  });
});
