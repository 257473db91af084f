/**
 * Independent cross-check with Wireshark's IEC 104 dissector (packet-iec104.c, as shipped in tshark
 * 4.0): every lib60870 vector and every hand-made golden vector of an IEC 104 type
 * (test/iec104/golden), re-encoded by OUR encoder, goes into one pcap (one TCP connection, master and
 * outstation each sending their own frames), tshark dissects it in one run, and each APDU tshark
 * shows is compared field by field with our decoder's reading of the same bytes.
 *
 * Framing: most APDUs travel one per TCP segment; one segment carries three APDUs, one APDU is split
 * in the middle across two segments, and one segment ends three octets into the next APDU (its header
 * split across segments), so tshark's reassembly must find every APDU where our bytes put it.
 *
 * What is compared, by tshark field name:
 *   APCI   iec60870_104.apdulen, .type (I 0 / S 1 / U 3), .tx = N(S), .rx = N(R), .utype (U function)
 *   header iec60870_asdu.typeid, .sq, .numix, .causetx, .nega, .test, .oa, .addr
 *   object iec60870_asdu.ioa (every object; with SQ=1 tshark derives IOA+i as we do) and the element:
 *          siq (+.spi .bl .sb .nt .iv), diq (+.dpi ...), qds (+.ov .bl .sb .nt .iv), vti (+.v .t),
 *          normval (the raw int16 in its display text, and the value), scalval, float, bitstring,
 *          bcr.count .sq .cy .ca .iv, coi (+coi_r coi_i), sco (+.on .qu .se), dco (+.on .qu .se),
 *          rco (+.up .qu .se), qos (+.ql .se), qoi, qcc (+rqt frz), qrp, qpm (+.kpa .lpc .pop),
 *          cp56time.ms .min .gen .iv .hour .su .day .dow .month .year
 * Every other field tshark shows inside an object is reported as a mismatch, so nothing goes unseen.
 *
 * Not compared, on purpose (Wireshark 4.0 quirks, not disagreements about the bytes):
 *   - iec60870_asdu.cp56time, the absolute time: the dissector builds it with mktime() in the local
 *     time zone, sets tm_isdst from the SU bit (so SU=1 moves it an hour) and reads years 70..99 as
 *     1970..1999. Its ten sub-fields (.ms .min .gen .iv .hour .su .day .dow .month .year) carry
 *     the raw bits and are all compared.
 *   - iec60870_asdu.bitstring is added with proto_tree_add_bits_item(..., ENC_BIG_ENDIAN), so it
 *     shows the four BSI octets in wire order as a big-endian number: compared after a byte swap.
 *   - M_PS_NA_1 (20), M_EP_TD_1 (38), M_EP_TE_1 (39), M_EP_TF_1 (40), C_TS_TA_1 (107) and P_AC_NA_1
 *     (113) have no element dissector in 4.0: it shows the first IOA and the rest of the ASDU as
 *     iec60870_asdu.rawdata. Only that IOA and those octets (the ASDU's framing) are compared.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type Endpoint, PcapWriter } from "../../src/capture/pcap.js";
import {
  type Apdu,
  type Asdu,
  type Cp56Time2a,
  decodeApdu,
  elementSpec,
  encodeApdu,
  type UFunctionName,
} from "../../src/iec104/index.js";
import { apduFromVector, loadVectors } from "../helpers/lib60870.js";
import { requireTool } from "../helpers/tools.js";
import {
  dissectIec104,
  EXPERT_SEVERITY,
  type TsharkApdu,
  type TsharkField,
  type TsharkObject,
  type TsharkPacket,
} from "../helpers/tshark.js";
import { GOLDEN } from "./golden/index.js";

const hasTshark = requireTool("tshark", "sudo apt-get install tshark");

const OUTSTATION_PORT = 2404;

interface Case {
  name: string;
  /** Our encoding of the vector's APDU: the bytes tshark dissects. */
  bytes: Buffer;
  /** Our decoder's reading of `bytes`: what tshark's reading is compared with. */
  apdu: Apdu;
}

function caseOf(name: string, source: Apdu): Case {
  const bytes = encodeApdu(source);
  return { name, bytes, apdu: decodeApdu(bytes) };
}

const cases: Case[] = [
  ...loadVectors().map((v) => caseOf(v.name, apduFromVector(v))),
  // The hand-made golden vectors of the IEC 104 types (the CP24Time2a forms, 104 and 106 are not).
  ...GOLDEN.filter((g) => g.allowNon104 !== true).map((g) => caseOf(`golden: ${g.name}`, g.apdu)),
];

