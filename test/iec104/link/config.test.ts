/** validateLinkConfig: the window and timer rules of IEC 104 (k, w in 1..32767, w <= k, t2 < t1 < t3). */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_LINK_CONFIG,
  type LinkConfig,
  validateLinkConfig,
} from "../../../src/iec104/link/session.js";

function check(patch: Partial<LinkConfig>): string[] {
  return validateLinkConfig({ ...DEFAULT_LINK_CONFIG, ...patch });
}

describe("validateLinkConfig", () => {
  it("accepts the defaults (k 12, w 8, t0 30 s, t1 15 s, t2 10 s, t3 20 s)", () => {
    expect(DEFAULT_LINK_CONFIG).toEqual({
      k: 12,
      w: 8,
      t0Ms: 30_000,
      t1Ms: 15_000,
      t2Ms: 10_000,
      t3Ms: 20_000,
    });
    expect(validateLinkConfig(DEFAULT_LINK_CONFIG)).toEqual([]);
  });

  it("accepts the extremes of k and w, and w = k", () => {
    expect(check({ k: 1, w: 1 })).toEqual([]);
    expect(check({ k: 32767, w: 32767 })).toEqual([]);
    expect(check({ k: 32767, w: 1 })).toEqual([]);
  });

  it("refuses w > k", () => {
    expect(check({ k: 8, w: 9 })).toEqual([expect.stringMatching(/^w: .*exceed k/)]);
  });

  it.each([0, -1, 32768, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("refuses k = %s", (k) => {
    expect(check({ k, w: 1 })).toContainEqual(expect.stringMatching(/^k: /));
  });

  it.each([0, -1, 32768, 2.5, Number.NaN])("refuses w = %s", (w) => {
    expect(check({ k: 32767, w })).toContainEqual(expect.stringMatching(/^w: /));
  });

  it("refuses t2 >= t1, equal or longer", () => {
    expect(check({ t2Ms: 15_000 })).toEqual([expect.stringMatching(/^t2Ms: /)]);
    expect(check({ t2Ms: 16_000 })).toEqual([expect.stringMatching(/^t2Ms: /)]);
    expect(check({ t2Ms: 14_999 })).toEqual([]);
  });

  it("refuses t3 <= t1", () => {
    expect(check({ t3Ms: 15_000 })).toEqual([expect.stringMatching(/^t3Ms: /)]);
    expect(check({ t3Ms: 1_000 })).toEqual([expect.stringMatching(/^t3Ms: /)]);
    expect(check({ t3Ms: 15_001 })).toEqual([]);
  });

  for (const t of ["t0Ms", "t1Ms", "t2Ms", "t3Ms"] as const) {
    it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])(`refuses ${t} = %s`, (v) => {
      expect(check({ [t]: v })).toContainEqual(expect.stringMatching(new RegExp(`^${t}: must be positive`)));
    });
  }

  it("accepts timers that are not whole milliseconds", () => {
    expect(check({ t1Ms: 150.5, t2Ms: 100.25, t3Ms: 200.75 })).toEqual([]);
  });

  it("reports every fault at once", () => {
    expect(validateLinkConfig({ k: 0, w: 0.5, t0Ms: 0, t1Ms: 10, t2Ms: 10, t3Ms: 5 })).toHaveLength(6);
  });
});
