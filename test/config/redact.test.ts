/** redact: nothing secret survives, everything else does, and the original is untouched. */
import { describe, expect, it } from "vitest";
import { defaultConfig, parseConfig, REDACTED, redact } from "../../src/config/index.js";

const SECRETS = [
  "pw-mqtt",
  "pw-url",
  "pw-user-1",
  "pw-user-2",
  "/keys/gw.key",
  "/keys/client.key",
  "/keys/broker.key",
];

describe("redact", () => {
  it("masks passwords, private keys and URL passwords", () => {
    const config = parseConfig({
      iec104: { tls: { cert: "/keys/gw.pem", key: "/keys/gw.key", ca: "/keys/ca.pem" } },
      mqtt: {
        mode: "external",
        url: "mqtts://gw:pw-url@broker:8883",
        username: "gw",
        password: "pw-mqtt",
        tls: { cert: "/keys/client.pem", key: "/keys/client.key" },
        embedded: {
          tls: { cert: "/keys/broker.pem", key: "/keys/broker.key" },
          auth: {
            users: [
              { username: "a", password: "pw-user-1", role: "admin" },
              { username: "b", password: "pw-user-2", role: "observer" },
            ],
          },
        },
      },
    });
    const before = JSON.stringify(config);
    const safe = redact(config);
    const text = JSON.stringify(safe);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(safe.mqtt.password).toBe(REDACTED);
    expect(safe.mqtt.mode === "external" && safe.mqtt.url).toBe("mqtts://gw:***@broker:8883");
    expect(safe.mqtt.embedded.auth?.users.map((u) => [u.username, u.password, u.role])).toEqual([
      ["a", "***", "admin"],
      ["b", "***", "observer"],
    ]);
    expect(safe.iec104.tls).toMatchObject({ cert: "/keys/gw.pem", key: "***", ca: "/keys/ca.pem" });
    expect(safe.mqtt.tls).toMatchObject({ cert: "/keys/client.pem", key: "***" });
    expect(safe.mqtt.embedded.tls).toMatchObject({ cert: "/keys/broker.pem", key: "***", port: 8883 });
    expect(safe.mqtt.username).toBe("gw");
    expect(JSON.stringify(config)).toBe(before);
  });

  it("leaves unset secrets unset and changes nothing else", () => {
    const config = defaultConfig();
    expect(redact(config)).toEqual(config);
    const ext = parseConfig({ mqtt: { mode: "external", url: "mqtt://broker:1883" } });
    expect(redact(ext)).toEqual(ext);
  });

  it("is a deep copy", () => {
    const config = parseConfig({ iec104: { allowlist: ["10.0.0.1"] } });
    const safe = redact(config);
    safe.iec104.allowlist.push("10.0.0.2");
    expect(config.iec104.allowlist).toEqual(["10.0.0.1"]);
  });
});
