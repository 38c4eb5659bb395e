// The resource / scope wrapping all three OTLP/JSON signals share (see
// ../protobuf/envelope.ts): one decoder for traces, logs and metrics, given the keys
// and how to read an item.

import { resource, scope } from './common.ts';
import { asObject, type Json, mapMessages, messageField, type Path, stringField } from './fields.ts';
import { parseOtlpJson } from './parse.ts';

/** e.g. { resource: 'resourceSpans', scope: 'scopeSpans', items: 'spans' } */
export interface JsonEnvelope {
  resource: string;
  scope: string;
  items: string;
}

export function decodeEnvelopeJson<T>(text: string, keys: JsonEnvelope, item: (o: Json, path: Path) => unknown): T {
  return envelopeOf<T>(asObject(parseOtlpJson(text), []), keys, item);
}

/** The envelope of an already parsed request, for signals with more at the top level (profiles' dictionary). */
export function envelopeOf<T>(root: Json, keys: JsonEnvelope, item: (o: Json, path: Path) => unknown): T {
  const path: Path = [];
  const list = mapMessages(root, keys.resource, path, (o, p) =>
    level(o, p, 'resource', resource, keys.scope, (o, p) => level(o, p, 'scope', scope, keys.items, item)));
  return (list ? { [keys.resource]: list } : {}) as T;
}

function level(o: Json, path: Path, headKey: string, readHead: (o: Json, path: Path) => unknown, childKey: string, readChild: (o: Json, path: Path) => unknown): Json {
  const out: Json = {};
  const head = messageField(o, headKey, path, readHead);
  if (head) out[headKey] = head;
  const children = mapMessages(o, childKey, path, readChild);
  if (children) out[childKey] = children;
  const schemaUrl = stringField(o, 'schemaUrl', path);
  if (schemaUrl !== '') out.schemaUrl = schemaUrl;
  return out;
}
