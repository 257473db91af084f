/**
 * Several masters over TCP: per-connection groups, one shared group (single-group) with take-over,
 * buffering while nobody is active and re-sending what a lost connection left unacknowledged, by-ip
 * groups, the bounded queue's overflow policies, the allowlist and connection limit, STOPDT after
 * acknowledgements, and the 'event' emitter.
 */
import { describe, expect, it } from "vitest";
import type { Asdu } from "../../../src/iec104/asdu/asdu.js";
import { Cot } from "../../../src/iec104/asdu/types.js";
import { Master } from "../../../src/iec104/master/index.js";
import type { OutstationEvent } from "../../../src/iec104/outstation/events.js";
import {
  brief,
  connect,
  HOST,
  NO_ACK_LINK,
  RawClient,
  setPoint,
  sleep,
  startOutstation,
  until,
} from "./fixture.js";
import { ManualClock } from "./manual-clock.js";

/** A master that acknowledges every I-frame at once (so it never holds unacknowledged frames). */
const ACK_EACH = { link: { w: 1 } };

function points(asdus: Asdu[]): [number, number, unknown][] {
  return asdus
    .filter((a) => a.cot === Cot.SPONTANEOUS)
    .flatMap((a) =>
      a.objects.map((o) => [a.ca, o.ioa, "value" in o ? o.value : undefined] as [number, number, unknown]),
    );
}

function kinds(events: OutstationEvent[], type: OutstationEvent["type"]): OutstationEvent[] {
  return events.filter((e) => e.type === type);
}

describe("per-connection mode (the default)", () => {
  it("gives every master its own end of initialization and every event", async () => {
    const fx = await startOutstation();
    const a = await connect(fx, { waitInit: 2 });
    const b = await connect(fx, { waitInit: 2 });
    setPoint(fx, 1, 1, 0);
    setPoint(fx, 2, 1, 1);
    for (const p of [a, b]) {
      await p.inbox.waitCount(4);
      await sleep(10);
      expect(p.inbox.asdus.map(brief)).toEqual([
        "M_EI_NA_1 4 ca=1",
        "M_EI_NA_1 4 ca=2",
        "M_SP_NA_1 3 ca=1",
        "M_SP_NA_1 3 ca=2",
      ]);
    }
    expect(fx.os.groupList()).toHaveLength(2);
    await a.m.close();
    await until(() => fx.os.groupList().length === 1, "the closed connection's group to go");
  });

  it("buffers the events of a master that stopped data transfer and sends them on its next STARTDT", async () => {
    const fx = await startOutstation();
    const a = await connect(fx, { waitInit: 2 });
    await a.m.stopDataTransfer();
    setPoint(fx, 1, 1, 0);
    setPoint(fx, 1, 42, 50);
    await sleep(30);
    expect(a.inbox.length).toBe(2);
    await a.m.startDataTransfer();
    const got = await a.inbox.waitCount(4);
    expect(got.slice(2).map(brief)).toEqual(["M_SP_NA_1 3 ca=1", "M_ME_TF_1 3 ca=1"]);
  });
});

