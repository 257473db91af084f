/**
 * Cuts a TCP byte stream into APDUs. Each `push` returns the complete frames it finished, whatever
 * the chunking: a frame may arrive one octet at a time or many frames in one chunk. Only the start
 * octet and the length octet are checked here (a bad one is unrecoverable: framing is lost, so the
 * splitter stays failed and the connection must close). Frames are zero-copy views of the chunk where
 * possible; only a frame split across chunks is copied.
 */
import { DecodeError, DecodeErrorCode } from "../codec/errors.js";
import { MAX_APDU_LENGTH, MIN_APDU_LENGTH, START_BYTE } from "./frames.js";

export class ApduSplitter {
  /** Bytes of an incomplete frame (at most 255). */
  private readonly partial = Buffer.allocUnsafe(MAX_APDU_LENGTH + 2);
  private partialLength = 0;
  private failed: DecodeError | undefined;
  /** Octets consumed so far, for the offsets in error messages. */
  private consumed = 0;

  /** Octets held back waiting for the rest of a frame. */
  get pending(): number {
    return this.partialLength;
  }

  push(chunk: Uint8Array): Buffer[] {
    const frames: Buffer[] = [];
    this.pushInto(chunk, frames);
    return frames;
  }

  /**
   * Like `push`, appending to `frames`. On a bad start or length octet the frames completed before
   * it are already in `frames` when the error is thrown.
   */
  pushInto(chunk: Uint8Array, frames: Buffer[]): void {
    if (this.failed) throw this.failed;
    let pos = 0;
    if (this.partialLength > 0) {
      pos = this.fillPartial(chunk, frames);
      if (this.partialLength > 0) return;
    }
    while (pos < chunk.length) {
      const remaining = chunk.length - pos;
      this.check(chunk, pos, remaining);
      if (remaining < 2) break;
      const total = chunk[pos + 1]! + 2;
      if (remaining < total) break;
      frames.push(Buffer.from(chunk.buffer, chunk.byteOffset + pos, total));
      pos += total;
      this.consumed += total;
    }
    if (pos < chunk.length) {
      this.partial.set(chunk.subarray(pos), 0);
      this.partialLength = chunk.length - pos;
    }
  }

  /** Completes the held-back frame from the head of `chunk`; returns how much of `chunk` it used. */
  private fillPartial(chunk: Uint8Array, frames: Buffer[]): number {
    let pos = 0;
    if (this.partialLength === 1 && chunk.length > 0) {
      this.partial[1] = chunk[0]!;
      this.partialLength = 2;
      pos = 1;
      this.check(this.partial, 0, 2);
    }
    if (this.partialLength < 2) return pos;
    const total = this.partial[1]! + 2;
    const take = Math.min(total - this.partialLength, chunk.length - pos);
    this.partial.set(chunk.subarray(pos, pos + take), this.partialLength);
    this.partialLength += take;
    pos += take;
    if (this.partialLength === total) {
      frames.push(Buffer.from(this.partial.subarray(0, total)));
      this.partialLength = 0;
      this.consumed += total;
    }
    return pos;
  }

  private check(buf: Uint8Array, pos: number, available: number): void {
    if (buf[pos] !== START_BYTE) {
      this.fail(
        DecodeErrorCode.BAD_START,
        "start",
        `0x${buf[pos]!.toString(16).padStart(2, "0")} is not 0x68`,
      );
    }
    if (available >= 2) {
      const len = buf[pos + 1]!;
      if (len < MIN_APDU_LENGTH || len > MAX_APDU_LENGTH) {
        this.fail(DecodeErrorCode.BAD_LENGTH, "length", `${len} is outside 4..253`, 1);
      }
    }
  }

  private fail(code: DecodeErrorCode, field: string, detail: string, delta = 0): never {
    this.failed = new DecodeError(code, field, this.consumed + delta, detail);
    throw this.failed;
  }
}
