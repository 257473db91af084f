/**
 * ASDU (IEC 60870-5-101 7.1, with the 104 field sizes of 104 clause 9):
 *
 *   0    type identification
 *   1    VSQ: bit 7 SQ, bits 0-6 number of objects N (1..127)
 *   2    COT: bits 0-5 cause, bit 6 P/N (negative confirm), bit 7 T (test)
 *   3    originator address
 *   4-5  common address (CA), little-endian
 *   6..  objects: SQ=0 -> N x (IOA 3 octets + element); SQ=1 -> IOA once, then N elements at IOA+i
 *
 * N x element size must fill the payload exactly, and the whole ASDU is at most 249 octets.
 */
import { DecodeError, DecodeErrorCode, EncodeError, EncodeErrorCode } from "../codec/errors.js";
import { type ElementMap, type ElementSpec, elementSpec } from "./elements.js";
import { isTypeId, MAX_OBJECTS, type TypeId, typeName } from "./types.js";

export const ASDU_HEADER_SIZE = 6;
export const IOA_SIZE = 3;
export const MAX_ASDU_LENGTH = 249;
export const MAX_IOA = 0xffffff;

export interface AsduHeader {
  typeId: number;
  sq: boolean;
  /** Number of information objects (the VSQ count). */
  count: number;
  cot: number;
  test: boolean;
  negative: boolean;
  oa: number;
  ca: number;
}

export type InformationObject<K extends TypeId = TypeId> = { ioa: number } & ElementMap[K];

export interface AsduOf<K extends TypeId> {
  typeId: K;
  sq: boolean;
  cot: number;
  test: boolean;
  negative: boolean;
  oa: number;
  ca: number;
  objects: InformationObject<K>[];
}

/** A decoded ASDU: a union discriminated by `typeId`, so narrowing the type id types the objects. */
export type Asdu = { [K in TypeId]: AsduOf<K> }[TypeId];

/** Reads the 6 header octets of the ASDU at buf[off..end). */
export function decodeAsduHeader(buf: Buffer, off = 0, end = buf.length): AsduHeader {
  if (end - off < ASDU_HEADER_SIZE) {
    throw new DecodeError(
      DecodeErrorCode.ASDU_TOO_SHORT,
      "ASDU header",
      off,
      `${end - off} octets, the header alone needs ${ASDU_HEADER_SIZE}`,
    );
  }
  const vsq = buf[off + 1]!;
  const cot = buf[off + 2]!;
  return {
    typeId: buf[off]!,
    sq: (vsq & 0x80) !== 0,
    count: vsq & 0x7f,
    cot: cot & 0x3f,
    negative: (cot & 0x40) !== 0,
    test: (cot & 0x80) !== 0,
    oa: buf[off + 3]!,
    ca: buf[off + 4]! | (buf[off + 5]! << 8),
  };
}

/** Decodes a whole ASDU at buf[off..end). Throws only `DecodeError`. */
export function decodeAsdu(buf: Buffer, off = 0, end = buf.length): Asdu {
  const h = decodeAsduHeader(buf, off, end);
  const spec = elementSpec(h.typeId);
  if (spec === undefined) {
    throw new DecodeError(
      DecodeErrorCode.UNKNOWN_TYPE,
      "type identification",
      off,
      `type id ${h.typeId} is unknown`,
    );
  }
  if (h.count === 0)
    throw new DecodeError(DecodeErrorCode.ZERO_COUNT, "VSQ", off + 1, "number of objects is 0");
  if (end - off > MAX_ASDU_LENGTH) {
    throw new DecodeError(
      DecodeErrorCode.ASDU_TOO_LONG,
      "ASDU",
      off,
      `${end - off} octets exceed ${MAX_ASDU_LENGTH}`,
    );
  }
  const payload = end - off - ASDU_HEADER_SIZE;
  const need = h.sq ? IOA_SIZE + h.count * spec.size : h.count * (IOA_SIZE + spec.size);
  if (h.sq && payload < IOA_SIZE) {
    throw new DecodeError(
      DecodeErrorCode.MISSING_IOA,
      "IOA",
      off + ASDU_HEADER_SIZE,
      "SQ=1 without the base IOA",
    );
  }
  if (payload !== need) throw countError(h, spec.size, payload, need, off);
  let pos = off + ASDU_HEADER_SIZE;
  const objects: { ioa: number }[] = new Array(h.count);
  if (h.sq) {
    const base = readIoa(buf, pos);
    if (base + h.count - 1 > MAX_IOA) {
      throw new DecodeError(
        DecodeErrorCode.IOA_OVERFLOW,
        "IOA",
        pos,
        `SQ=1 from IOA ${base} with ${h.count} objects runs past ${MAX_IOA}`,
      );
    }
    pos += IOA_SIZE;
    for (let i = 0; i < h.count; i++, pos += spec.size) {
      const o = spec.decode(buf, pos) as { ioa: number };
      o.ioa = base + i;
      objects[i] = o;
    }
  } else {
    for (let i = 0; i < h.count; i++) {
      const ioa = readIoa(buf, pos);
      const o = spec.decode(buf, pos + IOA_SIZE) as { ioa: number };
      o.ioa = ioa;
      objects[i] = o;
      pos += IOA_SIZE + spec.size;
    }
  }
  return {
    typeId: h.typeId,
    sq: h.sq,
    cot: h.cot,
    test: h.test,
    negative: h.negative,
    oa: h.oa,
    ca: h.ca,
    objects,
  } as Asdu;
}