describe("single-group mode", () => {
  it("sends to the one active master; a STARTDT on the standby takes over", async () => {
    const fx = await startOutstation({ redundancy: { mode: "single-group", groups: [] } });
    const a = await connect(fx, { master: ACK_EACH, waitInit: 2 });
    const b = await connect(fx, { master: ACK_EACH, start: false });
    setPoint(fx, 1, 1, 0);
    await a.inbox.waitCount(3);
    await b.m.startDataTransfer();
    setPoint(fx, 1, 2, 1);
    await b.inbox.waitCount(1);
    await sleep(30);
    expect(a.inbox.asdus.map(brief)).toEqual(["M_EI_NA_1 4 ca=1", "M_EI_NA_1 4 ca=2", "M_SP_NA_1 3 ca=1"]);
    expect(points(b.inbox.asdus)).toEqual([[1, 2, true]]);
    expect(b.inbox.length).toBe(1);
    // the old active connection was returned to STOPPED, not closed (it had nothing unacknowledged)
    expect(fx.os.connections.size).toBe(2);
    const transfers = kinds(fx.events, "data-transfer").map((e) =>
      e.type === "data-transfer" ? [e.conn, e.state, e.group] : [],
    );
    const [ida, idb] = [...fx.os.connections].map((c) => c.id);
    // the old connection is deactivated first, then the new one is reported started
    expect(transfers).toEqual([
      [ida, "STARTED", "all"],
      [ida, "STOPPED", "all"],
      [idb, "STARTED", "all"],
    ]);
    expect(fx.log.entries.some((l) => l.msg === "took over as the active connection")).toBe(true);
  });

  it("buffers events while no master is active and delivers them in order after STARTDT", async () => {
    const fx = await startOutstation({ redundancy: { mode: "single-group", groups: [] } });
    setPoint(fx, 1, 1, 0);
    setPoint(fx, 1, 42, 40);
    setPoint(fx, 2, 1, 1);
    setPoint(fx, 1, 1, 1);
    const a = await connect(fx);
    const got = await a.inbox.waitCount(6);
    await sleep(20);
    expect(got.map(brief)).toEqual([
      "M_EI_NA_1 4 ca=1",
      "M_EI_NA_1 4 ca=2",
      "M_SP_NA_1 3 ca=1",
      "M_ME_TF_1 3 ca=1",
      "M_SP_NA_1 3 ca=2",
      "M_SP_NA_1 3 ca=1",
    ]);
    expect(points(got)).toEqual([
      [1, 1, false],
      [1, 42, 40],
      [2, 1, true],
      [1, 1, true],
    ]);
  });

  it("re-sends, in order, the events a closed active connection left unacknowledged", async () => {
    const fx = await startOutstation({ redundancy: { mode: "single-group", groups: [] } });
    const a = await connect(fx, { master: { link: NO_ACK_LINK }, waitInit: 2 });
    setPoint(fx, 1, 1, 0);
    setPoint(fx, 1, 42, 40);
    await a.inbox.waitCount(4);
    await a.m.close();
    await until(() => fx.os.connections.size === 0, "the close");
    setPoint(fx, 2, 1, 1);
    const b = await connect(fx, { master: ACK_EACH });
    const got = await b.inbox.waitCount(5);
    await sleep(20);
    expect(got.map(brief)).toEqual([
      "M_EI_NA_1 4 ca=1",
      "M_EI_NA_1 4 ca=2",
      "M_SP_NA_1 3 ca=1",
      "M_ME_TF_1 3 ca=1",
      "M_SP_NA_1 3 ca=2",
    ]);
    expect(b.inbox.length).toBe(5);
    // b acknowledged everything: a third master gets nothing old
    await b.m.close();
    await until(() => fx.os.connections.size === 0, "the close");
    const c = await connect(fx);
    await sleep(40);
    expect(c.inbox.length).toBe(0);
  });

  it("a STARTDT on the standby closes an active connection with unacknowledged frames and re-sends them", async () => {
    const fx = await startOutstation({ redundancy: { mode: "single-group", groups: [] } });
    const a = await connect(fx, { master: { link: NO_ACK_LINK }, waitInit: 2 });
    setPoint(fx, 1, 3, 0);
    await a.inbox.waitCount(3);
    const b = await connect(fx, { master: ACK_EACH, start: false });
    await b.m.startDataTransfer();
    const reason = await a.m.whenClosed;
    expect(reason.code).toMatch(/PEER_CLOSED|SOCKET_ERROR/);
    const got = await b.inbox.waitCount(3);
    expect(got.map(brief)).toEqual(["M_EI_NA_1 4 ca=1", "M_EI_NA_1 4 ca=2", "M_SP_TB_1 3 ca=1"]);
    expect(b.inbox.items[2]!.raw).toEqual(a.inbox.items[2]!.raw);
    const closed = kinds(fx.events, "master-closed")[0];
    expect(closed).toMatchObject({ code: "LOCAL", reason: expect.stringContaining("replaced by") });
  });
});

describe("by-ip mode", () => {
  it("puts the masters of one configured group (or one IP) in one shared group", async () => {
    for (const groups of [[{ name: "rig", ips: [HOST] }], []]) {
      const fx = await startOutstation({ redundancy: { mode: "by-ip", groups } });
      const a = await connect(fx, { master: ACK_EACH, waitInit: 2 });
      const b = await connect(fx, { master: ACK_EACH, start: false });
      expect(fx.os.groupList().map((g) => g.key)).toEqual([groups.length > 0 ? "rig" : HOST]);
      await b.m.startDataTransfer();
      setPoint(fx, 1, 1, 0);
      await b.inbox.waitCount(1);
      await sleep(20);
      expect(b.inbox.asdus.map(brief)).toEqual(["M_SP_NA_1 3 ca=1"]);
      expect(a.inbox.length).toBe(2);
      await a.m.close();
      await b.m.close();
    }
  });
});

