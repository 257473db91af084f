/**
 * Golden APDUs written by hand from IEC 60870-5-101/104, one commented octet or field at a time,
 * independent of this codec's encoder. `bytes` is the whole APDU (0x68, length, 4 control octets,
 * ASDU); `apdu` is what decodeApdu must return for it and what encodeApdu must turn back into
 * exactly `bytes`. Types that IEC 104 does not use (the CP24Time2a forms, 104 and 106) are marked
 * `allowNon104` and encode only with `encodeApdu(apdu, { allowNon104: true })`.
 */
import type { Apdu } from "../../../src/iec104/apci/apdu.js";
import { APCI } from "./apci.js";
import { COMMANDS } from "./commands.js";
import { MONITOR } from "./monitor.js";
import { MONITOR_TIME } from "./monitor-time.js";
import { SYSTEM } from "./system.js";

export interface GoldenVector {
  name: string;
  bytes: Buffer;
  apdu: Apdu;
  allowNon104?: boolean;
}

export const GOLDEN: GoldenVector[] = [...APCI, ...MONITOR, ...MONITOR_TIME, ...COMMANDS, ...SYSTEM];
