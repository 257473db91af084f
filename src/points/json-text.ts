/**
 * What JSON.parse does not say about a Datapoints.json text: where a syntax error is (Node 20 often
 * gives no position) and which keys appear twice in one object (JSON.parse silently keeps the last,
 * so a copied point whose name was not changed would vanish). An iterative scanner, so deep nesting
 * cannot overflow the stack.
 */

export interface TextPosition {
  line: number;
  column: number;
}

export interface DuplicateKey {
  /** The keys of the enclosing objects: [] for a point name, [name] for a field of a point. */
  path: string[];
  key: string;
  firstLine: number;
  line: number;
}

export interface ScanResult {
  error: { offset: number; message: string } | undefined;
  duplicates: DuplicateKey[];
}

interface Frame {
  kind: "object" | "array";
  path: string[] | undefined;
  keys: Map<string, number> | undefined;
  lastKey: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ["true", "false", "null"] as const;

/** Line and column (both 1-based) of an offset. */
export function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Scans JSON text: the first syntax error (offset and reason) and the duplicate keys of the top
 * object and of the objects directly inside it (deeper levels are not reported).
 */
export function scanJson(text: string): ScanResult {
  const duplicates: DuplicateKey[] = [];
  const stack: Frame[] = [];
  const n = text.length;
  let i = 0;
  let mode: "value" | "key" | "after" = "value";
  const fail = (message: string): ScanResult => ({ error: { offset: i, message }, duplicates });
  const skipWs = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      i++;
    }
  };
  /** Reads the string at `i`, returning its value (or undefined when it is malformed). */
  const readString = (): string | undefined => {
    const start = i;
    let j = i + 1;
    let escaped = false;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 34) break;
      if (c < 0x20) return undefined;
      if (c === 92) escaped = true;
      j += c === 92 ? 2 : 1;
    }
    if (j >= n) return undefined;
    i = j + 1;
    // Without escapes the text between the quotes is the string (most keys and values).
    if (!escaped) return text.slice(start + 1, j);
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      i = start;
      return undefined;
    }
  };
  const childPath = (): string[] | undefined => {
    const top = stack[stack.length - 1];
    if (top === undefined) return [];
    if (top.kind !== "object" || top.path === undefined || top.path.length > 0) return undefined;
    return [top.lastKey];
  };

  for (;;) {
    skipWs();
    if (mode === "value") {
      if (i >= n) return fail("unexpected end of the text");
      const c = text[i];
      if (c === "{" || c === "[") {
        const path = childPath();
        i++;
        skipWs();
        if (text[i] === (c === "{" ? "}" : "]")) {
          i++;
          mode = "after";
        } else if (c === "{") {
          stack.push({ kind: "object", path, keys: path === undefined ? undefined : new Map(), lastKey: "" });
          mode = "key";
        } else {
          stack.push({ kind: "array", path: undefined, keys: undefined, lastKey: "" });
        }
      } else if (c === '"') {
        if (readString() === undefined) return fail("malformed string");
        mode = "after";
      } else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) {
        NUMBER.lastIndex = i;
        if (!NUMBER.test(text)) return fail("malformed number");
        i = NUMBER.lastIndex;
        mode = "after";
      } else {
        const lit = LITERALS.find((l) => text.startsWith(l, i));
        if (lit === undefined) {
          const word = /[\w.+-]+/y;
          word.lastIndex = i;
          const m = word.exec(text);
          return fail(`unexpected ${JSON.stringify(m === null ? c : m[0].slice(0, 20))}`);
        }
        i += lit.length;
        mode = "after";
      }
    } else if (mode === "key") {
      if (text[i] !== '"') return fail("expected a double-quoted property name");
      const at = i;
      const key = readString();
      if (key === undefined) return fail("malformed string");
      const top = stack[stack.length - 1]!;
      top.lastKey = key;
      if (top.keys !== undefined && top.path !== undefined) {
        const first = top.keys.get(key);
        if (first === undefined) top.keys.set(key, at);
        else
          duplicates.push({
            path: top.path,
            key,
            firstLine: positionOf(text, first).line,
            line: positionOf(text, at).line,
          });
      }
      skipWs();
      if (text[i] !== ":") return fail("expected ':' after a property name");
      i++;
      mode = "value";
    } else {
      const top = stack[stack.length - 1];
      if (top === undefined)
        return i < n
          ? fail("unexpected text after the end of the JSON value")
          : { error: undefined, duplicates };
      const c = text[i];
      const close = top.kind === "object" ? "}" : "]";
      if (c === ",") {
        i++;
        mode = top.kind === "object" ? "key" : "value";
      } else if (c === close) {
        i++;
        stack.pop();
      } else {
        return fail(i >= n ? "unexpected end of the text" : `expected ',' or '${close}'`);
      }
    }
  }
}

/**
 * The keys of a valid JSON text's top object and of the objects directly inside it, counted
 * without building anything: a colon outside strings follows a key, and at depth 1 or 2 it is a key
 * of the top object or of one of its values. Equal to the parsed objects' key counts exactly when
 * neither level repeats a key, so the full scan for duplicates runs only when they differ.
 */
export function countKeys(text: string): { top: number; fields: number } {
  let depth = 0;
  let top = 0;
  let fields = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // To the closing quote: the next one not escaped by an odd run of backslashes.
      let j = i + 1;
      for (;;) {
        j = text.indexOf('"', j);
        if (j < 0) return { top, fields };
        let b = j - 1;
        while (text.charCodeAt(b) === 92) b--;
        if ((j - 1 - b) % 2 === 0) break;
        j++;
      }
      i = j;
    } else if (c === 123 || c === 91) {
      depth++;
    } else if (c === 125 || c === 93) {
      depth--;
    } else if (c === 58) {
      if (depth === 1) top++;
      else if (depth === 2) fields++;
    }
  }
  return { top, fields };
}
