/**
 * MQTT over TLS, both ways:
 *  - the embedded broker's TLS listener (`mqtt.embedded.tls`), beside the plain one: clients that
 *    trust the CA get in, others fail the handshake; with `requireClientCert` only clients with a
 *    certificate of the CA; TLS 1.2 or newer only; authentication still applies inside TLS;
 *  - the gateway's client to an external broker (Mosquitto with a TLS listener) over mqtts:// with a
 *    CA and optionally a client certificate; with the wrong CA the connection is refused, logged,
 *    retried at the reconnect period, and /readyz stays 503.
 */
import { request } from "node:http";
import { join } from "node:path";
import type { ConnectionOptions } from "node:tls";
import mqtt, { type IClientOptions } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Gateway, startGateway } from "../../src/app.js";
import { parseConfig } from "../../src/config/load.js";
import { Cot } from "../../src/iec104/asdu/types.js";
import { sleep, until } from "../bridge/clients.js";
import { hasMosquitto, onCleanup, startTestGateway, type TestGateway } from "../bridge/gateway.js";
import { Mosquitto } from "../bridge/mosquitto.js";
import { P, standardPoints, uniqueTopic } from "../bridge/points.js";
import { makePki, type TestPki } from "../helpers/certs.js";
import { CaptureLogger } from "../helpers/logger.js";
import { REPO_ROOT } from "../helpers/shared.js";
import { requireTool } from "../helpers/tools.js";

const hasOpenssl = requireTool("openssl", "sudo apt-get install openssl");

/** Connects; resolves "connected" or the error's message. */
async function tryConnect(
  url: string,
  opts: IClientOptions & Pick<ConnectionOptions, "minVersion" | "maxVersion">,
): Promise<string> {
  try {
    // rejectUnauthorized must be said: mqtt.js reports TLS errors only when it is set.
    const c = await mqtt.connectAsync(
      url,
      {
        reconnectPeriod: 0,
        connectTimeout: 3000,
        protocolVersion: 4,
        rejectUnauthorized: true,
        ...opts,
      },
      false,
    );
    // TLS 1.3 reports a refused client certificate after the handshake: give it a moment.
    await sleep(150);
    const ok = c.connected;
    await c.endAsync(true);
    return ok ? "connected" : "closed";
  } catch (e) {
    return (e as Error).message;
  }
}

