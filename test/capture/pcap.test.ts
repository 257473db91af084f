import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  internetChecksum,
  LinkType,
  MAX_SEGMENT_PAYLOAD,
  PCAP_GLOBAL_HEADER_SIZE,
  PCAP_RECORD_HEADER_SIZE,
  PcapFileWriter,
  PcapWriter,
} from "../../src/capture/pcap.js";
import { requireTool } from "../helpers/tools.js";
import { dissectIec104, EXPERT_SEVERITY, tsharkFields, tsharkFollowTcp } from "../helpers/tshark.js";

const T0 = Date.UTC(2024, 2, 5, 14, 7, 9, 123);

/** One record split into its parts (Ethernet link type). */
function parseRecord(rec: Buffer, linkType: LinkType = LinkType.ETHERNET) {
  const l2 = linkType === LinkType.ETHERNET ? 14 : 0;
  const ip = rec.subarray(PCAP_RECORD_HEADER_SIZE + l2);
  const tcp = ip.subarray(20);
  return {
    tsSec: rec.readUInt32LE(0),
    tsUsec: rec.readUInt32LE(4),
    inclLen: rec.readUInt32LE(8),
    origLen: rec.readUInt32LE(12),
    eth: rec.subarray(PCAP_RECORD_HEADER_SIZE, PCAP_RECORD_HEADER_SIZE + l2),
    ip,
    src: [...ip.subarray(12, 16)].join("."),
    dst: [...ip.subarray(16, 20)].join("."),
    srcPort: tcp.readUInt16BE(0),
    dstPort: tcp.readUInt16BE(2),
    seq: tcp.readUInt32BE(4),
    ack: tcp.readUInt32BE(8),
    flags: tcp[13]!,
    payload: tcp.subarray(20),
  };
}

/** True when the TCP checksum of the IPv4 packet `ip` verifies (pseudo header included). */
function tcpChecksumOk(ip: Buffer): boolean {
  const tcp = ip.subarray(20);
  let pseudo = 6 + tcp.length;
  for (let i = 12; i < 20; i += 2) pseudo += ip.readUInt16BE(i);
  return internetChecksum(tcp, pseudo) === 0;
}

const SYN = 0x02;
const ACK = 0x10;
const PSH = 0x08;
const FIN = 0x01;

