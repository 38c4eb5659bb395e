// The few attributes the function aggregate needs (code.function.name, code.file.path,
// code.namespace, code.line.number and their older names), read straight from the
// span's bytes: instrumented apps put them on most spans, so a full decode of each at
// ingest (and again at eviction) would cost more than the rest of ingest. Keys are
// compared as bytes; only the values wanted are decoded.

import { bytesEqual, WireReader, WireType } from '../otlp/protobuf/wire.ts';

export interface CodeAttributes {
  function: string;
  file: string;
  namespace: string;
  /** 0 when absent or not a positive whole number. */
  line: number;
}

type Slot = keyof CodeAttributes;

/** Each key, the field it fills and its rank: the newer name wins over the older. */
const KEYS: [Buffer, Slot, number][] = ([
  ['code.function.name', 'function', 2], ['code.function', 'function', 1],
  ['code.file.path', 'file', 2], ['code.filepath', 'file', 1],
  ['code.namespace', 'namespace', 1],
  ['code.line.number', 'line', 2], ['code.lineno', 'line', 1],
] as const).map(([k, slot, rank]) => [Buffer.from(k), slot, rank]);
const PREFIX = Buffer.from('code.');

export function readCodeAttributes(buf: Buffer, start: number, end: number): CodeAttributes {
  const out: CodeAttributes = { function: '', file: '', namespace: '', line: 0 };
  let ranks = 0; // 2 bits per slot, in KEYS order of first appearance
  const r = new WireReader(buf, start, end);
  while (r.pos < end) {
    const tag = r.tag();
    if (tag !== 0x4a) { r.skip(tag & 7); continue; }
    const e = r.delimitedEnd();
    const outer = r.end;
    r.end = e;
    let key: [Buffer, Slot, number] | undefined;
    let text = '';
    let int = -1;
    let keyed = false;
    while (r.pos < e) {
      const t = r.tag();
      if (t === 0x0a) {
        const ke = r.delimitedEnd();
        keyed = true;
        if (ke - r.pos > PREFIX.length && bytesEqual(buf, r.pos, r.pos + PREFIX.length, PREFIX)) key = keyAt(buf, r.pos, ke);
        r.pos = ke;
        if (!key) break;
      } else if (t === 0x12 && (key || !keyed)) {
        const ve = r.delimitedEnd();
        const valueOuter = r.end;
        r.end = ve;
        while (r.pos < ve) {
          const vt = r.tag();
          if (vt === 0x0a) text = r.string();
          else if (vt === ((3 << 3) | WireType.Varint)) int = Number(r.int64String());
          else r.skip(vt & 7);
        }
        r.end = valueOuter;
      } else r.skip(t & 7);
    }
    r.end = outer;
    r.pos = e;
    if (!key) continue;
    const [, slot, rank] = key;
    const shift = slotShift(slot);
    // A function, file or namespace that is not a string leaves the older name to say it.
    if (((ranks >> shift) & 3) > rank || (slot !== 'line' && !text)) continue;
    ranks = (ranks & ~(3 << shift)) | (rank << shift);
    if (slot === 'line') {
      const n = int >= 0 ? int : Number(text);
      out.line = Number.isInteger(n) && n > 0 ? n : 0;
    } else out[slot] = text;
  }
  return out;
}

function keyAt(buf: Buffer, start: number, end: number): [Buffer, Slot, number] | undefined {
  for (const key of KEYS) if (bytesEqual(buf, start, end, key[0])) return key;
  return undefined;
}

function slotShift(slot: Slot): number {
  return slot === 'function' ? 0 : slot === 'file' ? 2 : slot === 'namespace' ? 4 : 6;
}