function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => {
        body += d.toString();
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe.skipIf(!hasOpenssl)("the embedded broker's TLS listener", () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = makePki();
  });
  afterAll(() => pki?.cleanup());

  const start = (tls: Record<string, unknown> = {}, config: Record<string, unknown> = {}) =>
    startTestGateway({
      broker: "embedded",
      datapoints: standardPoints(uniqueTopic("weather")),
      config: {
        mqtt: { embedded: { tls: { cert: pki.server.certPath, key: pki.server.keyPath, port: 0, ...tls } } },
        ...config,
      },
    });
  const tlsUrl = (t: TestGateway) => `mqtts://127.0.0.1:${t.gw.addresses.mqttTls}`;

  it("serves clients that trust the CA, beside the plain listener; values go through", async () => {
    const t = await start();
    expect(t.gw.addresses.mqttTls).toBeGreaterThan(0);
    expect(t.gw.addresses.mqttTls).not.toBe(t.gw.addresses.mqtt);
    const c = await mqtt.connectAsync(tlsUrl(t), { ca: pki.ca.cert, protocolVersion: 4, reconnectPeriod: 0 });
    onCleanup(() => c.endAsync(true));
    await c.publishAsync(t.pointTopic(1, P.voltage), "71.5", { qos: 1 });
    await t.master.wait({ ca: 1, ioa: P.voltage, cot: Cot.SPONTANEOUS, where: (o) => o.value === 71.5 });
    expect(t.logs.entries.find((e) => e.msg === "embedded MQTT broker listening")?.obj).toMatchObject({
      tlsPort: t.gw.addresses.mqttTls,
    });
  });

  it("refuses clients that do not trust its certificate, and logs the failed handshake", async () => {
    const t = await start();
    expect(await tryConnect(tlsUrl(t), {})).toMatch(/certificate/);
    expect(await tryConnect(tlsUrl(t), { ca: pki.otherCa.cert })).toMatch(/certificate/);
    await until(() => t.logs.entries.find((e) => e.msg === "MQTT TLS handshake failed"), "the log line");
    // A plain MQTT client on the TLS port gets nowhere either.
    expect(await tryConnect(`mqtt://127.0.0.1:${t.gw.addresses.mqttTls}`, { connectTimeout: 1000 })).not.toBe(
      "connected",
    );
  });

  it("requireClientCert: only clients with a certificate of the CA", async () => {
    const t = await start({ requireClientCert: true, ca: pki.ca.certPath });
    const base = { ca: pki.ca.cert };
    expect(await tryConnect(tlsUrl(t), { ...base, cert: pki.client.cert, key: pki.client.key })).toBe(
      "connected",
    );
    expect(await tryConnect(tlsUrl(t), base)).not.toBe("connected");
    expect(
      await tryConnect(tlsUrl(t), { ...base, cert: pki.foreignClient.cert, key: pki.foreignClient.key }),
    ).not.toBe("connected");
    expect(
      await tryConnect(tlsUrl(t), { ...base, cert: pki.expiredClient.cert, key: pki.expiredClient.key }),
    ).not.toBe("connected");
    await until(
      () => t.logs.entries.filter((e) => e.msg.startsWith("MQTT TLS client refused")).length >= 3,
      "three refusals logged",
    );
    const why = t.logs.entries.filter((e) => e.msg.startsWith("MQTT TLS client refused")).map((e) => e.msg);
    expect(why.join("\n")).toMatch(/expired/i);
  });

  it("TLS 1.2 or newer only (minVersion TLSv1.3 refuses a TLS 1.2 client)", async () => {
    const t = await start({ minVersion: "TLSv1.3" });
    expect(await tryConnect(tlsUrl(t), { ca: pki.ca.cert, maxVersion: "TLSv1.2" })).toMatch(/version|alert/i);
    expect(await tryConnect(tlsUrl(t), { ca: pki.ca.cert })).toBe("connected");
    const t12 = await start();
    expect(
      await tryConnect(tlsUrl(t12), { ca: pki.ca.cert, maxVersion: "TLSv1.1", minVersion: "TLSv1" }),
    ).not.toBe("connected");
  });

  it("authentication applies inside TLS too", async () => {
    const users = [{ username: "hmi", password: "pw-tls-1", role: "observer" }];
    const t = await startTestGateway({
      broker: "embedded",
      datapoints: standardPoints(uniqueTopic("weather")),
      config: {
        mqtt: {
          embedded: {
            auth: { users },
            tls: { cert: pki.server.certPath, key: pki.server.keyPath, port: 0 },
          },
        },
      },
      clientOptions: { username: "hmi", password: "pw-tls-1" },
    });
    expect(await tryConnect(tlsUrl(t), { ca: pki.ca.cert })).toMatch(/Not authorized/);
    expect(await tryConnect(tlsUrl(t), { ca: pki.ca.cert, username: "hmi", password: "pw-tls-1" })).toBe(
      "connected",
    );
  });
});

