/** Two in-process duplex streams wired to each other, optionally re-chunking what crosses. */
import { Duplex } from "node:stream";

export interface PairOptions {
  /** Deliver what A writes to B in chunks of at most this many octets (default: as written). */
  chunkSize?: number;
}

export interface PairEnd extends Duplex {
  /** How many times `_write`/`_writev` ran (one per flushed write batch). */
  writeCalls: number;
}

class End extends Duplex implements PairEnd {
  writeCalls = 0;
  other: End | undefined;
  private readonly chunkSize: number;

  constructor(chunkSize: number) {
    super();
    this.chunkSize = chunkSize;
  }

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.writeCalls++;
    this.deliver(chunk);
    cb();
  }

  override _writev(chunks: { chunk: Buffer }[], cb: (err?: Error | null) => void): void {
    this.writeCalls++;
    this.deliver(Buffer.concat(chunks.map((c) => c.chunk)));
    cb();
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.other?.push(null);
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    const other = this.other;
    if (other !== undefined && !other.destroyed) setImmediate(() => other.destroy());
    cb(err);
  }

  private deliver(data: Buffer): void {
    const other = this.other;
    if (other === undefined || other.destroyed) return;
    for (let i = 0; i < data.length; i += this.chunkSize) other.push(data.subarray(i, i + this.chunkSize));
  }
}

/** [a, b]: what a writes, b reads (re-chunked by `chunkSize`), and the other way round. */
export function duplexPair(opts: PairOptions = {}): [PairEnd, PairEnd] {
  const size = opts.chunkSize ?? Number.MAX_SAFE_INTEGER;
  const a = new End(size);
  const b = new End(size);
  a.other = b;
  b.other = a;
  return [a, b];
}
