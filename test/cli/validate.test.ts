/**
 * `iec104-gw validate`: checks a configuration and its point file without starting anything; every
 * problem of both at once as `path: message`, exit code 2; exit 0 and a summary when all is well.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/shared.js";

const dir = mkdtempSync(join(tmpdir(), "gw-validate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", join(REPO_ROOT, "src/cli/main.ts"), ...args],
      { cwd: REPO_ROOT, env: { ...process.env, IEC104GW_CONFIG: "" } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("validate", () => {
  it("accepts the shipped Datapoints.json with the defaults and prints what it would serve", async () => {
    const r = await cli("validate", "--datapoints", join(REPO_ROOT, "Datapoints.json"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("configuration OK");
    expect(r.stdout).toMatch(/station CA 1: 40 points, 6 commands/);
    expect(r.stdout).toContain('"port": 2404');
  }, 30_000);

  it("lists every problem of the configuration as path: message and exits 2", async () => {
    writeFileSync(
      join(dir, "bad.yaml"),
      "iec104:\n  port: 70000\n  w: 20\n  k: 10\nmqtt:\n  mode: external\nlog:\n  level: loud\n",
    );
    const r = await cli("validate", "--config", join(dir, "bad.yaml"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/iec104\.port: .*65535/);
    expect(r.stderr).toMatch(/iec104\.w: /);
    expect(r.stderr).toMatch(/mqtt\.url: /);
    expect(r.stderr).toMatch(/log\.level: /);
  }, 30_000);

  it("reports the point file's problems naming each point", async () => {
    writeFileSync(
      join(dir, "points.json"),
      JSON.stringify({
        A: { IOAddress: 1, "Type IEC": 99 },
        B: { IOAddress: 1, "Type IEC": 13, dedband: 2 },
      }),
    );
    const r = await cli("validate", "--datapoints", join(dir, "points.json"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"A"\."Type IEC": 99/);
    expect(r.stderr).toMatch(/"B"\."dedband": unknown field/);
  }, 30_000);

  it("refuses an unknown flag", async () => {
    const r = await cli("validate", "--prot", "2405");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--prot");
  }, 30_000);
});
