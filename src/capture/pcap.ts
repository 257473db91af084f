/**
 * A small writer of classic libpcap captures (https://www.tcpdump.org/manpages/pcap-savefile.5.html)
 * holding one TCP connection between an IEC 104 master and this outstation, so a session can be
 * opened in Wireshark or fed to tshark. Every record is a whole IPv4 + TCP packet with correct header
 * checksums, ports, sequence and acknowledgement numbers: tshark reassembles each direction as one TCP
 * stream, however the application bytes were cut into segments.
 *
 * The core is pure (buffers in, buffers out); `PcapFileWriter` is the only part that touches a file.
 *
 *   global header (24 octets, little-endian): magic a1b2c3d4, version 2.4, thiszone 0, sigfigs 0,
 *     snaplen, linktype
 *   record header (16 octets): ts_sec, ts_usec, incl_len, orig_len, then the packet
 *
 * Link types: 1 Ethernet II (fixed MAC addresses), 101 LINKTYPE_RAW and 228 LINKTYPE_IPV4 (the packet
 * starts at the IPv4 header).
 */
import { closeSync, openSync, writeSync } from "node:fs";

export type Endpoint = "master" | "outstation";

export const LinkType = { ETHERNET: 1, RAW: 101, IPV4: 228 } as const;
export type LinkType = (typeof LinkType)[keyof typeof LinkType];

export const PCAP_MAGIC = 0xa1b2c3d4;
export const PCAP_GLOBAL_HEADER_SIZE = 24;
export const PCAP_RECORD_HEADER_SIZE = 16;
export const DEFAULT_SNAPLEN = 65535;
export const IEC104_PORT = 2404;

const ETHERNET_HEADER_SIZE = 14;
const IPV4_HEADER_SIZE = 20;
const TCP_HEADER_SIZE = 20;
/** Largest payload one IPv4 packet can carry after the two 20-octet headers. */
export const MAX_SEGMENT_PAYLOAD = 0xffff - IPV4_HEADER_SIZE - TCP_HEADER_SIZE;

const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_PSH = 0x08;
const TCP_ACK = 0x10;

export interface PcapOptions {
  linkType?: LinkType;
  masterIp?: string;
  outstationIp?: string;
  masterPort?: number;
  outstationPort?: number;
  /** Time of the first packet when a segment gives none; later ones default to 1 ms after the last. */
  startTimeMs?: number;
  /** Write the SYN, SYN-ACK, ACK handshake before the first segment (default true). */
  handshake?: boolean;
  /** Keep every record for `toBuffer()` (default true; a streaming sink turns it off). */
  retain?: boolean;
}

export interface Segment {
  /** The side that sent the bytes: the master is the TCP client, the outstation the server. */
  from: Endpoint;
  data: Uint8Array;
  /** Capture time in epoch milliseconds (fractions give microseconds). */
  timestampMs?: number;
}

interface Side {
  ip: Buffer;
  port: number;
  mac: Buffer;
  /** Next sequence number this side sends. */
  seq: number;
  ipId: number;
}

export class PcapWriter {
  readonly linkType: LinkType;
  private readonly records: Buffer[] = [];
  private readonly retain: boolean;
  private readonly sides: Record<Endpoint, Side>;
  private lastMs: number;
  private opened: boolean;
  private closed = false;

  constructor(opts: PcapOptions = {}) {
    this.linkType = opts.linkType ?? LinkType.ETHERNET;
    this.retain = opts.retain ?? true;
    this.lastMs = (opts.startTimeMs ?? Date.now()) - 1;
    this.opened = opts.handshake === false;
    this.sides = {
      master: {
        ip: parseIpv4(opts.masterIp ?? "10.0.0.1"),
        port: checkPort(opts.masterPort ?? 49152),
        mac: Buffer.from([0x02, 0, 0, 0, 0, 0x01]),
        seq: 0x1000_0000,
        ipId: 1,
      },
      outstation: {
        ip: parseIpv4(opts.outstationIp ?? "10.0.0.2"),
        port: checkPort(opts.outstationPort ?? IEC104_PORT),
        mac: Buffer.from([0x02, 0, 0, 0, 0, 0x02]),
        seq: 0x2000_0000,
        ipId: 1,
      },
    };
  }

