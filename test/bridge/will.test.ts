/**
 * The gateway's will: when its process dies without a clean stop, the broker publishes the retained
 * `bridge/state` offline for it. Mosquitto only (the embedded broker dies with the process): the
 * gateway runs in a child process that the test kills with SIGKILL, or freezes with SIGSTOP so only
 * the short keepalive (2 s here) can tell the broker it is gone. A SIGTERM stops it cleanly.
 */
import type { ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, sleep, TestMqtt } from "./clients.js";
import {
  deepMerge,
  hasMosquitto,
  onCleanup,
  startChildGateway,
  tempDir,
  testConfigInput,
} from "./gateway.js";
import { Mosquitto } from "./mosquitto.js";
import { P, standardPoints, uniqueTopic } from "./points.js";

const KEEPALIVE_S = 2;
/**
 * Mosquitto drops a silent client after 1.5 keepalives, counted in whole seconds and checked once a
 * second (measured: 4 to 5.2 s for a keepalive of 2 s; up to 7.3 s with the whole suite running on
 * two cores, so the bound leaves room for a busy machine).
 */
const FROZEN_LIMIT_MS = KEEPALIVE_S * 1500 + 6000;

interface Child {
  proc: ChildProcess;
  base: string;
  output: () => string;
}

let serial = 0;

async function startChild(mosquitto: Mosquitto): Promise<Child> {
  const dir = tempDir();
  const file = join(dir, "Datapoints.json");
  writeFileSync(file, JSON.stringify(standardPoints(uniqueTopic("weather"))));
  const n = ++serial;
  const base = `child${process.pid}x${n}/iec104`;
  const config = deepMerge(testConfigInput("mosquitto", mosquitto, `gw-child-${process.pid}-${n}`, base), {
    mqtt: { keepalive: KEEPALIVE_S },
    datapoints: { file },
  });
  const { proc, output } = await startChildGateway(config);
  return { proc, base, output };
}

async function watchState(mosquitto: Mosquitto, base: string): Promise<TestMqtt> {
  const c = await TestMqtt.connect(mosquitto.url);
  onCleanup(() => c.close());
  await c.subscribe(`${base}/bridge/state`);
  await c.waitJson(`${base}/bridge/state`, (j) => j.state === "online", { timeoutMs: 5000 });
  return c;
}

const installed = hasMosquitto();

describe.skipIf(!installed)("the will of a gateway that dies [mosquitto]", () => {
  let mosquitto: Mosquitto;
  beforeAll(async () => {
    mosquitto = await Mosquitto.start();
  });
  afterAll(async () => {
    await mosquitto?.close();
  });

  it("kill -9: the broker publishes the retained offline will at once", async () => {
    const child = await startChild(mosquitto);
    const c = await watchState(mosquitto, child.base);
    const mark = c.mark();
    const killedAt = Date.now();
    child.proc.kill("SIGKILL");
    const will = await c.waitJson(`${child.base}/bridge/state`, (j) => j.state === "offline", {
      since: mark,
      timeoutMs: KEEPALIVE_S * 1500 + 500,
    });
    expect(will).toEqual({ state: "offline", reason: "connection lost" });
    expect(Date.now() - killedAt).toBeLessThan(KEEPALIVE_S * 1500 + 500);

    const late = await TestMqtt.connect(mosquitto.url);
    onCleanup(() => late.close());
    await late.subscribe(`${child.base}/bridge/state`);
    const retained = await late.wait(`${child.base}/bridge/state`);
    expect(retained.retain).toBe(true);
    expect(json(retained)).toEqual({ state: "offline", reason: "connection lost" });
  });

  it("a frozen gateway (SIGSTOP) is declared offline by the keepalive (1.5 x 2 s, Mosquitto rounding)", async () => {
    const child = await startChild(mosquitto);
    const c = await watchState(mosquitto, child.base);
    // Traffic first, so the keepalive clock starts from a known point.
    await c.publish(`${child.base}/point/1/${P.voltage}`, "1.5");
    await c.subscribe(`${child.base}/state/1/${P.voltage}`);
    await c.waitJson(`${child.base}/state/1/${P.voltage}`, (j) => j.value === 1.5);
    const mark = c.mark();
    const stoppedAt = Date.now();
    child.proc.kill("SIGSTOP");
    const will = await c.waitJson(`${child.base}/bridge/state`, (j) => j.state === "offline", {
      since: mark,
      timeoutMs: FROZEN_LIMIT_MS,
    });
    expect(will.reason).toBe("connection lost");
    const after = Date.now() - stoppedAt;
    expect(after).toBeGreaterThanOrEqual(KEEPALIVE_S * 1000 - 100);
    expect(after).toBeLessThanOrEqual(FROZEN_LIMIT_MS);
  });

  it("SIGTERM stops cleanly: offline without the will's reason, exit code 0", async () => {
    const child = await startChild(mosquitto);
    const c = await watchState(mosquitto, child.base);
    const mark = c.mark();
    const exited = new Promise<number | null>((r) => child.proc.once("exit", (code) => r(code)));
    child.proc.kill("SIGTERM");
    const off = await c.waitJson(`${child.base}/bridge/state`, (j) => j.state === "offline", { since: mark });
    expect(off.reason).toBeUndefined();
    expect(await exited).toBe(0);
    // No will follows a clean disconnect.
    await sleep(300);
    expect(c.on(`${child.base}/bridge/state`, mark).map((m) => json(m).state)).toEqual(["offline"]);
  });
});
