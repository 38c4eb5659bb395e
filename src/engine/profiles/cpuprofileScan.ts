// A .cpuprofile read straight from its bytes into the node table, without JSON.parse:
// parsing a large profile's nodes made hundreds of thousands of objects and strings (a
// function name and a URL per node, most of them repeats) that the decoder read once
// and dropped, and their garbage collection. Here each distinct string is made once
// (strings are compared as bytes), numbers are read in place, and the sample and delta
// arrays are skipped: they are the spans another reader takes (jsonNumberArrays.ts).
//
// Only the shape V8 and Chrome write is taken. Anything else, well-formed or not (a key
// escaped, a number where a string goes, a missing id, broken JSON), makes the scan give
// up and the caller decode through JSON.parse, which says exactly what is wrong.

import type { NodeTable } from './cpuprofileNodes.ts';
import type { ArraySpan } from './jsonNumberArrays.ts';

export interface ScannedCpuProfile {
  nodes: NodeTable;
  startTime: number | undefined;
  endTime: number | undefined;
}

const QUOTE = 0x22, BACKSLASH = 0x5c, COLON = 0x3a, COMMA = 0x2c;
const OPEN_ARRAY = 0x5b, CLOSE_ARRAY = 0x5d, OPEN_OBJECT = 0x7b, CLOSE_OBJECT = 0x7d;
const MINUS = 0x2d, PLUS = 0x2b, DOT = 0x2e, ZERO = 0x30, NINE = 0x39;

/** How far past a node's (or a top-level member's) start its bytes must have arrived before it is read. */
const ARRIVAL_WINDOW = 256 * 1024;

/** Nesting the skipper follows inside values the decoder does not read. */
const MAX_DEPTH = 64;

class GiveUp extends Error {}

function bits(...keys: number[]): number {
  return keys.reduce((m, k) => m | (1 << k), 0);
}
const giveUp = new GiveUp();

/**
 * The node table and times of the .cpuprofile in `bytes`, whose top-level "samples"
 * (required) and "timeDeltas" arrays are at `spans` (or where `spans()` says, asked when
 * the first is reached); undefined if it is not in the shape this reads (then JSON.parse
 * is the way). `arrived`, for bytes still arriving: waits until the first `upTo` are in.
 */
export function scanCpuProfile(bytes: Uint8Array, spans: readonly ArraySpan[] | (() => readonly ArraySpan[]), arrived?: (upTo: number) => void): ScannedCpuProfile | undefined {
  try {
    return new Scanner(bytes, typeof spans === 'function' ? spans : () => spans, arrived).document();
  } catch (err) {
    if (err === giveUp) return undefined;
    throw err;
  }
}

/** Key bytes compared without making a string. */
const KEYS = ['nodes', 'samples', 'timeDeltas', 'startTime', 'endTime', 'id', 'callFrame', 'children', 'parent', 'functionName', 'url', 'lineNumber', 'columnNumber']
  .map((k) => new TextEncoder().encode(k));
/** Indices into KEYS by key length: a key is compared only with those as long as it. */
const KEYS_BY_LENGTH: number[][] = [];
KEYS.forEach((k, i) => (KEYS_BY_LENGTH[k.length] ??= []).push(i));
const NONE: number[] = [];
const [NODES, SAMPLES, TIME_DELTAS, START_TIME, END_TIME, ID, CALL_FRAME, CHILDREN, PARENT, FUNCTION_NAME, URL, LINE_NUMBER, COLUMN_NUMBER] = KEYS.map((_, i) => i);

class Scanner {
  private i = 0;
  private readonly strings: string[] = [];
  /** Open addressing over the strings by their bytes' hash: slot → string index + 1. */
  private slots = new Int32Array(1 << 12);
  private readonly stringStart: number[] = [];
  private readonly stringEnd: number[] = [];
  private readonly stringHash: number[] = [];
  /** Strings with escapes, by their decoded text. */
  private readonly escaped = new Map<string, number>();

  private spans: readonly ArraySpan[] | undefined;

  private readonly buf: Buffer;

  constructor(private readonly b: Uint8Array, private readonly spansOf: () => readonly ArraySpan[], private readonly arrived?: (upTo: number) => void) {
    this.buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  }

