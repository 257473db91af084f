/**
 * Locates the shared files (lib60870 vectors, the seed Datapoints.json): SHARED_DIR when set, else
 * `../shared` beside the repository (as CI runs it), else the copy in test/fixtures/shared (for a
 * clone on its own, e.g. GitHub Actions). test/fixtures.test.ts keeps the copy equal to ../shared.
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SIBLING_SHARED = resolve(REPO_ROOT, "..", "shared");
export const FIXTURE_SHARED = resolve(REPO_ROOT, "test", "fixtures", "shared");
export const SHARED_DIR =
  process.env.SHARED_DIR ??
  (existsSync(resolve(SIBLING_SHARED, "vectors")) ? SIBLING_SHARED : FIXTURE_SHARED);

/** The path of a file under shared/, failing loudly when it is absent. */
export function sharedFile(...parts: string[]): string {
  const p = resolve(SHARED_DIR, ...parts);
  if (!existsSync(p)) {
    throw new Error(`${p} is missing: the tests need ../shared beside the repository (or SHARED_DIR set)`);
  }
  return p;
}
