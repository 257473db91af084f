/**
 * Runs tshark over a capture and reads its PDML (`-T pdml`): the whole dissection tree in wire order,
 * every field with its filter name, `show` (the plain value) and `showname` (the display line).
 * PDML keeps the nesting and order JSON output loses (one information-object subtree per IOA, several
 * APDUs in one frame), and its values are the raw field values, so it is what the IEC 104 cross-check
 * compares.
 *
 * Field names are those of Wireshark's packet-iec104.c (`tshark -G fields | grep iec60870`):
 * `iec60870_104.*` for the APCI and `iec60870_asdu.*` for the ASDU.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findTool } from "./tools.js";

export const EXPERT_SEVERITY = {
  CHAT: 0x0020_0000,
  NOTE: 0x0040_0000,
  WARN: 0x0060_0000,
  ERROR: 0x0080_0000,
} as const;

/* ---- a generic PDML tree -------------------------------------------------------------------- */

export interface PdmlNode {
  kind: "proto" | "field";
  name: string;
  show: string;
  showname: string;
  /** The field's octets in hex, as tshark gives them. */
  value: string;
  pos: number;
  size: number;
  children: PdmlNode[];
}

export interface PdmlPacket {
  protos: PdmlNode[];
}

const TAG = /<(\/?)(pdml|packet|proto|field)\b((?:[^>"]|"[^"]*")*?)(\/?)>/g;
const ATTR = /([\w.:-]+)="([^"]*)"/g;

/** Parses tshark's PDML into one node tree per packet. */
export function parsePdml(xml: string): PdmlPacket[] {
  const packets: PdmlPacket[] = [];
  const stack: PdmlNode[] = [];
  let packet: PdmlPacket | undefined;
  for (const m of xml.matchAll(TAG)) {
    const [, closing, tag, attrText, selfClosing] = m as unknown as [string, string, string, string, string];
    if (tag === "pdml") continue;
    if (tag === "packet") {
      if (closing) {
        if (stack.length > 0) throw new Error("PDML: unbalanced tags in a packet");
        packet = undefined;
      } else {
        packet = { protos: [] };
        packets.push(packet);
      }
      continue;
    }
    if (closing) {
      stack.pop();
      continue;
    }
    if (!packet) throw new Error(`PDML: <${tag}> outside a packet`);
    const attrs = new Map<string, string>();
    for (const a of attrText.matchAll(ATTR)) attrs.set(a[1]!, unescapeXml(a[2]!));
    const node: PdmlNode = {
      kind: tag === "proto" ? "proto" : "field",
      name: attrs.get("name") ?? "",
      show: attrs.get("show") ?? "",
      showname: attrs.get("showname") ?? "",
      value: attrs.get("value") ?? "",
      pos: Number(attrs.get("pos") ?? 0),
      size: Number(attrs.get("size") ?? 0),
      children: [],
    };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else packet.protos.push(node);
    if (!selfClosing) stack.push(node);
  }
  return packets;
}

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|quot|amp|lt|gt|apos);/g, (_, e: string) => {
    if (e.startsWith("#x")) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith("#")) return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
    return { quot: '"', amp: "&", lt: "<", gt: ">", apos: "'" }[e as "quot" | "amp" | "lt" | "gt" | "apos"];
  });
}

/** Every node under `nodes`, depth first, in document order. */
export function* walk(nodes: readonly PdmlNode[]): Generator<PdmlNode> {
  for (const n of nodes) {
    yield n;
    yield* walk(n.children);
  }
}

/* ---- running tshark --------------------------------------------------------------------------- */

export interface TsharkOptions {
  /** TCP ports to decode as IEC 60870-5-104 (`-d tcp.port==P,iec60870_104`). */
  ports?: readonly number[];
  /** Validate IPv4 and TCP checksums (a bad one becomes an expert warning). Default true. */
  checkChecksums?: boolean;
  /** Extra arguments, for example `-Y` display filters. */
  extraArgs?: readonly string[];
}

export function tsharkPath(): string {
  const path = findTool("tshark");
  if (path === undefined) throw new Error("tshark is not installed (sudo apt-get install tshark)");
  return path;
}

