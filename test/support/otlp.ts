// Builders for hand-made OTLP payloads (the bad-input tests need bytes no SDK would send).

import { encodeSpan } from '../../src/engine/otlp/protobuf/encodeTraces.ts';
import type { Span } from '../../src/protocol/otlp.ts';

export function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
}

export function field(number: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint((number << 3) | 2), varint(bytes.length), bytes]);
}

const SERVICE = field(1, Buffer.concat([field(1, Buffer.from('service.name')), field(2, field(1, Buffer.from('bad-input')))]));

/** ExportTraceServiceRequest { resource_spans { resource { service.name }, scope_spans { spans } } } */
export function tracesRequest(spans: (Span | Buffer)[]): Buffer {
  const encoded = spans.map((s) => field(2, Buffer.isBuffer(s) ? s : encodeSpan(s)));
  return field(1, Buffer.concat([field(1, SERVICE), field(2, Buffer.concat(encoded))]));
}

let counter = 1;
export function validSpan(extra: Partial<Span> = {}): Span {
  const n = counter++;
  return {
    traceId: n.toString(16).padStart(32, 'a'),
    spanId: n.toString(16).padStart(16, 'b'),
    name: `span ${n}`,
    kind: 2,
    startTimeUnixNano: '1700000000123456789',
    endTimeUnixNano: '1700000000223456789',
    ...extra,
  };
}

/** OTLP/JSON text of an AnyValue nested `depth` arrays deep (JSON.stringify would overflow). */
export function nestedArrayJson(depth: number): string {
  return '{"arrayValue":{"values":['.repeat(depth) + '{"stringValue":"bottom"}' + ']}}'.repeat(depth);
}

/** A protobuf AnyValue nested `depth` arrays deep, built bottom-up without recursion. */
export function nestedArrayBytes(depth: number): Buffer {
  let v = field(1, Buffer.from('bottom'));
  for (let i = 0; i < depth; i++) v = field(5, field(1, v));
  return v;
}