/* ---- the capture ---------------------------------------------------------------------------- */

/** Who sends an APDU on a real link: commands in activation/deactivation come from the master. */
function senderOf(apdu: Apdu): Endpoint {
  switch (apdu.format) {
    case "U":
      return apdu.fn.endsWith("_ACT") ? "master" : "outstation";
    case "S":
      return "master";
    case "I": {
      const spec = elementSpec(apdu.asdu.typeId);
      const fromMaster = spec.kind !== "monitor" && (apdu.asdu.cot === 6 || apdu.asdu.cot === 8);
      return fromMaster ? "master" : "outstation";
    }
  }
}

interface PlannedSegment {
  from: Endpoint;
  data: Buffer;
  /** The cases whose last octet is in this segment, in order: tshark shows them in its frame. */
  completes: number[];
  /** Frame number in the capture, filled in when written. */
  frame: number;
}

/** Index of the first run of `n` consecutive cases from one sender, at or after `from`, avoiding `skip`. */
function findRun(list: readonly Case[], n: number, from: number, skip: ReadonlySet<number>): number {
  for (let i = from; i + n <= list.length; i++) {
    const run = Array.from({ length: n }, (_, k) => i + k);
    if (run.some((k) => skip.has(k))) continue;
    if (run.every((k) => senderOf(list[k]!.apdu) === senderOf(list[i]!.apdu))) return i;
  }
  throw new Error(`no run of ${n} cases from one sender`);
}

/**
 * One segment per APDU, except: the first three consecutive APDUs from one sender share a segment,
 * the longest APDU is cut in half across two segments, and the next pair from one sender is cut
 * three octets into the second APDU (its APCI header straddles two segments).
 */
function planSegments(list: readonly Case[]): PlannedSegment[] {
  let longest = 0;
  list.forEach((c, i) => {
    if (c.bytes.length > list[longest]!.bytes.length) longest = i;
  });
  const multi = findRun(list, 3, 0, new Set([longest]));
  const headerSplit = findRun(list, 2, multi + 3, new Set([longest]));
  const out: PlannedSegment[] = [];
  const push = (from: Endpoint, data: Buffer, completes: number[]) =>
    out.push({ from, data, completes, frame: 0 });
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    const from = senderOf(c.apdu);
    if (i === multi) {
      push(from, Buffer.concat([c.bytes, list[i + 1]!.bytes, list[i + 2]!.bytes]), [i, i + 1, i + 2]);
      i += 2;
    } else if (i === longest) {
      const half = c.bytes.length >> 1;
      push(from, c.bytes.subarray(0, half), []);
      push(from, c.bytes.subarray(half), [i]);
    } else if (i === headerSplit) {
      const next = list[i + 1]!.bytes;
      push(from, Buffer.concat([c.bytes, next.subarray(0, 3)]), [i]);
      push(from, next.subarray(3), [i + 1]);
      i += 1;
    } else {
      push(from, c.bytes, [i]);
    }
  }
  return out;
}

interface Run {
  segments: PlannedSegment[];
  packets: Map<number, TsharkPacket>;
  /** The APDU tshark showed for each case, by case index. */
  seen: (TsharkApdu | undefined)[];
}

/** Writes `segments` into one capture, runs tshark once and finds the APDU it shows for each case. */
function captureAndDissect(count: number, segments: PlannedSegment[]): Run {
  const writer = new PcapWriter({ outstationPort: OUTSTATION_PORT, startTimeMs: Date.UTC(2024, 0, 1) });
  let frames = 0;
  for (const s of segments) {
    frames += writer.addSegment({ from: s.from, data: s.data }).length;
    s.frame = frames;
  }
  writer.close();
  const packets = new Map(
    dissectIec104(writer.toBuffer(), { ports: [OUTSTATION_PORT] }).map((p) => [p.number, p]),
  );
  const seen: (TsharkApdu | undefined)[] = new Array(count);
  for (const s of segments) {
    const apdus = packets.get(s.frame)?.apdus ?? [];
    s.completes.forEach((caseIndex, k) => {
      seen[caseIndex] = apdus[k];
    });
  }
  return { segments, packets, seen };
}

/* ---- comparing one APDU ----------------------------------------------------------------------- */

