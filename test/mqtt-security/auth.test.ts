/**
 * Authentication and the role ACL of the embedded broker (`mqtt.embedded.auth`), with a whole
 * gateway running: wrong or missing credentials are refused at CONNECT; each role publishes and
 * subscribes only where the ACL says; a refused publication is acknowledged, dropped and logged
 * (the client stays connected), so no forged state or command reaches anyone; only the gateway's
 * own clients, which log in with credentials drawn at start-up, write what the gateway owns.
 */
import { join } from "node:path";
import mqtt from "mqtt";
import { describe, expect, it } from "vitest";
import { startGateway } from "../../src/app.js";
import { parseConfig } from "../../src/config/load.js";
import { Cot, TypeId } from "../../src/iec104/asdu/types.js";
import { json, sleep, type TestMqtt, until } from "../bridge/clients.js";
import { startTestGateway, type TestGateway } from "../bridge/gateway.js";
import { P, standardPoints, uniqueTopic } from "../bridge/points.js";
import { CaptureLogger } from "../helpers/logger.js";
import { REPO_ROOT } from "../helpers/shared.js";

const USERS = [
  { username: "sim", password: "pw-publisher-1", role: "publisher" },
  { username: "plc", password: "pw-executor-1", role: "executor" },
  { username: "hmi", password: "pw-observer-1", role: "observer" },
  { username: "ops", password: "pw-admin-1", role: "admin" },
] as const;
type Name = (typeof USERS)[number]["username"];

const login = (name: Name) => {
  const u = USERS.find((x) => x.username === name)!;
  return { username: u.username, password: u.password };
};

interface Rig {
  t: TestGateway;
  weather: string;
  as(name: Name): Promise<TestMqtt>;
}

async function rig(config: Record<string, unknown> = {}): Promise<Rig> {
  const weather = uniqueTopic("weather");
  const t = await startTestGateway({
    broker: "embedded",
    datapoints: standardPoints(weather),
    config: { mqtt: { embedded: { auth: { users: USERS } } }, bridge: { commandTimeout: 3 }, ...config },
    // The test's observer (subscribed to <base>/#) logs in as the observer.
    clientOptions: login("hmi"),
  });
  return { t, weather, as: (name) => t.newMqtt(login(name)) };
}

function refusals(t: TestGateway, topic: string) {
  return t.logs.entries.filter((e) => e.msg.includes("refused by the ACL") && e.obj.topic === topic);
}

/** Connects and returns the error, or "connected". */
async function tryConnect(url: string, username?: string, password?: string): Promise<string> {
  try {
    const c = await mqtt.connectAsync(url, {
      username,
      password,
      reconnectPeriod: 0,
      connectTimeout: 3000,
      protocolVersion: 4,
    });
    await c.endAsync(true);
    return "connected";
  } catch (e) {
    return (e as Error).message;
  }
}

