// Two marks the ingest scanner sets on a span so the aggregates decode only the spans
// they need: it records an exception event, or it names its code function. They live in
// the chunk's `bits` column beside kind, status and has-parent (store/spanChunk.ts).

import { bytesEqual, WireReader } from '../otlp/protobuf/wire.ts';

const EXCEPTION = Buffer.from('exception');

export const enum SpanMark { Exception = 0x40, CodeFunction = 0x80 }

/** Whether an encoded Span.Event in `buf[start, end)` is named "exception" (Event.name is field 2). */
export function isExceptionEvent(buf: Buffer, start: number, end: number): boolean {
  const r = new WireReader(buf, start, end);
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 0x12) {
      const e = r.delimitedEnd();
      return bytesEqual(buf, r.pos, e, EXCEPTION);
    }
    r.skip(tag & 7);
  }
  return false;
}
