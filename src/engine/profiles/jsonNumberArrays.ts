// Most of a large .cpuprofile is two flat arrays of integers ("samples" and
// "timeDeltas"): parsed by JSON.parse they become millions of boxed array slots before
// the decoder copies them again. This scanner finds such top-level arrays in the bytes,
// reads their numbers straight into typed arrays, and leaves the rest (the "nodes") for
// JSON.parse with the arrays cut out. Anything unexpected inside an array (a string, a
// nested value) leaves that array to JSON.parse, which then reports what is wrong.

export interface SplitJson {
  /** The document with each extracted array replaced by `[]`. */
  rest: string;
  arrays: Map<string, Float64Array>;
}

const QUOTE = 0x22, BACKSLASH = 0x5c, COLON = 0x3a, OPEN_ARRAY = 0x5b, CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b, CLOSE_OBJECT = 0x7d, COMMA = 0x2c, MINUS = 0x2d;

export function extractNumberArrays(bytes: Uint8Array, keys: readonly string[]): SplitJson {
  const arrays = new Map<string, Float64Array>();
  const spans = walkTopLevel(bytes, keys, (key, open) => {
    const read = readNumbers(bytes, open + 1);
    if (read) arrays.set(key, read.values);
    return read?.end;
  });
  return { rest: textWithout(bytes, spans), arrays };
}

/** Where a wanted top-level array lies in the bytes: `[` at `open`, `]` just before `end`. */
export interface ArraySpan {
  key: string;
  open: number;
  end: number;
}

/**
 * Where each wanted key's array is, if it is an array of numbers: found by searching for
 * `"key":[`, not by walking the document, so that reading them can start at once. The
 * first such place is taken, which may be inside something else: the caller confirms
 * each span as a top-level array when it walks the document (scanCpuProfile does), and
 * each span's numbers must be read with `readNumbers` (it ends at the first `]`, which
 * is the array's end exactly when it holds only numbers).
 */
export function locateNumberArrays(bytes: Uint8Array, keys: readonly string[]): ArraySpan[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const spans: ArraySpan[] = [];
  for (const key of keys) {
    const quoted = `"${key}"`;
    for (let at = buf.indexOf(quoted); at >= 0; at = buf.indexOf(quoted, at + 1)) {
      let i = at + quoted.length;
      while (isSpace(buf[i])) i++;
      if (buf[i] !== COLON) continue;
      i++;
      while (isSpace(buf[i])) i++;
      if (buf[i] !== OPEN_ARRAY) break;
      const close = buf.indexOf(CLOSE_ARRAY, i);
      if (close >= 0) spans.push({ key, open: i, end: close + 1 });
      break;
    }
  }
  return spans.sort((a, b) => a.open - b.open);
}

/**
 * Walks the document's structure; at each wanted top-level key's array, `take` says where
 * the array ends (or undefined: leave it in place and walk into it).
 */
function walkTopLevel(bytes: Uint8Array, keys: readonly string[], take: (key: string, open: number) => number | undefined): ArraySpan[] {
  const spans: ArraySpan[] = [];
  const wanted = new Set(keys);
  let depth = 0;
  let lastKey = '';
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b === QUOTE) {
      const start = i + 1;
      i = stringEnd(bytes, start);
      // A top-level key is a string at depth 1 followed by a colon.
      if (depth === 1) lastKey = i - start < 32 ? latin1(bytes, start, i) : '';
      i++;
      continue;
    }
    if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
      if (b === OPEN_ARRAY && depth === 1 && wanted.has(lastKey) && !spans.some((s) => s.key === lastKey) && followsColon(bytes, i)) {
        const end = take(lastKey, i);
        if (end !== undefined) {
          spans.push({ key: lastKey, open: i, end });
          i = end;
          lastKey = '';
          continue;
        }
      }
      depth++;
    } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
      depth--;
    }
    i++;
  }
  return spans;
}

/** Index of the closing quote of the string whose first character is at `i` (or the end). */
function stringEnd(bytes: Uint8Array, i: number): number {
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b === QUOTE) return i;
    i += b === BACKSLASH ? 2 : 1;
  }
  return n;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

function followsColon(bytes: Uint8Array, i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const b = bytes[j];
    if (b === COLON) return true;
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  }
  return false;
}

/** Numbers from just after `[` to the matching `]`; undefined if anything else is inside. */
export function readNumbers(bytes: Uint8Array, i: number): { values: Float64Array; end: number } | undefined {
  // Sized once for as many numbers as the array's bytes can hold (a digit and a comma
  // each): growing by doubling wrote the values two times over, and fresh memory costs
  // its first write (page faults) more than the scan. The pages past the count are never touched.
  const close = bytes.indexOf(CLOSE_ARRAY, i);
  if (close < 0) return undefined;
  const out = new Float64Array(((close - i) >> 1) + 1);
  let count = 0;
  // One byte read per step, compared as a digit first: integers, the usual case, are
  // summed as they are read; anything else (a fraction, an exponent, 16+ digits) is
  // handed to Number(). Reads stop at `close`, so the loop never leaves the array.
  let b = bytes[i];
  for (;;) {
    while (isSpace(b)) b = bytes[++i];
    if (b === CLOSE_ARRAY && count === 0 && i === close) return { values: out.subarray(0, 0), end: i + 1 };
    const start = i;
    const negative = b === MINUS;
    if (negative) b = bytes[++i];
    let d = b - 0x30;
    if (d < 0 || d > 9) return undefined;
    let v = 0;
    do {
      v = v * 10 + d;
      b = bytes[++i];
      d = b - 0x30;
    } while (d >= 0 && d <= 9);
    if (b === 0x2e || b === 0x65 || b === 0x45 || i - start > 15) {
      while (i < close && b !== COMMA && !isSpace(b)) b = bytes[++i];
      v = Number(latin1(bytes, start, i));
      if (!Number.isFinite(v)) return undefined;
    } else if (negative) v = -v;
    out[count++] = v;
    while (isSpace(b)) b = bytes[++i];
    if (b === COMMA) {
      b = bytes[++i];
      continue;
    }
    if (b === CLOSE_ARRAY && i === close) return { values: out.subarray(0, count), end: i + 1 };
    return undefined;
  }
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** The document as text with each span replaced by `[]`. */
function textWithout(bytes: Uint8Array, spans: readonly ArraySpan[]): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (spans.length === 0) return buf.toString('utf8');
  // Pieces decoded apart and joined as strings: JSON.parse flattens them in one copy,
  // where joining the bytes first wrote the document once more into fresh memory.
  // A cut falls on an ASCII byte (`[` or after `]`), never inside a character.
  let text = '';
  let at = 0;
  for (const { open, end } of spans) {
    text += `${buf.toString('utf8', at, open)}[]`;
    at = end;
  }
  return text + buf.toString('utf8', at);
}
