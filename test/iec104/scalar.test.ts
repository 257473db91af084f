/**
 * The outstation writes monitoring elements from numbers (asdu/scalar.ts), not through the element
 * codec. Both must produce the same octets: for every monitoring type the outstation serves, any
 * element -> toScalar -> the scalar writer equals the codec's encoding (time tag aside, which the
 * outstation writes separately).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { elementSpec } from "../../src/iec104/asdu/elements.js";
import { MONITOR_TYPES, scalarSpec, toScalar } from "../../src/iec104/asdu/scalar.js";
import { elementArb } from "./arbitraries.js";

describe("scalar writers agree with the element codec", () => {
  it.each(MONITOR_TYPES.map((t) => [t]))("type %i", (typeId) => {
    const spec = scalarSpec(typeId);
    const codec = elementSpec(typeId);
    const timeOctets = spec.hasTime ? 7 : 0;
    fc.assert(
      fc.property(elementArb(typeId), (element) => {
        const expected = Buffer.alloc(codec.size);
        codec.encode(expected, 0, element);
        const actual = Buffer.alloc(spec.size);
        const s = toScalar(typeId, element);
        spec.write(actual, 0, s.value, s.aux, s.quality);
        expect(actual.subarray(0, spec.size - timeOctets)).toEqual(
          expected.subarray(0, codec.size - timeOctets),
        );
      }),
      { numRuns: 300 },
    );
  });
});
