/**
 * Throw-away certificates for TLS tests, made by Debian's openssl in a temp dir: a CA, a server
 * certificate for 127.0.0.1, client certificates (valid, expired, signed by another CA).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Pem {
  cert: Buffer;
  key: Buffer;
  certPath: string;
  keyPath: string;
}

export interface TestPki {
  dir: string;
  ca: Pem;
  otherCa: Pem;
  server: Pem;
  client: Pem;
  expiredClient: Pem;
  foreignClient: Pem;
  cleanup(): void;
}

const CA_CONF = `[ ca ]
default_ca = ca_default
[ ca_default ]
dir = .
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
copy_extensions = copy
[ any ]
commonName = supplied
`;

export function makePki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "gw-pki-"));
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const pem = (name: string): Pem => ({
    cert: readFileSync(join(dir, `${name}.crt`)),
    key: readFileSync(join(dir, `${name}.key`)),
    certPath: join(dir, `${name}.crt`),
    keyPath: join(dir, `${name}.key`),
  });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  const selfSigned = (name: string, cn: string) =>
    ssl(
      "req",
      "-x509",
      ...ec,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.crt`,
      "-days",
      "30",
      "-subj",
      `/CN=${cn}`,
    );
  const csr = (name: string, cn: string, ext?: string) =>
    ssl(
      "req",
      ...ec,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.csr`,
      "-subj",
      `/CN=${cn}`,
      ...(ext ? ["-addext", ext] : []),
    );
  const sign = (name: string, ca: string) =>
    ssl(
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      `${ca}.crt`,
      "-CAkey",
      `${ca}.key`,
      "-CAcreateserial",
      "-out",
      `${name}.crt`,
      "-days",
      "30",
      "-copy_extensions",
      "copy",
    );
  selfSigned("ca", "Gateway Test CA");
  selfSigned("other-ca", "Someone Else's CA");
  csr("server", "127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost");
  sign("server", "ca");
  csr("client", "master-1");
  sign("client", "ca");
  csr("foreign", "intruder");
  sign("foreign", "other-ca");
  csr("expired", "old-master");
  writeFileSync(join(dir, "ca.cnf"), CA_CONF);
  writeFileSync(join(dir, "index.txt"), "");
  writeFileSync(join(dir, "serial"), "1000\n");
  ssl(
    "ca",
    "-batch",
    "-config",
    "ca.cnf",
    "-cert",
    "ca.crt",
    "-keyfile",
    "ca.key",
    "-in",
    "expired.csr",
    "-out",
    "expired.crt",
    "-startdate",
    "20200101000000Z",
    "-enddate",
    "20200102000000Z",
    "-notext",
  );
  return {
    dir,
    ca: pem("ca"),
    otherCa: pem("other-ca"),
    server: pem("server"),
    client: pem("client"),
    expiredClient: pem("expired"),
    foreignClient: pem("foreign"),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
