/** A copy of the configuration that is safe to log or publish (bridge/info): secrets become "***". */
import type { GatewayConfig, MqttConfig } from "./schema.js";

export const REDACTED = "***";

function mask<T extends string | undefined>(v: T): T {
  return (v === undefined ? v : REDACTED) as T;
}

/** The URL with the password of its user info masked (`mqtts://gw:***@broker:8883`). */
function maskUrl(v: string): string {
  try {
    const url = new URL(v);
    if (url.password === "") return v;
    url.password = REDACTED;
    return url.toString();
  } catch {
    return REDACTED;
  }
}

/** A deep copy with passwords, private keys and URL passwords replaced by "***". */
export function redact(config: GatewayConfig): GatewayConfig {
  const copy = structuredClone(config);
  const { iec104, mqtt } = copy;
  const auth = mqtt.embedded.auth;
  const secrets = {
    password: mask(mqtt.password),
    tls: mqtt.tls === undefined ? undefined : { ...mqtt.tls, key: mask(mqtt.tls.key) },
    embedded: {
      ...mqtt.embedded,
      tls: mqtt.embedded.tls === undefined ? undefined : { ...mqtt.embedded.tls, key: REDACTED },
      auth: auth === undefined ? undefined : { users: auth.users.map((u) => ({ ...u, password: REDACTED })) },
    },
  };
  const maskedMqtt: MqttConfig =
    mqtt.mode === "external" ? { ...mqtt, ...secrets, url: maskUrl(mqtt.url) } : { ...mqtt, ...secrets };
  return {
    ...copy,
    iec104: {
      ...iec104,
      tls: iec104.tls === undefined ? undefined : { ...iec104.tls, key: REDACTED },
    },
    mqtt: maskedMqtt,
  };
}
