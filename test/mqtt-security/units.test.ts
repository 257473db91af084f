/**
 * The pieces of the broker's security without a broker: topic matching and filter inclusion, the
 * role table, the password check, and the fixed-header reader under every way of cutting a stream.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Acl, filterCovers, type Role, topicMatches } from "../../src/mqtt/acl.js";
import { Authenticator } from "../../src/mqtt/auth.js";
import { PacketHeaderReader } from "../../src/mqtt/limits.js";
import { Topics } from "../../src/mqtt/topics.js";
import { remainingLength } from "./raw.js";

describe("topic filters", () => {
  it("matches as MQTT 3.1.1 section 4.7 says", () => {
    expect(topicMatches("a/#", "a")).toBe(true);
    expect(topicMatches("a/#", "a/b/c")).toBe(true);
    expect(topicMatches("a/+", "a/b")).toBe(true);
    expect(topicMatches("a/+", "a/b/c")).toBe(false);
    expect(topicMatches("a/+/c", "a//c")).toBe(true);
    expect(topicMatches("#", "$SYS/x")).toBe(false);
    expect(topicMatches("+/x", "$SYS/x")).toBe(false);
    expect(topicMatches("a/b", "a/b/c")).toBe(false);
  });

  it("a filter covers another when it matches every topic the other matches", () => {
    expect(filterCovers("a/#", "a/b/+")).toBe(true);
    expect(filterCovers("a/#", "a/#")).toBe(true);
    expect(filterCovers("a/#", "a")).toBe(true);
    expect(filterCovers("a/+/c", "a/+/c")).toBe(true);
    expect(filterCovers("a/+/c", "a/b/c")).toBe(true);
    expect(filterCovers("a/b/#", "a/#")).toBe(false);
    expect(filterCovers("a/b/#", "a/+/x")).toBe(false);
    expect(filterCovers("a/+", "a/#")).toBe(false);
    expect(filterCovers("#", "$SYS/#")).toBe(false);
  });

  it("covering agrees with matching (property)", () => {
    const level = fc.constantFrom("a", "b", "+");
    const filter = fc
      .tuple(fc.array(level, { minLength: 1, maxLength: 4 }), fc.boolean())
      .map(([ls, hash]) => [...ls, ...(hash ? ["#"] : [])].join("/"));
    const topic = fc
      .array(fc.constantFrom("a", "b", "c"), { minLength: 1, maxLength: 6 })
      .map((l) => l.join("/"));
    fc.assert(
      fc.property(filter, filter, topic, (outer, inner, t) => {
        if (filterCovers(outer, inner) && topicMatches(inner, t)) expect(topicMatches(outer, t)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("state topic filters (the retained state the embedded broker serves)", () => {
  const topics = new Topics("site/gw");
  const any = undefined;

  it("names the points a filter matches: all, one CA, one IOA, one point, none", () => {
    expect(topics.stateFilter("#")).toEqual({ ca: any, ioa: any });
    expect(topics.stateFilter("site/#")).toEqual({ ca: any, ioa: any });
    expect(topics.stateFilter("site/gw/state/#")).toEqual({ ca: any, ioa: any });
    expect(topics.stateFilter("+/+/state/+/+")).toEqual({ ca: any, ioa: any });
    expect(topics.stateFilter("site/gw/state/7/#")).toEqual({ ca: 7, ioa: any });
    expect(topics.stateFilter("site/gw/state/7/+")).toEqual({ ca: 7, ioa: any });
    expect(topics.stateFilter("site/gw/state/+/100")).toEqual({ ca: any, ioa: 100 });
    expect(topics.stateFilter("site/gw/state/7/100")).toEqual({ ca: 7, ioa: 100 });
    // '#' also matches the level above it.
    expect(topics.stateFilter("site/gw/state/7/100/#")).toEqual({ ca: 7, ioa: 100 });
    for (const none of [
      "site/gw/state/7",
      "site/gw/state/+",
      "site/gw/state/7/100/x",
      "site/gw/state/07/100",
      "site/gw/state/7/1e2",
      "site/gw/state/65536/1",
      "site/gw/state/1/16777216",
      "site/gw/point/#",
      "other/#",
      "site/gw/state/7/100/+",
    ])
      expect(topics.stateFilter(none), none).toBeUndefined();
    expect(new Topics("$x/gw").stateFilter("#")).toBeUndefined();
    expect(new Topics("$x/gw").stateFilter("$x/gw/state/#")).toEqual({ ca: any, ioa: any });
  });

  it("agrees with MQTT topic matching for every state topic (property)", () => {
    const level = fc.constantFrom("site", "gw", "state", "point", "1", "2", "300", "01", "+", "x");
    const filter = fc
      .tuple(fc.array(level, { minLength: 1, maxLength: 6 }), fc.boolean())
      .map(([ls, hash]) => [...ls, ...(hash ? ["#"] : [])].join("/"));
    const address = fc.constantFrom(1, 2, 300);
    fc.assert(
      fc.property(filter, address, address, (f, ca, ioa) => {
        const w = topics.stateFilter(f);
        const named = w !== undefined && (w.ca ?? ca) === ca && (w.ioa ?? ioa) === ioa;
        expect(named).toBe(topicMatches(f, topics.state(ca, ioa)));
      }),
      { numRuns: 5000 },
    );
  });

  it("parses a state topic", () => {
    expect(topics.parseState("site/gw/state/7/100")).toEqual([7, 100]);
    expect(topics.parseState("site/gw/point/7/100")).toBeUndefined();
  });
});

describe("the role table", () => {
  const acl = new Acl(new Topics("site/gw"), ["plant/rtu1/values", "plant/rtu1/status"]);
  const can = (role: Role, topic: string) => acl.canPublish(role, topic);
  const sub = (role: Role, filter: string) => acl.canSubscribe(role, filter);

  it("publish", () => {
    const rows: [string, Record<Role, boolean>][] = [
      [
        "site/gw/point/1/1001",
        { publisher: true, executor: false, observer: false, admin: true, gateway: true },
      ],
      ["site/gw/batch", { publisher: true, executor: false, observer: false, admin: true, gateway: true }],
      [
        "plant/rtu1/values",
        { publisher: true, executor: false, observer: false, admin: true, gateway: true },
      ],
      [
        "plant/rtu2/values",
        { publisher: false, executor: false, observer: false, admin: true, gateway: true },
      ],
      [
        "site/gw/state/1/1001",
        { publisher: false, executor: false, observer: false, admin: true, gateway: true },
      ],
      [
        "site/gw/command/1/5001",
        { publisher: false, executor: false, observer: false, admin: true, gateway: true },
      ],
      [
        "site/gw/command/1/5001/result",
        { publisher: false, executor: true, observer: false, admin: true, gateway: true },
      ],
      [
        "site/gw/bridge/request/info",
        { publisher: false, executor: true, observer: true, admin: true, gateway: true },
      ],
      [
        "site/gw/bridge/response/info",
        { publisher: false, executor: false, observer: false, admin: true, gateway: true },
      ],
      [
        "site/gw/bridge/state",
        { publisher: false, executor: false, observer: false, admin: true, gateway: true },
      ],
      [
        "site/gw/bridge/event",
        { publisher: false, executor: false, observer: false, admin: true, gateway: true },
      ],
      ["$SYS/broker/x", { publisher: false, executor: false, observer: false, admin: false, gateway: false }],
    ];
    for (const [topic, expected] of rows) {
      const got = Object.fromEntries(Object.keys(expected).map((r) => [r, can(r as Role, topic)]));
      expect({ topic, ...got }).toEqual({ topic, ...expected });
    }
  });

  it("a source topic inside what the gateway owns stays the gateway's", () => {
    const odd = new Acl(new Topics("b"), ["b/state/1/1"]);
    expect(odd.canPublish("publisher", "b/state/1/1")).toBe(false);
  });

  it("subscribe", () => {
    expect(sub("publisher", "site/gw/state/#")).toBe(true);
    expect(sub("publisher", "site/gw/state/1/+")).toBe(true);
    expect(sub("publisher", "site/gw/bridge/#")).toBe(true);
    expect(sub("publisher", "site/gw/command/#")).toBe(false);
    expect(sub("publisher", "site/gw/#")).toBe(false);
    expect(sub("executor", "site/gw/command/+/+")).toBe(true);
    expect(sub("executor", "site/gw/state/#")).toBe(true);
    expect(sub("executor", "site/gw/point/#")).toBe(false);
    expect(sub("observer", "site/gw/#")).toBe(true);
    expect(sub("observer", "#")).toBe(false);
    expect(sub("observer", "plant/rtu1/values")).toBe(false);
    expect(sub("admin", "#")).toBe(true);
    expect(sub("admin", "$SYS/#")).toBe(true);
  });
});

describe("passwords", () => {
  const auth = new Authenticator([
    { username: "sim", password: "secret-1", role: "publisher" },
    { username: "ops", password: "secret-2", role: "admin" },
  ]);

  it("checks username and password together", () => {
    expect(auth.check("sim", Buffer.from("secret-1"))).toEqual({ role: "publisher", internal: false });
    expect(auth.check("ops", Buffer.from("secret-2"))).toEqual({ role: "admin", internal: false });
    expect(auth.check("sim", Buffer.from("secret-2"))).toBeUndefined();
    expect(auth.check("sim", Buffer.from("secret-1x"))).toBeUndefined();
    expect(auth.check("sim", undefined)).toBeUndefined();
    expect(auth.check(undefined, Buffer.from("secret-1"))).toBeUndefined();
    expect(auth.check("nobody", Buffer.from("secret-1"))).toBeUndefined();
  });

  it("knows the gateway's own clients", () => {
    const { gateway, simulator } = auth.internal;
    expect(auth.check(gateway.username, Buffer.from(gateway.password))).toEqual({
      role: "gateway",
      internal: true,
    });
    expect(auth.check(simulator.username, Buffer.from(simulator.password))).toEqual({
      role: "publisher",
      internal: true,
    });
    expect(auth.check(gateway.username, Buffer.from(simulator.password))).toBeUndefined();
  });
});

describe("the fixed-header reader", () => {
  const packet = (type: number, bodyLength: number) =>
    Buffer.concat([Buffer.from([type << 4]), remainingLength(bodyLength), Buffer.alloc(bodyLength, 7)]);

  it("finds the first packet over the limit however the stream is cut", () => {
    const sizes = fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(sizes, fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1 }), (lengths, cuts) => {
        const max = 200;
        const stream = Buffer.concat(lengths.map((n) => packet(3, n)));
        const reader = new PacketHeaderReader(max);
        let found: number | undefined;
        let at = 0;
        for (let i = 0; at < stream.length; i++) {
          const step = cuts[i % cuts.length]!;
          const r = reader.feed(stream.subarray(at, at + step));
          at += step;
          if (r !== undefined && found === undefined) {
            found = r.size;
            expect(r.type).toBe("PUBLISH");
          }
        }
        expect(found).toBe(lengths.find((n) => n > max));
      }),
      { numRuns: 500 },
    );
  });

  it("reads lengths of one to four bytes; stops at a malformed one; can be exempt", () => {
    const big = new PacketHeaderReader(268_435_454);
    expect(big.feed(Buffer.concat([Buffer.from([0x30]), remainingLength(268_435_455)]))).toEqual({
      type: "PUBLISH",
      size: 268_435_455,
    });
    const bad = new PacketHeaderReader(10);
    expect(bad.feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBeUndefined();
    expect(bad.feed(packet(3, 100))).toBeUndefined();
    const exempt = new PacketHeaderReader(10);
    exempt.exempt = true;
    expect(exempt.feed(Buffer.concat([packet(3, 100), packet(8, 5)]))).toBeUndefined();
    const sub = new PacketHeaderReader(10);
    expect(sub.feed(packet(8, 11))).toEqual({ type: "SUBSCRIBE", size: 11 });
  });
});
