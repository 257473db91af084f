/**
 * Commands out: every master command is mirrored on `<base>/command/<ca>/<ioa>` (QoS 1, never
 * retained) and the point's mode decides the ACT_CON: `mqtt` waits for the executor's
 * `.../result` (ok, refusal, timeout, pending/done, return information, select-before-operate),
 * `auto` confirms and mirrors into the status point, `reject` refuses; without a broker an `mqtt`
 * command is refused, and the gateway reconnects and republishes its state afterwards.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Cot, TypeId } from "../../src/iec104/asdu/types.js";
import { type CommandOptions, NegativeConfirmationError } from "../../src/iec104/master/index.js";
import { json, sleep, TestMaster, TestMqtt, until } from "./clients.js";
import {
  deepMerge,
  describeBrokers,
  onCleanup,
  startChildGateway,
  startTestGateway,
  type TestGateway,
  tempDir,
  testConfigInput,
} from "./gateway.js";
import { Mosquitto } from "./mosquitto.js";
import { P, standardPoints, uniqueTopic } from "./points.js";

/** The next command message on `<base>/command/1/<ioa>` from `since`. */
async function nextCommand(t: TestGateway, ioa: number, since: number): Promise<Record<string, unknown>> {
  const m = await t.mqtt.wait(t.commandTopic(1, ioa), () => true, { since });
  expect(m.retain).toBe(false);
  expect(m.qos).toBe(1);
  return json(m);
}

function answer(t: TestGateway, ioa: number, body: Record<string, unknown>): Promise<void> {
  return t.mqtt.publish(`${t.commandTopic(1, ioa)}/result`, JSON.stringify(body));
}

/** A promise's rejection, caught at once (a later `await` would leave it unhandled meanwhile). */
function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => new Error("expected a rejection"),
    (e: unknown) => e,
  );
}

const dc = (ioa: number, value: number, extra: Partial<CommandOptions> = {}): CommandOptions => ({
  ca: 1,
  typeId: TypeId.C_DC_NA_1,
  ioa,
  value,
  ...extra,
});

