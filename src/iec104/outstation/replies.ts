/**
 * Replies that mirror the request (IEC 104: confirmations and negative answers repeat the request's
 * type, VSQ, originator, address and objects, with the new cause; lib60870 responseNegative). The
 * T bit of the request is kept, the originator address copied (c104 #74).
 */
import { APCI_SIZE } from "../apci/frames.js";

export interface MirrorOptions {
  cot: number;
  negative?: boolean;
  /** Answer for this common address instead of the request's (broadcast answered per station). */
  ca?: number;
}

export function mirror(request: Buffer, o: MirrorOptions): Buffer {
  const frame = Buffer.allocUnsafe(APCI_SIZE + request.length);
  request.copy(frame, APCI_SIZE);
  const a = APCI_SIZE;
  frame[a + 2] = (o.cot & 0x3f) | (o.negative ? 0x40 : 0) | (request[2]! & 0x80);
  if (o.ca !== undefined) {
    frame[a + 4] = o.ca & 0xff;
    frame[a + 5] = o.ca >> 8;
  }
  return frame;
}
