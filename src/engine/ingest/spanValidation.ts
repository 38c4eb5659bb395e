// Structural checks of the parts of a span the ingest scanner does not read, so that
// every span it stores decodes in full later. Each walker checks wire types and bounds
// of the fields the proto defines and skips unknown fields, as a full decode would.

import { DecodeError, MAX_DEPTH, WireReader, WireType } from '../otlp/protobuf/wire.ts';

function expectWire(tag: number, wireType: number, what: string): void {
  if ((tag & 7) !== wireType) throw new DecodeError(`${what}: wrong wire type ${tag & 7} for field ${tag >>> 3}`);
}

export function checkAnyValue(r: WireReader, end: number, depth: number): void {
  const outer = r.end;
  r.end = end; // nested lengths are checked against this message's end
  if (depth > MAX_DEPTH) throw new DecodeError(`attribute value nested deeper than ${MAX_DEPTH} levels`);
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1: case 7: expectWire(tag, WireType.LengthDelimited, 'AnyValue'); r.skip(WireType.LengthDelimited); break;
      case 2: case 3: case 8: expectWire(tag, WireType.Varint, 'AnyValue'); r.skip(WireType.Varint); break;
      case 4: expectWire(tag, WireType.Fixed64, 'AnyValue'); r.skip(WireType.Fixed64); break;
      case 5: expectWire(tag, WireType.LengthDelimited, 'AnyValue'); checkRepeated(r, r.delimitedEnd(), depth + 1, checkAnyValue); break;
      case 6: expectWire(tag, WireType.LengthDelimited, 'AnyValue'); checkRepeated(r, r.delimitedEnd(), depth + 1, checkKeyValue); break;
      default: r.skip(tag & 7);
    }
  }
  r.end = outer;
}

/** ArrayValue and KeyValueList: field 1 repeated, of the given message. */
function checkRepeated(r: WireReader, end: number, depth: number, check: (r: WireReader, end: number, depth: number) => void): void {
  const outer = r.end;
  r.end = end; // nested lengths are checked against this message's end
  while (r.pos < end) {
    const tag = r.tag();
    if (tag >>> 3 === 1) {
      expectWire(tag, WireType.LengthDelimited, 'value list');
      const e = r.delimitedEnd();
      check(r, e, depth);
      r.pos = e;
    } else {
      r.skip(tag & 7);
    }
  }
  r.end = outer;
}

export function checkKeyValue(r: WireReader, end: number, depth: number): void {
  const outer = r.end;
  r.end = end; // nested lengths are checked against this message's end
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1: expectWire(tag, WireType.LengthDelimited, 'KeyValue.key'); r.skip(WireType.LengthDelimited); break;
      case 2: {
        expectWire(tag, WireType.LengthDelimited, 'KeyValue.value');
        const e = r.delimitedEnd();
        checkAnyValue(r, e, depth);
        r.pos = e;
        break;
      }
      case 3: expectWire(tag, WireType.Varint, 'KeyValue.key_strindex'); r.skip(WireType.Varint); break;
      default: r.skip(tag & 7);
    }
  }
  r.end = outer;
}

/** Span.Event: time (fixed64), name, attributes, dropped count. */
export function checkEvent(r: WireReader, end: number): void {
  const outer = r.end;
  r.end = end; // nested lengths are checked against this message's end
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1: expectWire(tag, WireType.Fixed64, 'Span.Event.time_unix_nano'); r.skip(WireType.Fixed64); break;
      case 2: expectWire(tag, WireType.LengthDelimited, 'Span.Event.name'); r.skip(WireType.LengthDelimited); break;
      case 3: checkNestedKeyValue(r, tag, 'Span.Event.attributes'); break;
      case 4: expectWire(tag, WireType.Varint, 'Span.Event.dropped_attributes_count'); r.skip(WireType.Varint); break;
      default: r.skip(tag & 7);
    }
  }
  r.end = outer;
}

/** Span.Link: ids, trace state, attributes, dropped count, flags. */
export function checkLink(r: WireReader, end: number): void {
  const outer = r.end;
  r.end = end; // nested lengths are checked against this message's end
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1: case 2: case 3: expectWire(tag, WireType.LengthDelimited, 'Span.Link'); r.skip(WireType.LengthDelimited); break;
      case 4: checkNestedKeyValue(r, tag, 'Span.Link.attributes'); break;
      case 5: expectWire(tag, WireType.Varint, 'Span.Link.dropped_attributes_count'); r.skip(WireType.Varint); break;
      case 6: expectWire(tag, WireType.Fixed32, 'Span.Link.flags'); r.skip(WireType.Fixed32); break;
      default: r.skip(tag & 7);
    }
  }
  r.end = outer;
}

export function checkNestedKeyValue(r: WireReader, tag: number, what: string): void {
  expectWire(tag, WireType.LengthDelimited, what);
  const e = r.delimitedEnd();
  checkKeyValue(r, e, 0);
  r.pos = e;
}

export { expectWire };
