/**
 * One whole live session between the Master and the outstation (STARTDT, interrogation, a command
 * with select, a read, a clock synchronisation, spontaneous events, a test command, STOPDT), taken
 * through a small TCP proxy that records both directions, written as a pcap with src/capture/pcap.ts
 * and decoded by tshark: no malformed frame, no expert warning, and tshark reads every APDU as we do.
 */
import net from "node:net";
import { describe, expect, it } from "vitest";
import { type Endpoint, IEC104_PORT, PcapWriter } from "../../../src/capture/pcap.js";
import { type Apdu, decodeApdu } from "../../../src/iec104/apci/apdu.js";
import { ApduSplitter } from "../../../src/iec104/apci/splitter.js";
import { requireTool } from "../../helpers/tools.js";
import { dissectIec104, EXPERT_SEVERITY, type TsharkApdu } from "../../helpers/tshark.js";
import { connect, HOST, onCleanup, setPoint, startOutstation, until } from "./fixture.js";

const hasTshark = requireTool("tshark", "sudo apt-get install tshark");

interface Recorded {
  from: Endpoint;
  data: Buffer;
  timestampMs: number;
}

/** A TCP proxy on 127.0.0.1 (port 0) to `port` that records what each side sends, in order. */
async function recordingProxy(port: number): Promise<{ port: number; segments: Recorded[] }> {
  const segments: Recorded[] = [];
  let last = 0;
  const record = (from: Endpoint, data: Buffer) => {
    last = Math.max(last, Date.now());
    segments.push({ from, data: Buffer.from(data), timestampMs: last });
  };
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: HOST, port });
    client.on("data", (d: Buffer) => {
      record("master", d);
      upstream.write(d);
    });
    upstream.on("data", (d: Buffer) => {
      record("outstation", d);
      client.write(d);
    });
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.on("error", () => {});
    upstream.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const addr = server.address();
  if (addr === null || typeof addr !== "object") throw new Error("no proxy address");
  return { port: addr.port, segments };
}

/** The APDUs of the recorded bytes, in the order they complete (each direction framed on its own). */
function apdusOf(segments: Recorded[]): { from: Endpoint; apdu: Apdu }[] {
  const splitters = { master: new ApduSplitter(), outstation: new ApduSplitter() };
  return segments.flatMap((s) =>
    splitters[s.from].push(s.data).map((f) => ({ from: s.from, apdu: decodeApdu(Buffer.from(f)) })),
  );
}

/** What tshark shows of one APDU, as [format, type id, COT, CA] (type/COT/CA only for I-frames). */
function tsharkView(a: TsharkApdu): (string | number)[] {
  const type = Number(a.fields.get("iec60870_104.type")?.show);
  const format = type === 0 ? "I" : type === 1 ? "S" : "U";
  if (format !== "I") return [format];
  const f = (n: string) => Number(a.asdu?.fields.get(n)?.show);
  return [format, f("iec60870_asdu.typeid"), f("iec60870_asdu.causetx"), f("iec60870_asdu.addr")];
}

function ourView(a: Apdu): (string | number)[] {
  return a.format === "I" ? ["I", a.asdu.typeId, a.asdu.cot, a.asdu.ca] : [a.format];
}

describe.skipIf(!hasTshark)("a live session, captured and decoded by tshark", () => {
  it("has no malformed frame, no expert warning, and tshark reads every APDU as we do", async () => {
    const fx = await startOutstation();
    const proxy = await recordingProxy(fx.port);
    const { m, inbox } = await connect({ port: proxy.port }, { waitInit: 2, master: { originator: 1 } });
    await m.interrogate(1);
    const cmd = await m.selectAndExecute({ ca: 1, typeId: 46, ioa: 1002, value: 1 });
    await cmd.actTerm;
    await m.command({ ca: 1, typeId: 63, ioa: 1004, value: 3.75 }).then((r) => r.actTerm);
    await m.read(1, 42);
    await m.clockSync(1, new Date());
    await m.counterInterrogate(1, 5);
    const mark = inbox.length;
    setPoint(fx, 1, 1, 0);
    setPoint(fx, 1, 42, 99.5);
    setPoint(fx, 1, 10, 2, 0x80);
    setPoint(fx, 2, 2, 1000);
    await inbox.waitCount(4, mark);
    await m.testCommand(1, 0x1234);
    await m.stopDataTransfer();
    await m.close();
    await until(() => fx.os.connections.size === 0, "the close");

    const writer = new PcapWriter({ outstationPort: IEC104_PORT, masterPort: 50_104 });
    for (const s of proxy.segments) writer.addSegment(s);
    writer.close("master");
    const packets = dissectIec104(writer.toBuffer(), { ports: [IEC104_PORT] });

    const problems: string[] = [];
    for (const p of packets) {
      if (p.malformed) problems.push(`frame ${p.number}: malformed`);
      for (const x of p.experts) {
        if (x.severity >= EXPERT_SEVERITY.WARN || x.protocol.startsWith("iec60870")) {
          problems.push(`frame ${p.number}: ${x.protocol}: ${x.message}`);
        }
      }
    }
    expect(problems).toEqual([]);

    const ours = apdusOf(proxy.segments);
    const theirs = packets.flatMap((p) => p.apdus);
    expect(theirs.map(tsharkView)).toEqual(ours.map((o) => ourView(o.apdu)));
    // the session held what it should
    const iFrames = ours.flatMap((o) =>
      o.apdu.format === "I" ? [[o.from, o.apdu.asdu.typeId, o.apdu.asdu.cot]] : [],
    );
    for (const want of [
      ["outstation", 70, 4],
      ["master", 100, 6],
      ["outstation", 100, 10],
      ["master", 46, 6],
      ["outstation", 31, 11],
      ["outstation", 46, 10],
      ["outstation", 63, 7],
      ["outstation", 36, 5],
      ["outstation", 103, 7],
      ["outstation", 37, 37],
      ["outstation", 36, 3],
      ["outstation", 107, 7],
    ]) {
      expect(iFrames).toContainEqual(want);
    }
    const u = ours.flatMap((o) => (o.apdu.format === "U" ? [`${o.from} ${o.apdu.fn}`] : []));
    expect(u).toEqual([
      "master STARTDT_ACT",
      "outstation STARTDT_CON",
      "master STOPDT_ACT",
      "outstation STOPDT_CON",
    ]);
  });
});
