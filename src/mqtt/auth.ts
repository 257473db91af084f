/**
 * Usernames and passwords of the embedded broker: the configured users (`mqtt.embedded.auth.users`)
 * and the gateway's own clients, whose credentials are drawn at random at every start and never
 * leave the process (nor its logs). Passwords are compared in constant time, and an unknown username
 * costs the same comparison as a known one.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { MqttRole } from "../config/schema.js";
import type { Role } from "./acl.js";

export interface Credentials {
  username: string;
  password: string;
}

export interface BrokerUser extends Credentials {
  role: MqttRole;
}

/** Who the gateway's own clients are: the bridge (role `gateway`) and the simulator (`publisher`). */
export interface InternalCredentials {
  gateway: Credentials;
  simulator: Credentials;
}

export interface Identity {
  role: Role;
  /** One of the gateway's own clients. */
  internal: boolean;
}

const digest = (secret: string | Buffer): Buffer => createHash("sha256").update(secret).digest();

export class Authenticator {
  readonly internal: InternalCredentials;
  private readonly users = new Map<string, { hash: Buffer; identity: Identity }>();
  private readonly dummy = digest(randomBytes(32));

  constructor(users: readonly BrokerUser[]) {
    this.internal = { gateway: internalCredentials("gateway"), simulator: internalCredentials("simulator") };
    for (const u of users)
      this.users.set(u.username, { hash: digest(u.password), identity: identityOf(u.role) });
    this.users.set(this.internal.gateway.username, {
      hash: digest(this.internal.gateway.password),
      identity: { role: "gateway", internal: true },
    });
    this.users.set(this.internal.simulator.username, {
      hash: digest(this.internal.simulator.password),
      identity: { role: "publisher", internal: true },
    });
  }

  /** The identity of a username and password, or undefined when they do not match a user. */
  check(username: string | undefined, password: Buffer | undefined): Identity | undefined {
    const user = username === undefined ? undefined : this.users.get(username);
    const given = digest(password ?? Buffer.alloc(0));
    const match = timingSafeEqual(given, user?.hash ?? this.dummy);
    return match && user !== undefined && password !== undefined ? user.identity : undefined;
  }
}

function identityOf(role: MqttRole): Identity {
  return { role, internal: false };
}

/** A fresh random username and password (never configured, never logged). */
function internalCredentials(what: string): Credentials {
  return {
    username: `$iec104gw-${what}-${randomBytes(6).toString("hex")}`,
    password: randomBytes(32).toString("base64url"),
  };
}
