/**
 * IEC 104 over TLS as IEC 62351-3 profiles it: TLS 1.2 or 1.3 only, mutual authentication against a
 * configured CA, certificate checks (expiry, issuer), a configurable cipher list; every failed
 * handshake is refused and logged as a security event, and the outstation carries on.
 */
import { type ConnectionOptions, connect as tlsConnect } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { tlsServerOptions } from "../../src/config/outstation.js";
import { Master } from "../../src/iec104/master/index.js";
import type { OutstationEvent } from "../../src/iec104/outstation/events.js";
import { Outstation } from "../../src/iec104/outstation/server.js";
import { makePki, type TestPki } from "../helpers/certs.js";
import { CaptureLogger } from "../helpers/logger.js";
import { requireTool } from "../helpers/tools.js";

const hasOpenssl = requireTool("openssl", "sudo apt-get install openssl");

describe.skipIf(!hasOpenssl)("IEC 104 over TLS (IEC 62351-3)", () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = makePki();
  });
  afterAll(() => pki?.cleanup());

  async function server(tls: Record<string, unknown> = {}) {
    const config = parseConfig({
      iec104: { tls: { cert: pki.server.certPath, key: pki.server.keyPath, ca: pki.ca.certPath, ...tls } },
    });
    const log = new CaptureLogger();
    const events: OutstationEvent[] = [];
    const os = new Outstation({
      host: "127.0.0.1",
      port: 0,
      stations: [{ ca: 1, points: [{ ioa: 100, typeId: 13, initial: { value: 42, quality: 0 } }] }],
      tls: tlsServerOptions(config.iec104.tls!),
      logger: log,
    });
    os.on("event", (e) => events.push(e));
    const { port } = await os.listen();
    return { os, port, lines: log.entries, events };
  }

  const clientTls = (extra: ConnectionOptions = {}): ConnectionOptions => ({
    ca: pki.ca.cert,
    cert: pki.client.cert,
    key: pki.client.key,
    servername: "localhost",
    ...extra,
  });

  /** Attempts a handshake; resolves with the error message, or "ok". */
  function handshake(port: number, opts: ConnectionOptions): Promise<string> {
    return new Promise((resolve) => {
      const s = tlsConnect({ host: "127.0.0.1", port, ...opts });
      s.once("secureConnect", () => {
        // TLS 1.3 reports a refused client certificate after the handshake, on the first read.
        s.once("data", () => {});
        setTimeout(() => {
          resolve(s.destroyed ? "closed" : "ok");
          s.destroy();
        }, 200);
      });
      s.once("error", (e) => resolve(e.message));
      s.once("close", () => resolve("closed"));
    });
  }

  it("serves a master with a certificate of the configured CA (mutual authentication)", async () => {
    const { os, port } = await server();
    const master = await Master.connect({ host: "127.0.0.1", port, tls: clientTls() });
    await master.startDataTransfer();
    const gi = await master.interrogate(1);
    expect(gi.data.flatMap((a) => a.objects)).toEqual([expect.objectContaining({ ioa: 100, value: 42 })]);
    await master.close();
    await os.close();
  });

  it.each([
    ["no client certificate", () => ({ cert: undefined, key: undefined })],
    ["a certificate of another CA", () => ({ cert: pki.foreignClient.cert, key: pki.foreignClient.key })],
    ["an expired certificate", () => ({ cert: pki.expiredClient.cert, key: pki.expiredClient.key })],
  ] as const)("refuses a master with %s, logged as a security event", async (_what, opts) => {
    const { os, port, lines, events } = await server();
    expect(await handshake(port, clientTls(opts()))).not.toBe("ok");
    await waitFor(() => events.some((e) => e.type === "master-refused"));
    const refused = events.find((e) => e.type === "master-refused");
    expect(refused).toMatchObject({ reason: expect.stringMatching(/^TLS /) });
    expect(lines.some((l) => l.level === "warn" && l.obj.security === true)).toBe(true);
    expect(os.stats.connectionsRefused).toBe(1);
    expect(os.connections.size).toBe(0);
    const master = await Master.connect({ host: "127.0.0.1", port, tls: clientTls() });
    await master.startDataTransfer();
    expect((await master.interrogate(1)).data.length).toBe(1);
    await master.close();
    await os.close();
  });

  it("names the expiry in the reason", async () => {
    const { os, port, events } = await server();
    await handshake(port, clientTls({ cert: pki.expiredClient.cert, key: pki.expiredClient.key }));
    await waitFor(() => events.some((e) => e.type === "master-refused"));
    expect(JSON.stringify(events)).toMatch(/expired/i);
    await os.close();
  });

  it("refuses TLS 1.1 and older", async () => {
    const { os, port } = await server();
    expect(await handshake(port, clientTls({ maxVersion: "TLSv1.1", minVersion: "TLSv1" }))).not.toBe("ok");
    await os.close();
  });

  it("with minVersion TLSv1.3 refuses a TLS 1.2 master", async () => {
    const { os, port } = await server({ minVersion: "TLSv1.3" });
    expect(await handshake(port, clientTls({ maxVersion: "TLSv1.2" }))).not.toBe("ok");
    expect(await handshake(port, clientTls())).toBe("ok");
    await os.close();
  });

  it("applies the configured cipher list (TLS 1.2)", async () => {
    const { os, port } = await server({ ciphers: "ECDHE-ECDSA-AES256-GCM-SHA384" });
    expect(
      await handshake(port, clientTls({ maxVersion: "TLSv1.2", ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256" })),
    ).not.toBe("ok");
    expect(
      await handshake(port, clientTls({ maxVersion: "TLSv1.2", ciphers: "ECDHE-ECDSA-AES256-GCM-SHA384" })),
    ).toBe("ok");
    await os.close();
  });

  it("checks the allowlist before the handshake", async () => {
    const config = parseConfig({
      iec104: { tls: { cert: pki.server.certPath, key: pki.server.keyPath, ca: pki.ca.certPath } },
    });
    const events: OutstationEvent[] = [];
    const os = new Outstation({
      host: "127.0.0.1",
      port: 0,
      allowlist: ["10.9.9.9"],
      stations: [{ ca: 1, points: [{ ioa: 100, typeId: 13 }] }],
      tls: tlsServerOptions(config.iec104.tls!),
    });
    os.on("event", (e) => events.push(e));
    const { port } = await os.listen();
    expect(await handshake(port, clientTls())).not.toBe("ok");
    await waitFor(() => events.length > 0);
    expect(events[0]).toMatchObject({ type: "master-refused", reason: "127.0.0.1 is not in the allowlist" });
    await os.close();
  });
});

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}