describe("embedded broker: authentication", () => {
  it("refuses a wrong password, an unknown user and no credentials; logs no password", async () => {
    const { t } = await rig();
    expect(await tryConnect(t.url, "sim", "wrong")).toMatch(/Bad username or password/);
    expect(await tryConnect(t.url, "nobody", "pw-publisher-1")).toMatch(/Bad username or password/);
    expect(await tryConnect(t.url)).toMatch(/Not authorized/);
    expect(await tryConnect(t.url, "sim", "pw-publisher-1")).toBe("connected");
    const refused = t.logs.entries.filter((e) => e.msg.startsWith("MQTT client refused"));
    expect(refused.map((e) => [e.obj.username, e.msg])).toEqual([
      ["sim", "MQTT client refused: bad username or password"],
      ["nobody", "MQTT client refused: bad username or password"],
      [undefined, "MQTT client refused: no username"],
    ]);
    const text = JSON.stringify(t.logs.entries);
    for (const secret of ["wrong", "pw-publisher-1", t.gw.broker!.internal.gateway.password]) {
      expect(text).not.toContain(secret);
    }
  });

  it("the gateway's own credentials are random per start and are not any configured user's", async () => {
    const a = await rig();
    const b = await rig();
    const [ia, ib] = [a.t.gw.broker!.internal, b.t.gw.broker!.internal];
    expect(ia.gateway.password).not.toBe(ib.gateway.password);
    expect(ia.gateway.password).not.toBe(ia.simulator.password);
    expect(ia.gateway.password.length).toBeGreaterThanOrEqual(40);
    expect(USERS.map((u) => u.username)).not.toContain(ia.gateway.username);
    // Another broker's gateway credentials open nothing here.
    expect(await tryConnect(a.t.url, ib.gateway.username, ib.gateway.password)).toMatch(
      /Bad username or password/,
    );
  });

  it("without auth the broker is open, and says so once at start-up", async () => {
    const t = await startTestGateway({ broker: "embedded", datapoints: standardPoints(uniqueTopic("w")) });
    expect(await tryConnect(t.url)).toBe("connected");
    expect(await tryConnect(t.url, "anyone", "anything")).toBe("connected");
    const open = t.logs.entries.filter((e) => e.msg.includes("accepts anyone"));
    expect(open).toHaveLength(1);
    expect(open[0]?.level).toBe("warn");
  });
});