  document(): ScannedCpuProfile {
    let nodes: NodeTable | undefined;
    let startTime: number | undefined;
    let endTime: number | undefined;
    const seen = new Set<string>();
    this.object((key, at) => {
      this.arrived?.(this.i + ARRIVAL_WINDOW);
      if (key === NODES) nodes = this.nodes();
      else if (key === SAMPLES || key === TIME_DELTAS) {
        this.spans ??= this.spansOf();
        const span = this.spans.find((s) => s.key === (key === SAMPLES ? 'samples' : 'timeDeltas'));
        if (!span || span.open !== this.i || at !== OPEN_ARRAY) throw giveUp;
        seen.add(span.key);
        this.i = span.end;
      } else if (key === START_TIME) startTime = this.finiteNumber();
      else if (key === END_TIME) endTime = this.finiteNumber();
      else this.skipValue(0);
    }, bits(NODES, SAMPLES, TIME_DELTAS, START_TIME, END_TIME));
    // Nothing after the document; every span read was a top-level array of this one.
    while (this.i < this.b.length && isSpace(this.b[this.i])) this.i++;
    if (this.i !== this.b.length || !nodes || !seen.has('samples') || seen.size !== (this.spans ??= this.spansOf()).length) throw giveUp;
    return { nodes, startTime, endTime };
  }

  private nodes(): NodeTable {
    const t: NodeTable = { count: 0, ids: [], parents: undefined, childStart: [0], childIds: [], name: [], url: [], line: [], column: [], strings: this.strings };
    this.array(() => this.node(t));
    return t;
  }

  private node(t: NodeTable): void {
    // A node is well under this; one that is not reads bytes not yet in (zeros), and the scan gives up.
    this.arrived?.(this.i + ARRIVAL_WINDOW);
    let id = -1;
    let parent = NaN;
    let frame = false;
    const k = t.count;
    this.object((key) => {
      if (key === ID) id = this.wholeNumber();
      else if (key === CALL_FRAME) frame = this.callFrame(t);
      else if (key === CHILDREN) this.array(() => t.childIds.push(this.wholeNumber()));
      else if (key === PARENT) parent = this.wholeNumber();
      else this.skipValue(0);
    }, bits(ID, CALL_FRAME, CHILDREN, PARENT));
    if (id < 0) throw giveUp;
    t.ids.push(id);
    t.childStart.push(t.childIds.length);
    if (!Number.isNaN(parent)) (t.parents ??= new Array<number>(k).fill(NaN))[k] = parent;
    else if (t.parents) t.parents[k] = NaN;
    if (!frame) {
      t.name.push(-1);
      t.url.push(-1);
      t.line.push(NaN);
      t.column.push(NaN);
    }
    t.count++;
  }

  private callFrame(t: NodeTable): true {
    let name = -1, url = -1, line = NaN, column = NaN;
    this.object((key, at) => {
      // Names and URLs must be strings and lines and columns numbers here; the JSON route reads other types.
      if (key === FUNCTION_NAME || key === URL) {
        if (at !== QUOTE) throw giveUp;
        if (key === FUNCTION_NAME) name = this.string();
        else url = this.string();
      } else if (key === LINE_NUMBER) line = this.finiteNumber();
      else if (key === COLUMN_NUMBER) column = this.finiteNumber();
      else this.skipValue(0);
    }, bits(FUNCTION_NAME, URL, LINE_NUMBER, COLUMN_NUMBER));
    // As the JSON route reads them: a missing name or URL is the empty string.
    t.name.push(name >= 0 ? name : this.intern(this.i, this.i));
    t.url.push(url >= 0 ? url : this.intern(this.i, this.i));
    t.line.push(line);
    t.column.push(column);
    return true;
  }

  /**
   * An object, each member's value read by `member` (given the key's index in KEYS, or
   * -1, and the value's first byte). A key of `once` given twice is left to JSON.parse
   * (whose answer is the last one).
   */
  private object(member: (key: number, at: number) => void, once: number): void {
    this.expect(OPEN_OBJECT);
    if (this.space() === CLOSE_OBJECT) {
      this.i++;
      return;
    }
    let seen = 0;
    for (;;) {
      const key = this.key();
      const at = this.space();
      if (key >= 0 && once & (1 << key)) {
        if (seen & (1 << key)) throw giveUp;
        seen |= 1 << key;
      }
      member(key, at);
      if (this.space() === COMMA) {
        this.i++;
        continue;
      }
      this.expect(CLOSE_OBJECT);
      return;
    }
  }

