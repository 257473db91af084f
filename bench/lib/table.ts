/** A plain-text table of suite results. */
import type { SuiteResult } from "./results.js";

/** 1234567 -> "1.23 M", 987.6 -> "988". */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  const units: [number, string][] = [
    [1e9, " G"],
    [1e6, " M"],
    [1e3, " k"],
  ];
  for (const [scale, suffix] of units) {
    if (abs >= scale) return `${(v / scale).toPrecision(3)}${suffix}`;
  }
  return abs >= 100 || Number.isInteger(v) ? v.toFixed(0) : v.toPrecision(3);
}

export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function formatSuite(result: SuiteResult): string {
  const rows: string[][] = [];
  for (const c of result.cases) {
    for (const [metric, m] of Object.entries(c.metrics)) {
      rows.push([
        c.name,
        metric,
        formatNumber(m.median),
        formatNumber(m.min),
        formatNumber(m.max),
        String(m.runs),
      ]);
    }
  }
  const title = `${result.suite}${result.quick ? " (quick)" : ""}: ${result.timestamp}, ${(result.durationMs / 1000).toFixed(1)} s`;
  return `${title}\n${renderTable(["case", "metric", "median", "min", "max", "runs"], rows)}`;
}