describe.skipIf(!hasOpenssl || !hasMosquitto())("the gateway's client to Mosquitto over TLS", () => {
  let pki: TestPki;
  let plain: Mosquitto;
  let mutual: Mosquitto;
  beforeAll(async () => {
    pki = makePki();
    const files = { cafile: pki.ca.certPath, certfile: pki.server.certPath, keyfile: pki.server.keyPath };
    plain = await Mosquitto.start({ tls: files });
    mutual = await Mosquitto.start({ tls: { ...files, requireCertificate: true } });
  });
  afterAll(async () => {
    await plain?.close();
    await mutual?.close();
    pki?.cleanup();
  });

  it("mqtts:// with the broker's CA: values in, state out", async () => {
    const t = await startTestGateway({
      broker: "mosquitto",
      mosquitto: plain,
      datapoints: standardPoints(uniqueTopic("weather")),
      config: { mqtt: { url: plain.tlsUrl, tls: { ca: pki.ca.certPath } } },
    });
    expect(t.gw.addresses.mqttUrl).toBe(plain.tlsUrl);
    await t.mqtt.publish(t.pointTopic(1, P.voltage), "81.5");
    await t.master.wait({ ca: 1, ioa: P.voltage, cot: Cot.SPONTANEOUS, where: (o) => o.value === 81.5 });
    await t.mqtt.waitJson(t.stateTopic(1, P.voltage), (j) => j.value === 81.5);
  });

  it("with a client certificate when the broker requires one", async () => {
    const t = await startTestGateway({
      broker: "mosquitto",
      mosquitto: mutual,
      datapoints: standardPoints(uniqueTopic("weather")),
      config: {
        mqtt: {
          url: mutual.tlsUrl,
          tls: { ca: pki.ca.certPath, cert: pki.client.certPath, key: pki.client.keyPath },
        },
      },
    });
    await t.mqtt.publish(t.pointTopic(1, P.voltage), "82.5");
    await t.master.wait({ ca: 1, ioa: P.voltage, cot: Cot.SPONTANEOUS, where: (o) => o.value === 82.5 });
    // Without one, the broker refuses the handshake.
    expect(await tryConnect(mutual.tlsUrl, { ca: pki.ca.cert })).not.toBe("connected");
  });

  async function gatewayWith(
    url: string,
    tls: Record<string, unknown>,
  ): Promise<{ gw: Gateway; logs: CaptureLogger }> {
    const logs = new CaptureLogger();
    const config = parseConfig({
      gateway: { id: `gw-tls-${process.pid}` },
      iec104: { host: "127.0.0.1", port: 0 },
      datapoints: { file: join(REPO_ROOT, "Datapoints.json") },
      mqtt: { mode: "external", url, tls, reconnectPeriod: 0.3, baseTopic: `tls${process.pid}/iec104` },
      simulator: { enabled: false },
      http: { host: "127.0.0.1", port: 0 },
    });
    const gw = await startGateway(config, { logger: logs });
    onCleanup(() => gw.close());
    return { gw, logs };
  }

  it("the wrong CA: refused, logged, retried at the reconnect period; /readyz stays 503", async () => {
    const { gw, logs } = await gatewayWith(plain.tlsUrl, { ca: pki.otherCa.certPath });
    const attempts: number[] = [];
    gw.client.on("reconnect", () => attempts.push(Date.now()));
    await until(() => attempts.length >= 3, "three reconnection attempts", 5000);
    expect(gw.client.connected).toBe(false);
    const errors = logs.entries.filter((e) => e.msg === "MQTT error");
    expect(String(errors[0]?.obj.err)).toMatch(/certificate/);
    expect(errors[0]?.level).toBe("warn");
    // Spaced by the reconnect period (0.3 s), not hammering.
    const gaps = attempts.slice(1).map((at, i) => at - attempts[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(250);
    const ready = await httpGet(gw.http!.port, "/readyz");
    expect(ready.status).toBe(503);
    expect(ready.body).toContain("MQTT not connected");
  });

  it("the broker's CA but a broker that wants a client certificate: refused likewise", async () => {
    const { gw, logs } = await gatewayWith(mutual.tlsUrl, { ca: pki.ca.certPath });
    await until(() => logs.entries.some((e) => e.msg === "MQTT error"), "the error logged", 5000);
    await sleep(300);
    expect(gw.client.connected).toBe(false);
    expect((await httpGet(gw.http!.port, "/readyz")).status).toBe(503);
  });
});