  /** An array, each element read by `element`. */
  private array(element: () => void): void {
    this.expect(OPEN_ARRAY);
    if (this.space() === CLOSE_ARRAY) {
      this.i++;
      return;
    }
    for (;;) {
      this.space();
      element();
      if (this.space() === COMMA) {
        this.i++;
        continue;
      }
      this.expect(CLOSE_ARRAY);
      return;
    }
  }

  /** A key and its colon; the index of KEYS it is, or -1. */
  private key(): number {
    this.expect(QUOTE);
    const start = this.i;
    const b = this.b;
    let i = start;
    while (i < b.length && b[i] !== QUOTE) {
      if (b[i] === BACKSLASH || b[i] < 0x20) throw giveUp;
      i++;
    }
    if (i >= b.length) throw giveUp;
    this.i = i + 1;
    this.expect(COLON);
    const length = i - start;
    for (const k of KEYS_BY_LENGTH[length] ?? NONE) {
      const key = KEYS[k];
      let j = 0;
      while (j < length && b[start + j] === key[j]) j++;
      if (j === length) return k;
    }
    return -1;
  }

  /**
   * A string value's index in the table, made into a JS string only the first time its
   * bytes are seen. Most strings repeat one seen before (a URL per node): they are found
   * by a hash of some of their bytes and a compare, and only a string seen for the first
   * time is read byte by byte (for escapes and control characters).
   */
  private string(): number {
    const b = this.b;
    const start = ++this.i;
    const end = this.buf.indexOf(QUOTE, start);
    if (end >= 0) {
      const known = this.lookup(start, end, sampledHash(b, start, end));
      if (known >= 0) {
        this.i = end + 1;
        return known;
      }
    }
    let i = start;
    let plain = true;
    for (;;) {
      if (i >= b.length) throw giveUp;
      const c = b[i];
      if (c === QUOTE) break;
      if (c < 0x20) throw giveUp;
      if (c === BACKSLASH) {
        plain = false;
        i += 2;
        continue;
      }
      i++;
    }
    this.i = i + 1;
    if (!plain) return this.internEscaped(start, i);
    return this.intern(start, i);
  }

  /** Steps over a string value no one reads (a scriptId): checked, not kept. */
  private skipString(): void {
    const b = this.b;
    let i = this.i + 1;
    for (;;) {
      if (i >= b.length) throw giveUp;
      const c = b[i];
      if (c === QUOTE) break;
      if (c < 0x20) throw giveUp;
      if (c === BACKSLASH) i = escapeEnd(b, i);
      else i++;
    }
    this.i = i + 1;
  }

