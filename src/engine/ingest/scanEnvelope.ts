// What the trace and log scanners share: the request envelope (Export…ServiceRequest →
// Resource… → Scope… → items, the same field numbers for both signals), the columns
// every scanned item has, and the attribute walk that hashes scalar values for the
// stores' Bloom filters. Each signal's scanner reads its own items.

import { WireReader, WireType } from '../otlp/protobuf/wire.ts';
import { attributeHash } from '../store/attributeBloom.ts';
import { checkAnyValue, expectWire } from './spanValidation.ts';

/** One Resource… × Scope… pair: where its resource and scope are, and its items. */
export interface ScannedGroup {
  resource: [number, number] | undefined;
  resourceSchemaUrl: string;
  scope: [number, number] | undefined;
  scopeSchemaUrl: string;
  /** Index range of this group's items in the columns. */
  first: number;
  last: number;
}

/**
 * Attribute hashes of a request's items, item i's ending at `end[i]`. A typed array:
 * hashes are unsigned 32-bit, which a plain array would box one by one.
 */
export class AttributeHashes {
  values = new Uint32Array(4096);
  count = 0;

  push(hash: number): void {
    if (this.count === this.values.length) {
      const grown = new Uint32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = hash;
  }
}

/** Columns every scanned item has; reused from request to request. */
export class ScannedItems {
  count = 0;
  start: number[] = [];
  end: number[] = [];
  /** Why the item was rejected, or '' when it is valid. */
  rejected: string[] = [];
  readonly hashes = new AttributeHashes();
  hashEnd: number[] = [];
  groups: ScannedGroup[] = [];

  reset(): void {
    this.count = 0;
    this.groups = [];
    this.hashes.count = 0;
  }

  /** Where item i's attribute hashes start in `hashes`. */
  hashStart(i: number): number {
    return i === 0 ? 0 : this.hashEnd[i - 1];
  }
}

/** The message and field names of one signal's envelope, for error messages. */
export interface EnvelopeNames {
  readonly requestItems: string;
  readonly resource: string;
  readonly scopeItems: string;
  readonly resourceSchemaUrl: string;
  readonly scope: string;
  readonly items: string;
  readonly scopeSchemaUrl: string;
}

export function envelopeNames(request: string, resourceMessage: string, scopeField: string, scopeMessage: string, itemsField: string): EnvelopeNames {
  const resourceField = scopeField.replace(/^scope_/, 'resource_');
  return {
    requestItems: `${request}.${resourceField}`,
    resource: `${resourceMessage}.resource`, scopeItems: `${resourceMessage}.${scopeField}`, resourceSchemaUrl: `${resourceMessage}.schema_url`,
    scope: `${scopeMessage}.scope`, items: `${scopeMessage}.${itemsField}`, scopeSchemaUrl: `${scopeMessage}.schema_url`,
  };
}

/** Reads one item (`r.pos` at its first byte, `end` its end) into `out`'s columns. */
export type ItemScanner<T extends ScannedItems> = (r: WireReader, end: number, out: T) => void;

export function scanEnvelope<T extends ScannedItems>(buf: Buffer, out: T, names: EnvelopeNames, scanItem: ItemScanner<T>): void {
  out.reset();
  const r = new WireReader(buf);
  while (!r.done) {
    const tag = r.tag();
    if (tag >>> 3 === 1) {
      expectWire(tag, WireType.LengthDelimited, names.requestItems);
      const end = r.delimitedEnd();
      scanResource(r, end, out, names, scanItem);
      r.pos = end;
    } else {
      r.skip(tag & 7);
    }
  }
}

function scanResource<T extends ScannedItems>(r: WireReader, end: number, out: T, names: EnvelopeNames, scanItem: ItemScanner<T>): void {
  const outer = r.end;
  r.end = end; // nested lengths are checked against this message's end
  let resource: [number, number] | undefined;
  let schemaUrl = '';
  const firstGroup = out.groups.length;
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1: resource = delimited(r, tag, names.resource); break;
      case 2: {
        expectWire(tag, WireType.LengthDelimited, names.scopeItems);
        const e = r.delimitedEnd();
        scanScope(r, e, out, names, scanItem);
        r.pos = e;
        break;
      }
      case 3: expectWire(tag, WireType.LengthDelimited, names.resourceSchemaUrl); schemaUrl = r.string(); break;
      default: r.skip(tag & 7);
    }
  }
  // The resource may come after its scopes on the wire: fill it in once all is read.
  for (let g = firstGroup; g < out.groups.length; g++) {
    out.groups[g].resource = resource;
    out.groups[g].resourceSchemaUrl = schemaUrl;
  }
  r.end = outer;
}