describe("embedded broker: roles", () => {
  it("a publisher feeds values, but cannot forge a state, a command or a result; it stays connected", async () => {
    const { t, weather, as } = await rig();
    const plc = await as("plc");
    await plc.subscribe([t.topic("command/#"), t.topic("state/#")]);
    const sim = await as("sim");

    // Values in: the point topic, a batch and the point's own source topic.
    await sim.publish(t.pointTopic(1, P.voltage), "21.5");
    await t.master.wait({ ca: 1, ioa: P.voltage, cot: Cot.SPONTANEOUS, where: (o) => o.value === 21.5 });
    await sim.publish(t.topic("batch"), JSON.stringify([[1, P.scaled, 42]]));
    await t.master.wait({ ca: 1, ioa: P.scaled, cot: Cot.SPONTANEOUS, where: (o) => o.value === 42 });
    await sim.publish(weather, JSON.stringify({ air: { temperature: 17.25 } }));
    await t.master.wait({ ca: 1, ioa: P.external, cot: Cot.SPONTANEOUS, where: (o) => o.value === 17.25 });
    await t.mqtt.waitJson(t.stateTopic(1, P.voltage), (j) => j.value === 21.5);

    // Forgeries: acknowledged (QoS 1 resolves), dropped, logged.
    const mark = t.mqtt.mark();
    const plcMark = plc.mark();
    const masterMark = t.master.mark();
    const forgedState = JSON.stringify({ value: 666, quality: {}, ts: new Date().toISOString() });
    await sim.publish(t.stateTopic(1, P.voltage), forgedState, { retain: true });
    const forgedCommand = JSON.stringify({ id: "forged-1", type: "C_DC_NA_1", phase: "execute", value: 1 });
    await sim.publish(t.commandTopic(1, P.breakerCmdMqtt), forgedCommand);
    await sim.publish(`${t.commandTopic(1, P.breakerCmdMqtt)}/result`, JSON.stringify({ id: "x", ok: true }));
    await sim.publish(t.topic("bridge/state"), JSON.stringify({ state: "offline" }), { retain: true });
    await sleep(200);
    expect(t.mqtt.messages.slice(mark).map((m) => m.topic)).toEqual([]);
    expect(plc.messages.slice(plcMark)).toEqual([]);
    expect(t.master.events({ ca: 1, ioa: P.voltage }, masterMark)).toEqual([]);
    for (const topic of [
      t.stateTopic(1, P.voltage),
      t.commandTopic(1, P.breakerCmdMqtt),
      t.topic("bridge/state"),
    ]) {
      expect(refusals(t, topic)[0]?.obj).toMatchObject({
        client: sim.client.options.clientId,
        username: "sim",
        topic,
      });
    }
    expect(sim.client.connected).toBe(true);

    // Nothing forged was retained either: a late observer sees the gateway's own state.
    const late = await as("hmi");
    await late.subscribe([t.stateTopic(1, P.voltage), t.topic("bridge/state")]);
    expect(json(await late.wait(t.stateTopic(1, P.voltage))).value).toBe(21.5);
    expect(json(await late.wait(t.topic("bridge/state"))).state).toBe("online");

    // Subscriptions outside the role fail (SUBACK 0x80) and the client carries on.
    await expect(sim.client.subscribeAsync(t.topic("command/#"))).rejects.toThrow(/Subscribe error/);
    await expect(sim.client.subscribeAsync(`${t.base}/#`)).rejects.toThrow(/Subscribe error/);
    await sim.subscribe(t.topic("state/1/+"));
    await sim.publish(t.pointTopic(1, P.voltage), "22.5");
    await sim.waitJson(t.stateTopic(1, P.voltage), (j) => j.value === 22.5);
    expect(refusals(t, t.topic("command/#"))[0]?.msg).toBe("MQTT subscription refused by the ACL");
  });

  it("a client's last will is held to the ACL too: no forged offline for the gateway", async () => {
    const { t } = await rig();
    const mark = t.mqtt.mark();
    const dying = await t.newMqtt({
      ...login("sim"),
      will: {
        topic: t.topic("bridge/state"),
        payload: Buffer.from('{"state":"offline"}'),
        qos: 1,
        retain: true,
      },
    });
    dying.client.options.reconnectPeriod = 0;
    dying.client.stream.destroy();
    await until(() => refusals(t, t.topic("bridge/state"))[0], "the will refused");
    await sleep(100);
    expect(t.mqtt.on(t.topic("bridge/state"), mark)).toEqual([]);
  });

  it("an executor gets the commands and answers them; it cannot publish values", async () => {
    const { t, as } = await rig();
    const plc = await as("plc");
    await plc.subscribe(t.topic("command/+/+"));
    const pending = t.master.master.command({
      ca: 1,
      typeId: TypeId.C_DC_NA_1,
      ioa: P.breakerCmdMqtt,
      value: 1,
    });
    const cmd = json(await plc.wait(t.commandTopic(1, P.breakerCmdMqtt)));
    await plc.publish(
      `${t.commandTopic(1, P.breakerCmdMqtt)}/result`,
      JSON.stringify({ id: cmd.id, ok: true }),
    );
    const r = await pending;
    expect(r.actCon).toMatchObject({ cot: Cot.ACTIVATION_CON, negative: false });
    expect((await r.actTerm).cot).toBe(Cot.ACTIVATION_TERMINATION);

    const mark = t.master.mark();
    await plc.publish(t.pointTopic(1, P.voltage), "31.5");
    await plc.publish(t.stateTopic(1, P.voltage), "31.5");
    await sleep(200);
    expect(t.master.events({ ca: 1, ioa: P.voltage }, mark)).toEqual([]);
    expect(refusals(t, t.pointTopic(1, P.voltage))).toHaveLength(1);
    expect(plc.client.connected).toBe(true);
  });

  it("an observer reads everything and may ask the gateway, but cannot publish values or results", async () => {
    const { t, as } = await rig();
    const hmi = await as("hmi");
    await hmi.subscribe([`${t.base}/#`]);
    const mark = t.master.mark();
    await hmi.publish(t.pointTopic(1, P.voltage), "41.5");
    await hmi.publish(t.topic("batch"), JSON.stringify([[1, P.voltage, 41.5]]));
    await hmi.publish(`${t.commandTopic(1, P.breakerCmdMqtt)}/result`, JSON.stringify({ id: "x", ok: true }));
    await sleep(200);
    expect(t.master.events({ ca: 1, ioa: P.voltage }, mark)).toEqual([]);
    expect(hmi.on(t.pointTopic(1, P.voltage))).toEqual([]);
    await hmi.publish(t.topic("bridge/request/health_check"), JSON.stringify({ transaction: 7 }));
    const answer = await hmi.waitJson(t.topic("bridge/response/health_check"));
    expect(answer).toMatchObject({ transaction: 7, status: "ok" });
    // Nothing outside the base topic.
    await expect(hmi.client.subscribeAsync("#")).rejects.toThrow(/Subscribe error/);
  });

  it("an admin may do anything", async () => {
    const { t, as } = await rig();
    const ops = await as("ops");
    await ops.subscribe("#");
    await ops.publish(t.pointTopic(1, P.voltage), "51.5");
    await t.master.wait({ ca: 1, ioa: P.voltage, cot: Cot.SPONTANEOUS, where: (o) => o.value === 51.5 });
    await ops.publish(t.topic("custom/thing"), "x");
    await ops.wait(t.topic("custom/thing"));
    await ops.wait(t.stateTopic(1, P.voltage));
    expect(t.logs.entries.filter((e) => e.msg.includes("refused by the ACL"))).toEqual([]);
  });
});

