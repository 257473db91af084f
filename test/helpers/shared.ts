/** Locates `../shared` (the design notes, seed and vectors shipped beside the repository). */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SHARED_DIR = process.env.SHARED_DIR ?? resolve(REPO_ROOT, "..", "shared");

/** The path of a file under shared/, failing loudly when it is absent. */
export function sharedFile(...parts: string[]): string {
  const p = resolve(SHARED_DIR, ...parts);
  if (!existsSync(p)) {
    throw new Error(`${p} is missing: the tests need ../shared beside the repository (or SHARED_DIR set)`);
  }
  return p;
}
