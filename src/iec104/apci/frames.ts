/**
 * APCI (IEC 60870-5-104 5.1): every APDU is `0x68, L, C1, C2, C3, C4, ASDU...` with L = 4..253.
 *
 *   I format: C1 = N(S) << 1 (bit 0 = 0), C2 = N(S) >> 7, C3 = N(R) << 1 (bit 0 = 0), C4 = N(R) >> 7
 *   S format: C1 = 0x01, C2 = 0x00, C3/C4 = N(R) as above
 *   U format: C1 = one of 0x07 STARTDT act, 0x0B con, 0x13 STOPDT act, 0x23 con, 0x43 TESTFR act,
 *             0x83 con; C2 = C3 = C4 = 0
 *
 * Only those exact octets are accepted: a U octet with two function bits, a stray bit in a reserved
 * position or an S/U frame that carries an ASDU is a protocol error, never guessed at.
 */
import { DecodeError, DecodeErrorCode, EncodeError, EncodeErrorCode } from "../codec/errors.js";
import { SEQ_MASK } from "./seq.js";

export const START_BYTE = 0x68;
export const APCI_SIZE = 6;
/** Smallest and largest value of the length octet L. */
export const MIN_APDU_LENGTH = 4;
export const MAX_APDU_LENGTH = 253;
export const MAX_ASDU_SIZE = MAX_APDU_LENGTH - 4;

export const UFunction = {
  STARTDT_ACT: 0x07,
  STARTDT_CON: 0x0b,
  STOPDT_ACT: 0x13,
  STOPDT_CON: 0x23,
  TESTFR_ACT: 0x43,
  TESTFR_CON: 0x83,
} as const;
export type UFunctionName = keyof typeof UFunction;

const U_BY_OCTET = new Map<number, UFunctionName>(
  Object.entries(UFunction).map(([name, octet]) => [octet, name as UFunctionName]),
);

export type Apci =
  | { format: "I"; ns: number; nr: number }
  | { format: "S"; nr: number }
  | { format: "U"; fn: UFunctionName };

/**
 * Decodes the APCI of one complete APDU starting at `off` (as the splitter yields it). Checks the
 * start octet, the length octet against the bytes present and every control-field rule above.
 */
export function decodeApci(buf: Uint8Array, off = 0): Apci {
  if (buf.length > off && buf[off] !== START_BYTE) {
    throw new DecodeError(DecodeErrorCode.BAD_START, "start", off, `0x${hex(buf[off]!)} is not 0x68`);
  }
  if (buf.length - off < APCI_SIZE) {
    throw new DecodeError(
      DecodeErrorCode.SHORT_FRAME,
      "APDU",
      off,
      `${buf.length - off} octets, need at least 6`,
    );
  }
  const len = buf[off + 1]!;
  if (len < MIN_APDU_LENGTH || len > MAX_APDU_LENGTH) {
    throw new DecodeError(DecodeErrorCode.BAD_LENGTH, "length", off + 1, `${len} is outside 4..253`);
  }
  if (len + 2 !== buf.length - off) {
    throw new DecodeError(
      DecodeErrorCode.BAD_LENGTH,
      "length",
      off + 1,
      `says ${len} octets but ${buf.length - off - 2} follow`,
    );
  }
  const c1 = buf[off + 2]!;
  const c2 = buf[off + 3]!;
  const c3 = buf[off + 4]!;
  const c4 = buf[off + 5]!;
  if ((c1 & 0x01) === 0) {
    if (c3 & 0x01) throw badControl(off + 4, "I-frame C3 bit 0 must be 0");
    return { format: "I", ns: (c1 >> 1) | (c2 << 7), nr: (c3 >> 1) | (c4 << 7) };
  }
  if ((c1 & 0x03) === 0x01) {
    if (c1 !== 0x01 || c2 !== 0)
      throw badControl(off + 2, `S-frame C1/C2 must be 01 00, got ${hex(c1)} ${hex(c2)}`);
    if (c3 & 0x01) throw badControl(off + 4, "S-frame C3 bit 0 must be 0");
    if (len !== MIN_APDU_LENGTH) {
      throw new DecodeError(
        DecodeErrorCode.BAD_CONTROL,
        "length",
        off + 1,
        `S-frame with length ${len}, must be 4`,
      );
    }
    return { format: "S", nr: (c3 >> 1) | (c4 << 7) };
  }
  const fn = U_BY_OCTET.get(c1);
  if (fn === undefined || c2 !== 0 || c3 !== 0 || c4 !== 0) {
    throw new DecodeError(
      DecodeErrorCode.BAD_U_FRAME,
      "control",
      off + 2,
      `U-frame control ${hex(c1)} ${hex(c2)} ${hex(c3)} ${hex(c4)} is not one of the six functions`,
    );
  }
  if (len !== MIN_APDU_LENGTH) {
    throw new DecodeError(
      DecodeErrorCode.BAD_U_FRAME,
      "length",
      off + 1,
      `U-frame with length ${len}, must be 4`,
    );
  }
  return { format: "U", fn };
}

