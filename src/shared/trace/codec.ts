// The compact trace as bytes: a fixed binary header, then each column 8-byte aligned,
// then the string table's UTF-8. The reader views the columns in place (no copy, no
// JSON.parse), so a million-span trace costs its bytes and nothing more to open. The
// writer lays the same columns out over one buffer and fills them in place
// (`layoutCompactTrace`), so the engine copies no column twice.

import type { CompactTrace, StringTable } from '../../protocol/compactTrace.ts';
import { CompactFormatError } from '../compactFormatError.ts';

const MAGIC = 0x4c545243; // "LTRC"
const VERSION = 1;
const HEADER_BYTES = 48;

type Column = 'start' | 'duration' | 'parent' | 'service' | 'name' | 'kind' | 'status' | 'flags';
type ColumnType = Float64ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor | Uint8ArrayConstructor;

const COLUMNS: readonly (readonly [Column, ColumnType])[] = [
  ['start', Float64Array], ['duration', Float64Array], ['parent', Int32Array], ['service', Uint32Array],
  ['name', Uint32Array], ['kind', Uint8Array], ['status', Uint8Array], ['flags', Uint8Array],
];

/** A string table built by the writer: the UTF-8 of each string and where it ends. */
export interface EncodedStrings {
  readonly ends: Uint32Array;
  readonly utf8: Uint8Array;
}

export function encodeStrings(strings: readonly string[]): EncodedStrings {
  const encoder = new TextEncoder();
  const parts = strings.map((s) => encoder.encode(s));
  const ends = new Uint32Array(parts.length);
  let total = 0;
  parts.forEach((p, i) => { total += p.length; ends[i] = total; });
  const utf8 = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { utf8.set(p, at); at += p.length; }
  return { ends, utf8 };
}

/** The columns of a compact trace being written, as views into its final `bytes`. */
export type CompactTraceLayout = Pick<CompactTrace, Column | 'spanIds'> & { readonly bytes: Uint8Array };

/**
 * Allocates the bytes of an `n`-span compact trace, writes its header and string table,
 * and returns views of its columns for the caller to fill.
 */
export function layoutCompactTrace(traceId: string, n: number, baseLo: number, baseHi: number, strings: EncodedStrings): CompactTraceLayout {
  let size = HEADER_BYTES;
  for (const [, Type] of COLUMNS) size = align(size + n * Type.BYTES_PER_ELEMENT);
  size = align(size + n * 8);
  size = align(size + strings.ends.byteLength);
  size += strings.utf8.length;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, n, true);
  view.setUint32(12, strings.ends.length, true);
  view.setUint32(16, strings.utf8.length, true);
  view.setUint32(20, baseLo, true);
  view.setUint32(24, baseHi, true);
  for (let i = 0; i < 16; i++) bytes[32 + i] = parseInt(traceId.slice(i * 2, i * 2 + 2), 16) || 0;
  let at = HEADER_BYTES;
  const take = <T>(Type: { new (b: ArrayBuffer, o: number, l: number): T; readonly BYTES_PER_ELEMENT: number }, length: number): T => {
    const a = new Type(bytes.buffer, at, length);
    at = align(at + length * Type.BYTES_PER_ELEMENT);
    return a;
  };
  const layout: CompactTraceLayout = {
    bytes,
    start: take(Float64Array, n), duration: take(Float64Array, n), parent: take(Int32Array, n), service: take(Uint32Array, n),
    name: take(Uint32Array, n), kind: take(Uint8Array, n), status: take(Uint8Array, n), flags: take(Uint8Array, n),
    spanIds: take(Uint8Array, n * 8),
  };
  take(Uint32Array, strings.ends.length).set(strings.ends);
  bytes.set(strings.utf8, at);
  return layout;
}

