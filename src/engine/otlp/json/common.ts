// OTLP/JSON normalization of the messages every signal shares: AnyValue, KeyValue,
// Resource and InstrumentationScope. User-supplied keys (attribute keys, kvlist keys)
// only ever become `key` values, never property names.

import type { AnyValue, EntityRef, InstrumentationScope, KeyValue, Resource } from '../../../protocol/otlp.ts';
import { TOO_DEEP } from '../protobuf/common.ts';
import { MAX_DEPTH } from '../protobuf/wire.ts';
import {
  arrayField, asObject, boolField, fail, type Json, mapMessages, type Path, stringField, toBase64, toDouble,
  toInt64String, uint32Field,
} from './fields.ts';

/** Reads a repeated KeyValue field (attributes, metadata...) at the top nesting level. */
export function keyValuesField(o: Json, key: string, path: Path): KeyValue[] | undefined {
  return keyValueList(o, key, path, 1);
}

function keyValueList(o: Json, key: string, path: Path, depth: number): KeyValue[] | undefined {
  const arr = arrayField(o, key, path);
  if (arr === undefined) return undefined;
  const out: KeyValue[] = [];
  path.push(key, 0);
  const at = path.length - 1;
  for (let i = 0; i < arr.length; i++) {
    path[at] = i;
    out.push(keyValue(asObject(arr[i], path), path, depth));
  }
  path.pop();
  path.pop();
  return out;
}

function keyValue(o: Json, path: Path, depth: number): KeyValue {
  const key = stringField(o, 'key', path);
  const v = o.value;
  if (v === undefined || v === null) return { key };
  path.push('value');
  const value = anyValue(asObject(v, path), path, depth);
  path.pop();
  return { key, value };
}

/** Reads an AnyValue object at nesting level `depth` (1 for a top-level value). */
export function anyValue(o: Json, path: Path, depth: number): AnyValue {
  if (depth > MAX_DEPTH) fail(pathToOutermostValue(path), undefined, TOO_DEEP);
  // A oneof: more than one member set is an error, as in the proto3 JSON mapping.
  let value: AnyValue = {};
  let members = 0;
  let v = o.stringValue;
  if (v !== undefined && v !== null) {
    members++;
    value = { stringValue: stringField(o, 'stringValue', path) };
  }
  v = o.boolValue;
  if (v !== undefined && v !== null) {
    members++;
    value = { boolValue: boolField(o, 'boolValue', path) };
  }
  v = o.intValue;
  if (v !== undefined && v !== null) {
    members++;
    value = { intValue: toInt64String(v, true, path, 'intValue') };
  }
  v = o.doubleValue;
  if (v !== undefined && v !== null) {
    members++;
    value = { doubleValue: toDouble(v, path, 'doubleValue') };
  }
  v = o.arrayValue;
  if (v !== undefined && v !== null) {
    members++;
    path.push('arrayValue');
    const values = anyValueList(asObject(v, path), path, depth + 1);
    path.pop();
    value = { arrayValue: values ? { values } : {} };
  }
  v = o.kvlistValue;
  if (v !== undefined && v !== null) {
    members++;
    path.push('kvlistValue');
    const values = keyValueList(asObject(v, path), 'values', path, depth + 1);
    path.pop();
    value = { kvlistValue: values ? { values } : {} };
  }
  v = o.bytesValue;
  if (v !== undefined && v !== null) {
    members++;
    value = { bytesValue: toBase64(v, path, 'bytesValue') };
  }
  if (members > 1) fail(path, undefined, 'more than one value set in an AnyValue');
  return value;
}

function anyValueList(o: Json, path: Path, depth: number): AnyValue[] | undefined {
  const arr = arrayField(o, 'values', path);
  if (arr === undefined) return undefined;
  const out: AnyValue[] = [];
  path.push('values', 0);
  const at = path.length - 1;
  for (let i = 0; i < arr.length; i++) {
    path[at] = i;
    out.push(anyValue(asObject(arr[i], path), path, depth));
  }
  path.pop();
  path.pop();
  return out;
}

/** The path cut before the first nested value, so a depth error names the attribute, not 64 levels. */
function pathToOutermostValue(path: Path): Path {
  const cut = path.findIndex((seg) => seg === 'arrayValue' || seg === 'kvlistValue');
  return cut < 0 ? path : path.slice(0, cut);
}

export function resource(o: Json, path: Path): Resource {
  const out: Resource = {};
  const attributes = keyValuesField(o, 'attributes', path);
  if (attributes) out.attributes = attributes;
  const dropped = uint32Field(o, 'droppedAttributesCount', path);
  if (dropped !== 0) out.droppedAttributesCount = dropped;
  const entityRefs = mapMessages(o, 'entityRefs', path, entityRef);
  if (entityRefs) out.entityRefs = entityRefs;
  return out;
}

function entityRef(o: Json, path: Path): EntityRef {
  const out: EntityRef = {};
  const schemaUrl = stringField(o, 'schemaUrl', path);
  if (schemaUrl !== '') out.schemaUrl = schemaUrl;
  const type = stringField(o, 'type', path);
  if (type !== '') out.type = type;
  const idKeys = stringList(o, 'idKeys', path);
  if (idKeys) out.idKeys = idKeys;
  const descriptionKeys = stringList(o, 'descriptionKeys', path);
  if (descriptionKeys) out.descriptionKeys = descriptionKeys;
  return out;
}

function stringList(o: Json, key: string, path: Path): string[] | undefined {
  const arr = arrayField(o, key, path);
  if (arr === undefined) return undefined;
  for (let i = 0; i < arr.length; i++) {
    if (typeof arr[i] !== 'string') fail(path, key, 'expected a string', i);
  }
  return arr.slice() as string[];
}

export function scope(o: Json, path: Path): InstrumentationScope {
  const out: InstrumentationScope = {};
  const name = stringField(o, 'name', path);
  if (name !== '') out.name = name;
  const version = stringField(o, 'version', path);
  if (version !== '') out.version = version;
  const attributes = keyValuesField(o, 'attributes', path);
  if (attributes) out.attributes = attributes;
  const dropped = uint32Field(o, 'droppedAttributesCount', path);
  if (dropped !== 0) out.droppedAttributesCount = dropped;
  return out;
}