describe("embedded broker: the gateway end to end with auth on", () => {
  it("a value in, a command out and its result back", async () => {
    const { t, as } = await rig();
    const sim = await as("sim");
    const plc = await as("plc");
    await plc.subscribe(t.topic("command/+/+"));
    await sim.publish(t.pointTopic(1, P.voltage), "61.5");
    await t.master.wait({ ca: 1, ioa: P.voltage, cot: Cot.SPONTANEOUS, where: (o) => o.value === 61.5 });
    await t.mqtt.waitJson(t.stateTopic(1, P.voltage), (j) => j.value === 61.5);

    const since = t.master.mark();
    const pending = t.master.master.command({
      ca: 1,
      typeId: TypeId.C_SE_NC_1,
      ioa: P.setpointMqtt,
      value: 12.5,
    });
    const cmd = json(await plc.wait(t.commandTopic(1, P.setpointMqtt)));
    expect(cmd).toMatchObject({ type: "C_SE_NC_1", value: 12.5 });
    await plc.publish(
      `${t.commandTopic(1, P.setpointMqtt)}/result`,
      JSON.stringify({ id: cmd.id, ok: true, returnInfo: 12.5 }),
    );
    const r = await pending;
    expect(r.actCon).toMatchObject({ negative: false });
    await t.master.wait({ ca: 1, ioa: P.setpointFeedback, where: (o) => o.value === 12.5 }, { since });
    await t.mqtt.waitJson(t.stateTopic(1, P.setpointFeedback), (j) => j.value === 12.5);
  });

  it("the built-in simulator feeds the shipped points through an authenticated broker", async () => {
    const log = new CaptureLogger();
    const config = parseConfig({
      iec104: { host: "127.0.0.1", port: 0 },
      datapoints: { file: join(REPO_ROOT, "Datapoints.json") },
      mqtt: {
        baseTopic: `auth${process.pid}/sim`,
        embedded: { host: "127.0.0.1", port: 0, auth: { users: [USERS[2]] } },
      },
      simulator: { enabled: true, interval: 0.05 },
      http: { enabled: false },
    });
    const gw = await startGateway(config, { logger: log });
    try {
      const hmi = await mqtt.connectAsync(`mqtt://127.0.0.1:${gw.addresses.mqtt}`, {
        ...login("hmi"),
        protocolVersion: 4,
      });
      // Live (not retained) states of many points: the simulator's values went through the broker.
      const live = new Set<string>();
      hmi.on("message", (topic, _payload, packet) => {
        if (!packet.retain) live.add(topic);
      });
      await hmi.subscribeAsync(`${config.mqtt.baseTopic}/state/#`);
      await until(() => live.size >= 20, "live states of simulated points", 5000);
      await hmi.endAsync(true);
      expect(gw.bridge.stats.valuesAccepted).toBeGreaterThanOrEqual(20);
      expect(log.entries.filter((e) => e.msg.includes("refused"))).toEqual([]);
    } finally {
      await gw.close();
    }
  });
});
