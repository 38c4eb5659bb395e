// The wrapping all three OTLP signals share: a request holds Resource* messages (field
// 1), each a resource, Scope* messages and a schema URL, each Scope* a scope, the items
// and a schema URL. Only the names differ, so one decoder serves traces, logs and
// metrics, given how to read an item.

import { readResource, readScope } from './common.ts';
import { fieldNames, nested, skipField, type FieldNames } from './message.ts';
import { WireReader } from './wire.ts';

/** JSON keys and proto message names of one signal's envelope. */
export interface Envelope {
  /** e.g. resourceSpans / ResourceSpans */
  resourceKey: string;
  /** e.g. scopeSpans / ScopeSpans */
  scopeKey: string;
  /** e.g. spans */
  itemsKey: string;
  names: { data: FieldNames; resource: FieldNames; scope: FieldNames };
}

/** e.g. envelope('TracesData', 'ResourceSpans', 'ScopeSpans', 'spans', 'spans'). */
export function envelope(data: string, resource: string, scope: string, itemsKey: string, protoItems: string): Envelope {
  const lower = (s: string) => s[0].toLowerCase() + s.slice(1);
  const snake = (s: string) => s.replace(/(.)([A-Z])/g, '$1_$2').toLowerCase();
  return {
    resourceKey: lower(resource), scopeKey: lower(scope), itemsKey,
    names: {
      data: fieldNames(data, { 1: snake(resource) }),
      resource: fieldNames(resource, { 1: 'resource', 2: snake(scope), 3: 'schema_url' }),
      scope: fieldNames(scope, { 1: 'scope', 2: protoItems, 3: 'schema_url' }),
    },
  };
}

type Obj = Record<string, unknown>;

/** Decodes a whole export request; `item` reads one item with `r` narrowed to it. */
export function decodeEnvelope<T>(buf: Buffer, env: Envelope, item: (r: WireReader) => unknown): T {
  const r = new WireReader(buf);
  const list = repeated(r, env.names.data, (r) => level(r, env.names.resource, 'resource', readResource, env.scopeKey,
    (r) => level(r, env.names.scope, 'scope', readScope, env.itemsKey, item)));
  return (list ? { [env.resourceKey]: list } : {}) as T;
}

/** Field 1 repeated, each decoded by `read`; anything else skipped (or rejected if known). */
function repeated(r: WireReader, names: FieldNames, read: (r: WireReader) => unknown): unknown[] | undefined {
  let list: unknown[] | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 10) {
      (list ??= []).push(nested(r, read));
    } else {
      skipField(r, tag, names);
    }
  }
  return list;
}

/** A Resource* or Scope* message: its head message (1), its children (2), schema URL (3). */
function level(r: WireReader, names: FieldNames, headKey: string, readHead: (r: WireReader) => unknown, childKey: string, readChild: (r: WireReader) => unknown): Obj {
  const out: Obj = {};
  let schemaUrl = '';
  let children: unknown[] | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: out[headKey] = readHead(r); break;
      case 18: (children ??= []).push(nested(r, readChild)); break;
      case 26: schemaUrl = r.string(); break;
      default: skipField(r, tag, names);
    }
  }
  if (children) out[childKey] = children;
  if (schemaUrl !== '') out.schemaUrl = schemaUrl;
  return out;
}
