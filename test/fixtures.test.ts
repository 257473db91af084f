/** The copy of the shared files in test/fixtures/shared must not drift from ../shared. */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURE_SHARED, SIBLING_SHARED } from "./helpers/shared.js";

const FILES = [
  "vectors/lib60870-frames.jsonl",
  "vectors/README.md",
  "seed/Datapoints.json",
  "seed/SEED-README.md",
];

describe.skipIf(!existsSync(SIBLING_SHARED))("test/fixtures/shared", () => {
  it.each(FILES)("%s equals ../shared", (f) => {
    expect(readFileSync(resolve(FIXTURE_SHARED, f)).equals(readFileSync(resolve(SIBLING_SHARED, f)))).toBe(
      true,
    );
  });
});
