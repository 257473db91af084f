/**
 * Configuration problems: every one of them is a line `path: message`, and `ConfigError` carries all
 * of them at once, so one run of `validate` (or a failed start) shows everything to fix.
 */

export class ConfigError extends Error {
  /** Every problem found, each `path: message` (e.g. `iec104.port: must be 0..65535, got 70000`). */
  readonly problems: string[];

  constructor(problems: readonly string[]) {
    const list = problems.length > 0 ? [...problems] : ["(root): invalid configuration"];
    const n = list.length;
    super(`invalid configuration (${n} problem${n === 1 ? "" : "s"}):\n${list.join("\n")}`);
    this.name = "ConfigError";
    this.problems = list;
  }
}

/**
 * `iec104.redundancy.groups[0].ips[1]`; keys that are not plain names are quoted (`["a b"]`); the
 * root is `(root)`.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (typeof seg === "string" && /^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out === "" ? "(root)" : out;
}

/** A short description of a value for messages: strings quoted, containers by kind. */
export function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (typeof v === "string") {
    const s = JSON.stringify(v);
    return s.length > 62 ? `${s.slice(0, 58)}..."` : s;
  }
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  return typeof v;
}

/** Optimal string alignment distance (Levenshtein with transpositions), for "did you mean". */
function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    d.push([i]);
    for (let j = 1; j <= b.length; j++) d[i]!.push(i === 0 ? j : 0);
  }
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate closest to `word` (case-insensitively), when it is close enough to be a typo. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = w.length <= 3 ? 1 : 2;
  for (const c of candidates) {
    const dist = editDistance(w, c.toLowerCase());
    if (dist <= bestDistance && (best === undefined || dist < bestDistance)) {
      best = c;
      bestDistance = dist;
    }
  }
  return best;
}
