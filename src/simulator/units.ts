/**
 * Units as the inference reads them: an SI prefix and a base (`kWh` is 1000 x `Wh`). Bases not
 * listed keep their text with prefix 1, so `°C` or `rpm` are never split.
 */

export type UnitFamily = "W" | "var" | "VA";

export interface Unit {
  base: string;
  /** Multiplier of the prefix: 1000 for k, 1e6 for M, 0.001 for m. */
  factor: number;
}

const PREFIXES: Readonly<Record<string, number>> = { k: 1e3, K: 1e3, M: 1e6, G: 1e9, m: 1e-3 };
const PREFIXED = new Set(["V", "A", "W", "var", "VA", "Hz", "Wh", "varh", "VAh", "vadh"]);
const ALIASES: Readonly<Record<string, string>> = {
  deg: "°",
  Grad: "°",
  grad: "°",
  degC: "°C",
  "°c": "°C",
  VAr: "var",
  Var: "var",
  VAR: "var",
  kVAr: "kvar",
  kVAR: "kvar",
  "-": "",
};

export function parseUnit(text: string): Unit {
  const raw = text.trim();
  const u = ALIASES[raw] ?? raw;
  if (PREFIXED.has(u)) return { base: u, factor: 1 };
  const f = PREFIXES[u.charAt(0)];
  const rest = u.slice(1);
  if (f !== undefined && PREFIXED.has(rest)) return { base: rest, factor: f };
  return { base: u, factor: 1 };
}

/** The power family of a power or energy base (`W`, `kWh` -> W; `varh`, `vadh` -> var). */
export function powerFamily(base: string): UnitFamily | undefined {
  switch (base) {
    case "W":
    case "Wh":
      return "W";
    case "var":
    case "varh":
    case "vadh":
      return "var";
    case "VA":
    case "VAh":
      return "VA";
    default:
      return undefined;
  }
}

export function isEnergyBase(base: string): boolean {
  return base === "Wh" || base === "varh" || base === "VAh" || base === "vadh";
}
