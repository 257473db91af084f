/**
 * An external broker that asks for credentials and enforces an ACL (a real Mosquitto): the gateway
 * logs in with mqtt.username and a password read from a `*_FILE`; a wrong password keeps it not
 * ready with no secret in any log line; a subscription the broker refuses is named in the log, on
 * `bridge/event` and in /readyz, while everything else works.
 */
import { writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { Aedes } from "aedes";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startGateway } from "../../src/app.js";
import { loadConfig } from "../../src/config/index.js";
import { Quality } from "../../src/iec104/codec/quality.js";
import { CaptureLogger } from "../helpers/logger.js";
import { sleep, TestMqtt, until } from "./clients.js";
import { hasMosquitto, onCleanup, startTestGateway, type TestGateway, tempDir } from "./gateway.js";
import { Mosquitto } from "./mosquitto.js";
import { P, standardPoints, uniqueTopic } from "./points.js";

const GW = { username: "gateway", password: "gw-s3cret-pw" };
const OBSERVER = { username: "observer", password: "observer-pw" };
const AVAILABILITY = `plant${process.pid}/rtu1/status`;

/** A value through the gateway to the master. */
async function valueGetsThrough(t: TestGateway, value: number): Promise<void> {
  const mark = t.master.mark();
  await t.mqtt.publish(t.pointTopic(1, P.voltage), String(value));
  await t.master.wait({ ca: 1, ioa: P.voltage, cot: 3, where: (o) => o.value === value }, { since: mark });
}

async function readyz(port: number): Promise<{ status: number; body: string }> {
  const r = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: r.status, body: await r.text() };
}

describe.skipIf(!hasMosquitto())("an external broker with users and an ACL [mosquitto]", () => {
  let mosquitto: Mosquitto;
  beforeAll(async () => {
    mosquitto = await Mosquitto.start({
      users: [GW, OBSERVER],
      acl: [
        `user ${GW.username}`,
        "topic readwrite +/iec104/#",
        `user ${OBSERVER.username}`,
        "topic readwrite #",
        "",
      ].join("\n"),
    });
  });
  afterAll(async () => {
    await mosquitto?.close();
  });

  it("logs in with mqtt.username and the password from IEC104GW_MQTT__PASSWORD_FILE", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "mqtt_password"), `${GW.password}\n`);
    writeFileSync(join(dir, "Datapoints.json"), JSON.stringify(standardPoints(uniqueTopic("weather"))));
    const base = `ext${process.pid}/iec104`;
    const { config } = loadConfig({
      env: {
        IEC104GW_MQTT__MODE: "external",
        IEC104GW_MQTT__URL: mosquitto.url,
        IEC104GW_MQTT__USERNAME: GW.username,
        IEC104GW_MQTT__PASSWORD_FILE: join(dir, "mqtt_password"),
        IEC104GW_MQTT__BASE_TOPIC: base,
        IEC104GW_IEC104__HOST: "127.0.0.1",
        IEC104GW_IEC104__PORT: "0",
        IEC104GW_HTTP__ENABLED: "false",
        IEC104GW_SIMULATOR__ENABLED: "false",
        IEC104GW_DATAPOINTS__FILE: "Datapoints.json",
      },
      cwd: dir,
    });
    expect(config.mqtt.password).toBe(GW.password);
    const observer = await TestMqtt.connect(mosquitto.url, OBSERVER);
    onCleanup(() => observer.close());
    await observer.subscribe(`${base}/#`);
    const gw = await startGateway(config, { logger: new CaptureLogger() });
    onCleanup(() => gw.close("test over"));
    await observer.waitJson(`${base}/bridge/state`, (j) => j.state === "online", { timeoutMs: 5000 });
    await observer.publish(`${base}/point/1/${P.voltage}`, "21.25");
    await observer.waitJson(`${base}/state/1/${P.voltage}`, (j) => j.value === 21.25);
  });

  it("a wrong password: not ready, retried, and no secret in any log line", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "Datapoints.json"), JSON.stringify(standardPoints(uniqueTopic("weather"))));
    const wrong = "not-the-password-4711";
    const { config } = loadConfig({
      env: {
        IEC104GW_MQTT__MODE: "external",
        IEC104GW_MQTT__URL: mosquitto.url,
        IEC104GW_MQTT__USERNAME: GW.username,
        IEC104GW_MQTT__PASSWORD: wrong,
        IEC104GW_MQTT__RECONNECT_PERIOD: "0.2",
        IEC104GW_IEC104__HOST: "127.0.0.1",
        IEC104GW_IEC104__PORT: "0",
        IEC104GW_HTTP__HOST: "127.0.0.1",
        IEC104GW_HTTP__PORT: "0",
        IEC104GW_SIMULATOR__ENABLED: "false",
        IEC104GW_LOG__LEVEL: "debug",
        IEC104GW_DATAPOINTS__FILE: "Datapoints.json",
      },
      cwd: dir,
    });
    const logs = new CaptureLogger();
    const gw = await startGateway(config, { logger: logs });
    onCleanup(() => gw.close("test over"));
    await sleep(800);
    expect(gw.client.connected).toBe(false);
    const ready = await readyz(gw.addresses.http!);
    expect(ready.status).toBe(503);
    expect(ready.body).toContain("MQTT not connected");
    const lines = logs.entries.map((e) => JSON.stringify(e));
    expect(
      lines.some((l) => /not authori[sz]ed|bad user ?name or password|Connection refused/i.test(l)),
    ).toBe(true);
    for (const l of lines) expect(l).not.toContain(wrong);
  });
});