function badControl(offset: number, detail: string): DecodeError {
  return new DecodeError(DecodeErrorCode.BAD_CONTROL, "control", offset, detail);
}

function hex(b: number): string {
  return b.toString(16).padStart(2, "0");
}

/** Writes the 6-octet APCI of an I-frame carrying `asduLength` octets at `off`. */
export function writeIHeader(buf: Uint8Array, off: number, ns: number, nr: number, asduLength: number): void {
  buf[off] = START_BYTE;
  buf[off + 1] = asduLength + 4;
  buf[off + 2] = (ns << 1) & 0xfe;
  buf[off + 3] = (ns >> 7) & 0xff;
  buf[off + 4] = (nr << 1) & 0xfe;
  buf[off + 5] = (nr >> 7) & 0xff;
}

/** A whole I-frame: APCI followed by the encoded ASDU. */
export function encodeIFrame(ns: number, nr: number, asdu: Uint8Array): Buffer {
  if (asdu.length > MAX_ASDU_SIZE) {
    throw new EncodeError(EncodeErrorCode.TOO_LARGE, "ASDU", `${asdu.length} octets exceed ${MAX_ASDU_SIZE}`);
  }
  if (asdu.length === 0) throw new EncodeError(EncodeErrorCode.BAD_APCI, "ASDU", "an I-frame needs an ASDU");
  const out = Buffer.allocUnsafe(APCI_SIZE + asdu.length);
  writeIHeader(out, 0, ns & SEQ_MASK, nr & SEQ_MASK, asdu.length);
  out.set(asdu, APCI_SIZE);
  return out;
}

export function encodeSFrame(nr: number): Buffer {
  const n = nr & SEQ_MASK;
  return Buffer.from([START_BYTE, 4, 0x01, 0x00, (n << 1) & 0xfe, n >> 7]);
}

const U_FRAMES = new Map<UFunctionName, Buffer>(
  Object.entries(UFunction).map(([name, octet]) => [
    name as UFunctionName,
    Buffer.from([START_BYTE, 4, octet, 0, 0, 0]),
  ]),
);

/** The 6 octets of a U-frame (a shared, read-only buffer: do not modify). */
export function encodeUFrame(fn: UFunctionName): Buffer {
  const frame = U_FRAMES.get(fn);
  if (frame === undefined)
    throw new EncodeError(EncodeErrorCode.BAD_APCI, "U function", `${String(fn)} is not one of the six`);
  return frame;
}

export function encodeApci(apci: Apci, asdu?: Uint8Array): Buffer {
  switch (apci.format) {
    case "I":
      return encodeIFrame(apci.ns, apci.nr, asdu ?? new Uint8Array(0));
    case "S":
      return encodeSFrame(apci.nr);
    case "U":
      return Buffer.from(encodeUFrame(apci.fn));
  }
}
