// The few attributes the function aggregate needs (code.function.name, code.file.path,
// code.namespace, code.line.number and their older names), read straight from the
// span's bytes as the ingest scanner meets them: instrumented apps put them on most
// spans, so a decode of each at ingest would cost more than the rest of ingest (at
// eviction, the function tally's number kept for the span says them). Keys are compared
// as bytes, and values are noted as byte ranges, decoded by the function tally only for
// a function it has not seen.

import { bytesEqual, WireReader, WireType } from '../otlp/protobuf/wire.ts';

type Slot = 'function' | 'file' | 'namespace' | 'line';

/** Each key, the field it fills and its rank: the newer name wins over the older. */
const KEYS: [Buffer, Slot, number][] = ([
  ['code.function.name', 'function', 2], ['code.function', 'function', 1],
  ['code.file.path', 'file', 2], ['code.filepath', 'file', 1],
  ['code.namespace', 'namespace', 1],
  ['code.line.number', 'line', 2], ['code.lineno', 'line', 1],
] as const).map(([k, slot, rank]) => [Buffer.from(k), slot, rank]);
const PREFIX = Buffer.from('code.');

/**
 * Where each code attribute's text is in the span's bytes (`[start, end)` from the span's
 * first byte, both 0 when absent or empty), and the line: what the function tally
 * compares as bytes, so that a span of a function already tallied makes no string.
 * Filled attribute by attribute by the ingest scanner (`noteCodeAttribute`).
 */
export interface CodeRanges {
  functionStart: number;
  functionEnd: number;
  fileStart: number;
  fileEnd: number;
  namespaceStart: number;
  namespaceEnd: number;
  /** 0 when absent or not a positive whole number. */
  line: number;
  /** 2 bits per slot: the rank of the key that filled it (the newer name wins over the older). */
  ranks: number;
}

export function newCodeRanges(): CodeRanges {
  return { functionStart: 0, functionEnd: 0, fileStart: 0, fileEnd: 0, namespaceStart: 0, namespaceEnd: 0, line: 0, ranks: 0 };
}

export function clearCodeRanges(out: CodeRanges): void {
  out.functionStart = out.functionEnd = out.fileStart = out.fileEnd = out.namespaceStart = out.namespaceEnd = out.line = out.ranks = 0;
}

/**
 * Notes one span attribute (key in `buf[keyStart, keyEnd)`, AnyValue in
 * `buf[valueStart, valueEnd)`) in `out` when it is a code attribute; offsets are noted
 * from `spanStart`. A function, file or namespace that is not a string leaves the older
 * name to say it. Returns whether the key names the span's function (with any value).
 */
export function noteCodeAttribute(buf: Buffer, spanStart: number, keyStart: number, keyEnd: number, valueStart: number, valueEnd: number, out: CodeRanges): boolean {
  if (keyEnd - keyStart <= PREFIX.length || !bytesEqual(buf, keyStart, keyStart + PREFIX.length, PREFIX)) return false;
  const key = keyAt(buf, keyStart, keyEnd);
  if (!key) return false;
  const slot = key[1];
  const rank = key[2];
  const shift = slotShift(slot);
  if (((out.ranks >> shift) & 3) > rank) return slot === 'function';
  let textStart = 0;
  let textEnd = 0;
  let int = -1;
  const first = valueStart >= 0 && valueStart < valueEnd ? buf[valueStart] : -1;
  if (first === 0x0a && buf[valueStart + 1] < 0x80 && valueStart + 2 + buf[valueStart + 1] === valueEnd) {
    // The usual string AnyValue: its tag, a one-byte length, the text.
    textStart = valueStart + 2;
    textEnd = valueEnd;
  } else if (first >= 0) {
    const r = new WireReader(buf, valueStart, valueEnd);
    while (r.pos < valueEnd) {
      const vt = r.tag();
      if (vt === 0x0a) {
        textEnd = r.delimitedEnd();
        textStart = r.pos;
        r.pos = textEnd;
      } else if (vt === ((3 << 3) | WireType.Varint)) int = readInt(r);
      else r.skip(vt & 7);
    }
  }
  if (slot !== 'line' && textStart === textEnd) return slot === 'function';
  out.ranks = (out.ranks & ~(3 << shift)) | (rank << shift);
  if (slot === 'line') {
    const n = int >= 0 ? int : Number(buf.utf8Slice(textStart, textEnd));
    out.line = Number.isInteger(n) && n > 0 ? n : 0;
  } else if (slot === 'function') {
    out.functionStart = textStart - spanStart;
    out.functionEnd = textEnd - spanStart;
    return true;
  } else if (slot === 'file') {
    out.fileStart = textStart - spanStart;
    out.fileEnd = textEnd - spanStart;
  } else {
    out.namespaceStart = textStart - spanStart;
    out.namespaceEnd = textEnd - spanStart;
  }
  return false;
}

/** An int64 AnyValue as a number; the common small ones without the decimal string. */
function readInt(r: WireReader): number {
  const from = r.pos;
  const value = r.uint32();
  if (r.pos - from <= 4) return value; // under 2^28: exact, and not negative
  r.pos = from;
  return Number(r.int64String());
}

function keyAt(buf: Buffer, start: number, end: number): [Buffer, Slot, number] | undefined {
  for (const key of KEYS) if (bytesEqual(buf, start, end, key[0])) return key;
  return undefined;
}

function slotShift(slot: Slot): number {
  return slot === 'function' ? 0 : slot === 'file' ? 2 : slot === 'namespace' ? 4 : 6;
}
