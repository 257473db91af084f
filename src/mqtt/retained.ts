/**
 * Retained messages the embedded broker serves without storing them.
 *
 * The gateway's retained `state/<ca>/<ioa>` is, by definition, what the outstation holds. Stored in
 * Aedes' persistence it would be a second copy of every point (packet, topic, payload, map entry:
 * about 800 bytes a point, 80 MB at 100,000 points), rewritten on every change. Instead the broker
 * asks the owner of those topics for them when a subscription needs its retained messages, and the
 * owner builds each from the point image at that moment. Publications to owned topics still reach
 * live subscribers as usual; they are just not kept.
 */
import { Readable } from "node:stream";

export interface RetainedMessage {
  topic: string;
  payload: Buffer;
  qos: 0 | 1;
}

export interface RetainedSource {
  /** True for a topic whose retained message this source holds: the broker does not store it. */
  owns(topic: string): boolean;
  /** The retained messages of its topics that match any of these subscription filters, each once. */
  matching(filters: readonly string[]): Iterable<RetainedMessage>;
}

/** The two retained-message operations of an Aedes persistence that a source takes part in. */
interface RetainedPersistence {
  storeRetained(packet: { topic: string }, cb?: (err: Error | null) => void): unknown;
  createRetainedStreamCombi(patterns: string[]): Readable;
}

/**
 * Makes an Aedes persistence leave a source's topics to it: retained publications to them are not
 * stored, and the retained messages of a subscription come from the persistence, then the source.
 * `source()` is read on each call (the source may be registered after the broker starts).
 */
export function serveRetained(
  persistence: RetainedPersistence,
  source: () => RetainedSource | undefined,
): void {
  const store = persistence.storeRetained.bind(persistence);
  const stream = persistence.createRetainedStreamCombi.bind(persistence);
  persistence.storeRetained = (packet, cb) => {
    if (source()?.owns(packet.topic) !== true) return store(packet, cb);
    if (cb === undefined) return Promise.resolve();
    process.nextTick(cb, null);
    return undefined;
  };
  persistence.createRetainedStreamCombi = (patterns) => {
    const s = source();
    const stored = stream(patterns);
    if (s === undefined) return stored;
    return Readable.from(concat(stored, () => s.matching(patterns)));
  };
}

async function* concat(
  first: AsyncIterable<unknown>,
  then: () => Iterable<RetainedMessage>,
): AsyncGenerator<unknown> {
  yield* first;
  for (const m of then())
    yield { cmd: "publish", topic: m.topic, payload: m.payload, qos: m.qos, retain: true };
}
