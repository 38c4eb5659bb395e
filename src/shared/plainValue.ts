// OTLP values as plain JSON values, for API answers that list attributes as objects.

import type { AnyValue, KeyValue } from '../protocol/otlp.ts';

export function plainValue(v: AnyValue | undefined): unknown {
  if (!v) return null;
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) {
    const n = Number(v.intValue);
    return Number.isSafeInteger(n) ? n : v.intValue;
  }
  if ('doubleValue' in v) return v.doubleValue;
  if ('boolValue' in v) return v.boolValue;
  if ('bytesValue' in v) return v.bytesValue;
  if ('arrayValue' in v) return ((v.arrayValue as { values?: AnyValue[] }).values ?? []).map(plainValue);
  if ('kvlistValue' in v) return plainAttributes((v.kvlistValue as { values?: KeyValue[] }).values);
  return null;
}

/** Keys such as `__proto__` become ordinary properties, never prototypes. */
export function plainAttributes(kvs: KeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of kvs ?? []) {
    Object.defineProperty(out, kv.key, { value: plainValue(kv.value), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The text a filter compares against: strings as they are, other scalars as JSON. */
export function valueText(v: AnyValue | undefined): string {
  const p = plainValue(v);
  return typeof p === 'string' ? p : JSON.stringify(p);
}
