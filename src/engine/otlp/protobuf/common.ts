// Decoders for the messages every signal shares: AnyValue, KeyValue, Resource and
// InstrumentationScope (opentelemetry/proto/common/v1, resource/v1).

import type { AnyValue, EntityRef, InstrumentationScope, KeyValue, Resource } from '../../../protocol/otlp.ts';
import { enter, fieldNames, leave, nested, skipField } from './message.ts';
import { DecodeError, MAX_DEPTH, WireReader } from './wire.ts';

// Cases in the decoders below are whole tags: field number << 3 | wire type.

const ANY_VALUE = fieldNames('AnyValue', {
  1: 'string_value', 2: 'bool_value', 3: 'int_value', 4: 'double_value', 5: 'array_value',
  6: 'kvlist_value', 7: 'bytes_value',
});
const ARRAY_VALUE = fieldNames('ArrayValue', { 1: 'values' });
const KVLIST_VALUE = fieldNames('KeyValueList', { 1: 'values' });
const KEY_VALUE = fieldNames('KeyValue', { 1: 'key', 2: 'value' });
const RESOURCE = fieldNames('Resource', { 1: 'attributes', 2: 'dropped_attributes_count', 3: 'entity_refs' });
const ENTITY_REF = fieldNames('EntityRef', { 1: 'schema_url', 2: 'type', 3: 'id_keys', 4: 'description_keys' });
const SCOPE = fieldNames('InstrumentationScope', { 1: 'name', 2: 'version', 3: 'attributes', 4: 'dropped_attributes_count' });

export const TOO_DEEP = `attribute value nested deeper than ${MAX_DEPTH} levels`;

/** Decodes one AnyValue message from `buf[start, end)`. */
export function decodeAnyValue(buf: Buffer, start: number, end: number): AnyValue {
  return anyValueBody(new WireReader(buf, start, end), 1);
}

/** Decodes one KeyValue message from `buf[start, end)`. */
export function decodeKeyValue(buf: Buffer, start: number, end: number): KeyValue {
  return keyValueBody(new WireReader(buf, start, end), 1);
}

/**
 * Collects every `repeated KeyValue` entry with field number `field` from the message
 * in `buf[start, end)`, e.g. field 9 of a Span for its attributes; other fields are skipped.
 */
export function decodeKeyValues(buf: Buffer, start: number, end: number, field: number): KeyValue[] {
  const r = new WireReader(buf, start, end);
  const wanted = (field << 3) | 2;
  const out: KeyValue[] = [];
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === wanted) out.push(readKeyValue(r));
    else r.skip(tag & 7);
  }
  return out;
}

export function decodeResource(buf: Buffer, start: number, end: number): Resource {
  return resourceBody(new WireReader(buf, start, end));
}

export function decodeScope(buf: Buffer, start: number, end: number): InstrumentationScope {
  return scopeBody(new WireReader(buf, start, end));
}

/** Reads a length-delimited KeyValue field (an attribute). */
export function readKeyValue(r: WireReader): KeyValue {
  const outer = enter(r);
  const kv = keyValueBody(r, 1);
  leave(r, outer);
  return kv;
}

/** Reads a length-delimited AnyValue field at nesting level `depth` (1 for a top-level value). */
export function readAnyValue(r: WireReader, depth: number): AnyValue {
  const outer = enter(r);
  const value = anyValueBody(r, depth);
  leave(r, outer);
  return value;
}

export function readResource(r: WireReader): Resource {
  return nested(r, resourceBody);
}

export function readScope(r: WireReader): InstrumentationScope {
  return nested(r, scopeBody);
}

function anyValueBody(r: WireReader, depth: number): AnyValue {
  if (depth > MAX_DEPTH) throw new DecodeError(TOO_DEEP);
  // A oneof: the last value field on the wire wins.
  let value: AnyValue = {};
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: value = { stringValue: r.string() }; break;
      case 16: value = { boolValue: r.bool() }; break;
      case 24: value = { intValue: r.int64String() }; break;
      case 33: value = { doubleValue: r.double() }; break;
      case 42: {
        const outer = enter(r);
        const values: AnyValue[] = [];
        while (r.pos < r.end) {
          const t = r.tag();
          if (t === 10) values.push(readAnyValue(r, depth + 1));
          else skipField(r, t, ARRAY_VALUE);
        }
        leave(r, outer);
        value = { arrayValue: values.length > 0 ? { values } : {} };
        break;
      }
      case 50: {
        const outer = enter(r);
        const values: KeyValue[] = [];
        while (r.pos < r.end) {
          const t = r.tag();
          if (t === 10) {
            const o = enter(r);
            values.push(keyValueBody(r, depth + 1));
            leave(r, o);
          } else {
            skipField(r, t, KVLIST_VALUE);
          }
        }
        leave(r, outer);
        value = { kvlistValue: values.length > 0 ? { values } : {} };
        break;
      }
      case 58: {
        const bytes = r.bytes();
        value = { bytesValue: bytes.toString('base64') };
        break;
      }
      // string_value_strindex (8) refers to a profiles dictionary: meaningless here, skipped.
      default: skipField(r, tag, ANY_VALUE);
    }
  }
  return value;
}

function keyValueBody(r: WireReader, depth: number): KeyValue {
  let key = '';
  let value: AnyValue | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: key = r.string(); break;
      case 18: value = readAnyValue(r, depth); break;
      // key_strindex (3) is a profiles dictionary reference: skipped.
      default: skipField(r, tag, KEY_VALUE);
    }
  }
  return value === undefined ? { key } : { key, value };
}

function resourceBody(r: WireReader): Resource {
  let attributes: KeyValue[] | undefined;
  let dropped = 0;
  let entityRefs: EntityRef[] | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: (attributes ??= []).push(readKeyValue(r)); break;
      case 16: dropped = r.uint32(); break;
      case 26: {
        (entityRefs ??= []).push(nested(r, entityRefBody));
        break;
      }
      default: skipField(r, tag, RESOURCE);
    }
  }
  const resource: Resource = {};
  if (attributes) resource.attributes = attributes;
  if (dropped !== 0) resource.droppedAttributesCount = dropped;
  if (entityRefs) resource.entityRefs = entityRefs;
  return resource;
}

function entityRefBody(r: WireReader): EntityRef {
  let schemaUrl = '';
  let type = '';
  let idKeys: string[] | undefined;
  let descriptionKeys: string[] | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: schemaUrl = r.string(); break;
      case 18: type = r.string(); break;
      case 26: (idKeys ??= []).push(r.string()); break;
      case 34: (descriptionKeys ??= []).push(r.string()); break;
      default: skipField(r, tag, ENTITY_REF);
    }
  }
  const ref: EntityRef = {};
  if (schemaUrl !== '') ref.schemaUrl = schemaUrl;
  if (type !== '') ref.type = type;
  if (idKeys) ref.idKeys = idKeys;
  if (descriptionKeys) ref.descriptionKeys = descriptionKeys;
  return ref;
}

function scopeBody(r: WireReader): InstrumentationScope {
  let name = '';
  let version = '';
  let attributes: KeyValue[] | undefined;
  let dropped = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: name = r.string(); break;
      case 18: version = r.string(); break;
      case 26: (attributes ??= []).push(readKeyValue(r)); break;
      case 32: dropped = r.uint32(); break;
      default: skipField(r, tag, SCOPE);
    }
  }
  const scope: InstrumentationScope = {};
  if (name !== '') scope.name = name;
  if (version !== '') scope.version = version;
  if (attributes) scope.attributes = attributes;
  if (dropped !== 0) scope.droppedAttributesCount = dropped;
  return scope;
}
