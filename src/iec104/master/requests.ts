/**
 * Outstanding requests of a master and the routing of received ASDUs to them. Any number of requests,
 * of any kind, may be outstanding at once: each received ASDU goes to the oldest request that takes
 * it, so two requests with the same type id, CA and IOA are answered in the order they were sent.
 *
 * Each request has an idle timeout: it fails with `RequestTimeoutError` when `timeoutMs` pass without
 * a reply or data ASDU of its own (so a long interrogation does not time out while data flows).
 */
import type { Asdu } from "../asdu/asdu.js";
import { RequestTimeoutError } from "./errors.js";

export abstract class PendingRequest {
  /** e.g. `C_IC_NA_1 CA 1 IOA 0`. */
  abstract readonly label: string;
  /** True once the request has settled; the tracker then drops it. */
  abstract readonly settled: boolean;
  /** Takes the ASDU when it belongs to this request (settling it when complete); false otherwise. */
  abstract offer(asdu: Asdu): boolean;
  /** Settles the request with an error (timeout, closed connection, send failure). */
  abstract fail(err: Error): void;
  /** What the request still waits for, for the timeout message. */
  abstract waitingFor(): string;
}

interface Entry {
  req: PendingRequest;
  timer: ReturnType<typeof setTimeout>;
}

export class RequestTracker {
  private readonly timeoutMs: number;
  private entries: Entry[] = [];

  constructor(timeoutMs: number) {
    this.timeoutMs = timeoutMs;
  }

  get size(): number {
    return this.entries.length;
  }

  add(req: PendingRequest): void {
    const entry: Entry = {
      req,
      timer: setTimeout(() => this.expire(entry), this.timeoutMs),
    };
    entry.timer.unref?.();
    this.entries.push(entry);
  }

  /** Routes a received ASDU; true when a request took it. */
  offer(asdu: Asdu): boolean {
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (!e.req.offer(asdu)) continue;
      if (e.req.settled) this.drop(e);
      else e.timer.refresh();
      return true;
    }
    return false;
  }

  /** Fails a request that could not be sent and forgets it. */
  abort(req: PendingRequest, err: Error): void {
    const e = this.entries.find((x) => x.req === req);
    if (e !== undefined) this.drop(e);
    req.fail(err);
  }

  /** Fails every outstanding request (the connection closed). */
  failAll(makeError: (label: string) => Error): void {
    const all = this.entries;
    this.entries = [];
    for (const e of all) {
      clearTimeout(e.timer);
      e.req.fail(makeError(e.req.label));
    }
  }

  private expire(e: Entry): void {
    this.drop(e);
    e.req.fail(new RequestTimeoutError(e.req.label, e.req.waitingFor(), this.timeoutMs));
  }

  private drop(e: Entry): void {
    clearTimeout(e.timer);
    const i = this.entries.indexOf(e);
    if (i >= 0) this.entries.splice(i, 1);
  }
}

/** A promise with its settle functions. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: Error): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
