/**
 * Builds I-frames (6 octets left free for the APCI, then the ASDU) straight from the point image
 * or the event queue, with no intermediate objects: the hot path of interrogations and spontaneous
 * transmission.
 */
import { APCI_SIZE } from "../apci/frames.js";
import { ASDU_HEADER_SIZE, IOA_SIZE, MAX_ASDU_LENGTH, writeHeader, writeIoa } from "../asdu/asdu.js";
import { type MonitorTypeId, type ScalarSpec, scalarSpec } from "../asdu/scalar.js";
import { MAX_OBJECTS, TypeId } from "../asdu/types.js";
import type { EventQueue } from "./event-queue.js";
import type { Station } from "./station.js";
import type { TimeFormat } from "./time-format.js";

export interface ReplyHeader {
  cot: number;
  oa: number;
  test: boolean;
}

function capacity(size: number, sq: boolean): number {
  const room = MAX_ASDU_LENGTH - ASDU_HEADER_SIZE - (sq ? IOA_SIZE : 0);
  return Math.min(MAX_OBJECTS, Math.floor(room / (sq ? size : IOA_SIZE + size)));
}

function newFrame(asduLength: number): Buffer {
  return Buffer.allocUnsafe(APCI_SIZE + asduLength);
}

/**
 * One ASDU of points `indices[start..]` of `station`, all of type `typeId` (untimed for
 * interrogation answers, or the configured type). Uses SQ=1 when the run of consecutive IOAs packs
 * at least as many objects as SQ=0 would (and `sequence` allows it). Returns the frame and how many
 * indices it used. `frozen` selects the frozen counter readings.
 */
export function buildPointsFrame(
  station: Station,
  typeId: MonitorTypeId,
  indices: Uint32Array,
  start: number,
  h: ReplyHeader,
  tf: TimeFormat,
  opts: { sequence: boolean; frozen?: boolean },
): { frame: Buffer; used: number } {
  const spec = scalarSpec(typeId);
  const remaining = indices.length - start;
  const capPlain = capacity(spec.size, false);
  let n = Math.min(remaining, capPlain);
  let sq = false;
  if (opts.sequence && !spec.hasTime && remaining > 1) {
    const capSeq = Math.min(remaining, capacity(spec.size, true));
    let run = 1;
    const first = station.ioas[indices[start]!]!;
    while (run < capSeq && station.ioas[indices[start + run]!] === first + run) run++;
    if (run >= n && run > 1) {
      n = run;
      sq = true;
    }
  }
  const len = ASDU_HEADER_SIZE + (sq ? IOA_SIZE + n * spec.size : n * (IOA_SIZE + spec.size));
  const frame = newFrame(len);
  writeHeader(frame, APCI_SIZE, typeId, sq, n, { cot: h.cot, oa: h.oa, ca: station.ca, test: h.test });
  let pos = APCI_SIZE + ASDU_HEADER_SIZE;
  const value = opts.frozen ? station.frozenValue : station.value;
  const aux = opts.frozen ? station.frozenAux : station.aux;
  const time = opts.frozen ? station.frozenTime : station.time;
  if (sq) {
    writeIoa(frame, pos, station.ioas[indices[start]!]!);
    pos += IOA_SIZE;
  }
  for (let k = 0; k < n; k++) {
    const i = indices[start + k]!;
    if (!sq) {
      writeIoa(frame, pos, station.ioas[i]!);
      pos += IOA_SIZE;
    }
    writeElement(frame, pos, spec, value[i]!, aux[i]!, station.quality[i]!, time[i]!, tf);
    pos += spec.size;
  }
  return { frame, used: n };
}

function writeElement(
  buf: Buffer,
  off: number,
  spec: ScalarSpec,
  value: number,
  aux: number,
  quality: number,
  time: number,
  tf: TimeFormat,
): void {
  spec.write(buf, off, value, aux, quality);
  if (spec.hasTime) tf.write(buf, off + spec.size - 7, time);
}

/** One point as its own ASDU (read replies: the configured type, COT 5). */
export function buildPointFrame(station: Station, index: number, h: ReplyHeader, tf: TimeFormat): Buffer {
  const one = Uint32Array.of(index);
  return buildPointsFrame(station, station.typeIds[index] as MonitorTypeId, one, 0, h, tf, {
    sequence: false,
  }).frame;
}

/**
 * One ASDU of the events at the queue's `sent` position that share station, type and cause, in
 * order. Returns the frame and how many events it holds (0 and no frame when the queue is empty).
 */
export function buildEventFrame(
  queue: EventQueue,
  stations: readonly Station[],
  oa: number,
  tf: TimeFormat,
): { frame: Buffer; count: number } | undefined {
  const first = queue.sent;
  if (first >= queue.tail) return undefined;
  const st = queue.stationAt(first);
  const typeId = queue.typeAt(first);
  const cot = queue.cotAt(first);
  const station = stations[st]!;
  if (typeId === TypeId.M_EI_NA_1) {
    const frame = newFrame(ASDU_HEADER_SIZE + IOA_SIZE + 1);
    writeHeader(frame, APCI_SIZE, typeId, false, 1, { cot, oa, ca: station.ca });
    writeIoa(frame, APCI_SIZE + ASDU_HEADER_SIZE, 0);
    frame[APCI_SIZE + ASDU_HEADER_SIZE + IOA_SIZE] = queue.valueAt(first);
    return { frame, count: 1 };
  }
  const spec = scalarSpec(typeId as MonitorTypeId);
  const cap = capacity(spec.size, false);
  let n = 1;
  const end = queue.tail;
  while (
    n < cap &&
    first + n < end &&
    queue.typeAt(first + n) === typeId &&
    queue.cotAt(first + n) === cot &&
    queue.stationAt(first + n) === st
  ) {
    n++;
  }
  const frame = newFrame(ASDU_HEADER_SIZE + n * (IOA_SIZE + spec.size));
  writeHeader(frame, APCI_SIZE, typeId, false, n, { cot, oa, ca: station.ca });
  let pos = APCI_SIZE + ASDU_HEADER_SIZE;
  for (let p = first; p < first + n; p++) {
    writeIoa(frame, pos, station.ioas[queue.pointAt(p)]!);
    pos += IOA_SIZE;
    writeElement(frame, pos, spec, queue.valueAt(p), queue.auxAt(p), queue.qualityAt(p), queue.timeAt(p), tf);
    pos += spec.size;
  }
  return { frame, count: n };
}

/** A whole encoded ASDU copied behind 6 free APCI octets. */
export function frameOf(asdu: Uint8Array): Buffer {
  const frame = newFrame(asdu.length);
  frame.set(asdu, APCI_SIZE);
  return frame;
}
