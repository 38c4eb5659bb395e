// Rough heap cost of decoded OTLP values, for the memory budget of the stores that keep
// decoded objects (logs, metric points). Two bytes a character is V8's worst case.

import type { AnyValue, KeyValue } from '../../protocol/otlp.ts';

export function anyValueBytes(v: AnyValue | undefined, depth = 0): number {
  if (!v || depth > 64) return 16;
  if ('stringValue' in v) return 40 + 2 * (v.stringValue as string).length;
  if ('bytesValue' in v) return 40 + 2 * (v.bytesValue as string).length;
  if ('intValue' in v) return 64;
  if ('arrayValue' in v) {
    let n = 48;
    for (const x of (v.arrayValue as { values?: AnyValue[] }).values ?? []) n += 8 + anyValueBytes(x, depth + 1);
    return n;
  }
  if ('kvlistValue' in v) return 48 + keyValuesBytes((v.kvlistValue as { values?: KeyValue[] }).values, depth + 1);
  return 32;
}

export function keyValuesBytes(kvs: KeyValue[] | undefined, depth = 0): number {
  if (!kvs) return 0;
  let n = 32;
  for (const kv of kvs) n += 48 + 2 * kv.key.length + anyValueBytes(kv.value, depth);
  return n;
}