  /** The 24-octet global header. */
  globalHeader(): Buffer {
    const h = Buffer.alloc(PCAP_GLOBAL_HEADER_SIZE);
    h.writeUInt32LE(PCAP_MAGIC, 0);
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
    h.writeInt32LE(0, 8);
    h.writeUInt32LE(0, 12);
    h.writeUInt32LE(DEFAULT_SNAPLEN, 16);
    h.writeUInt32LE(this.linkType, 20);
    return h;
  }

  /**
   * Adds one TCP segment carrying `data` (with PSH+ACK) and returns the records written, the
   * handshake included the first time.
   */
  addSegment(seg: Segment): Buffer[] {
    if (this.closed) throw new Error("pcap: the connection is already closed");
    if (seg.data.length === 0) throw new RangeError("pcap: a segment needs at least one octet");
    if (seg.data.length > MAX_SEGMENT_PAYLOAD) {
      throw new RangeError(`pcap: ${seg.data.length} octets exceed one segment (${MAX_SEGMENT_PAYLOAD})`);
    }
    const ms = this.time(seg.timestampMs);
    const out = this.handshake(ms);
    out.push(this.packet(seg.from, TCP_PSH | TCP_ACK, seg.data, ms));
    return out;
  }

  /** Closes the connection: FIN from `by`, FIN from the peer, last ACK. Returns the records. */
  close(by: Endpoint = "master", timestampMs?: number): Buffer[] {
    if (this.closed) return [];
    const ms = this.time(timestampMs);
    const out = this.handshake(ms);
    const peer: Endpoint = by === "master" ? "outstation" : "master";
    out.push(this.packet(by, TCP_FIN | TCP_ACK, EMPTY, ms, 1));
    out.push(this.packet(peer, TCP_FIN | TCP_ACK, EMPTY, ms, 1));
    out.push(this.packet(by, TCP_ACK, EMPTY, ms));
    this.closed = true;
    return out;
  }

  /** The whole capture: global header and every record so far (needs `retain`). */
  toBuffer(): Buffer {
    if (!this.retain) throw new Error("pcap: records are not retained (retain: false)");
    return Buffer.concat([this.globalHeader(), ...this.records]);
  }