const U_TYPE: Record<UFunctionName, number> = {
  STARTDT_ACT: 0x01,
  STARTDT_CON: 0x02,
  STOPDT_ACT: 0x04,
  STOPDT_CON: 0x08,
  TESTFR_ACT: 0x10,
  TESTFR_CON: 0x20,
};

/** Types Wireshark 4.0 does not dissect element by element (see the header comment). */
const UNDISSECTED_TYPES = new Set([20, 38, 39, 40, 107, 113]);

/** Fields inside an object that are deliberately not compared (see the header comment). */
const NOT_COMPARED = new Set(["iec60870_asdu.cp56time"]);

const APCI_FIELDS = new Set([
  "iec60870_asdu.start",
  "iec60870_104.apdulen",
  "iec60870_104.type",
  "iec60870_104.tx",
  "iec60870_104.rx",
  "iec60870_104.utype",
]);

/** A check of one tshark field: undefined when it agrees, else what disagrees. */
type Check = (f: TsharkField) => string | undefined;

/** A plain integer or boolean field ("1"/"0"; hex "0x.." for BASE_HEX fields). */
function int(want: number): Check {
  return (f) => {
    const got = f.show.trim() === "" ? Number.NaN : Number(f.show);
    if (got === want) return undefined;
    return `${f.show} (want ${f.show.startsWith("0x") ? `0x${want.toString(16).padStart(2, "0")}` : want})`;
  };
}

function bit(want: boolean): Check {
  return int(want ? 1 : 0);
}

/**
 * C's printf("%.6g"): how Wireshark 4.0 prints FT_FLOAT values and normalized values ("%.*g" with
 * FLT_DIG = 6). Six significant digits, trailing zeros dropped, exponent of at least two digits.
 */
