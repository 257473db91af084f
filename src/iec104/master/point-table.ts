/**
 * The latest value of every monitored point a master received, keyed by CA and IOA, rendered as a
 * text table (the `client` CLI's live view) or one line per object (its plain output).
 */
import { type Asdu, addressKey } from "../asdu/asdu.js";
import { elementSpec } from "../asdu/elements.js";
import { cotName, typeName } from "../asdu/types.js";
import { objectViews } from "./format.js";

export interface PointRow {
  type: string;
  ca: number;
  ioa: number;
  value: string;
  quality: string;
  time: string;
  cot: string;
  /** Wall-clock time of the last update, HH:MM:SS.mmm. */
  updated: string;
}

const COLUMNS: [keyof PointRow, string][] = [
  ["type", "TYPE"],
  ["ca", "CA"],
  ["ioa", "IOA"],
  ["value", "VALUE"],
  ["quality", "QUALITY"],
  ["time", "TIME TAG"],
  ["cot", "COT"],
  ["updated", "UPDATED"],
];

export function clock(d: Date): string {
  return d.toISOString().slice(11, 23);
}

/** The rows of an ASDU, one per information object. */
export function rowsOf(asdu: Asdu, at: Date): PointRow[] {
  const type = typeName(asdu.typeId);
  const cot = `${cotName(asdu.cot)}${asdu.negative ? " NEG" : ""}${asdu.test ? " TEST" : ""}`;
  const updated = clock(at);
  return objectViews(asdu).map((v) => ({
    type,
    ca: asdu.ca,
    ioa: v.ioa,
    value: v.value,
    quality: v.flags.join(" "),
    time: v.time,
    cot,
    updated,
  }));
}

/** One plain line for a row. */
export function rowLine(r: PointRow): string {
  const q = r.quality ? ` [${r.quality}]` : "";
  const t = r.time ? ` @${r.time}` : "";
  return `${r.updated} ${r.type} CA ${r.ca} IOA ${r.ioa} ${r.value}${q}${t} ${r.cot}`;
}

export class PointTable {
  private readonly rows = new Map<number, PointRow>();

  get size(): number {
    return this.rows.size;
  }

  /** Records the monitor-direction objects of an ASDU; returns false for anything else. */
  update(asdu: Asdu, at = new Date()): boolean {
    if (elementSpec(asdu.typeId)?.kind !== "monitor" || asdu.negative) return false;
    for (const r of rowsOf(asdu, at)) this.rows.set(addressKey(r.ca, r.ioa), r);
    return true;
  }

  get(ca: number, ioa: number): PointRow | undefined {
    return this.rows.get(addressKey(ca, ioa));
  }

  /** The table as text, sorted by CA then IOA, each column as wide as its widest cell. */
  render(): string {
    const keys = [...this.rows.keys()].sort((a, b) => a - b);
    const cells = [
      COLUMNS.map(([, h]) => h),
      ...keys.map((k) => COLUMNS.map(([c]) => String(this.rows.get(k)![c]))),
    ];
    const widths = COLUMNS.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
    return cells
      .map((row) =>
        row
          .map((c, i) => c.padEnd(widths[i]!))
          .join("  ")
          .trimEnd(),
      )
      .join("\n");
  }
}