describe("PcapWriter", () => {
  it("writes the classic libpcap global header", () => {
    const w = new PcapWriter();
    expect(w.globalHeader().toString("hex")).toBe(
      ["d4c3b2a1", "0200", "0400", "00000000", "00000000", "ffff0000", "01000000"].join(""),
    );
    expect(new PcapWriter({ linkType: LinkType.RAW }).globalHeader().readUInt32LE(20)).toBe(101);
    expect(new PcapWriter({ linkType: LinkType.IPV4 }).globalHeader().readUInt32LE(20)).toBe(228);
    expect(w.toBuffer()).toHaveLength(PCAP_GLOBAL_HEADER_SIZE);
  });

  it("opens with a SYN, SYN-ACK, ACK handshake before the first segment", () => {
    const w = new PcapWriter({ startTimeMs: T0 });
    const recs = w.addSegment({ from: "master", data: Buffer.from("680407000000", "hex"), timestampMs: T0 });
    expect(recs).toHaveLength(4);
    const [syn, synAck, ack, data] = recs.map((r) => parseRecord(r));
    expect(syn!.flags).toBe(SYN);
    expect(synAck!.flags).toBe(SYN | ACK);
    expect(synAck!.ack).toBe(syn!.seq + 1);
    expect(ack!.flags).toBe(ACK);
    expect(ack!.seq).toBe(syn!.seq + 1);
    expect(ack!.ack).toBe(synAck!.seq + 1);
    expect(data!.flags).toBe(PSH | ACK);
    expect(data!.seq).toBe(syn!.seq + 1);
    expect(data!.ack).toBe(synAck!.seq + 1);
    expect(w.addSegment({ from: "outstation", data: Buffer.from("68040b000000", "hex") })).toHaveLength(1);
    expect(
      new PcapWriter({ handshake: false }).addSegment({ from: "master", data: Buffer.from([1]) }),
    ).toHaveLength(1);
  });

  it("writes record headers with the time, and both lengths equal to the packet", () => {
    const w = new PcapWriter({ handshake: false });
    const data = Buffer.from("680e0000000001010300010001000000", "hex");
    const [rec] = w.addSegment({ from: "outstation", data, timestampMs: 1_700_000_000_123.456 });
    const r = parseRecord(rec!);
    expect(r.tsSec).toBe(1_700_000_000);
    expect(r.tsUsec).toBe(123_456);
    expect(r.inclLen).toBe(14 + 20 + 20 + data.length);
    expect(r.origLen).toBe(r.inclLen);
    expect(rec!.length).toBe(PCAP_RECORD_HEADER_SIZE + r.inclLen);
    const [next] = w.addSegment({ from: "outstation", data });
    expect(parseRecord(next!).tsUsec).toBe(124_456);
  });

  it("builds Ethernet, IPv4 and TCP headers with correct checksums, addresses and ports", () => {
    const w = new PcapWriter({
      handshake: false,
      masterIp: "192.168.1.10",
      outstationIp: "192.168.1.20",
      masterPort: 50123,
      outstationPort: 2404,
    });
    const [m] = w.addSegment({ from: "master", data: Buffer.from("680401000200", "hex") });
    const [o] = w.addSegment({
      from: "outstation",
      data: Buffer.from("680e000000000101030001000100000001", "hex"),
    });
    const rm = parseRecord(m!);
    const ro = parseRecord(o!);
    expect(rm.eth.readUInt16BE(12)).toBe(0x0800);
    expect(rm.eth.subarray(0, 6)).toEqual(ro.eth.subarray(6, 12));
    expect([rm.src, rm.dst, rm.srcPort, rm.dstPort]).toEqual(["192.168.1.10", "192.168.1.20", 50123, 2404]);
    expect([ro.src, ro.dst, ro.srcPort, ro.dstPort]).toEqual(["192.168.1.20", "192.168.1.10", 2404, 50123]);
    for (const r of [rm, ro]) {
      expect(r.ip[0]).toBe(0x45);
      expect(r.ip.readUInt16BE(2)).toBe(r.ip.length);
      expect(r.ip[9]).toBe(6);
      expect(internetChecksum(r.ip.subarray(0, 20))).toBe(0);
      expect(r.ip.readUInt16BE(10)).not.toBe(0);
      expect(tcpChecksumOk(r.ip)).toBe(true);
    }
    expect(rm.payload.toString("hex")).toBe("680401000200");
  });

  it("advances each side's sequence number by its payload and acknowledges the peer", () => {
    const w = new PcapWriter();
    const a = parseRecord(w.addSegment({ from: "master", data: Buffer.alloc(6, 0x68) }).at(-1)!);
    const b = parseRecord(w.addSegment({ from: "master", data: Buffer.alloc(10, 0x68) })[0]!);
    const c = parseRecord(w.addSegment({ from: "outstation", data: Buffer.alloc(7, 0x68) })[0]!);
    const d = parseRecord(w.addSegment({ from: "master", data: Buffer.alloc(1, 0x68) })[0]!);
    expect(b.seq).toBe(a.seq + 6);
    expect(d.seq).toBe(b.seq + 10);
    expect(d.ack).toBe(c.seq + 7);
    expect(c.ack).toBe(b.seq + 10);
  });

  it("closes with FIN, FIN, ACK and refuses segments afterwards", () => {
    const w = new PcapWriter();
    w.addSegment({ from: "master", data: Buffer.from([0x68]) });
    const recs = w.close("outstation").map((r) => parseRecord(r));
    expect(recs.map((r) => r.flags)).toEqual([FIN | ACK, FIN | ACK, ACK]);
    expect(recs[0]!.srcPort).toBe(2404);
    expect(recs[2]!.ack).toBe(recs[1]!.seq + 1);
    expect(w.close()).toEqual([]);
    expect(() => w.addSegment({ from: "master", data: Buffer.from([1]) })).toThrow(/closed/);
  });

  it("writes raw IPv4 records without a link-layer header", () => {
    const w = new PcapWriter({ linkType: LinkType.IPV4, handshake: false });
    const [rec] = w.addSegment({ from: "master", data: Buffer.from("680443000000", "hex") });
    const r = parseRecord(rec!, LinkType.IPV4);
    expect(r.inclLen).toBe(20 + 20 + 6);
    expect(r.ip[0]).toBe(0x45);
    expect(tcpChecksumOk(r.ip)).toBe(true);
  });

  it("rejects what it cannot write", () => {
    const w = new PcapWriter();
    expect(() => w.addSegment({ from: "master", data: Buffer.alloc(0) })).toThrow(RangeError);
    expect(() => w.addSegment({ from: "master", data: Buffer.alloc(MAX_SEGMENT_PAYLOAD + 1) })).toThrow(
      RangeError,
    );
    expect(() => w.addSegment({ from: "master", data: Buffer.from([1]), timestampMs: -1 })).toThrow(
      RangeError,
    );
    expect(() => new PcapWriter({ masterIp: "10.0.0.256" })).toThrow(RangeError);
    expect(() => new PcapWriter({ outstationPort: 0 })).toThrow(RangeError);
    expect(() => new PcapWriter({ retain: false }).toBuffer()).toThrow(/retain/);
  });

  it("computes RFC 1071 checksums", () => {
    // The example of RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2, checksum 220d.
    expect(internetChecksum(Buffer.from("0001f203f4f5f6f7", "hex"))).toBe(0x220d);
    // An odd length pads the last octet with a zero on the right.
    expect(internetChecksum(Buffer.from("01", "hex"))).toBe(0xfeff);
  });
});