function scanScope<T extends ScannedItems>(r: WireReader, end: number, out: T, names: EnvelopeNames, scanItem: ItemScanner<T>): void {
  const outer = r.end;
  r.end = end;
  const group: ScannedGroup = { resource: undefined, resourceSchemaUrl: '', scope: undefined, scopeSchemaUrl: '', first: out.count, last: out.count };
  out.groups.push(group);
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1: group.scope = delimited(r, tag, names.scope); break;
      case 2: {
        expectWire(tag, WireType.LengthDelimited, names.items);
        const e = r.delimitedEnd();
        scanItem(r, e, out);
        r.pos = e;
        break;
      }
      case 3: expectWire(tag, WireType.LengthDelimited, names.scopeSchemaUrl); group.scopeSchemaUrl = r.string(); break;
      default: r.skip(tag & 7);
    }
  }
  group.last = out.count;
  r.end = outer;
}

/** The [start, end) of a length-delimited field, skipped over. */
function delimited(r: WireReader, tag: number, name: string): [number, number] {
  expectWire(tag, WireType.LengthDelimited, name);
  const e = r.delimitedEnd();
  const range: [number, number] = [r.pos, e];
  r.pos = e;
  return range;
}

/** First bytes of AnyValues holding a string, bool, int, double or bytes. */
const SCALAR_TAGS = new Uint8Array(256);
for (const tag of [0x0a, 0x10, 0x18, 0x21, 0x3a]) SCALAR_TAGS[tag] = 1;

/** Where the last attribute read by `scanKeyValue` has its key and value (-1 when absent); reused. */
export const keyValue = { keyStart: -1, keyEnd: -1, valueStart: -1, valueEnd: -1 };

/** Checks one KeyValue (`r.pos` to `end`), notes it in `keyValue`, and hashes it when its value is a scalar. */
export function scanKeyValue(r: WireReader, end: number, hashes: AttributeHashes): void {
  const outer = r.end;
  r.end = end; // nested lengths are checked against this message's end
  let keyStart = -1, keyEnd = -1, valueStart = -1, valueEnd = -1;
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case 1: expectWire(tag, WireType.LengthDelimited, 'KeyValue.key'); keyEnd = r.delimitedEnd(); keyStart = r.pos; r.pos = keyEnd; break;
      case 2:
        expectWire(tag, WireType.LengthDelimited, 'KeyValue.value');
        valueEnd = r.delimitedEnd();
        valueStart = r.pos;
        checkAnyValue(r, valueEnd, 1);
        r.pos = valueEnd;
        break;
      case 3: expectWire(tag, WireType.Varint, 'KeyValue.key_strindex'); r.skip(WireType.Varint); break;
      default: r.skip(tag & 7);
    }
  }
  r.end = outer;
  if (keyStart >= 0 && valueStart < valueEnd && SCALAR_TAGS[r.buf[valueStart]]) {
    hashes.push(attributeHash(r.buf, keyStart, keyEnd, valueStart, valueEnd));
  }
  keyValue.keyStart = keyStart;
  keyValue.keyEnd = keyEnd;
  keyValue.valueStart = valueStart;
  keyValue.valueEnd = valueEnd;
}