  /** The index of the plain string whose bytes are b[start, end), or -1. */
  private lookup(start: number, end: number, hash: number): number {
    const b = this.b;
    const mask = this.slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = this.slots[slot] - 1;
      if (at < 0) return -1;
      if (this.stringHash[at] !== hash) continue;
      const from = this.stringStart[at];
      if (this.stringEnd[at] - from !== length) continue;
      if (length > 24) {
        if (this.buf.compare(this.buf, from, from + length, start, end) === 0) return at;
        continue;
      }
      let j = 0;
      while (j < length && b[from + j] === b[start + j]) j++;
      if (j === length) return at;
    }
  }

  /** The plain string b[start, end): found, or added. */
  private intern(start: number, end: number): number {
    const hash = sampledHash(this.b, start, end);
    const known = this.lookup(start, end, hash);
    if (known >= 0) return known;
    const id = this.strings.length;
    this.strings.push(this.buf.toString('utf8', start, end));
    this.stringStart.push(start);
    this.stringEnd.push(end);
    this.stringHash.push(hash);
    let slot = hash & (this.slots.length - 1);
    while (this.slots[slot] !== 0) slot = (slot + 1) & (this.slots.length - 1);
    this.slots[slot] = id + 1;
    if (this.strings.length * 2 > this.slots.length) this.grow();
    return id;
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.strings.length; id++) {
      let slot = this.stringHash[id] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
  }

  private internEscaped(start: number, end: number): number {
    let text: string;
    try {
      text = JSON.parse(Buffer.from(this.b.buffer, this.b.byteOffset + start - 1, end - start + 2).toString('utf8')) as string;
    } catch {
      throw giveUp;
    }
    let id = this.escaped.get(text);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(text);
      // Never matched by bytes: an empty range at an impossible hash position is fine, as lookups compare hashes first.
      this.stringStart.push(0);
      this.stringEnd.push(-1);
      this.stringHash.push(0);
      this.escaped.set(text, id);
    }
    return id;
  }

  /** A whole number ≥ 0 written as digits (ids, children). */
  private wholeNumber(): number {
    const b = this.b;
    let i = this.i;
    let d = b[i] - ZERO;
    if (!(d >= 0 && d <= 9) || (d === 0 && b[i + 1] >= ZERO && b[i + 1] <= NINE)) throw giveUp;
    let v = 0;
    do {
      v = v * 10 + d;
      d = b[++i] - ZERO;
    } while (d >= 0 && d <= 9);
    const c = b[i];
    if (c === DOT || c === 0x65 || c === 0x45 || i - this.i > 15) throw giveUp;
    this.i = i;
    return v;
  }

  private finiteNumber(): number {
    const v = this.number();
    if (!Number.isFinite(v)) throw giveUp;
    return v;
  }

  /** Any JSON number. */
  private number(): number {
    const b = this.b;
    const start = this.i;
    let i = start;
    if (b[i] === MINUS) i++;
    const first = i;
    let whole = 0;
    while (b[i] >= ZERO && b[i] <= NINE) whole = whole * 10 + (b[i++] - ZERO);
    if (i === first || (b[first] === ZERO && i - first > 1)) throw giveUp;
    // Integers of up to 15 digits, nearly every number in a profile, are exact as summed.
    if (b[i] !== DOT && b[i] !== 0x65 && b[i] !== 0x45 && i - first <= 15) {
      this.i = i;
      return first === start ? whole : -whole;
    }
    if (b[i] === DOT) {
      const f = ++i;
      while (b[i] >= ZERO && b[i] <= NINE) i++;
      if (i === f) throw giveUp;
    }
    if (b[i] === 0x65 || b[i] === 0x45) {
      i++;
      if (b[i] === PLUS || b[i] === MINUS) i++;
      const e = i;
      while (b[i] >= ZERO && b[i] <= NINE) i++;
      if (i === e) throw giveUp;
    }
    this.i = i;
    let text = '';
    for (let j = start; j < i; j++) text += String.fromCharCode(b[j]);
    return Number(text);
  }

  /** Steps over any well-formed value. */
  private skipValue(depth: number): void {
    if (depth > MAX_DEPTH) throw giveUp;
    const c = this.space();
    if (c === QUOTE) this.skipString();
    else if (c === OPEN_OBJECT) this.object(() => this.skipValue(depth + 1), 0);
    else if (c === OPEN_ARRAY) this.array(() => this.skipValue(depth + 1));
    else if (c === 0x74 /* t */) this.word('true');
    else if (c === 0x66 /* f */) this.word('false');
    else if (c === 0x6e /* n */) this.word('null');
    else this.number();
  }

  private word(w: string): void {
    for (let j = 0; j < w.length; j++) if (this.b[this.i + j] !== w.charCodeAt(j)) throw giveUp;
    this.i += w.length;
  }

  /** Skips whitespace; the byte it stops at. */
  private space(): number {
    const b = this.b;
    let i = this.i;
    while (i < b.length && isSpace(b[i])) i++;
    this.i = i;
    return b[i];
  }

  private expect(c: number): void {
    if (this.space() !== c) throw giveUp;
    this.i++;
  }
}

/** Just past the escape at `i` (a backslash), if it is one JSON has. */
function escapeEnd(b: Uint8Array, i: number): number {
  const c = b[i + 1];
  if (c === 0x75 /* u */) {
    for (let j = i + 2; j < i + 6; j++) if (!isHex(b[j])) throw giveUp;
    return i + 6;
  }
  if (c === QUOTE || c === BACKSLASH || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74) return i + 2;
  throw giveUp;
}

function isHex(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** A hash of a string's length, its last four bytes and about eight spread over the rest: enough to tell names apart, cheap to take. */
function sampledHash(b: Uint8Array, start: number, end: number): number {
  let h = Math.imul(0x811c9dc5 ^ (end - start), 0x01000193);
  const step = ((end - start) >> 3) + 1;
  for (let j = start; j < end - 4; j += step) h = Math.imul(h ^ b[j], 0x01000193);
  for (let j = Math.max(start, end - 4); j < end; j++) h = Math.imul(h ^ b[j], 0x01000193);
  return h;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}
