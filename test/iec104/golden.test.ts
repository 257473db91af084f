/**
 * Golden vectors written by hand from IEC 60870-5-101/104 (test/iec104/golden/): for each one the
 * decoder must return exactly the expected APDU, the encoder must produce exactly the bytes, and a
 * round trip through both must change nothing.
 */
import { describe, expect, it } from "vitest";
import {
  type Apdu,
  ApduSplitter,
  allElementSpecs,
  DecodeError,
  decodeApdu,
  EncodeError,
  EncodeErrorCode,
  elementSpec,
  encodeApdu,
  encodeAsdu,
} from "../../src/iec104/index.js";
import { GOLDEN, type GoldenVector } from "./golden/index.js";

const FLOAT_TYPES = new Set([13, 14, 36, 50, 63, 112]);

function hex(buf: Uint8Array): string {
  return Buffer.from(buf).toString("hex");
}

function typeIdOf(v: GoldenVector): number | undefined {
  return v.apdu.format === "I" ? v.apdu.asdu.typeId : undefined;
}

describe("golden vectors (hand-written from IEC 60870-5-101/104)", () => {
  it.each(GOLDEN.map((v) => [v.name, v] as const))("%s", (_name, v) => {
    const opts = { allowNon104: v.allowNon104 ?? false };
    expect(decodeApdu(v.bytes)).toEqual(v.apdu);
    expect(hex(encodeApdu(v.apdu, opts))).toBe(hex(v.bytes));
    expect(decodeApdu(encodeApdu(v.apdu, opts))).toEqual(v.apdu);
  });

  it("has unique names", () => {
    const names = GOLDEN.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("has well-formed hand-written frames: start 0x68 and a length octet that matches", () => {
    for (const v of GOLDEN) {
      expect(v.bytes[0], v.name).toBe(0x68);
      expect(v.bytes[1], v.name).toBe(v.bytes.length - 2);
      expect(v.bytes.length, v.name).toBeGreaterThanOrEqual(6);
      expect(v.bytes.length, v.name).toBeLessThanOrEqual(255);
    }
  });

  it("has at least one vector for every type id the codec knows", () => {
    const covered = new Set(GOLDEN.map(typeIdOf));
    const missing = allElementSpecs()
      .map((s) => s.typeId)
      .filter((id) => !covered.has(id));
    expect(missing).toEqual([]);
  });

  it("has at least one vector for each standard type id of 101/104 (the list written out)", () => {
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const standard = [
      ...range(1, 21),
      ...range(30, 40),
      ...range(45, 51),
      ...range(58, 64),
      70,
      ...range(100, 107),
      ...range(110, 113),
    ];
    const covered = new Set(GOLDEN.map(typeIdOf));
    expect(standard.filter((id) => !covered.has(id))).toEqual([]);
    const non104 = new Set(GOLDEN.filter((v) => v.allowNon104).map(typeIdOf));
    expect([...non104].sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual([
      2, 4, 6, 8, 10, 12, 14, 16, 17, 18, 19, 104, 106,
    ]);
  });

  it("knows every type id it has a vector for", () => {
    for (const v of GOLDEN) {
      const id = typeIdOf(v);
      if (id !== undefined) expect(elementSpec(id), v.name).toBeDefined();
    }
  });

  it("marks allowNon104 exactly on the types IEC 104 excludes", () => {
    for (const v of GOLDEN) {
      const id = typeIdOf(v);
      const in104 = id === undefined || elementSpec(id)?.in104 === true;
      expect(v.allowNon104 ?? false, v.name).toBe(!in104);
    }
  });

  it("covers the APCI: all six U-frames, S-frames up to N(R) 32767, I-frames at the wrap", () => {
    const u = new Set(GOLDEN.flatMap((v) => (v.apdu.format === "U" ? [v.apdu.fn] : [])));
    expect([...u].sort()).toEqual([
      "STARTDT_ACT",
      "STARTDT_CON",
      "STOPDT_ACT",
      "STOPDT_CON",
      "TESTFR_ACT",
      "TESTFR_CON",
    ]);
    const sNr = GOLDEN.flatMap((v) => (v.apdu.format === "S" ? [v.apdu.nr] : []));
    expect(sNr).toContain(0);
    expect(sNr).toContain(32767);
    const iSeq = GOLDEN.flatMap((v) => (v.apdu.format === "I" ? [v.apdu.ns, v.apdu.nr] : []));
    for (const n of [127, 128, 255, 256, 16383, 16384, 32766, 32767]) expect(iSeq).toContain(n);
  });

  it("holds only float32 values in the float types", () => {
    for (const v of GOLDEN) {
      if (v.apdu.format !== "I" || !FLOAT_TYPES.has(v.apdu.asdu.typeId)) continue;
      for (const o of v.apdu.asdu.objects) {
        const value = (o as { value: number }).value;
        expect(Object.is(value, Math.fround(value)), v.name).toBe(true);
      }
    }
  });

  it("decodes float -0 as -0, not +0", () => {
    const values = (apdu: Apdu) =>
      apdu.format === "I" ? apdu.asdu.objects.map((o) => (o as { value?: unknown }).value) : [];
    const negZero = GOLDEN.filter((v) => values(v.apdu).some((x) => Object.is(x, -0)));
    expect(negZero.length).toBeGreaterThanOrEqual(3);
    for (const v of negZero) {
      const decoded = values(decodeApdu(v.bytes));
      const expected = values(v.apdu);
      expect(
        decoded.map((x) => Object.is(x, -0)),
        v.name,
      ).toEqual(expected.map((x) => Object.is(x, -0)));
    }
  });

  it("refuses to encode the non-104 types without allowNon104 (NOT_IN_104)", () => {
    const non104 = GOLDEN.filter((v) => v.allowNon104);
    expect(non104.length).toBeGreaterThanOrEqual(14);
    for (const v of non104) {
      if (v.apdu.format !== "I") throw new Error(`${v.name} is not an I-frame`);
      const asdu = v.apdu.asdu;
      for (const attempt of [() => encodeApdu(v.apdu), () => encodeAsdu(asdu), () => encodeAsdu(asdu, {})]) {
        let caught: unknown;
        try {
          attempt();
        } catch (e) {
          caught = e;
        }
        expect(caught, v.name).toBeInstanceOf(EncodeError);
        expect((caught as EncodeError).code, v.name).toBe(EncodeErrorCode.NOT_IN_104);
        expect((caught as EncodeError).field, v.name).toBe("type identification");
      }
    }
  });

  // The decoder takes no option: an outstation must read a 101-only type to refuse it (COT 44).
  it("decodes the non-104 types without any option", () => {
    for (const v of GOLDEN.filter((g) => g.allowNon104)) expect(decodeApdu(v.bytes), v.name).toEqual(v.apdu);
  });

  it("splits the whole golden stream back into its frames, in one chunk and one octet at a time", () => {
    const stream = Buffer.concat(GOLDEN.map((v) => v.bytes));
    const expected = GOLDEN.map((v) => hex(v.bytes));

    expect(new ApduSplitter().push(stream).map(hex)).toEqual(expected);

    const splitter = new ApduSplitter();
    const frames: string[] = [];
    for (const octet of stream) frames.push(...splitter.push(Uint8Array.of(octet)).map(hex));
    expect(frames).toEqual(expected);
    expect(splitter.pending).toBe(0);
  });

  it("throws only DecodeError for every truncation of every golden frame", () => {
    for (const v of GOLDEN) {
      for (let n = 0; n < v.bytes.length; n++) {
        const cut = Buffer.from(v.bytes.subarray(0, n));
        let caught: unknown;
        try {
          decodeApdu(cut);
        } catch (e) {
          caught = e;
        }
        expect(caught, `${v.name} cut to ${n} octets`).toBeInstanceOf(DecodeError);
      }
    }
  });
});
