// Structure-aware inputs: random but valid OTLP models (spans, log records) with the
// awkward values real apps send — empty and huge strings, every value type, nesting,
// unicode — which must decode, and decode to what was encoded.

import type { AnyValue, KeyValue, LogRecord, Span } from '../../src/protocol/otlp.ts';
import { int, type Rand } from './mutate.ts';

const TEXTS = ['', 'a', 'GET /cart', 'ünïcødé ✓ 🚀', '\u202eevil\u202c', '<script>alert(1)</script>', 'x'.repeat(5000), '\u0000', 'line\nbreak', '𝕏'.repeat(100)];

function text(rand: Rand): string {
  if (rand() < 0.5) return TEXTS[int(rand, TEXTS.length)];
  return Array.from({ length: int(rand, 40) }, () => String.fromCodePoint(rand() < 0.8 ? 32 + int(rand, 95) : notSurrogate(160 + int(rand, 0x2ff00)))).join('');
}

/** OTLP strings are UTF-8: a lone surrogate cannot be sent (the JSON tests send them on purpose). */
function notSurrogate(c: number): number {
  return c >= 0xd800 && c <= 0xdfff ? c + 0x800 : c;
}

function hex(rand: Rand, bytes: number): string {
  let s = '';
  for (let i = 0; i < bytes; i++) s += int(rand, 256).toString(16).padStart(2, '0');
  // An all-zero id is "absent" in OTLP and is not kept: avoid it.
  return /^0+$/.test(s) ? `${s.slice(0, -1)}1` : s;
}

function uint64(rand: Rand): string {
  const big = BigInt(int(rand, 2 ** 31)) * BigInt(2 ** 32) + BigInt(int(rand, 2 ** 32));
  return (big === 0n ? 1n : big).toString();
}

function int64(rand: Rand): string {
  const v = BigInt(int(rand, 2 ** 31)) * BigInt(2 ** 32) + BigInt(int(rand, 2 ** 32));
  return (rand() < 0.5 ? -v : v).toString();
}

export function anyValue(rand: Rand, depth = 0): AnyValue {
  switch (int(rand, depth > 3 ? 5 : 7)) {
    case 0: return { stringValue: text(rand) };
    case 1: return { boolValue: rand() < 0.5 };
    case 2: return { intValue: int64(rand) };
    case 3: return { doubleValue: [0.5, -1.25, 1e300, -0, 3.14159, 2 ** 53][int(rand, 6)] };
    case 4: return { bytesValue: Buffer.from(Array.from({ length: int(rand, 20) }, () => int(rand, 256))).toString('base64') };
    case 5: return { arrayValue: { values: Array.from({ length: int(rand, 4) }, () => anyValue(rand, depth + 1)) } };
    default: return { kvlistValue: { values: attributes(rand, depth + 1) } };
  }
}

export function attributes(rand: Rand, depth = 0): KeyValue[] {
  return Array.from({ length: int(rand, 6) }, () => ({ key: text(rand) || 'k', value: anyValue(rand, depth) }));
}

export function randomSpan(rand: Rand): Span {
  const start = BigInt(uint64(rand)) / 2n;
  const span: Span = {
    traceId: hex(rand, 16),
    spanId: hex(rand, 8),
    name: text(rand) || 'span',
    kind: 1 + int(rand, 5),
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + BigInt(int(rand, 1e9))).toString(),
  };
  if (rand() < 0.5) span.parentSpanId = hex(rand, 8);
  if (rand() < 0.7) span.attributes = attributes(rand);
  if (rand() < 0.3) span.events = Array.from({ length: 1 + int(rand, 3) }, () => ({ name: text(rand) || 'event', timeUnixNano: uint64(rand), attributes: attributes(rand) }));
  if (rand() < 0.2) span.links = [{ traceId: hex(rand, 16), spanId: hex(rand, 8), attributes: attributes(rand) }];
  if (rand() < 0.3) span.status = { code: 1 + int(rand, 2), ...(rand() < 0.5 ? { message: text(rand) || 'boom' } : {}) };
  return span;
}

export function randomLogRecord(rand: Rand): LogRecord {
  const record: LogRecord = { timeUnixNano: uint64(rand), severityNumber: 1 + int(rand, 24), body: anyValue(rand) };
  if (rand() < 0.5) record.severityText = text(rand) || 'INFO';
  if (rand() < 0.6) record.attributes = attributes(rand);
  if (rand() < 0.4) { record.traceId = hex(rand, 16); record.spanId = hex(rand, 8); }
  return record;
}