/** Views the columns inside `bytes` (copied once if `bytes` is not 8-byte aligned); CompactFormatError for bytes that are not a compact trace. */
export function decodeCompactTrace(bytes: Uint8Array): CompactTrace {
  if (bytes.byteOffset % 8 !== 0) bytes = bytes.slice();
  if (bytes.length < HEADER_BYTES) throw new CompactFormatError(`not a Loupe compact trace: ${bytes.length} bytes, shorter than its header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new CompactFormatError('not a Loupe compact trace (bad magic)');
  if (view.getUint32(4, true) !== VERSION) throw new CompactFormatError(`compact trace version ${view.getUint32(4, true)}, expected ${VERSION}`);
  const n = view.getUint32(8, true);
  const stringCount = view.getUint32(12, true);
  const utf8Bytes = view.getUint32(16, true);
  let traceId = '';
  for (let i = 32; i < 48; i++) traceId += bytes[i].toString(16).padStart(2, '0');
  let at = HEADER_BYTES;
  const take = <T extends ArrayBufferView>(Type: { new (b: ArrayBuffer, o: number, l: number): T; readonly BYTES_PER_ELEMENT: number }, length: number, what: string): T => {
    const byteLength = length * Type.BYTES_PER_ELEMENT;
    if (at + byteLength > bytes.length) throw new CompactFormatError(`compact trace truncated in ${what}`);
    const a = new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset + at, length);
    at = align(at + byteLength);
    return a;
  };
  const columns = {} as Record<Column, ArrayBufferView>;
  for (const [name, Type] of COLUMNS) columns[name] = take<ArrayBufferView>(Type as unknown as { new (b: ArrayBuffer, o: number, l: number): ArrayBufferView; BYTES_PER_ELEMENT: number }, n, name);
  const spanIds = take(Uint8Array, n * 8, 'span ids');
  const ends = take(Uint32Array, stringCount, 'string table');
  const utf8 = take(Uint8Array, utf8Bytes, 'strings');
  if (stringCount && ends[stringCount - 1] !== utf8Bytes) throw new CompactFormatError('compact trace string table does not match its text');
  checkIndexes(columns.service as Uint32Array, stringCount, 'service');
  checkIndexes(columns.name as Uint32Array, stringCount, 'name');
  checkParents(columns.parent as Int32Array);
  return {
    traceId,
    baseLo: view.getUint32(20, true),
    baseHi: view.getUint32(24, true),
    count: n,
    ...(columns as Pick<CompactTrace, Column>),
    spanIds,
    strings: new LazyStrings(ends, utf8),
  };
}

// The checks scan a million entries: one tight loop each, the message built only on failure.
function checkIndexes(a: Uint32Array, stringCount: number, what: string): void {
  let bad = -1;
  for (let i = 0; i < a.length; i++) if (a[i] >= stringCount) { bad = i; break; }
  if (bad >= 0) throw new CompactFormatError(`compact trace ${what} of span ${bad} names string ${a[bad]} of ${stringCount}`);
}

function checkParents(parent: Int32Array): void {
  const n = parent.length;
  let bad = -1;
  for (let i = 0; i < n; i++) if (parent[i] < -1 || parent[i] >= n) { bad = i; break; }
  if (bad >= 0) throw new CompactFormatError(`compact trace span ${bad} has parent ${parent[bad]} of ${n}`);
}

class LazyStrings implements StringTable {
  private readonly cache: (string | undefined)[];
  private readonly decoder = new TextDecoder();

  constructor(private readonly ends: Uint32Array, private readonly utf8: Uint8Array) {
    this.cache = new Array<string | undefined>(ends.length);
  }

  get size(): number {
    return this.ends.length;
  }

  get(index: number): string {
    let s = this.cache[index];
    if (s === undefined) {
      const from = index === 0 ? 0 : this.ends[index - 1];
      s = this.cache[index] = this.decoder.decode(this.utf8.subarray(from, this.ends[index]));
    }
    return s;
  }
}

function align(n: number): number {
  return (n + 7) & ~7;
}
