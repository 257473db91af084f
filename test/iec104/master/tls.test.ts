/** The master over TLS, against the scripted outstation with a throw-away self-signed certificate. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Master } from "../../../src/iec104/master/index.js";
import { requireTool } from "../../helpers/tools.js";
import { onCleanup } from "./harness.js";
import { ScriptedOutstation } from "./outstation.js";

const hasOpenssl = requireTool("openssl", "sudo apt-get install openssl");

function selfSigned(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), "iec104-master-tls-"));
  try {
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"]
        .concat(["-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-subj", "/CN=localhost"])
        .concat(["-addext", "subjectAltName=IP:127.0.0.1"]),
      { stdio: "ignore" },
    );
    return { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!hasOpenssl)("Master over TLS", () => {
  it("connects, verifies the server certificate and interrogates", async () => {
    const { key, cert } = selfSigned();
    const o = await ScriptedOutstation.start({ tls: { key, cert, minVersion: "TLSv1.2" } });
    onCleanup(() => o.stop());
    const m = await Master.connect({ host: "127.0.0.1", port: o.port, tls: { ca: cert } });
    onCleanup(() => m.close());
    await m.startDataTransfer();
    expect((await m.interrogate(1)).actTerm.cot).toBe(10);
  });

  it("fails to connect when the certificate is not trusted", async () => {
    const { key, cert } = selfSigned();
    const o = await ScriptedOutstation.start({ tls: { key, cert } });
    onCleanup(() => o.stop());
    await expect(Master.connect({ host: "127.0.0.1", port: o.port, tls: {} })).rejects.toThrow(
      /connect to 127\.0\.0\.1:\d+ failed: .*self-signed/,
    );
  });
});