describeBrokers("commands", (env) => {
  const start = (config: Record<string, unknown> = {}) =>
    env.start({ datapoints: standardPoints(uniqueTopic("weather")), config });

  it("mqtt mode: the command goes out with its fields; ok gives ACT_CON then ACT_TERM", async () => {
    const t = await start();
    const mark = t.mqtt.mark();
    const before = Date.now();
    const pending = t.master.master.command(dc(P.breakerCmdMqtt, 1, { qu: 3 }));
    const cmd = await nextCommand(t, P.breakerCmdMqtt, mark);
    expect(cmd).toMatchObject({
      type: "C_DC_NA_1",
      phase: "execute",
      value: 1,
      select: false,
      qu: 3,
      originator: 0,
      test: false,
      name: "Breaker command (executor)",
      mode: "mqtt",
      master: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
    });
    expect(typeof cmd.id).toBe("string");
    expect(Date.parse(String(cmd.ts))).toBeGreaterThanOrEqual(before - 5);

    await answer(t, P.breakerCmdMqtt, { id: cmd.id, ok: true });
    const r = await pending;
    expect(r.actCon).toMatchObject({ cot: Cot.ACTIVATION_CON, negative: false });
    expect((await r.actTerm).cot).toBe(Cot.ACTIVATION_TERMINATION);
    // No return information: the breaker keeps its state.
    expect(t.master.events({ ca: 1, ioa: P.breaker, cot: Cot.RETURN_INFO_REMOTE })).toEqual([]);
    const ev = await t.mqtt.waitJson(t.topic("bridge/event"), (j) => j.type === "command", { since: mark });
    expect(ev).toMatchObject({ id: cmd.id, phase: "execute", outcome: "confirmed", ioa: P.breakerCmdMqtt });
  });

  it("mqtt mode: ok false gives a negative ACT_CON with the reason on bridge/event", async () => {
    const t = await start();
    const mark = t.mqtt.mark();
    const refused = failure(t.master.master.command(dc(P.breakerCmdMqtt, 2)));
    const cmd = await nextCommand(t, P.breakerCmdMqtt, mark);
    await answer(t, P.breakerCmdMqtt, { id: cmd.id, ok: false, reason: "interlocked" });
    const err = await refused;
    expect(err).toBeInstanceOf(NegativeConfirmationError);
    expect((err as NegativeConfirmationError).reply).toMatchObject({
      cot: Cot.ACTIVATION_CON,
      negative: true,
    });
    const ev = await t.mqtt.waitJson(t.topic("bridge/event"), (j) => j.type === "command", { since: mark });
    expect(ev).toMatchObject({ outcome: "refused", reason: "interlocked" });
  });

  it("mqtt mode: no answer within the command timeout gives a negative ACT_CON; a late answer is an error", async () => {
    const t = await start({ bridge: { commandTimeout: 0.5 } });
    const mark = t.mqtt.mark();
    const began = Date.now();
    const timedOut = failure(t.master.master.command(dc(P.breakerCmdMqtt, 1)));
    const cmd = await nextCommand(t, P.breakerCmdMqtt, mark);
    expect(await timedOut).toBeInstanceOf(NegativeConfirmationError);
    expect(Date.now() - began).toBeGreaterThanOrEqual(450);
    const ev = await t.mqtt.waitJson(t.topic("bridge/event"), (j) => j.type === "command", { since: mark });
    expect(ev.outcome).toBe("timeout");

    await answer(t, P.breakerCmdMqtt, { id: cmd.id, ok: true });
    const late = await t.mqtt.waitJson(t.topic("bridge/event"), (j) => j.type === "error", { since: mark });
    expect(late.topic).toBe(`${t.commandTopic(1, P.breakerCmdMqtt)}/result`);
    expect(String(late.reason)).toContain(String(cmd.id));
  });

  it("mqtt mode: a result with the right id on another point's topic is refused; the command still times out", async () => {
    const t = await start({ bridge: { commandTimeout: 0.6 } });
    const mark = t.mqtt.mark();
    const timedOut = failure(t.master.master.command(dc(P.breakerCmdMqtt, 2)));
    const cmd = await nextCommand(t, P.breakerCmdMqtt, mark);
    await answer(t, P.isolatorCmdMqtt, { id: cmd.id, ok: true });
    const err = await t.mqtt.waitJson(t.topic("bridge/event"), (j) => j.type === "error", { since: mark });
    expect(err.topic).toBe(`${t.commandTopic(1, P.isolatorCmdMqtt)}/result`);
    expect(String(err.reason)).toContain(String(cmd.id));
    expect(String(err.reason)).toContain(`CA 1 IOA ${P.breakerCmdMqtt}`);
    expect(
      t.logs.entries.some(
        (e) => e.level === "warn" && e.msg.includes("rejected MQTT input") && e.msg.includes(String(cmd.id)),
      ),
    ).toBe(true);
    expect(await timedOut).toBeInstanceOf(NegativeConfirmationError);
    const ev = await t.mqtt.waitJson(t.topic("bridge/event"), (j) => j.type === "command", { since: mark });
    expect(ev.outcome).toBe("timeout");
  });

  it("mqtt mode: only the commanded point's result topic confirms a command", async () => {
    const t = await start();
    const mark = t.mqtt.mark();
    const pending = t.master.master.command(dc(P.breakerCmdMqtt, 1));
    const cmd = await nextCommand(t, P.breakerCmdMqtt, mark);
    // A refusal on another point's topic decides nothing...
    await answer(t, P.isolatorCmdMqtt, { id: cmd.id, ok: false, reason: "wrong point" });
    await t.mqtt.waitJson(t.topic("bridge/event"), (j) => j.type === "error", { since: mark });
    // ...the answer on the command's own topic does.
    await answer(t, P.breakerCmdMqtt, { id: cmd.id, ok: true });
    const r = await pending;
    expect(r.actCon.negative).toBe(false);
    expect((await r.actTerm).cot).toBe(Cot.ACTIVATION_TERMINATION);
    const ev = await t.mqtt.waitJson(t.topic("bridge/event"), (j) => j.type === "command", { since: mark });
    expect(ev).toMatchObject({ id: cmd.id, outcome: "confirmed" });
  });

  it("a clean stop answers a command still waiting for its executor with a negative ACT_CON", async () => {
    const t = await start({ bridge: { commandTimeout: 30 } });
    const mark = t.mqtt.mark();
    const refused = failure(t.master.master.command(dc(P.breakerCmdMqtt, 2)));
    await nextCommand(t, P.breakerCmdMqtt, mark);
    const began = Date.now();
    await t.stop();
    const err = await refused;
    expect(err).toBeInstanceOf(NegativeConfirmationError);
    expect((err as NegativeConfirmationError).reply).toMatchObject({
      cot: Cot.ACTIVATION_CON,
      negative: true,
    });
    expect(Date.now() - began).toBeLessThan(5000);
  });

  it("mqtt mode: pending holds the ACT_TERM until done", async () => {
    const t = await start();
    const mark = t.mqtt.mark();
    const pending = t.master.master.command(dc(P.breakerCmdMqtt, 1));
    const cmd = await nextCommand(t, P.breakerCmdMqtt, mark);
    await answer(t, P.breakerCmdMqtt, { id: cmd.id, ok: true, pending: true });
    const r = await pending;
    expect(r.actCon.negative).toBe(false);
    let terminated = false;
    void r.actTerm.then(() => {
      terminated = true;
    });
    await sleep(400);
    expect(terminated).toBe(false);
    await answer(t, P.breakerCmdMqtt, { id: cmd.id, done: true });
    expect((await r.actTerm).cot).toBe(Cot.ACTIVATION_TERMINATION);
  });

  it("mqtt mode: returnInfo changes the status point with COT 11 before the ACT_TERM, and its state", async () => {
    const t = await start();
    const mark = t.mqtt.mark();
    const since = t.master.mark();
    const pending = t.master.master.command(dc(P.breakerCmdMqtt, 1));
    const cmd = await nextCommand(t, P.breakerCmdMqtt, mark);
    await answer(t, P.breakerCmdMqtt, { id: cmd.id, ok: true, returnInfo: 1 });
    const r = await pending;
    const term = await r.actTerm;
    const ri = await t.master.wait({ ca: 1, ioa: P.breaker, cot: Cot.RETURN_INFO_REMOTE }, { since });
    expect(ri.asdu.typeId).toBe(TypeId.M_DP_TB_1);
    expect(ri.obj.value).toBe(1);
    expect(t.master.received.indexOf(ri.asdu)).toBeLessThan(t.master.received.indexOf(term));
    const state = await t.mqtt.waitJson(t.stateTopic(1, P.breaker), (j) => j.value === 1, { since: mark });
    expect(state).toMatchObject({ name: "Breaker", type: "M_DP_TB_1" });
  });

  it("mqtt mode: returnInfo true/false on a double point is on/off; an out-of-range one is a bad result", async () => {
    const t = await start({ bridge: { commandTimeout: 0.6 } });
    /** Commands ON, answers with `returnInfo`; the ACT_TERM, or the error the command failed with. */
    const run = async (returnInfo: unknown) => {
      const mark = t.mqtt.mark();
      const since = t.master.mark();
      const done = t.master.master.command(dc(P.breakerCmdMqtt, 2)).then(
        (r) => r.actTerm,
        (e: unknown) => e,
      );
      const cmd = await nextCommand(t, P.breakerCmdMqtt, mark);
      await answer(t, P.breakerCmdMqtt, { id: cmd.id, ok: true, returnInfo });
      return { mark, since, outcome: await done };
    };
    const status = (since: number) =>
      t.master.wait({ ca: 1, ioa: P.breaker, cot: Cot.RETURN_INFO_REMOTE }, { since });
    let r = await run(false);
    expect((await status(r.since)).obj.value).toBe(1);
    r = await run(true);
    expect((await status(r.since)).obj.value).toBe(2);

    r = await run(7);
    expect(r.outcome).toBeInstanceOf(NegativeConfirmationError);
    const err = await t.mqtt.waitJson(t.topic("bridge/event"), (j) => j.type === "error", { since: r.mark });
    expect(String(err.reason)).toMatch(/returnInfo: 7 is out of range 0\.\.3/);
    expect(t.master.events({ ca: 1, ioa: P.breaker }, r.since)).toEqual([]);
  });

  it("mqtt mode: a set-point's returnInfo updates its measured value (COT 3) and carries ql", async () => {
    const t = await start();
    const mark = t.mqtt.mark();
    const since = t.master.mark();
    const pending = t.master.master.command({
      ca: 1,
      typeId: TypeId.C_SE_NC_1,
      ioa: P.setpointMqtt,
      value: 12.5,
      ql: 5,
    });
    const cmd = await nextCommand(t, P.setpointMqtt, mark);
    expect(cmd).toMatchObject({ type: "C_SE_NC_1", phase: "execute", value: 12.5, ql: 5 });
    expect(cmd.qu).toBeUndefined();
    await answer(t, P.setpointMqtt, { id: cmd.id, ok: true, returnInfo: 12.5 });
    await (await pending).actTerm;
    const fb = await t.master.wait({ ca: 1, ioa: P.setpointFeedback, cot: Cot.SPONTANEOUS }, { since });
    expect(fb.obj.value).toBe(12.5);
    await t.mqtt.waitJson(t.stateTopic(1, P.setpointFeedback), (j) => j.value === 12.5, { since: mark });
  });

  it("mqtt mode: select-before-operate mirrors the select and lets the result decide each step", async () => {
    const t = await start();
    // A refused select.
    let mark = t.mqtt.mark();
    const refused = failure(t.master.master.command(dc(P.isolatorCmdMqtt, 1, { select: true })));
    let cmd = await nextCommand(t, P.isolatorCmdMqtt, mark);
    expect(cmd).toMatchObject({ phase: "select", select: true, value: 1 });
    await answer(t, P.isolatorCmdMqtt, { id: cmd.id, ok: false, reason: "not allowed now" });
    expect(await refused).toBeInstanceOf(NegativeConfirmationError);
    // Without a selection the execute is refused by the outstation (select-only point).
    await expect(t.master.master.command(dc(P.isolatorCmdMqtt, 1))).rejects.toBeInstanceOf(
      NegativeConfirmationError,
    );

    // Select, then execute.
    mark = t.mqtt.mark();
    const since = t.master.mark();
    const selecting = t.master.master.command(dc(P.isolatorCmdMqtt, 1, { select: true }));
    cmd = await nextCommand(t, P.isolatorCmdMqtt, mark);
    expect(cmd).toMatchObject({ phase: "select", select: true });
    await answer(t, P.isolatorCmdMqtt, { id: cmd.id, ok: true });
    const sel = await selecting;
    expect(sel.actCon.negative).toBe(false);

    mark = t.mqtt.mark();
    const executing = t.master.master.command(dc(P.isolatorCmdMqtt, 1));
    cmd = await nextCommand(t, P.isolatorCmdMqtt, mark);
    expect(cmd).toMatchObject({ phase: "execute", select: false, value: 1 });
    await answer(t, P.isolatorCmdMqtt, { id: cmd.id, ok: true, returnInfo: 1 });
    const ex = await executing;
    expect(ex.actCon.negative).toBe(false);
    await ex.actTerm;
    const ri = await t.master.wait({ ca: 1, ioa: P.isolator, cot: Cot.RETURN_INFO_REMOTE }, { since });
    expect(ri.obj.value).toBe(1);

    // A select cancelled with a deactivation.
    mark = t.mqtt.mark();
    const again = t.master.master.command(dc(P.isolatorCmdMqtt, 2, { select: true }));
    cmd = await nextCommand(t, P.isolatorCmdMqtt, mark);
    await answer(t, P.isolatorCmdMqtt, { id: cmd.id, ok: true });
    await again;
    mark = t.mqtt.mark();
    const deact = await t.master.master.deactivate(dc(P.isolatorCmdMqtt, 2));
    expect(deact).toMatchObject({ cot: Cot.DEACTIVATION_CON, negative: false });
    expect(await nextCommand(t, P.isolatorCmdMqtt, mark)).toMatchObject({ phase: "cancel" });
  });

  it("auto mode confirms select and execute, mirrors into the status point (COT 11) and its state", async () => {
    const t = await start();
    const mark = t.mqtt.mark();
    const since = t.master.mark();
    const r = await t.master.master.selectAndExecute(dc(P.breakerCmdAuto, 1));
    expect(r.selectCon.negative).toBe(false);
    expect(r.actCon.negative).toBe(false);
    const term = await r.actTerm;
    const ri = await t.master.wait({ ca: 1, ioa: P.breaker, cot: Cot.RETURN_INFO_REMOTE }, { since });
    expect(ri.obj.value).toBe(1);
    expect(t.master.received.indexOf(ri.asdu)).toBeLessThan(t.master.received.indexOf(term));

    const phases = (
      await until(() => {
        const l = t.mqtt.on(t.commandTopic(1, P.breakerCmdAuto), mark);
        return l.length >= 2 && l;
      }, "both command messages")
    ).map((m) => json(m));
    expect(phases.map((c) => [c.phase, c.mode])).toEqual([
      ["select", "auto"],
      ["execute", "auto"],
    ]);
    await t.mqtt.waitJson(t.stateTopic(1, P.breaker), (j) => j.value === 1, { since: mark });
    const late = await t.newMqtt();
    await late.subscribe(t.stateTopic(1, P.breaker));
    const retained = await late.wait(t.stateTopic(1, P.breaker));
    expect(retained.retain).toBe(true);
    expect(json(retained).value).toBe(1);

    // A single command mirrors into its single point.
    const alarmSince = t.master.mark();
    const sc = await t.master.master.command({
      ca: 1,
      typeId: TypeId.C_SC_NA_1,
      ioa: P.alarmCmd,
      value: true,
    });
    await sc.actTerm;
    const alarm = await t.master.wait(
      { ca: 1, ioa: P.alarm, cot: Cot.RETURN_INFO_REMOTE },
      { since: alarmSince },
    );
    expect(alarm.obj.value).toBe(true);
  });

  it("reject mode gives a negative ACT_CON (and the command is still mirrored)", async () => {
    const t = await start();
    const mark = t.mqtt.mark();
    await expect(
      t.master.master.command({ ca: 1, typeId: TypeId.C_SC_NA_1, ioa: P.rejected, value: true }),
    ).rejects.toBeInstanceOf(NegativeConfirmationError);
    const cmd = await nextCommand(t, P.rejected, mark);
    expect(cmd).toMatchObject({ type: "C_SC_NA_1", mode: "reject", value: true });
  });

  it("without a broker connection an mqtt command is refused; the gateway reconnects and republishes", async () => {
    let mosquitto: Mosquitto | undefined;
    if (env.kind === "mosquitto") {
      const m = await Mosquitto.start();
      onCleanup(() => m.close());
      mosquitto = m;
    }
    const t = await startTestGateway({
      broker: env.kind,
      mosquitto,
      datapoints: standardPoints(uniqueTopic("weather")),
    });
    await t.mqtt.publish(t.pointTopic(1, P.voltage), "24.5");
    await t.mqtt.waitJson(t.stateTopic(1, P.voltage), (j) => j.value === 24.5);

    let mark = t.mqtt.mark();
    if (mosquitto !== undefined) {
      await mosquitto.stop();
    } else {
      // The embedded broker refuses new connections while "down"; the gateway's connection drops.
      const aedes = t.gw.broker!.aedes;
      const preConnect = aedes.preConnect;
      aedes.preConnect = (client, packet, done) =>
        client.id === t.config.mqtt.clientId ? done(null, false) : preConnect(client, packet, done);
      onCleanup(() => {
        aedes.preConnect = preConnect;
      });
      t.gw.client.stream.destroy();
      // The broker publishes the gateway's will.
      const will = await t.mqtt.waitJson(t.topic("bridge/state"), (j) => j.state === "offline", {
        since: mark,
      });
      expect(will.reason).toBe("connection lost");
    }
    await until(() => !t.gw.client.connected, "the gateway to lose its broker");

    await expect(t.master.master.command(dc(P.breakerCmdMqtt, 1))).rejects.toBeInstanceOf(
      NegativeConfirmationError,
    );
    // auto mode still works without a broker.
    const auto = await t.master.master.command({
      ca: 1,
      typeId: TypeId.C_SC_NA_1,
      ioa: P.alarmCmd,
      value: true,
    });
    await auto.actTerm;

    if (mosquitto !== undefined) {
      await mosquitto.run();
    } else {
      const aedes = t.gw.broker!.aedes;
      aedes.preConnect = (_client, _packet, done) => done(null, true);
    }
    await until(() => t.gw.client.connected, "the gateway to reconnect", 5000);
    // A fresh client sees the state republished (Mosquitto lost every retained message).
    const c = await t.newMqtt();
    mark = c.mark();
    await c.subscribe(t.topic("#"));
    await c.waitJson(t.topic("bridge/state"), (j) => j.state === "online", { since: mark });
    const v = await c.waitJson(t.stateTopic(1, P.voltage), () => true, { since: mark });
    expect(v.value).toBe(24.5);
    const alarm = await c.waitJson(t.stateTopic(1, P.alarm), () => true, { since: mark });
    expect(alarm.value).toBe(true);

    // Commands reach the executor again.
    const cmdMark = c.mark();
    const pending = t.master.master.command(dc(P.breakerCmdMqtt, 1));
    const cmd = json(await c.wait(t.commandTopic(1, P.breakerCmdMqtt), () => true, { since: cmdMark }));
    await c.publish(
      `${t.commandTopic(1, P.breakerCmdMqtt)}/result`,
      JSON.stringify({ id: cmd.id, ok: true }),
    );
    expect((await pending).actCon.negative).toBe(false);
  });
});

