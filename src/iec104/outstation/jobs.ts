/** Jobs that stream the point image out frame by frame as the window allows. */
import type { MonitorTypeId } from "../asdu/scalar.js";
import { buildPointsFrame, type ReplyHeader } from "./build.js";
import type { Job } from "./connection.js";
import type { Station } from "./station.js";
import type { TimeFormat } from "./time-format.js";

export interface PointList {
  typeId: MonitorTypeId;
  indices: Uint32Array;
}

/** Splits point indices into one list per type (`typeOf` picks it), keeping their order. */
export function listsByType(
  indices: Iterable<number>,
  typeOf: (index: number) => MonitorTypeId,
): PointList[] {
  const byType = new Map<MonitorTypeId, number[]>();
  for (const i of indices) {
    const t = typeOf(i);
    const list = byType.get(t);
    if (list === undefined) byType.set(t, [i]);
    else list.push(i);
  }
  return [...byType].map(([typeId, l]) => ({ typeId, indices: Uint32Array.from(l) }));
}

/**
 * Sends the points of `lists` (one list per type), packed into full ASDUs: an interrogation answer
 * (COT 20-36, untimed types), a counter interrogation (37-41) or a cyclic/background scan (1/2).
 * `head` (a later station's ACT_CON in a broadcast) goes first.
 */
export class PointsJob implements Job {
  readonly kind: string;
  readonly ca: number;
  readonly term: Buffer | undefined;
  cancelled = false;
  private head: Buffer | undefined;
  private list = 0;
  private pos = 0;
  private readonly station: Station;
  private readonly lists: readonly PointList[];
  readonly header: ReplyHeader;
  private readonly tf: TimeFormat;
  private readonly opts: { sequence: boolean; frozen?: boolean };

  constructor(
    kind: string,
    station: Station,
    lists: readonly PointList[],
    header: ReplyHeader,
    tf: TimeFormat,
    opts: { sequence: boolean; frozen?: boolean; head?: Buffer; term?: Buffer },
  ) {
    this.kind = kind;
    this.ca = station.ca;
    this.station = station;
    this.lists = lists;
    this.header = header;
    this.tf = tf;
    this.opts = { sequence: opts.sequence, frozen: opts.frozen };
    this.head = opts.head;
    this.term = opts.term;
  }

  next(): Buffer | undefined {
    if (this.head !== undefined) {
      const h = this.head;
      this.head = undefined;
      return h;
    }
    for (;;) {
      const l = this.lists[this.list];
      if (l === undefined) return undefined;
      if (this.pos < l.indices.length) {
        const { frame, used } = buildPointsFrame(
          this.station,
          l.typeId,
          l.indices,
          this.pos,
          this.header,
          this.tf,
          this.opts,
        );
        this.pos += used;
        return frame;
      }
      this.list++;
      this.pos = 0;
    }
  }
}

/** A job of ready frames: a later station's refusal in a broadcast, sent in its turn. */
export class FramesJob implements Job {
  readonly kind: string;
  readonly term = undefined;
  cancelled = false;
  private readonly frames: Buffer[];

  constructor(kind: string, frames: Buffer[]) {
    this.kind = kind;
    this.frames = frames;
  }

  next(): Buffer | undefined {
    return this.frames.shift();
  }
}
