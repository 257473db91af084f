/**
 * System tools some tests need (tshark, mosquitto, openssl...). Call `requireTool` at the top level of
 * a test file, while vitest collects it, and skip the tests that need the tool when it says false:
 *
 *   const hasTshark = requireTool("tshark", "sudo apt-get install tshark");
 *   describe.skipIf(!hasTshark)("tshark cross-check", () => { ... });
 *
 * A missing tool prints a loud banner with the install hint and the tests skip. Under CI=true a
 * missing tool is a hard failure instead: a failing test named after the tool is registered in the
 * file (so the run's failed count shows it), and the function still returns false so the dependent
 * tests do not crash on a missing binary. Called outside collection, it throws under CI.
 */
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import { test } from "vitest";

const found = new Map<string, string | undefined>();

export function isCi(): boolean {
  return process.env.CI === "true";
}

/** The absolute path of an executable `name` on PATH (or `name` itself when absolute), if any. */
export function findTool(name: string): string | undefined {
  if (found.has(name)) return found.get(name);
  const candidates = isAbsolute(name)
    ? [name]
    : (process.env.PATH ?? "")
        .split(delimiter)
        .filter((dir) => dir !== "")
        .map((dir) => join(dir, name));
  const path = candidates.find(isExecutableFile);
  found.set(name, path);
  return path;
}

/** True when `name` is installed. Prints a loud banner when it is not, and fails the run under CI. */
export function requireTool(name: string, installHint: string): boolean {
  if (findTool(name) !== undefined) return true;
  const message = missingToolMessage(name, installHint);
  process.stderr.write(`\n${message}\n\n`);
  if (isCi()) {
    const error = new Error(message);
    try {
      test(`${name} is installed (required under CI=true)`, () => {
        throw error;
      });
    } catch {
      throw error;
    }
  }
  return false;
}

export function missingToolMessage(name: string, installHint: string): string {
  const bar = "!".repeat(78);
  const lines = isCi()
    ? [
        `${name} IS NOT INSTALLED, and CI=true: the tests that need it FAIL.`,
        `Install it with:  ${installHint}`,
      ]
    : [
        `${name} IS NOT INSTALLED: the tests that need it are SKIPPED.`,
        `Install it with:  ${installHint}`,
        "(Under CI=true a missing tool fails the run instead.)",
      ];
  return [bar, ...lines.map((l) => `!!  ${l}`), bar].join("\n");
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