function formatG6(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const [mantissa, exp] = x.toExponential(5).split("e") as [string, string];
  const e = Number(exp);
  const trim = (s: string) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (e < -4 || e >= 6)
    return `${trim(mantissa)}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  return trim(x.toFixed(5 - e));
}

/**
 * FT_FLOAT: tshark 4.0 shows only six significant digits ("%.6g"), so FLT_MAX reads 3.40282e+38: the
 * text must be exactly what "%.6g" makes of our float32.
 */
function float32(want: number): Check {
  return (f) => {
    const text = formatG6(Math.fround(want));
    return f.show === text ? undefined : `${f.show} (want ${text}, %.6g of ${want})`;
  };
}

/** NVA: the display is "Value: <%.6g of raw/32768> (<raw int16>)"; the raw must match exactly. */
function normalized(want: number): Check {
  return (f) => {
    const m = /\((-?\d+)\)\s*$/.exec(f.showname);
    if (!m) return `no raw value in "${f.showname}"`;
    const raw = Number(m[1]);
    if (raw !== Math.round(want * 32768)) return `raw ${raw} (want ${want} = ${want * 32768}/32768)`;
    const text = formatG6(Math.fround(want));
    return f.show === text ? undefined : `${f.show} (want ${text}, %.6g of ${want})`;
  };
}

/** BSI shown as the wire octets read big-endian: compare with our value byte-swapped. */
function bitstringSwapped(want: number): Check {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(want);
  return int(b.readUInt32BE(0));
}

type Expected = Map<string, Check>;

function quality(e: Expected, prefix: "siq" | "diq" | "qds", q: number): void {
  e.set(`iec60870_asdu.${prefix}.bl`, bit((q & 0x10) !== 0));
  e.set(`iec60870_asdu.${prefix}.sb`, bit((q & 0x20) !== 0));
  e.set(`iec60870_asdu.${prefix}.nt`, bit((q & 0x40) !== 0));
  e.set(`iec60870_asdu.${prefix}.iv`, bit((q & 0x80) !== 0));
  if (prefix === "qds") {
    e.set("iec60870_asdu.qds", int(q));
    e.set("iec60870_asdu.qds.ov", bit((q & 0x01) !== 0));
  }
}

function cp56(e: Expected, t: Cp56Time2a): void {
  e.set("iec60870_asdu.cp56time.ms", int(t.ms));
  e.set("iec60870_asdu.cp56time.min", int(t.minute));
  // GEN is the RES1 bit (0x40 of the minute octet): our encoder always writes 0.
  e.set("iec60870_asdu.cp56time.gen", bit(false));
  e.set("iec60870_asdu.cp56time.iv", bit(t.invalid));
  e.set("iec60870_asdu.cp56time.hour", int(t.hour));
  e.set("iec60870_asdu.cp56time.su", bit(t.summerTime));
  e.set("iec60870_asdu.cp56time.day", int(t.day));
  e.set("iec60870_asdu.cp56time.dow", int(t.dayOfWeek));
  e.set("iec60870_asdu.cp56time.month", int(t.month));
  // The 7-bit year octet; we hold 2000 + it, as lib60870 does.
  e.set("iec60870_asdu.cp56time.year", int(t.year - 2000));
}

function command(
  e: Expected,
  field: "sco" | "dco" | "rco",
  value: number,
  select: boolean,
  qu: number,
): void {
  e.set(`iec60870_asdu.${field}`, int(value | (qu << 2) | (select ? 0x80 : 0)));
  e.set(`iec60870_asdu.${field}.${field === "rco" ? "up" : "on"}`, int(value));
  e.set(`iec60870_asdu.${field}.qu`, int(qu));
  e.set(`iec60870_asdu.${field}.se`, bit(select));
}

function qos(e: Expected, select: boolean, ql: number): void {
  e.set("iec60870_asdu.qos", int(ql | (select ? 0x80 : 0)));
  e.set("iec60870_asdu.qos.ql", int(ql));
  e.set("iec60870_asdu.qos.se", bit(select));
}

function qpm(e: Expected, q: number): void {
  e.set("iec60870_asdu.qpm", int(q));
  e.set("iec60870_asdu.qpm.kpa", int(q & 0x3f));
  e.set("iec60870_asdu.qpm.lpc", int((q >> 6) & 1));
  e.set("iec60870_asdu.qpm.pop", int(q >> 7));
}

/** The tshark fields of object `i` of `asdu` (IOA aside) and how each must read. */
function expectedObject(asdu: Asdu, i: number): Expected {
  const e: Expected = new Map();
  switch (asdu.typeId) {
    case 1:
    case 30: {
      const o = asdu.objects[i]!;
      e.set("iec60870_asdu.siq", int((o.value ? 1 : 0) | o.quality));
      e.set("iec60870_asdu.siq.spi", bit(o.value));
      quality(e, "siq", o.quality);
      if (asdu.typeId === 30) cp56(e, asdu.objects[i]!.time);
      break;
    }
    case 3:
    case 31: {
      const o = asdu.objects[i]!;
      e.set("iec60870_asdu.diq", int(o.value | o.quality));
      e.set("iec60870_asdu.diq.dpi", int(o.value));
      quality(e, "diq", o.quality);
      if (asdu.typeId === 31) cp56(e, asdu.objects[i]!.time);
      break;
    }
    case 5:
    case 32: {
      const o = asdu.objects[i]!;
      e.set("iec60870_asdu.vti", int((o.value & 0x7f) | (o.transient ? 0x80 : 0)));
      e.set("iec60870_asdu.vti.v", int(o.value));
      e.set("iec60870_asdu.vti.t", bit(o.transient));
      quality(e, "qds", o.quality);
      if (asdu.typeId === 32) cp56(e, asdu.objects[i]!.time);
      break;
    }
    case 7:
    case 33: {
      const o = asdu.objects[i]!;
      e.set("iec60870_asdu.bitstring", bitstringSwapped(o.value));
      quality(e, "qds", o.quality);
      if (asdu.typeId === 33) cp56(e, asdu.objects[i]!.time);
      break;
    }
    case 9:
    case 34: {
      const o = asdu.objects[i]!;
      e.set("iec60870_asdu.normval", normalized(o.value));
      quality(e, "qds", o.quality);
      if (asdu.typeId === 34) cp56(e, asdu.objects[i]!.time);
      break;
    }
    case 11:
    case 35: {
      const o = asdu.objects[i]!;
      e.set("iec60870_asdu.scalval", int(o.value));
      quality(e, "qds", o.quality);
      if (asdu.typeId === 35) cp56(e, asdu.objects[i]!.time);
      break;
    }
    case 13:
    case 36: {
      const o = asdu.objects[i]!;
      e.set("iec60870_asdu.float", float32(o.value));
      quality(e, "qds", o.quality);
      if (asdu.typeId === 36) cp56(e, asdu.objects[i]!.time);
      break;
    }
    case 15:
    case 37: {
      const o = asdu.objects[i]!;
      e.set("iec60870_asdu.bcr.count", int(o.value));
      e.set("iec60870_asdu.bcr.sq", int(o.sequence));
      e.set("iec60870_asdu.bcr.cy", bit(o.carry));
      e.set("iec60870_asdu.bcr.ca", bit(o.adjusted));
      e.set("iec60870_asdu.bcr.iv", bit(o.invalid));
      if (asdu.typeId === 37) cp56(e, asdu.objects[i]!.time);
      break;
    }
    case 21:
      e.set("iec60870_asdu.normval", normalized(asdu.objects[i]!.value));
      break;
    case 70: {
      const coi = asdu.objects[i]!.coi;
      e.set("iec60870_asdu.coi", int(coi));
      e.set("iec60870_asdu.coi_r", int(coi & 0x7f));
      e.set("iec60870_asdu.coi_i", bit((coi & 0x80) !== 0));
      break;
    }
    case 45:
    case 58: {
      const o = asdu.objects[i]!;
      command(e, "sco", o.value ? 1 : 0, o.select, o.qu);
      if (asdu.typeId === 58) cp56(e, asdu.objects[i]!.time);
      break;
    }
    case 46:
    case 59: {
      const o = asdu.objects[i]!;
      command(e, "dco", o.value, o.select, o.qu);
      if (asdu.typeId === 59) cp56(e, asdu.objects[i]!.time);
      break;
    }
    case 47:
    case 60: {
      const o = asdu.objects[i]!;
      command(e, "rco", o.value, o.select, o.qu);
      if (asdu.typeId === 60) cp56(e, asdu.objects[i]!.time);
      break;
    }
    case 48:
    case 61: {
      const o = asdu.objects[i]!;
      e.set("iec60870_asdu.normval", normalized(o.value));
      qos(e, o.select, o.ql);
      if (asdu.typeId === 61) cp56(e, asdu.objects[i]!.time);
      break;
    }
    case 49:
    case 62: {
      const o = asdu.objects[i]!;
      e.set("iec60870_asdu.scalval", int(o.value));
      qos(e, o.select, o.ql);
      if (asdu.typeId === 62) cp56(e, asdu.objects[i]!.time);
      break;
    }
    case 50:
    case 63: {
      const o = asdu.objects[i]!;
      e.set("iec60870_asdu.float", float32(o.value));
      qos(e, o.select, o.ql);
      if (asdu.typeId === 63) cp56(e, asdu.objects[i]!.time);
      break;
    }
    case 51:
    case 64: {
      e.set("iec60870_asdu.bitstring", bitstringSwapped(asdu.objects[i]!.value));
      if (asdu.typeId === 64) cp56(e, asdu.objects[i]!.time);
      break;
    }
    case 100:
      e.set("iec60870_asdu.qoi", int(asdu.objects[i]!.qoi));
      break;
    case 101: {
      const qcc = asdu.objects[i]!.qcc;
      e.set("iec60870_asdu.qcc", int(qcc));
      e.set("iec60870_asdu.rqt", int(qcc & 0x3f));
      e.set("iec60870_asdu.frz", int(qcc >> 6));
      break;
    }
    case 103:
      cp56(e, asdu.objects[i]!.time);
      break;
    case 105:
      e.set("iec60870_asdu.qrp", int(asdu.objects[i]!.qrp));
      break;
    case 110: {
      const o = asdu.objects[i]!;
      e.set("iec60870_asdu.normval", normalized(o.value));
      qpm(e, o.qpm);
      break;
    }
    case 111: {
      const o = asdu.objects[i]!;
      e.set("iec60870_asdu.scalval", int(o.value));
      qpm(e, o.qpm);
      break;
    }
    case 112: {
      const o = asdu.objects[i]!;
      e.set("iec60870_asdu.float", float32(o.value));
      qpm(e, o.qpm);
      break;
    }
    default:
      // 102 (read command) has no element; 2-19 with CP24Time2a, 104 and 106 are not IEC 104.
      break;
  }
  return e;
}

function compareObject(asdu: Asdu, i: number, obj: TsharkObject, out: string[]): void {
  const where = `object ${i} (IOA ${asdu.objects[i]!.ioa})`;
  if (obj.ioa !== asdu.objects[i]!.ioa) out.push(`${where}: iec60870_asdu.ioa ${obj.ioa}`);
  const expected = expectedObject(asdu, i);
  const seen = new Set<string>();
  for (const f of obj.fields) {
    if (seen.has(f.name)) out.push(`${where}: ${f.name} appears twice`);
    seen.add(f.name);
    const check = expected.get(f.name);
    if (check) {
      const bad = check(f);
      if (bad !== undefined) out.push(`${where}: ${f.name} = ${bad}`);
    } else if (!NOT_COMPARED.has(f.name)) {
      out.push(`${where}: field ${f.name} = ${f.show} is not compared`);
    }
  }
  for (const name of expected.keys()) if (!seen.has(name)) out.push(`${where}: tshark shows no ${name}`);
}

function field(fields: Map<string, TsharkField>, name: string, check: Check, out: string[]): void {
  const f = fields.get(name);
  if (!f) {
    out.push(`tshark shows no ${name}`);
    return;
  }
  const bad = check(f);
  if (bad !== undefined) out.push(`${name} = ${bad}`);
}

function compareAsdu(c: Case, asdu: Asdu, ts: TsharkApdu, out: string[]): void {
  const t = ts.asdu;
  if (!t) {
    out.push("tshark shows no ASDU");
    return;
  }
  field(t.fields, "iec60870_asdu.typeid", int(asdu.typeId), out);
  field(t.fields, "iec60870_asdu.sq", bit(asdu.sq), out);
  field(t.fields, "iec60870_asdu.numix", int(asdu.objects.length), out);
  field(t.fields, "iec60870_asdu.causetx", int(asdu.cot), out);
  field(t.fields, "iec60870_asdu.nega", bit(asdu.negative), out);
  field(t.fields, "iec60870_asdu.test", bit(asdu.test), out);
  field(t.fields, "iec60870_asdu.oa", int(asdu.oa), out);
  field(t.fields, "iec60870_asdu.addr", int(asdu.ca), out);
  for (const s of t.stray) out.push(`unexpected field under the ASDU: ${s.name} = ${s.show}`);

  if (UNDISSECTED_TYPES.has(asdu.typeId)) {
    if (!t.undissected) {
      out.push(`type ${asdu.typeId} is dissected now: add its fields to this test`);
      return;
    }
    // Only the framing can be compared: the first IOA and the octets after it are ours.
    if (t.undissected.ioa !== asdu.objects[0]!.ioa) out.push(`first IOA ${t.undissected.ioa}`);
    const rest = c.bytes.subarray(6 + 6 + 3).toString("hex");
    if (t.undissected.rawHex !== rest) out.push(`rawdata ${t.undissected.rawHex} (want ${rest})`);
    return;
  }
  if (asdu.typeId === 102 && t.undissected) {
    // C_RD_NA_1 goes through the dissector's generic branch: one IOA, no element, no raw data.
    if (asdu.objects.length !== 1) out.push(`C_RD_NA_1 with ${asdu.objects.length} objects`);
    if (t.undissected.ioa !== asdu.objects[0]!.ioa) out.push(`iec60870_asdu.ioa ${t.undissected.ioa}`);
    if (t.undissected.rawHex !== "") out.push(`rawdata ${t.undissected.rawHex} (want none)`);
    return;
  }
  if (t.undissected) out.push(`tshark did not dissect type ${asdu.typeId}: rawdata ${t.undissected.rawHex}`);
  if (t.objects.length !== asdu.objects.length) {
    out.push(`${t.objects.length} object subtrees (want ${asdu.objects.length})`);
  }
  t.objects.forEach((obj, i) => {
    if (i < asdu.objects.length) compareObject(asdu, i, obj, out);
  });
}

/** Every disagreement between tshark's reading of case `c` and our decoder's. */
function compareApdu(c: Case, ts: TsharkApdu | undefined): string[] {
  if (!ts) return ["tshark shows no APDU here"];
  const out: string[] = [];
  const apdu = c.apdu;
  for (const name of ts.fields.keys()) if (!APCI_FIELDS.has(name)) out.push(`unexpected APCI field ${name}`);
  field(ts.fields, "iec60870_104.apdulen", int(c.bytes.length - 2), out);
  switch (apdu.format) {
    case "I":
      field(ts.fields, "iec60870_104.type", int(0), out);
      field(ts.fields, "iec60870_104.tx", int(apdu.ns), out);
      field(ts.fields, "iec60870_104.rx", int(apdu.nr), out);
      compareAsdu(c, apdu.asdu, ts, out);
      break;
    case "S":
      field(ts.fields, "iec60870_104.type", int(1), out);
      field(ts.fields, "iec60870_104.rx", int(apdu.nr), out);
      if (ts.asdu) out.push("an ASDU after an S-frame");
      break;
    case "U":
      field(ts.fields, "iec60870_104.type", int(3), out);
      field(ts.fields, "iec60870_104.utype", int(U_TYPE[apdu.fn]), out);
      if (ts.asdu) out.push("an ASDU after a U-frame");
      break;
  }
  return out;
}

/* ---- the tests -------------------------------------------------------------------------------- */

describe.skipIf(!hasTshark)("Wireshark's IEC 104 dissector reads our encoding as we do", () => {
  let run: Run;
  beforeAll(() => {
    run = captureAndDissect(cases.length, planSegments(cases));
  });

  it("covers every lib60870 vector", () => {
    expect(cases.filter((c) => !c.name.startsWith("golden: "))).toHaveLength(264);
  });

  it("finds no malformed packet and no expert warning or error, and no IEC 104 expert item at all", () => {
    const problems: string[] = [];
    for (const p of run.packets.values()) {
      if (p.malformed) problems.push(`frame ${p.number}: malformed`);
      for (const x of p.experts) {
        if (x.severity >= EXPERT_SEVERITY.WARN || x.protocol.startsWith("iec60870")) {
          problems.push(`frame ${p.number}: ${x.protocol}: ${x.message} [${x.fields.join(", ")}]`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("shows each APDU in the frame where its last octet arrives, with none left over", () => {
    const multi = run.segments.filter((s) => s.completes.length > 1);
    const partial = run.segments.filter((s) => s.completes.length === 0);
    expect(multi.length).toBeGreaterThanOrEqual(1);
    expect(partial.length).toBeGreaterThanOrEqual(1);
    const want = new Map(run.segments.map((s) => [s.frame, s.completes.length]));
    const got = [...run.packets.values()].filter((p) => p.apdus.length > 0 || want.has(p.number));
    expect(got.map((p) => [p.number, p.apdus.length])).toEqual(
      got.map((p) => [p.number, want.get(p.number)]),
    );
    expect(got.reduce((n, p) => n + p.apdus.length, 0)).toBe(cases.length);
  });

  it.each(cases.map((c, i) => [c.name, i] as const))("%s", (_name, i) => {
    expect(compareApdu(cases[i]!, run.seen[i])).toEqual([]);
  });

  it("notices a changed octet (the comparison is not vacuous)", () => {
    const mutations: [name: string, offset: number, octet: number][] = [
      ["u_startdt_act", 2, 0x43],
      ["s_nr1", 4, 0x04],
      ["c_sc_na_on_exec_act", 8, 0x07],
      ["m_sp_na_test_oa17", 9, 0x12],
      ["m_me_nc_1p5", 17, 0xc1],
      ["m_me_na_half_ov", 15, 0x01],
      ["m_bo_na_12345678_iv_ov", 15, 0x79],
      ["m_sp_tb_on", 18, 0x1f],
      ["m_ps_na_st_ffff", 15, 0xfe],
    ];
    const originals = mutations.map(([name]) => {
      const c = cases.find((x) => x.name === name);
      if (!c) throw new Error(`no case ${name}`);
      return c;
    });
    const segments = originals.map((c, i): PlannedSegment => {
      const data = Buffer.from(c.bytes);
      const [, offset, octet] = mutations[i]!;
      expect(data[offset]).not.toBe(octet);
      data[offset] = octet;
      return { from: senderOf(c.apdu), data, completes: [i], frame: 0 };
    });
    const mutated = captureAndDissect(originals.length, segments);
    originals.forEach((c, i) => {
      expect(compareApdu(c, mutated.seen[i]), c.name).not.toEqual([]);
    });
  });
});

describe("formatG6 (C's %.6g)", () => {
  it.each([
    [3.4028234663852886e38, "3.40282e+38"],
    [-3.4028234663852886e38, "-3.40282e+38"],
    [1.1754943508222875e-38, "1.17549e-38"],
    [123456.7890625, "123457"],
    [100000, "100000"],
    [1000000, "1e+06"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [32767 / 32768, "0.999969"],
    [-1, "-1"],
    [1.5, "1.5"],
    [-0, "-0"],
    [0, "0"],
  ])("%s -> %s", (x, text) => {
    expect(formatG6(x)).toBe(text);
  });
});
