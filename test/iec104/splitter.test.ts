/**
 * ApduSplitter: framing of a TCP stream is independent of how the stream is chunked, frames handed
 * out stay intact whatever is pushed afterwards, and bad input raises only DecodeError.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ApduSplitter,
  DecodeError,
  DecodeErrorCode,
  decodeApdu,
  encodeApdu,
  encodeSFrame,
  encodeUFrame,
  TypeId,
} from "../../src/iec104/index.js";
import { frameArb, rawFrameArb } from "./arbitraries.js";

/** Valid APDUs of every type mixed with frames that only have a true start and length octet. */
const anyFrameArb = fc.oneof(frameArb(), rawFrameArb);
const framesArb = fc.array(anyFrameArb, { maxLength: 25 });

/** How a chunk is handed over: a fresh Buffer, a plain Uint8Array, or a view inside a larger buffer. */
type ChunkStyle = "buffer" | "uint8array" | "view";
const chunkStyleArb = fc.constantFrom<ChunkStyle>("buffer", "uint8array", "view");

function makeChunk(bytes: Uint8Array, style: ChunkStyle): Uint8Array {
  switch (style) {
    case "buffer":
      return Buffer.from(bytes);
    case "uint8array":
      return new Uint8Array(bytes);
    case "view": {
      // Junk before and after, so a wrong byteOffset would show.
      const backing = new Uint8Array(bytes.length + 7).fill(0xee);
      backing.set(bytes, 3);
      return backing.subarray(3, 3 + bytes.length);
    }
  }
}

function concat(frames: readonly Uint8Array[]): Buffer {
  return Buffer.concat(frames);
}

/** Cuts `stream` at the given points (any order, duplicates give empty chunks). */
function cutAt(stream: Uint8Array, cuts: readonly number[], style: ChunkStyle = "buffer"): Uint8Array[] {
  const points = [0, ...[...cuts].sort((a, b) => a - b), stream.length];
  const chunks: Uint8Array[] = [];
  for (let i = 1; i < points.length; i++)
    chunks.push(makeChunk(stream.subarray(points[i - 1], points[i]), style));
  return chunks;
}

function bytesOf(stream: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < stream.length; i += size) chunks.push(Buffer.from(stream.subarray(i, i + size)));
  return chunks;
}

interface Fed {
  frames: Buffer[];
  /** Hex of each frame when it was yielded. */
  snapshots: string[];
  /** The frames yielded by each push. */
  perPush: number[];
}

/** Pushes every chunk, checking `pending` after each push, and collects the frames. */
function feed(chunks: readonly Uint8Array[], splitter = new ApduSplitter()): Fed {
  const fed: Fed = { frames: [], snapshots: [], perPush: [] };
  let pushed = 0;
  let framed = 0;
  for (const chunk of chunks) {
    const out = splitter.push(chunk);
    pushed += chunk.length;
    for (const f of out) {
      expect(Buffer.isBuffer(f)).toBe(true);
      framed += f.length;
      fed.frames.push(f);
      fed.snapshots.push(f.toString("hex"));
    }
    fed.perPush.push(out.length);
    expect(splitter.pending).toBe(pushed - framed);
  }
  return fed;
}

function expectSameFrames(fed: Fed, frames: readonly Uint8Array[]): void {
  const want = frames.map((f) => Buffer.from(f).toString("hex"));
  expect(fed.snapshots).toEqual(want);
  // Again after every push: a frame handed out earlier must not have changed since.
  expect(fed.frames.map((f) => f.toString("hex"))).toEqual(want);
}