function countError(h: AsduHeader, size: number, payload: number, need: number, off: number): DecodeError {
  const what = `${typeName(h.typeId)} SQ=${h.sq ? 1 : 0} with ${h.count} objects needs ${need} octets after the header, ${payload} present`;
  if (payload < need)
    return new DecodeError(DecodeErrorCode.COUNT_MISMATCH, "VSQ", off + 1, `count too large: ${what}`);
  const perObject = h.sq ? size : IOA_SIZE + size;
  if (perObject > 0 && (payload - need) % perObject === 0) {
    return new DecodeError(DecodeErrorCode.COUNT_MISMATCH, "VSQ", off + 1, `count too small: ${what}`);
  }
  return new DecodeError(
    DecodeErrorCode.TRAILING_BYTES,
    "ASDU",
    off + ASDU_HEADER_SIZE + need,
    `${payload - need} trailing octets: ${what}`,
  );
}

export function readIoa(buf: Buffer, off: number): number {
  return buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16);
}

/** One number for a point's address: its station's CA (16 bits) and its IOA (24 bits). */
export function addressKey(ca: number, ioa: number): number {
  return ca * 0x1000000 + ioa;
}

export function writeIoa(buf: Buffer, off: number, ioa: number): void {
  buf[off] = ioa & 0xff;
  buf[off + 1] = (ioa >> 8) & 0xff;
  buf[off + 2] = (ioa >> 16) & 0xff;
}

export interface EncodeOptions {
  /** Allow the types IEC 104 excludes (CP24Time2a forms, 104, 106): for tests and 101 tooling only. */
  allowNon104?: boolean;
}

/** The encoded length of an ASDU with `count` objects of `spec`. */
export function asduLength(spec: { size: number }, count: number, sq: boolean): number {
  return ASDU_HEADER_SIZE + (sq ? IOA_SIZE + count * spec.size : count * (IOA_SIZE + spec.size));
}

/** Encodes an ASDU into a new buffer. Throws only `EncodeError`. */
export function encodeAsdu(asdu: Asdu, opts: EncodeOptions = {}): Buffer {
  const spec = specFor(asdu.typeId, opts);
  const out = Buffer.allocUnsafe(asduLength(spec, asdu.objects.length, asdu.sq));
  writeAsdu(out, 0, asdu, opts);
  return out;
}

/** Writes an ASDU into `buf` at `off`; returns the octets written. */
export function writeAsdu(buf: Buffer, off: number, asdu: Asdu, opts: EncodeOptions = {}): number {
  const spec = specFor(asdu.typeId, opts) as ElementSpec<unknown>;
  const n = asdu.objects.length;
  if (n < 1 || n > MAX_OBJECTS) {
    throw new EncodeError(EncodeErrorCode.BAD_OBJECTS, "VSQ", `${n} objects, must be 1..${MAX_OBJECTS}`);
  }
  const len = asduLength(spec, n, asdu.sq);
  if (len > MAX_ASDU_LENGTH) {
    throw new EncodeError(EncodeErrorCode.TOO_LARGE, "ASDU", `${len} octets exceed ${MAX_ASDU_LENGTH}`);
  }
  writeHeader(buf, off, asdu.typeId, asdu.sq, n, asdu);
  let pos = off + ASDU_HEADER_SIZE;
  const objects = asdu.objects as InformationObject[];
  if (asdu.sq) {
    const base = objects[0]!.ioa;
    checkIoa(base);
    checkIoa(base + n - 1);
    writeIoa(buf, pos, base);
    pos += IOA_SIZE;
    for (let i = 0; i < n; i++, pos += spec.size) {
      const o = objects[i]!;
      if (o.ioa !== base + i) {
        throw new EncodeError(
          EncodeErrorCode.BAD_OBJECTS,
          "IOA",
          `SQ=1 needs consecutive IOAs, object ${i} has ${o.ioa}`,
        );
      }
      spec.encode(buf, pos, o);
    }
  } else {
    for (let i = 0; i < n; i++, pos += IOA_SIZE + spec.size) {
      const o = objects[i]!;
      checkIoa(o.ioa);
      writeIoa(buf, pos, o.ioa);
      spec.encode(buf, pos + IOA_SIZE, o);
    }
  }
  return len;
}