describe("PcapFileWriter", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("streams the same bytes to a file as PcapWriter builds in memory", () => {
    dir = mkdtempSync(join(tmpdir(), "pcap-test-"));
    const path = join(dir, "session.pcap");
    const file = new PcapFileWriter(path, { startTimeMs: T0 });
    const mem = new PcapWriter({ startTimeMs: T0 });
    const segs = [
      { from: "master" as const, data: Buffer.from("680407000000", "hex") },
      { from: "outstation" as const, data: Buffer.from("68040b000000", "hex") },
    ];
    for (const s of segs) {
      file.addSegment(s);
      mem.addSegment(s);
    }
    file.close();
    mem.close();
    expect(readFileSync(path)).toEqual(mem.toBuffer());
    expect(() => file.addSegment(segs[0]!)).toThrow(/closed/);
  });
});

const hasTshark = requireTool("tshark", "sudo apt-get install tshark");

describe.skipIf(!hasTshark)("tshark reads the capture back", () => {
  /** A short session: STARTDT, a split I-frame, two APDUs in one segment, TESTFR. */
  function session(linkType: LinkType, outstationPort = 2404) {
    const w = new PcapWriter({ linkType, startTimeMs: T0, outstationPort });
    const iFrame = Buffer.from("681200000000" + "0d0103000100210300" + "0000c03f00", "hex");
    const sent = { master: [] as Buffer[], outstation: [] as Buffer[] };
    const send = (from: "master" | "outstation", hex: string | Buffer) => {
      const data = typeof hex === "string" ? Buffer.from(hex, "hex") : hex;
      sent[from].push(data);
      w.addSegment({ from, data });
    };
    send("master", "680407000000");
    send("outstation", "68040b000000");
    send("outstation", iFrame.subarray(0, 9));
    send("outstation", iFrame.subarray(9));
    send("master", "680401000200680443000000");
    send("outstation", "680483000000");
    w.close();
    return {
      pcap: w.toBuffer(),
      master: Buffer.concat(sent.master),
      outstation: Buffer.concat(sent.outstation),
    };
  }

  it.each([
    ["Ethernet", LinkType.ETHERNET],
    ["raw IP (101)", LinkType.RAW],
    ["IPv4 (228)", LinkType.IPV4],
  ])(
    "%s: one TCP stream with good checksums, reassembled byte for byte in each direction",
    (_n, linkType) => {
      const s = session(linkType);
      const rows = tsharkFields(s.pcap, [
        "frame.number",
        "tcp.stream",
        "ip.checksum.status",
        "tcp.checksum.status",
        "_ws.expert.severity",
      ]);
      expect(rows).toHaveLength(3 + 6 + 3);
      for (const [, stream, ipOk, tcpOk, severities] of rows) {
        expect([stream, ipOk, tcpOk]).toEqual(["0", "1", "1"]);
        for (const sev of (severities ?? "").split(",").filter((x) => x !== "")) {
          expect(Number(sev)).toBeLessThan(EXPERT_SEVERITY.WARN);
        }
      }
      const follow = tsharkFollowTcp(s.pcap);
      expect(follow.client.toString("hex")).toBe(s.master.toString("hex"));
      expect(follow.server.toString("hex")).toBe(s.outstation.toString("hex"));
    },
  );

  it("hands every APDU to the IEC 104 dissector, also on a port given with -d", () => {
    const s = session(LinkType.ETHERNET, 20404);
    const packets = dissectIec104(s.pcap, { ports: [20404] });
    const types = packets.map((p) => p.apdus.map((a) => a.fields.get("iec60870_104.type")?.show));
    expect(types.flat()).toEqual([
      "0x00000003",
      "0x00000003",
      "0x00000000",
      "0x00000001",
      "0x00000003",
      "0x00000003",
    ]);
    expect(packets.some((p) => p.malformed)).toBe(false);
    const split = packets.find((p) => p.apdus.some((a) => a.asdu !== undefined));
    expect(split?.apdus[0]?.asdu?.objects[0]?.ioa).toBe(801);
  });
});