describe("ApduSplitter is chunking-independent", () => {
  it("frames cut at arbitrary points come out as they went in, in order", () => {
    const caseArb = framesArb.chain((frames) => {
      const total = frames.reduce((n, f) => n + f.length, 0);
      return fc.tuple(
        fc.constant(frames),
        fc.array(fc.integer({ min: 0, max: total }), { maxLength: 60 }),
        chunkStyleArb,
      );
    });
    fc.assert(
      fc.property(caseArb, ([frames, cuts, style]) => {
        const stream = concat(frames);
        const splitter = new ApduSplitter();
        expectSameFrames(feed(cutAt(stream, cuts, style), splitter), frames);
        expect(splitter.pending).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it("the same frames whole, in one chunk, one octet at a time and in chunks of every size 1..20", () => {
    fc.assert(
      fc.property(fc.array(anyFrameArb, { maxLength: 8 }), (frames) => {
        const stream = concat(frames);
        expectSameFrames(feed([stream]), frames);
        expectSameFrames(feed(frames.map((f) => Buffer.from(f))), frames);
        for (let size = 1; size <= 20; size++) expectSameFrames(feed(bytesOf(stream, size)), frames);
      }),
      { numRuns: 40 },
    );
  });

  it("the splitter keeps no reference to a chunk: a caller may reuse its buffer after push", () => {
    const caseArb = framesArb.chain((frames) => {
      const total = frames.reduce((n, f) => n + f.length, 0);
      return fc.tuple(fc.constant(frames), fc.array(fc.integer({ min: 0, max: total }), { maxLength: 60 }));
    });
    fc.assert(
      fc.property(caseArb, ([frames, cuts]) => {
        const splitter = new ApduSplitter();
        const snapshots: string[] = [];
        for (const chunk of cutAt(concat(frames), cuts)) {
          for (const f of splitter.push(chunk)) snapshots.push(f.toString("hex"));
          // Frames that arrived whole are views of the chunk (zero-copy) and are checked above; the
          // splitter itself must not read this chunk again.
          chunk.fill(0xa5);
        }
        expect(snapshots).toEqual(frames.map((f) => f.toString("hex")));
        expect(splitter.pending).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});

/** A valid APDU: an M_ME_NC_1 I-frame of `n` objects (n = 1..30 gives 21..251 octets). */
function measuredFrame(n: number, seed = 0): Buffer {
  const objects = Array.from({ length: n }, (_, i) => ({
    ioa: seed * 100 + i,
    value: seed + i / 4,
    quality: 0,
  }));
  return encodeApdu({
    format: "I",
    ns: seed & 0x7fff,
    nr: 0,
    asdu: {
      typeId: TypeId.M_ME_NC_1,
      sq: false,
      cot: 3,
      test: false,
      negative: false,
      oa: 0,
      ca: 1,
      objects,
    },
  });
}

/** A frame of the largest size, 255 octets (length octet 253), with a recognisable body. */
function maxFrame(tag: number): Buffer {
  const f = Buffer.alloc(255, tag);
  f[0] = 0x68;
  f[1] = 253;
  return f;
}

describe("ApduSplitter examples", () => {
  it("one octet at a time: each frame comes out with its last octet, not before", () => {
    const frames = [
      measuredFrame(3, 1),
      encodeSFrame(7),
      Buffer.from(encodeUFrame("TESTFR_ACT")),
      maxFrame(1),
    ];
    const splitter = new ApduSplitter();
    const got: Buffer[] = [];
    for (const f of frames) {
      for (let i = 0; i < f.length; i++) {
        const out = splitter.push(f.subarray(i, i + 1));
        expect(out).toHaveLength(i === f.length - 1 ? 1 : 0);
        expect(splitter.pending).toBe(i === f.length - 1 ? 0 : i + 1);
        got.push(...out);
      }
    }
    expect(got.map((f) => f.toString("hex"))).toEqual(frames.map((f) => f.toString("hex")));
  });

  it("100 frames in one chunk", () => {
    const frames = Array.from({ length: 100 }, (_, i) => measuredFrame((i % 30) + 1, i));
    const splitter = new ApduSplitter();
    const out = splitter.push(concat(frames));
    expect(out).toHaveLength(100);
    expect(splitter.pending).toBe(0);
    out.forEach((f, i) => {
      expect(f.equals(frames[i]!)).toBe(true);
      expect(decodeApdu(f)).toEqual(decodeApdu(frames[i]!));
    });
  });

  it("a frame split right after 0x68", () => {
    const f = measuredFrame(2);
    const splitter = new ApduSplitter();
    expect(splitter.push(f.subarray(0, 1))).toEqual([]);
    expect(splitter.pending).toBe(1);
    const out = splitter.push(f.subarray(1));
    expect(out).toHaveLength(1);
    expect(out[0]!.equals(f)).toBe(true);
    expect(splitter.pending).toBe(0);
  });

  it("a frame split right after the length octet", () => {
    const f = measuredFrame(2);
    const splitter = new ApduSplitter();
    expect(splitter.push(f.subarray(0, 2))).toEqual([]);
    expect(splitter.pending).toBe(2);
    const out = splitter.push(f.subarray(2));
    expect(out.map((x) => x.toString("hex"))).toEqual([f.toString("hex")]);
  });

  it("a frame split after 0x68 and again after the length octet, with the next frame in the same chunk", () => {
    const a = measuredFrame(4, 1);
    const b = encodeSFrame(12);
    const splitter = new ApduSplitter();
    expect(splitter.push(a.subarray(0, 1))).toEqual([]);
    expect(splitter.push(a.subarray(1, 2))).toEqual([]);
    const out = splitter.push(Buffer.concat([a.subarray(2), b]));
    expect(out.map((x) => x.toString("hex"))).toEqual([a.toString("hex"), b.toString("hex")]);
  });

  it("an empty chunk changes nothing, whatever is pending", () => {
    const f = measuredFrame(5);
    for (const cut of [0, 1, 2, 3, f.length - 1, f.length]) {
      const splitter = new ApduSplitter();
      const got = [
        ...splitter.push(new Uint8Array(0)),
        ...splitter.push(f.subarray(0, cut)),
        ...splitter.push(Buffer.alloc(0)),
      ];
      expect(splitter.pending).toBe(cut === f.length ? 0 : cut);
      got.push(...splitter.push(f.subarray(cut)), ...splitter.push(new Uint8Array(0)));
      expect(got.map((x) => x.toString("hex"))).toEqual([f.toString("hex")]);
      expect(splitter.pending).toBe(0);
    }
  });

  it("255-octet frames, back to back and split at every point", () => {
    const frames = [maxFrame(0x11), maxFrame(0x22), maxFrame(0x33)];
    const stream = concat(frames);
    expectSameFrames(feed([stream]), frames);
    for (let cut = 0; cut <= stream.length; cut++) expectSameFrames(feed(cutAt(stream, [cut])), frames);
    expectSameFrames(
      feed([stream.subarray(0, 254), stream.subarray(254, 256), stream.subarray(256)]),
      frames,
    );
  });

  it("the smallest frames (6 octets) in chunks of 5 and 7", () => {
    const frames = Array.from({ length: 20 }, (_, i) => encodeSFrame(i * 1000));
    for (const size of [5, 7]) expectSameFrames(feed(bytesOf(concat(frames), size)), frames);
  });

  it("a frame completed from held-back octets is a copy: later partial frames do not overwrite it", () => {
    const a = maxFrame(0x41);
    const b = maxFrame(0x42);
    const c = maxFrame(0x43);
    const splitter = new ApduSplitter();
    const got: Buffer[] = [];
    // a: 100 octets held back, completed by the next chunk, which also starts b (held back in turn)...
    got.push(...splitter.push(a.subarray(0, 100)));
    got.push(...splitter.push(Buffer.concat([a.subarray(100), b.subarray(0, 200)])));
    expect(got).toHaveLength(1);
    // ...b completed from the same internal buffer, c started in it, then c completed.
    got.push(...splitter.push(Buffer.concat([b.subarray(200), c.subarray(0, 1)])));
    got.push(...splitter.push(c.subarray(1, 2)));
    got.push(...splitter.push(c.subarray(2)));
    expect(got).toHaveLength(3);
    expect(got.map((x) => x.toString("hex"))).toEqual([a, b, c].map((x) => x.toString("hex")));
    // The three frames do not share memory with each other.
    got[0]!.fill(0);
    expect(got[1]!.equals(b)).toBe(true);
    expect(got[2]!.equals(c)).toBe(true);
  });
});

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("ApduSplitter on bad input", () => {
  function pushAll(
    splitter: ApduSplitter,
    chunks: readonly Uint8Array[],
  ): { frames: Buffer[]; error?: unknown } {
    const frames: Buffer[] = [];
    for (const c of chunks) {
      try {
        frames.push(...splitter.push(c));
      } catch (e) {
        return { frames, error: e };
      }
    }
    return { frames };
  }

  it("random streams raise nothing but DecodeError, and a failed splitter stays failed", () => {
    const caseArb = fc
      .array(fc.oneof(anyFrameArb, fc.uint8Array({ minLength: 1, maxLength: 8 })), { maxLength: 12 })
      .chain((parts) => {
        const stream = concat(parts);
        return fc.tuple(
          fc.constant(stream),
          fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 20 }),
        );
      });
    fc.assert(
      fc.property(caseArb, ([stream, cuts]) => {
        const splitter = new ApduSplitter();
        const { error } = pushAll(splitter, cutAt(stream, cuts));
        if (error === undefined) return;
        expect(error).toBeInstanceOf(DecodeError);
        const e = error as DecodeError;
        expect([DecodeErrorCode.BAD_START, DecodeErrorCode.BAD_LENGTH]).toContain(e.code);
        for (const later of [new Uint8Array(0), Buffer.from(encodeSFrame(0))]) {
          const again = thrown(() => splitter.push(later));
          expect(again).toBeInstanceOf(DecodeError);
          expect((again as DecodeError).code).toBe(e.code);
          expect((again as DecodeError).offset).toBe(e.offset);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("arbitrary octets in arbitrary chunks raise nothing but DecodeError", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 10 }), (chunks) => {
        const { error } = pushAll(new ApduSplitter(), chunks);
        if (error !== undefined) expect(error).toBeInstanceOf(DecodeError);
      }),
      { numRuns: 300 },
    );
  });

  it("a bad start or length octet after valid frames: same code and stream offset under any chunking", () => {
    const badArb = fc.oneof(
      fc
        .integer({ min: 0, max: 255 })
        .filter((b) => b !== 0x68)
        .map((b) => ({ bytes: [b, 4], code: DecodeErrorCode.BAD_START, delta: 0 })),
      fc
        .constantFrom(0, 1, 2, 3, 254, 255)
        .map((len) => ({ bytes: [0x68, len], code: DecodeErrorCode.BAD_LENGTH, delta: 1 })),
    );
    const caseArb = fc
      .tuple(framesArb, badArb, fc.uint8Array({ maxLength: 10 }))
      .chain(([frames, bad, tail]) => {
        const stream = concat([...frames, Buffer.from(bad.bytes), tail]);
        return fc.tuple(
          fc.constant({ frames, bad, stream }),
          fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 30 }),
        );
      });
    fc.assert(
      fc.property(caseArb, ([{ frames, bad, stream }, cuts]) => {
        const at = frames.reduce((n, f) => n + f.length, 0);
        const { frames: got, error } = pushAll(new ApduSplitter(), cutAt(stream, cuts));
        expect(error).toBeInstanceOf(DecodeError);
        expect((error as DecodeError).code).toBe(bad.code);
        expect((error as DecodeError).offset).toBe(at + bad.delta);
        // The frames handed out before the error are a prefix of the good ones (frames that share the
        // failing push with the bad octet are not returned).
        expect(got.map((f) => f.toString("hex"))).toEqual(
          frames.slice(0, got.length).map((f) => f.toString("hex")),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("a bad length octet that arrives alone, after 0x68 was held back", () => {
    const splitter = new ApduSplitter();
    expect(splitter.push(encodeSFrame(1))).toHaveLength(1);
    expect(splitter.push(Buffer.from([0x68]))).toEqual([]);
    for (const chunk of [[3], [0x68, 4, 1, 0, 0, 0]]) {
      const e = thrown(() => splitter.push(Buffer.from(chunk)));
      expect(e).toBeInstanceOf(DecodeError);
      expect((e as DecodeError).code).toBe(DecodeErrorCode.BAD_LENGTH);
      expect((e as DecodeError).offset).toBe(7);
    }
  });
});