/**
 * Runs a gateway in a process of its own (embedded broker), sends it one command and stops it with
 * SIGTERM: the id of that first command of a fresh process.
 */
async function firstCommandIdOfAProcess(file: string, run: number): Promise<string> {
  const base = `restart${process.pid}x${run}/iec104`;
  const config = deepMerge(testConfigInput("embedded", undefined, `gw-restart-${process.pid}-${run}`, base), {
    datapoints: { file },
  });
  const { proc, addresses, exited } = await startChildGateway(config);
  const mqtt = await TestMqtt.connect(`mqtt://127.0.0.1:${addresses.mqtt}`);
  const topic = `${base}/command/1/${P.alarmCmd}`;
  await mqtt.subscribe(topic);
  const master = await TestMaster.connect(addresses.iec104);
  try {
    const r = await master.master.command({ ca: 1, typeId: TypeId.C_SC_NA_1, ioa: P.alarmCmd, value: true });
    await r.actTerm;
    return String(json(await mqtt.wait(topic)).id);
  } finally {
    await master.close();
    await mqtt.close();
    proc.kill("SIGTERM");
    await exited;
  }
}

describe("command ids", () => {
  it("differ between two runs of the gateway, so a late result of the first cannot answer the second", async () => {
    const file = join(tempDir(), "Datapoints.json");
    writeFileSync(file, JSON.stringify(standardPoints(uniqueTopic("weather"))));
    const first = await firstCommandIdOfAProcess(file, 1);
    const second = await firstCommandIdOfAProcess(file, 2);
    // The same first command of the first connection in both processes: the counters restarted...
    expect(first).toMatch(/-m1-1$/);
    expect(second).toMatch(/-m1-1$/);
    // ...but the ids are not the same.
    expect(second).not.toBe(first);
  }, 40_000);
});