export interface HeaderFields {
  cot: number;
  test?: boolean;
  negative?: boolean;
  oa: number;
  ca: number;
}

/** Writes the 6 ASDU header octets. */
export function writeHeader(
  buf: Buffer,
  off: number,
  typeId: number,
  sq: boolean,
  count: number,
  h: HeaderFields,
): void {
  if (!Number.isInteger(h.cot) || h.cot < 0 || h.cot > 63) {
    throw new EncodeError(EncodeErrorCode.OUT_OF_RANGE, "COT", `${h.cot} is not 0..63`);
  }
  if (!Number.isInteger(h.oa) || h.oa < 0 || h.oa > 255) {
    throw new EncodeError(EncodeErrorCode.OUT_OF_RANGE, "originator address", `${h.oa} is not 0..255`);
  }
  if (!Number.isInteger(h.ca) || h.ca < 0 || h.ca > 0xffff) {
    throw new EncodeError(EncodeErrorCode.OUT_OF_RANGE, "common address", `${h.ca} is not 0..65535`);
  }
  buf[off] = typeId;
  buf[off + 1] = count | (sq ? 0x80 : 0);
  buf[off + 2] = h.cot | (h.negative ? 0x40 : 0) | (h.test ? 0x80 : 0);
  buf[off + 3] = h.oa;
  buf[off + 4] = h.ca & 0xff;
  buf[off + 5] = h.ca >> 8;
}

function checkIoa(ioa: number): void {
  if (!Number.isInteger(ioa) || ioa < 0 || ioa > MAX_IOA) {
    throw new EncodeError(EncodeErrorCode.OUT_OF_RANGE, "IOA", `${ioa} is not 0..${MAX_IOA}`);
  }
}

function specFor(typeId: number, opts: EncodeOptions) {
  const spec = isTypeId(typeId) ? elementSpec(typeId) : undefined;
  if (spec === undefined)
    throw new EncodeError(EncodeErrorCode.UNKNOWN_TYPE, "type identification", `${typeId}`);
  if (!spec.in104 && !opts.allowNon104) {
    throw new EncodeError(
      EncodeErrorCode.NOT_IN_104,
      "type identification",
      `${spec.name} is not used in IEC 104`,
    );
  }
  return spec;
}

/** How many objects of a type fit in one ASDU (bounded by 249 octets and the 127 of the VSQ). */
export function maxObjectsPerAsdu(typeId: TypeId, sq = false, maxLength = MAX_ASDU_LENGTH): number {
  const spec = elementSpec(typeId);
  const room = maxLength - ASDU_HEADER_SIZE - (sq ? IOA_SIZE : 0);
  return Math.min(MAX_OBJECTS, Math.floor(room / (sq ? spec.size : IOA_SIZE + spec.size)));
}

/**
 * Packs information objects of one type into as few ASDUs as fit, in the given order. With `sq`
 * true, a new ASDU also starts wherever the IOAs stop being consecutive.
 */
export function packAsdus<K extends TypeId>(
  typeId: K,
  header: HeaderFields,
  objects: readonly InformationObject<K>[],
  opts: { sq?: boolean; maxLength?: number } = {},
): AsduOf<K>[] {
  const sq = opts.sq ?? false;
  const limit = maxObjectsPerAsdu(typeId, sq, opts.maxLength);
  const out: AsduOf<K>[] = [];
  let current: InformationObject<K>[] = [];
  const flush = () => {
    if (current.length === 0) return;
    out.push({
      typeId,
      sq,
      cot: header.cot,
      test: header.test ?? false,
      negative: header.negative ?? false,
      oa: header.oa,
      ca: header.ca,
      objects: current,
    });
    current = [];
  };
  for (const o of objects) {
    const last = current[current.length - 1];
    if (current.length === limit || (sq && last !== undefined && o.ioa !== last.ioa + 1)) flush();
    current.push(o);
  }
  flush();
  return out;
}