describe("the bounded event queue", () => {
  async function overflow(policy: "drop-oldest" | "drop-newest") {
    const clock = new ManualClock();
    const fx = await startOutstation({
      clock,
      redundancy: { mode: "single-group", groups: [] },
      eventQueue: { capacity: 4, overflow: policy },
    });
    // the queue holds the two M_EI already; six more events overflow it by four
    for (const v of [0, 1, 0]) setPoint(fx, 1, 1, v);
    for (const v of [10, 20, 30]) setPoint(fx, 1, 42, v);
    return fx;
  }

  it("drop-oldest keeps the newest events, counts the drops and reports them", async () => {
    const fx = await overflow("drop-oldest");
    const q = fx.os.groupList()[0]!.queue;
    expect(q.dropped).toBe(4);
    expect(kinds(fx.events, "events-dropped")).toEqual([
      { type: "events-dropped", group: "all", dropped: 1 },
    ]);
    expect(fx.log.entries.filter((l) => l.msg === "event queue full: events dropped")).toHaveLength(1);
    const a = await connect(fx);
    const got = await a.inbox.waitCount(2);
    await sleep(20);
    expect(points(a.inbox.asdus)).toEqual([
      [1, 1, false],
      [1, 42, 10],
      [1, 42, 20],
      [1, 42, 30],
    ]);
    expect(got.map(brief)).toEqual(["M_SP_NA_1 3 ca=1", "M_ME_TF_1 3 ca=1"]);
  });

  it("drop-newest keeps the oldest events and refuses the rest", async () => {
    const fx = await overflow("drop-newest");
    expect(fx.os.groupList()[0]!.queue.dropped).toBe(4);
    expect(kinds(fx.events, "events-dropped")).toHaveLength(1);
    const a = await connect(fx);
    await a.inbox.waitCount(3);
    await sleep(20);
    expect(a.inbox.asdus.map(brief)).toEqual(["M_EI_NA_1 4 ca=1", "M_EI_NA_1 4 ca=2", "M_SP_NA_1 3 ca=1"]);
    expect(points(a.inbox.asdus)).toEqual([
      [1, 1, false],
      [1, 1, true],
    ]);
  });

  it("reports drops at most once a second per group, with the running count", async () => {
    const clock = new ManualClock();
    const fx = await startOutstation({
      clock,
      redundancy: { mode: "single-group", groups: [] },
      eventQueue: { capacity: 2, overflow: "drop-oldest" },
    });
    setPoint(fx, 1, 1, 0);
    setPoint(fx, 1, 1, 1);
    clock.advance(999);
    setPoint(fx, 1, 1, 0);
    clock.advance(1);
    setPoint(fx, 1, 1, 1);
    expect(kinds(fx.events, "events-dropped")).toEqual([
      { type: "events-dropped", group: "all", dropped: 1 },
      { type: "events-dropped", group: "all", dropped: 4 },
    ]);
  });
});

describe("refused connections", () => {
  it("the allowlist refuses other addresses before any protocol handling", async () => {
    const fx = await startOutstation({ allowlist: ["10.9.8.7"] });
    const m = await Master.connect({ host: HOST, port: fx.port });
    const received: Asdu[] = [];
    m.on("asdu", (a) => received.push(a));
    await m.whenClosed;
    await expect(m.startDataTransfer()).rejects.toThrow(/closed/);
    expect(received).toEqual([]);
    expect(fx.os.connections.size).toBe(0);
    expect(fx.os.stats.connectionsRefused).toBe(1);
    expect(fx.events).toEqual([
      {
        type: "master-refused",
        remote: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
        reason: "127.0.0.1 is not in the allowlist",
      },
    ]);
  });

  it("maxConnections refuses the connection beyond the limit, the others carry on", async () => {
    const fx = await startOutstation({ maxConnections: 1, allowlist: [HOST] });
    const a = await connect(fx, { waitInit: 2 });
    const c = await RawClient.connect(fx.port);
    c.write(c.u("STARTDT_ACT"));
    await c.whenClosed;
    expect(c.frames).toEqual([]);
    expect(kinds(fx.events, "master-refused")).toEqual([
      { type: "master-refused", remote: expect.any(String), reason: "already 1 connections (the maximum)" },
    ]);
    expect((await a.m.interrogate(2)).data).toHaveLength(2);
    await a.m.close();
    await until(() => fx.os.connections.size === 0, "the close");
    const b = await connect(fx, { waitInit: 2 });
    expect(b.inbox.length).toBe(2);
  });
});

