/**
 * Who may publish and subscribe to what on the embedded broker (`mqtt.embedded.auth`).
 *
 *   role        publish                                              subscribe
 *   publisher   <base>/point/#, <base>/batch, source and             <base>/state/#, <base>/bridge/#
 *               availability topics of the points
 *   executor    <base>/command/+/+/result, <base>/bridge/request/+   <base>/command/#, <base>/state/#,
 *                                                                    <base>/bridge/#
 *   observer    <base>/bridge/request/+                              <base>/#
 *   admin       anything                                             anything
 *   gateway     anything (the gateway's own client; internal)        anything
 *
 * Only `gateway` and `admin` may publish what the gateway owns: `<base>/state/#`, the commands
 * `<base>/command/+/+`, and `<base>/bridge/{state,info,masters,event}`, `<base>/bridge/response/+`,
 * even where another rule would allow it. Nobody publishes to `$...` topics (the broker's own).
 *
 * A subscription is allowed when every topic it can match is readable: `<base>/state/1/+` is within
 * `<base>/state/#`, `<base>/#` is not.
 */
import type { MqttRole } from "../config/schema.js";
import type { Topics } from "./topics.js";

/** The configured roles plus the gateway's own (bridge) client. */
export type Role = MqttRole | "gateway";

interface Rules {
  publish: readonly string[];
  subscribe: readonly string[];
}

/** The roles the table limits (admin and gateway may do anything). */
type LimitedRole = Exclude<Role, "admin" | "gateway">;

export class Acl {
  private readonly rules: Record<LimitedRole, Rules>;
  private readonly reserved: readonly string[];

  /**
   * `sourceTopics`: topics the publishers of the points write besides `<base>/point/...`: the
   * points' own source topics and the availability (last will) topics.
   */
  constructor(topics: Topics, sourceTopics: readonly string[]) {
    const b = topics.base;
    this.rules = {
      publisher: {
        publish: [`${b}/point/#`, `${b}/batch`, ...sourceTopics],
        subscribe: [`${b}/state/#`, `${b}/bridge/#`],
      },
      executor: {
        publish: [`${b}/command/+/+/result`, `${b}/bridge/request/+`],
        subscribe: [`${b}/command/#`, `${b}/state/#`, `${b}/bridge/#`],
      },
      observer: { publish: [`${b}/bridge/request/+`], subscribe: [`${b}/#`] },
    };
    this.reserved = [
      `${b}/state/#`,
      `${b}/command/+/+`,
      `${b}/bridge/state`,
      `${b}/bridge/info`,
      `${b}/bridge/masters`,
      `${b}/bridge/event`,
      `${b}/bridge/response/+`,
    ];
  }

  canPublish(role: Role, topic: string): boolean {
    if (topic.startsWith("$")) return false;
    if (role === "admin" || role === "gateway") return true;
    if (this.reserved.some((f) => topicMatches(f, topic))) return false;
    return this.rules[role].publish.some((f) => topicMatches(f, topic));
  }

  canSubscribe(role: Role, filter: string): boolean {
    if (role === "admin" || role === "gateway") return true;
    return this.rules[role].subscribe.some((f) => filterCovers(f, filter));
  }
}

/** Whether the topic filter `filter` matches the topic name `topic` (MQTT 3.1.1, 4.7). */
export function topicMatches(filter: string, topic: string): boolean {
  // Filters starting with a wildcard do not match topics starting with $ [MQTT-4.7.2-1].
  if (topic.startsWith("$") && (filter.startsWith("#") || filter.startsWith("+"))) return false;
  const f = filter.split("/");
  const t = topic.split("/");
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === "#") return true;
    if (i >= t.length) return false;
    if (level !== "+" && level !== t[i]) return false;
  }
  return f.length === t.length;
}

/**
 * Whether every topic the filter `inner` matches is also matched by the filter `outer` (so a client
 * allowed `outer` may subscribe to `inner`). A `#` in `inner` needs a `#` in `outer` at that level or
 * before; a `+` in `inner` needs a `+` or `#` in `outer`.
 */
export function filterCovers(outer: string, inner: string): boolean {
  if (inner.startsWith("$") && (outer.startsWith("#") || outer.startsWith("+"))) return false;
  const o = outer.split("/");
  const n = inner.split("/");
  for (let i = 0; i < o.length; i++) {
    const level = o[i];
    if (level === "#") return true;
    if (i >= n.length) return false;
    const sub = n[i];
    if (sub === "#") return false;
    if (level === "+") continue;
    if (sub === "+" || sub !== level) return false;
  }
  return o.length === n.length;
}