  private time(timestampMs: number | undefined): number {
    const ms = timestampMs ?? this.lastMs + 1;
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`pcap: bad timestamp ${ms}`);
    this.lastMs = ms;
    return ms;
  }

  private handshake(ms: number): Buffer[] {
    if (this.opened) return [];
    this.opened = true;
    return [
      this.packet("master", TCP_SYN, EMPTY, ms, 1),
      this.packet("outstation", TCP_SYN | TCP_ACK, EMPTY, ms, 1),
      this.packet("master", TCP_ACK, EMPTY, ms),
    ];
  }

  /** One record; `seqUse` is how much the segment advances the sender's sequence number. */
  private packet(from: Endpoint, flags: number, data: Uint8Array, ms: number, seqUse = data.length): Buffer {
    const src = this.sides[from];
    const dst = this.sides[from === "master" ? "outstation" : "master"];
    const l2 = this.linkType === LinkType.ETHERNET ? ETHERNET_HEADER_SIZE : 0;
    const ipLength = IPV4_HEADER_SIZE + TCP_HEADER_SIZE + data.length;
    const rec = Buffer.alloc(PCAP_RECORD_HEADER_SIZE + l2 + ipLength);
    const secs = Math.floor(ms / 1000);
    rec.writeUInt32LE(secs, 0);
    rec.writeUInt32LE(Math.min(999_999, Math.round((ms - secs * 1000) * 1000)), 4);
    rec.writeUInt32LE(l2 + ipLength, 8);
    rec.writeUInt32LE(l2 + ipLength, 12);
    let p = PCAP_RECORD_HEADER_SIZE;
    if (l2 > 0) {
      dst.mac.copy(rec, p);
      src.mac.copy(rec, p + 6);
      rec.writeUInt16BE(0x0800, p + 12);
      p += l2;
    }
    const ip = p;
    rec[ip] = 0x45;
    rec[ip + 1] = 0;
    rec.writeUInt16BE(ipLength, ip + 2);
    rec.writeUInt16BE(src.ipId, ip + 4);
    src.ipId = (src.ipId + 1) & 0xffff;
    rec.writeUInt16BE(0x4000, ip + 6);
    rec[ip + 8] = 64;
    rec[ip + 9] = 6;
    src.ip.copy(rec, ip + 12);
    dst.ip.copy(rec, ip + 16);
    rec.writeUInt16BE(internetChecksum(rec.subarray(ip, ip + IPV4_HEADER_SIZE)), ip + 10);

    const tcp = ip + IPV4_HEADER_SIZE;
    rec.writeUInt16BE(src.port, tcp);
    rec.writeUInt16BE(dst.port, tcp + 2);
    rec.writeUInt32BE(src.seq >>> 0, tcp + 4);
    rec.writeUInt32BE(flags & TCP_ACK ? dst.seq >>> 0 : 0, tcp + 8);
    rec[tcp + 12] = (TCP_HEADER_SIZE / 4) << 4;
    rec[tcp + 13] = flags;
    rec.writeUInt16BE(0xffff, tcp + 14);
    rec.set(data, tcp + TCP_HEADER_SIZE);
    rec.writeUInt16BE(tcpChecksum(rec.subarray(ip)), tcp + 16);
    src.seq = (src.seq + seqUse) >>> 0;

    if (this.retain) this.records.push(rec);
    return rec;
  }
}

const EMPTY = new Uint8Array(0);

/** Writes a capture to a file as it grows: the global header at once, then each record. */
export class PcapFileWriter {
  readonly writer: PcapWriter;
  private fd: number | undefined;

  constructor(path: string, opts: Omit<PcapOptions, "retain"> = {}) {
    this.writer = new PcapWriter({ ...opts, retain: false });
    this.fd = openSync(path, "w");
    this.write([this.writer.globalHeader()]);
  }

  addSegment(seg: Segment): void {
    this.write(this.writer.addSegment(seg));
  }

  /** Writes the FIN exchange (unless `fin` is false) and closes the file. */
  close(fin = true): void {
    if (this.fd === undefined) return;
    if (fin) this.write(this.writer.close());
    closeSync(this.fd);
    this.fd = undefined;
  }

  private write(records: Buffer[]): void {
    if (this.fd === undefined) throw new Error("pcap: file already closed");
    for (const r of records) writeSync(this.fd, r);
  }
}

/** The ones'-complement sum of RFC 1071 over `data`, folded and complemented. */
export function internetChecksum(data: Uint8Array, initial = 0): number {
  let sum = initial;
  const even = data.length & ~1;
  for (let i = 0; i < even; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
  if (data.length & 1) sum += data[data.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** The TCP checksum of the IPv4 packet `ip` (header + segment, checksum field zero). */
function tcpChecksum(ip: Uint8Array): number {
  const tcpLength = ip.length - IPV4_HEADER_SIZE;
  let pseudo = 6 + tcpLength;
  for (let i = 12; i < 20; i += 2) pseudo += (ip[i]! << 8) | ip[i + 1]!;
  return internetChecksum(ip.subarray(IPV4_HEADER_SIZE), pseudo);
}

function parseIpv4(s: string): Buffer {
  const parts = s.split(".").map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) {
    throw new RangeError(`pcap: ${s} is not a dotted IPv4 address`);
  }
  return Buffer.from(parts);
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 0xffff) throw new RangeError(`pcap: bad port ${port}`);
  return port;
}