/**
 * Mosquitto (2.0) grants a subscription its ACL denies (SUBACK 0) and just never delivers on it;
 * Aedes, HiveMQ and EMQX answer 0x80. An Aedes broker whose ACL refuses one topic stands for them.
 */
describe("a broker that refuses one of the gateway's subscriptions", () => {
  it("is named in the log, on bridge/event and in /readyz; the rest works, and it is asked for again", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout"], shouldAdvanceTime: true });
    onCleanup(() => {
      vi.useRealTimers();
    });
    const aedes = await Aedes.createBroker();
    let refuse = true;
    aedes.authorizeSubscribe = (_client, sub, done) =>
      done(null, refuse && sub.topic === AVAILABILITY ? null : sub);
    const server = createServer((socket) => aedes.handle(socket));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    onCleanup(async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => aedes.close(() => r()));
    });
    const { port } = server.address() as AddressInfo;
    const t = await startTestGateway({
      broker: "mosquitto",
      mosquitto: { url: `mqtt://127.0.0.1:${port}` } as Mosquitto,
      datapoints: standardPoints(uniqueTopic("weather")),
      config: {
        bridge: { availability: [{ topic: AVAILABILITY, points: "all" }] },
        http: { enabled: true, host: "127.0.0.1", port: 0 },
      },
    });
    const event = await t.mqtt.waitJson(t.topic("bridge/event"), (j) => j.topic === AVAILABILITY);
    expect(event).toMatchObject({ type: "error", reason: expect.stringContaining("subscription refused") });
    const logged = t.logs.entries.find((e) => e.level === "error" && e.msg.includes("subscription refused"));
    expect(logged?.obj).toMatchObject({ topic: AVAILABILITY });
    expect(t.gw.bridge.refusedSubscriptions).toEqual([AVAILABILITY]);
    // Online, and values still reach the master.
    await valueGetsThrough(t, 17.5);
    const ready = await readyz(t.gw.addresses.http!);
    expect(ready.status).toBe(503);
    expect(ready.body).toContain(AVAILABILITY);

    // The broker's ACL is fixed: the next attempt (every 30 s) gets it. (Without the master, whose
    // link timers would expire in the jump.)
    await t.master.close();
    refuse = false;
    await vi.advanceTimersByTimeAsync(30_000);
    vi.useRealTimers();
    await until(() => t.gw.bridge.refusedSubscriptions.length === 0, "the subscription granted");
    expect((await readyz(t.gw.addresses.http!)).status).toBe(200);
    const master = await t.newMaster();
    const mark = master.mark();
    await t.mqtt.publish(AVAILABILITY, "offline");
    await master.wait(
      { ca: 1, ioa: P.voltage, where: (o) => (Number(o.quality) & Quality.IV) !== 0 },
      { since: mark },
    );
  });
});