describe("STOPDT", () => {
  it("is confirmed only once every I-frame sent is acknowledged; nothing new is sent meanwhile", async () => {
    const fx = await startOutstation();
    const c = await RawClient.connect(fx.port);
    await c.startDt();
    await c.waitAsdus(2);
    const from = c.frames.length;
    c.write(c.u("STOPDT_ACT"));
    await sleep(30);
    setPoint(fx, 1, 1, 0);
    await sleep(30);
    expect(c.frames.slice(from)).toEqual([]);
    c.write(c.sframe());
    const con = await c.waitFrame((f) => f.format === "U", from);
    expect(con).toEqual({ format: "U", fn: "STOPDT_CON" });
    await sleep(20);
    expect(c.frames.slice(from)).toHaveLength(1);
    // the event waits for the next STARTDT
    await c.startDt();
    await c.waitAsdus(3);
    expect(brief(c.asdus[2]!)).toBe("M_SP_NA_1 3 ca=1");
  });

  it("replies left unsent by a STOPDT are dropped at the next STARTDT; events are kept", async () => {
    let decide: ((ok: boolean) => void) | undefined;
    const fx = await startOutstation({
      commandHandler: {
        handle: (req) =>
          new Promise((resolve) => {
            decide = (ok) => resolve({ ok, returnInfo: { value: req.value === 2 ? 1 : 0 } });
          }),
      },
    });
    const c = await RawClient.connect(fx.port);
    await c.startDt();
    await c.waitAsdus(2);
    c.write(
      c.iframe({
        typeId: 45,
        sq: false,
        cot: 6,
        test: false,
        negative: false,
        oa: 0,
        ca: 1,
        objects: [{ ioa: 1001, value: true, select: false, qu: 0 }],
      }),
    );
    await until(() => decide !== undefined, "the command reaches the handler");
    // the command's N(R) acknowledged both end-of-initialization frames: STOPDT is confirmed at once
    c.write(c.u("STOPDT_ACT"));
    await c.waitFrame((f) => f.format === "U" && f.fn === "STOPDT_CON");
    decide?.(true);
    await sleep(30);
    await c.startDt();
    await c.waitAsdus(3);
    await sleep(30);
    expect(c.asdus.slice(2).map(brief)).toEqual(["M_SP_NA_1 11 ca=1"]);
  });

  it("an I-frame after STOPDT act closes the connection", async () => {
    const fx = await startOutstation();
    const c = await RawClient.connect(fx.port);
    await c.startDt();
    await c.waitAsdus(2);
    c.write(c.u("STOPDT_ACT"));
    c.write(
      c.iframe({
        typeId: 100,
        sq: false,
        cot: 6,
        test: false,
        negative: false,
        oa: 0,
        ca: 1,
        objects: [{ ioa: 0, qoi: 20 }],
      }),
    );
    await c.whenClosed;
    await until(() => kinds(fx.events, "master-closed").length === 1, "master-closed");
    expect(kinds(fx.events, "master-closed")[0]).toMatchObject({ code: "STOPPING" });
  });
});

describe("the 'event' emitter", () => {
  it("reports the connection, data transfer, requests, commands with outcomes, rejections and the close", async () => {
    const fx = await startOutstation();
    const p = await connect(fx, { waitInit: 2 });
    await p.m.interrogate(1, 21);
    await p.m.counterInterrogate(1, 5);
    await p.m.read(1, 1);
    await p.m.selectAndExecute({ ca: 1, typeId: 46, ioa: 1002, value: 1 });
    await p.m.command({ ca: 1, typeId: 46, ioa: 1002, value: 2 }).catch(() => {});
    await p.m.read(1, 999).catch(() => {});
    await p.m.stopDataTransfer();
    await p.m.close();
    await until(() => kinds(fx.events, "master-closed").length === 1, "master-closed");
    const conn = (fx.events[0] as { conn: string }).conn;
    const remote = (fx.events[0] as { remote: string }).remote;
    const strip = fx.events.map((e) => {
      const { conn: c, remote: r, ...rest } = e as OutstationEvent & { conn?: string; remote?: string };
      if (c !== undefined) expect([c, r]).toEqual([conn, remote]);
      return "id" in rest ? { ...rest, id: "*" } : rest;
    });
    expect(strip).toEqual([
      { type: "master-connected" },
      { type: "data-transfer", state: "STARTED", group: conn },
      { type: "interrogation", ca: 1, qoi: 21 },
      { type: "counter-interrogation", ca: 1, qcc: 5 },
      { type: "read", ca: 1, ioa: 1 },
      {
        type: "command",
        id: "*",
        phase: "select",
        ca: 1,
        ioa: 1002,
        typeId: 46,
        value: 1,
        outcome: "confirmed",
        reason: undefined,
      },
      {
        type: "command",
        id: "*",
        phase: "execute",
        ca: 1,
        ioa: 1002,
        typeId: 46,
        value: 1,
        outcome: "confirmed",
        reason: undefined,
      },
      {
        type: "rejected",
        typeId: 46,
        ca: 1,
        ioa: 1002,
        cot: 7,
        reason: "execute without a valid select on IOA 1002 (select-before-operate)",
      },
      { type: "rejected", typeId: 102, ca: 1, ioa: 999, cot: 47, reason: "read of unknown IOA 999" },
      { type: "data-transfer", state: "STOPPING", group: conn },
      { type: "data-transfer", state: "STOPPED", group: conn },
      { type: "master-closed", code: "PEER_CLOSED", reason: "connection closed by the master" },
    ]);
  });
});