/**
 * Runs tshark over a capture given as bytes with `args` after `-r <file>` and returns its stdout.
 * (tshark 4.0 refuses to read a capture from a pipe, so the bytes go through a temporary file.)
 * TZ=UTC keeps absolute times (CP56Time2a is rendered with mktime() in the local zone) stable.
 */
export function runTshark(pcap: Uint8Array, args: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "iec104-tshark-"));
  try {
    const file = join(dir, "capture.pcap");
    writeFileSync(file, pcap);
    return execFileSync(tsharkPath(), ["-r", file, ...args], {
      encoding: "utf8",
      maxBuffer: 512 * 1024 * 1024,
      env: { ...process.env, TZ: "UTC", LC_ALL: "C" },
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`tshark failed: ${err.message}\n${err.stderr ?? ""}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The preferences and decode-as arguments for `opts`. */
export function tsharkOptionArgs(opts: TsharkOptions = {}): string[] {
  const check = (opts.checkChecksums ?? true) ? "TRUE" : "FALSE";
  const args = [
    "-n",
    "-o",
    `ip.check_checksum:${check}`,
    "-o",
    `tcp.check_checksum:${check}`,
    "-o",
    "tcp.desegment_tcp_streams:TRUE",
    "-o",
    "tcp.analyze_sequence_numbers:TRUE",
  ];
  for (const port of opts.ports ?? []) args.push("-d", `tcp.port==${port},iec60870_104`);
  args.push(...(opts.extraArgs ?? []));
  return args;
}

/** Runs tshark once over a capture and returns its PDML. */
export function runTsharkPdml(pcap: Uint8Array, opts: TsharkOptions = {}): string {
  return runTshark(pcap, ["-T", "pdml", ...tsharkOptionArgs(opts)]);
}

/** `-T fields` output: one row per frame, one column per field (multiple values joined by ","). */
export function tsharkFields(
  pcap: Uint8Array,
  fields: readonly string[],
  opts: TsharkOptions = {},
): string[][] {
  const args = ["-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"];
  for (const f of fields) args.push("-e", f);
  return runTshark(pcap, [...args, ...tsharkOptionArgs(opts)])
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => line.split("\t"));
}

/**
 * The payload of TCP stream `stream` as tshark reassembles it (`-z follow,tcp,raw`): the bytes the
 * client (the side of the first SYN) sent, and those the server sent.
 */
export function tsharkFollowTcp(
  pcap: Uint8Array,
  stream = 0,
  opts: TsharkOptions = {},
): {
  client: Buffer;
  server: Buffer;
} {
  const out = runTshark(pcap, ["-q", "-z", `follow,tcp,raw,${stream}`, ...tsharkOptionArgs(opts)]);
  const client: Buffer[] = [];
  const server: Buffer[] = [];
  for (const line of out.split("\n")) {
    const m = /^(\t?)([0-9a-f]+)$/.exec(line);
    if (!m) continue;
    (m[1] === "\t" ? server : client).push(Buffer.from(m[2]!, "hex"));
  }
  return { client: Buffer.concat(client), server: Buffer.concat(server) };
}

/* ---- the IEC 104 view of a dissection ---------------------------------------------------------- */

export interface ExpertInfo {
  /** The protocol whose tree holds the expert item (e.g. "tcp", "iec60870_asdu", "_ws.malformed"). */
  protocol: string;
  message: string;
  severity: number;
  /** The names of the other fields in the expert item, e.g. "iec104.apdu_invalid_len". */
  fields: string[];
}

/** One field as tshark shows it. */
export interface TsharkField {
  name: string;
  show: string;
  showname: string;
  value: string;
}

/** One information object: the `IOA: n` subtree, with its fields flattened in wire order. */
export interface TsharkObject {
  ioa: number;
  fields: TsharkField[];
}

export interface TsharkAsdu {
  fields: Map<string, TsharkField>;
  objects: TsharkObject[];
  /**
   * For a type the dissector does not decode element by element: the single IOA it reads and the
   * rest of the ASDU as `iec60870_asdu.rawdata` (hex, no separators).
   */
  undissected?: { ioa: number; rawHex: string };
  /** Fields directly under the ASDU that are neither header fields nor part of an object. */
  stray: TsharkField[];
}

export interface TsharkApdu {
  fields: Map<string, TsharkField>;
  asdu?: TsharkAsdu;
}

export interface TsharkPacket {
  /** Frame number, 1-based. */
  number: number;
  apdus: TsharkApdu[];
  experts: ExpertInfo[];
  malformed: boolean;
}

const ASDU_HEADER_FIELDS = new Set([
  "iec60870_asdu.typeid",
  "iec60870_asdu.sq",
  "iec60870_asdu.numix",
  "iec60870_asdu.causetx",
  "iec60870_asdu.nega",
  "iec60870_asdu.test",
  "iec60870_asdu.oa",
  "iec60870_asdu.addr",
]);

/** Runs tshark over `pcap` and returns, per frame, the IEC 104 APDUs, expert items and malformation. */
export function dissectIec104(pcap: Uint8Array, opts: TsharkOptions = {}): TsharkPacket[] {
  return parsePdml(runTsharkPdml(pcap, opts)).map(iec104Packet);
}

export function iec104Packet(p: PdmlPacket, index: number): TsharkPacket {
  const frame = p.protos.find((n) => n.name === "frame");
  const numberField = frame?.children.find((n) => n.name === "frame.number");
  const packet: TsharkPacket = {
    number: numberField ? Number(numberField.show) : index + 1,
    apdus: [],
    experts: [],
    malformed: false,
  };
  for (const proto of p.protos) {
    if (proto.name === "iec60870_104") {
      packet.apdus.push({ fields: fieldMap(proto.children) });
    } else if (proto.name === "iec60870_asdu") {
      const last = packet.apdus[packet.apdus.length - 1];
      if (!last) throw new Error(`frame ${packet.number}: an ASDU without an APCI before it`);
      if (last.asdu) throw new Error(`frame ${packet.number}: two ASDUs after one APCI`);
      last.asdu = asduOf(proto);
    }
    collectExperts(proto, proto.name, packet);
  }
  return packet;
}

function collectExperts(node: PdmlNode, protocol: string, packet: TsharkPacket): void {
  const proto = node.kind === "proto" ? node.name : protocol;
  if (node.name === "_ws.malformed") packet.malformed = true;
  if (node.name === "_ws.expert") {
    const child = (name: string) => node.children.find((c) => c.name === name)?.show ?? "";
    packet.experts.push({
      protocol: proto,
      message: child("_ws.expert.message"),
      severity: Number(child("_ws.expert.severity")),
      fields: node.children.map((c) => c.name).filter((n) => !n.startsWith("_ws.expert.")),
    });
  }
  for (const c of node.children) collectExperts(c, proto, packet);
}

function toField(n: PdmlNode): TsharkField {
  return { name: n.name, show: n.show, showname: n.showname, value: n.value };
}

function fieldMap(nodes: readonly PdmlNode[]): Map<string, TsharkField> {
  const m = new Map<string, TsharkField>();
  for (const n of walk(nodes)) if (n.kind === "field" && n.name !== "") m.set(n.name, toField(n));
  return m;
}

function asduOf(proto: PdmlNode): TsharkAsdu {
  const asdu: TsharkAsdu = { fields: new Map(), objects: [], stray: [] };
  let topIoa: number | undefined;
  let raw: string | undefined;
  for (const n of proto.children) {
    if (n.name === "" && n.show.startsWith("IOA:")) {
      const fields = [...walk(n.children)].filter((f) => f.kind === "field").map(toField);
      const ioa = fields.find((f) => f.name === "iec60870_asdu.ioa");
      if (!ioa) throw new Error(`an object subtree without iec60870_asdu.ioa: ${n.show}`);
      asdu.objects.push({ ioa: Number(ioa.show), fields: fields.filter((f) => f !== ioa) });
    } else if (ASDU_HEADER_FIELDS.has(n.name)) {
      asdu.fields.set(n.name, toField(n));
    } else if (n.name === "iec60870_asdu.ioa" && topIoa === undefined) {
      topIoa = Number(n.show);
    } else if (n.name === "iec60870_asdu.rawdata" && raw === undefined) {
      raw = n.value;
    } else if (n.name !== "_ws.expert") {
      asdu.stray.push(toField(n));
    }
  }
  if (topIoa !== undefined) asdu.undissected = { ioa: topIoa, rawHex: raw ?? "" };
  else if (raw !== undefined)
    asdu.stray.push({ name: "iec60870_asdu.rawdata", show: raw, showname: "", value: raw });
  return asdu;
}
