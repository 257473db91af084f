/** Whole APDUs: the APCI and, for I-frames, the ASDU behind it. */

import { type Asdu, decodeAsdu, type EncodeOptions, encodeAsdu } from "../asdu/asdu.js";
import { DecodeError, DecodeErrorCode } from "../codec/errors.js";
import {
  APCI_SIZE,
  decodeApci,
  encodeIFrame,
  encodeSFrame,
  encodeUFrame,
  type UFunctionName,
} from "./frames.js";

export type Apdu =
  | { format: "I"; ns: number; nr: number; asdu: Asdu }
  | { format: "S"; nr: number }
  | { format: "U"; fn: UFunctionName };

/** Decodes one complete APDU (as the splitter yields it), ASDU included. Throws only `DecodeError`. */
export function decodeApdu(frame: Buffer): Apdu {
  const apci = decodeApci(frame, 0);
  if (apci.format !== "I") return apci;
  if (frame.length === APCI_SIZE) {
    throw new DecodeError(DecodeErrorCode.ASDU_TOO_SHORT, "ASDU", APCI_SIZE, "I-frame without an ASDU");
  }
  return { format: "I", ns: apci.ns, nr: apci.nr, asdu: decodeAsdu(frame, APCI_SIZE) };
}

export function encodeApdu(apdu: Apdu, opts?: EncodeOptions): Buffer {
  switch (apdu.format) {
    case "I":
      return encodeIFrame(apdu.ns, apdu.nr, encodeAsdu(apdu.asdu, opts));
    case "S":
      return encodeSFrame(apdu.nr);
    case "U":
      return Buffer.from(encodeUFrame(apdu.fn));
  }
}
