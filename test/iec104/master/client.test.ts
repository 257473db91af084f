/** The `client` CLI against the scripted outstation, stdout and stderr captured. */
import { describe, expect, it } from "vitest";
import { runClient } from "../../../src/cli/client.js";
import { onCleanup } from "./harness.js";
import { ScriptedOutstation } from "./outstation.js";

class Capture {
  text = "";
  readonly isTTY: boolean;
  constructor(isTTY = false) {
    this.isTTY = isTTY;
  }
  write(s: string): boolean {
    this.text += s;
    return true;
  }
  get lines(): string[] {
    return this.text.split("\n").filter((l) => l !== "");
  }
}

async function run(args: string[], tty = false) {
  const o = await ScriptedOutstation.start();
  onCleanup(() => o.stop());
  const stdout = new Capture(tty);
  const stderr = new Capture();
  const code = await runClient(["127.0.0.1", String(o.port), ...args], { stdout, stderr });
  return { code, stdout, stderr, o };
}

interface JsonAsdu {
  typeName: string;
  cotName: string;
  ca: number;
  negative: boolean;
  objects: Record<string, unknown>[];
}

describe("client CLI", () => {
  it("--json: one JSON line per ASDU of the broadcast GI, per station", async () => {
    const { code, stdout, stderr } = await run(["--json", "--duration", "0.3"]);
    expect(code).toBe(0);
    const asdus = stdout.lines.map((l) => JSON.parse(l) as JsonAsdu);
    const blocks = asdus.filter((a) => a.typeName === "C_IC_NA_1").map((a) => `${a.ca}:${a.cotName}`);
    expect(blocks).toEqual([
      "1:ACTIVATION_CON",
      "1:ACTIVATION_TERMINATION",
      "2:ACTIVATION_CON",
      "2:ACTIVATION_TERMINATION",
    ]);
    const sp = asdus.find((a) => a.typeName === "M_SP_NA_1" && a.ca === 1)!;
    expect(sp).toMatchObject({ cotName: "INTERROGATED_BY_STATION", negative: false });
    expect(sp.objects).toEqual([
      { ioa: 100, value: true, quality: [] },
      { ioa: 101, value: false, quality: ["IV"] },
    ]);
    expect(stderr.text).toContain("data transfer started");
  });

  it("--json --ca --sync --read --ci: targeted requests, times as ISO strings", async () => {
    const { code, stdout, stderr, o } = await run(["--json", "--ca", "1", "--sync", "--read", "300", "--ci"]);
    expect(code).toBe(0);
    const asdus = stdout.lines.map((l) => JSON.parse(l) as JsonAsdu);
    const cs = asdus.find((a) => a.typeName === "C_CS_NA_1")!;
    expect(cs.objects[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(asdus.find((a) => a.cotName === "REQUEST")?.objects).toEqual([
      { ioa: 300, value: 23.5, quality: [] },
    ]);
    expect(
      asdus.some((a) => a.typeName === "M_IT_NA_1" && a.cotName === "REQUESTED_BY_GENERAL_COUNTER"),
    ).toBe(true);
    expect(stderr.text).toContain("GI CA 1: complete");
    expect(stderr.text).toContain("read CA 1 IOA 300: 23.5");
    expect(o.received.map((a) => a.typeId)).toEqual([100, 103, 101, 102]);
  });

  it("--command with --select prints select, ACT_CON and ACT_TERM", async () => {
    const { code, stdout } = await run(["--no-gi", "--command", "sc:5001:1", "--select"]);
    expect(code).toBe(0);
    expect(stdout.text).toContain("command 45 CA 1 IOA 5001 value true: select ACT_CON");
    expect(stdout.text).toContain("command 45 CA 1 IOA 5001 value true: ACT_CON");
    expect(stdout.text).toContain("command 45 CA 1 IOA 5001 value true: ACT_TERM");
  });

  it("--command exits 1 on a negative confirmation", async () => {
    const { code, stdout, o } = await run(["--no-gi", "--command", "dc-t:5000:3"]);
    expect(code).toBe(1);
    expect(stdout.text).toMatch(/negative ACTIVATION_CON/);
    expect(o.received[0]).toMatchObject({ typeId: 59 });
  });

  it("plain lines when stdout is not a TTY", async () => {
    const { code, stdout } = await run(["--duration", "0.2"]);
    expect(code).toBe(0);
    expect(stdout.lines.some((l) => / M_ME_NC_1 CA 1 IOA 300 23\.5 INTERROGATED_BY_STATION$/.test(l))).toBe(
      true,
    );
    expect(
      stdout.lines.some((l) => / M_SP_NA_1 CA 1 IOA 101 OFF \[IV\] INTERROGATED_BY_STATION$/.test(l)),
    ).toBe(true);
  });

  it("a live table redrawn in place on a TTY", async () => {
    const { code, stdout } = await run(["--ca", "2", "--duration", "0.3"], true);
    expect(code).toBe(0);
    expect(stdout.text).toContain("\x1b[H\x1b[2J");
    const last = stdout.text.split("\x1b[H\x1b[2J").at(-1)!;
    expect(last).toMatch(/^TYPE\s+CA\s+IOA\s+VALUE\s+QUALITY\s+TIME TAG\s+COT\s+UPDATED/);
    expect(last).toMatch(/M_ME_NB_1\s+2\s+301\s+-42\s+BL\s+INTERROGATED_BY_STATION/);
    expect(last).toContain("GI CA 2: complete");
  });

  it.each([
    [[] as string[], /expected HOST and PORT/],
    [["h", "99999"], /PORT: 99999/],
    [["h", "1", "--command", "xx:1:1"], /--command: xx:1:1 is not TYPE:IOA:VALUE/],
    [["h", "1", "--command", "sc:1:2"], /not 0\/1\/on\/off/],
    [["h", "1", "--select"], /--select needs --command/],
    [["h", "1", "--bogus"], /Unknown option '--bogus'/],
    [["h", "1", "--duration", "x"], /--duration/],
  ])("usage error for %j", async (args, message) => {
    const stdout = new Capture();
    const stderr = new Capture();
    expect(await runClient(args, { stdout, stderr })).toBe(2);
    expect(stderr.text).toMatch(message);
    expect(stderr.text).toContain("usage: client HOST PORT");
  });

  it("exits 1 with a message when it cannot connect", async () => {
    const stdout = new Capture();
    const stderr = new Capture();
    const o = await ScriptedOutstation.start();
    const port = o.port;
    await o.stop();
    expect(await runClient(["127.0.0.1", String(port)], { stdout, stderr })).toBe(1);
    expect(stderr.text).toMatch(/connect to 127\.0\.0\.1:\d+ failed/);
  });

  it("exits 1 when the outstation drops the connection", async () => {
    const o = await ScriptedOutstation.start({
      respond: (_req, _answers, peer) => {
        peer.close();
        return [];
      },
    });
    onCleanup(() => o.stop());
    const stdout = new Capture();
    const code = await runClient(["127.0.0.1", String(o.port), "--ca", "1"], {
      stdout,
      stderr: new Capture(),
    });
    expect(code).toBe(1);
    expect(stdout.text).toContain("connection closed: PEER_CLOSED");
  });
});
