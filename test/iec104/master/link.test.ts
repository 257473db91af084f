/** The connection side of the master: STARTDT/STOPDT, events, raw sending, close reasons, chunking, k. */
import net from "node:net";
import { describe, expect, it, vi } from "vitest";
import { type Asdu, encodeAsdu, TypeId } from "../../../src/iec104/index.js";
import {
  ConnectionClosedError,
  Master,
  type MasterCloseReason,
  NotStartedError,
} from "../../../src/iec104/master/index.js";
import { onCleanup, setup } from "./harness.js";
import { ScriptedOutstation } from "./outstation.js";
import { duplexPair } from "./pair.js";

const spontaneous: Asdu = {
  typeId: TypeId.M_SP_NA_1,
  sq: false,
  cot: 3,
  test: false,
  negative: false,
  oa: 0,
  ca: 1,
  objects: [{ ioa: 100, value: false, quality: 0 }],
};

describe("Master link", () => {
  it("starts and stops data transfer, emitting the states", async () => {
    const { m } = await setup({ start: false });
    const states: string[] = [];
    m.on("state", (s) => states.push(s));
    expect(m.state).toBe("STOPPED");
    await m.startDataTransfer();
    await m.startDataTransfer();
    expect(m.state).toBe("STARTED");
    await m.stopDataTransfer();
    expect(m.state).toBe("STOPPED");
    expect(states).toEqual(["STARTED", "STOPPING", "STOPPED"]);
  });

  it("refuses requests before STARTDT with NotStartedError", async () => {
    const { m } = await setup({ start: false });
    await expect(m.interrogate(1)).rejects.toBeInstanceOf(NotStartedError);
    expect(() => m.sendAsdu(spontaneous)).toThrow(NotStartedError);
  });

  it("emits every received ASDU, decoded and raw", async () => {
    const { m, o } = await setup();
    const got: [Asdu, Buffer][] = [];
    m.on("asdu", (a, raw) => got.push([a, Buffer.from(raw)]));
    o.broadcast(spontaneous);
    await vi.waitFor(() => expect(got).toHaveLength(1));
    expect(got[0]![0]).toEqual(spontaneous);
    expect(got[0]![1].equals(encodeAsdu(spontaneous))).toBe(true);
  });

  it("sendAsdu sends unmatched; the reply shows as an event", async () => {
    const { m } = await setup();
    const replies: Asdu[] = [];
    m.on("asdu", (a) => replies.push(a));
    m.sendAsdu({
      typeId: TypeId.P_AC_NA_1,
      sq: false,
      cot: 6,
      test: false,
      negative: false,
      oa: 3,
      ca: 1,
      objects: [{ ioa: 5, qpa: 1 }],
    });
    await vi.waitFor(() => expect(replies).toHaveLength(1));
    expect(replies[0]).toMatchObject({ typeId: TypeId.P_AC_NA_1, cot: 44, negative: true, oa: 3 });
  });

  it("emits decodeError for an undecodable ASDU and stays connected", async () => {
    const { m, o } = await setup();
    const errors: string[] = [];
    m.on("decodeError", (e) => errors.push(e.code));
    o.peer.session.sendIFrame(Buffer.from([0, 0, 0, 0, 0, 0, 1, 2, 3, 1, 0, 0, 0, 0, 0]), performance.now());
    await vi.waitFor(() => expect(errors).toEqual(["COUNT_MISMATCH"]));
    expect((await m.read(1, 100)).cot).toBe(5);
  });

  it("sendRaw writes bytes as they are: a malformed frame makes the outstation close", async () => {
    const { m, o } = await setup();
    m.sendRaw(Buffer.from([0x68, 0x04, 0x47, 0, 0, 0]));
    const reason = await m.whenClosed;
    expect(reason.code).toBe("PEER_CLOSED");
    expect(o.peer.closeReason?.code).toBe("BAD_FRAME");
    expect(o.chunks.at(-1)?.toString("hex")).toBe("680447000000");
  });

  it("closes with the link layer's reason for a bad frame from the outstation, failing what is pending", async () => {
    const { m, o } = await setup({ outstation: { respond: () => [] } });
    const pending = m.interrogate(1);
    const closes: MasterCloseReason[] = [];
    m.on("close", (r) => closes.push(r));
    await vi.waitFor(() => expect(o.received).toHaveLength(1));
    o.peer.sendRaw(Buffer.from([0x68, 0x04, 0x0b, 0x00, 0x00, 0x01]));
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect((err as ConnectionClosedError).reason.code).toBe("BAD_FRAME");
    expect(closes.map((c) => c.code)).toEqual(["BAD_FRAME"]);
    expect(m.isClosed).toBe(true);
    await expect(m.read(1, 1)).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it("closes with UNEXPECTED_U for a STARTDT con nobody asked for", async () => {
    const { m, o } = await setup();
    o.peer.sendRaw(Buffer.from([0x68, 0x04, 0x0b, 0, 0, 0]));
    expect((await m.whenClosed).code).toBe("UNEXPECTED_U");
  });

  it("closes with PEER_CLOSED when the outstation closes, and LOCAL on close()", async () => {
    const a = await setup();
    a.o.peer.close();
    expect((await a.m.whenClosed).code).toBe("PEER_CLOSED");
    const b = await setup();
    await b.m.close();
    expect(b.m.closeReason?.code).toBe("LOCAL");
    await vi.waitFor(() => expect(b.o.peer.session.isClosed).toBe(true));
  });

  it("works when every received octet arrives in its own chunk", async () => {
    const o = new ScriptedOutstation();
    const [ma, oa] = duplexPair({ chunkSize: 1 });
    o.attach(oa);
    const m = new Master(ma, { requestTimeoutMs: 2000 });
    onCleanup(() => m.close());
    await m.startDataTransfer();
    const r = await m.interrogate(1);
    expect(r.data.length).toBeGreaterThan(1);
    expect(await m.counterInterrogate(1)).toMatchObject({ actTerm: { cot: 10 } });
    expect(o.chunks.every((c) => c.length === 1)).toBe(true);
  });

  it("gathers the frames of one tick into one write", async () => {
    const o = new ScriptedOutstation();
    const [ma, oa] = duplexPair();
    o.attach(oa);
    const m = new Master(ma);
    onCleanup(() => m.close());
    await m.startDataTransfer();
    const before = ma.writeCalls;
    await Promise.all([m.read(1, 100), m.read(1, 101), m.read(1, 200), m.read(2, 100)]);
    expect(ma.writeCalls - before).toBeLessThanOrEqual(2);
    expect(o.chunks.some((c) => c.length === 4 * 15)).toBe(true);
  });

  it("holds I-frames beyond k until acknowledgements arrive", async () => {
    const { m, o } = await setup({ master: { link: { k: 2, w: 2 } } });
    const reads = Array.from({ length: 7 }, (_, i) => m.read(1, [100, 101, 200, 300][i % 4]!));
    const results = await Promise.all(reads);
    expect(results.map((r) => r.cot)).toEqual(Array(7).fill(5));
    expect(o.received).toHaveLength(7);
  });

  it("rejects an invalid link configuration before connecting", async () => {
    await expect(Master.connect({ host: "127.0.0.1", port: 1, link: { t2Ms: 20_000 } })).rejects.toThrow(
      /invalid link configuration: t2Ms/,
    );
  });

  it("bounds the connection establishment by t0 (a TLS handshake that never completes)", async () => {
    const silent = net.createServer((s) => s.resume());
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    onCleanup(() => new Promise<void>((r) => silent.close(() => r())));
    const port = (silent.address() as net.AddressInfo).port;
    const started = performance.now();
    await expect(Master.connect({ host: "127.0.0.1", port, tls: {}, link: { t0Ms: 100 } })).rejects.toThrow(
      `connect to 127.0.0.1:${port} failed: t0 expired after 100 ms`,
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("fails to connect with a clear error", async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    await expect(Master.connect({ host: "127.0.0.1", port })).rejects.toThrow(
      new RegExp(`connect to 127.0.0.1:${port} failed: .*ECONNREFUSED`),
    );
  });
});
