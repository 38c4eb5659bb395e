// Typed field readers for OTLP/JSON objects, following the proto3 JSON mapping with the
// OTLP deviations (ids in hex, enums as integers only). Absent and null fields read as
// the proto3 default. Errors name the field path, e.g.
// `resourceSpans[0].scopeSpans[1].spans[3].startTimeUnixNano: expected an integer`.

import { DecodeError } from '../protobuf/wire.ts';

export type Json = Record<string, unknown>;

/**
 * The path to the object being read, as keys and array indexes. Readers push and pop
 * it in place so that no path strings are built unless an error needs one.
 */
export type Path = (string | number)[];

export function formatPath(path: Path, key?: string): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s === '' ? seg : `.${seg}`;
  if (key !== undefined) s += s === '' ? key : `.${key}`;
  return s === '' ? 'request' : s;
}

/** `index` is set for an element of a repeated scalar field, so its name is only built here. */
export function fail(path: Path, key: string | undefined, problem: string, index = -1): never {
  const field = key === undefined || index < 0 ? key : `${key}[${index}]`;
  throw new DecodeError(`${formatPath(path, field)}: ${problem}`);
}

export function asObject(v: unknown, path: Path, key?: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, key, 'expected an object');
  return v as Json;
}

/** An array field: undefined when absent, null or empty (a proto3 empty repeated field). */
export function arrayField(o: Json, key: string, path: Path): unknown[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) fail(path, key, 'expected an array');
  return v.length === 0 ? undefined : v;
}

/** Maps a repeated message field; `item` reads one element with the path pointing at it. */
export function mapMessages<T>(o: Json, key: string, path: Path, item: (o: Json, path: Path) => T): T[] | undefined {
  const arr = arrayField(o, key, path);
  if (arr === undefined) return undefined;
  const out: T[] = [];
  path.push(key, 0);
  const at = path.length - 1;
  for (let i = 0; i < arr.length; i++) {
    path[at] = i;
    out.push(item(asObject(arr[i], path), path));
  }
  path.pop();
  path.pop();
  return out;
}

/** Reads a singular message field; undefined when absent or null. */
export function messageField<T>(o: Json, key: string, path: Path, read: (o: Json, path: Path) => T): T | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  path.push(key);
  const out = read(asObject(v, path), path);
  path.pop();
  return out;
}

export function stringField(o: Json, key: string, path: Path): string {
  const v = o[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') fail(path, key, 'expected a string');
  return v;
}

export function boolField(o: Json, key: string, path: Path): boolean {
  const v = o[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') fail(path, key, 'expected a boolean');
  return v;
}

/** uint32 and fixed32 fields: a number or a decimal string. */
export function uint32Field(o: Json, key: string, path: Path): number {
  const v = o[key];
  if (v === undefined || v === null) return 0;
  return toInteger32(v, 0, 0xffffffff, path, key);
}

/** int32, sint32 and enum fields (OTLP/JSON allows enums only as integers). */
export function int32Field(o: Json, key: string, path: Path): number {
  const v = o[key];
  if (v === undefined || v === null) return 0;
  return toInteger32(v, -0x80000000, 0x7fffffff, path, key);
}

export function toInteger32(v: unknown, min: number, max: number, path: Path, key: string, index = -1): number {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && INTEGER.test(v)) n = Number(v);
  else fail(path, key, 'expected an integer', index);
  if (!Number.isInteger(n)) fail(path, key, 'expected an integer', index);
  if (n < min || n > max) fail(path, key, 'integer out of range', index);
  return n === 0 ? 0 : n; // no -0
}

const INTEGER = /^-?\d+$/;
const UINT64_MAX = 0xffffffffffffffffn;
const INT64_MIN = -0x8000000000000000n;
const INT64_MAX = 0x7fffffffffffffffn;

/** A uint64/fixed64 field as a canonical decimal string; "0" when absent. */
export function uint64Field(o: Json, key: string, path: Path): string {
  const v = o[key];
  if (v === undefined || v === null) return '0';
  return toInt64String(v, false, path, key);
}

/** An int64/sfixed64 field as a canonical decimal string; undefined when absent (oneofs). */
export function optionalInt64Field(o: Json, key: string, path: Path): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  return toInt64String(v, true, path, key);
}

export function toInt64String(v: unknown, signed: boolean, path: Path, key: string, index = -1): string {
  if (typeof v === 'string' && INTEGER.test(v)) {
    const negative = v.charCodeAt(0) === 0x2d;
    if (negative && !signed && v !== '-0') fail(path, key, 'integer out of range', index);
    const digits = negative ? v.length - 1 : v.length;
    if (v.charCodeAt(negative ? 1 : 0) !== 0x30) {
      // Already canonical (no leading zero): only a range check is left, done on the digits.
      if (digits < 19) return v;
      const limit = !signed ? UINT64_MAX_DIGITS : negative ? INT64_MIN_DIGITS : INT64_MAX_DIGITS;
      const magnitude = negative ? v.slice(1) : v;
      if (digits < limit.length || (digits === limit.length && magnitude <= limit)) return v;
      fail(path, key, 'integer out of range', index);
    }
    // Leading zeros (or "-0"): normalize through a number or a BigInt.
    if (v.length <= 15) return String(Number(v));
    return checkedBigInt(BigInt(v), signed, path, key, index);
  }
  if (typeof v === 'number' && Number.isInteger(v)) {
    if (Number.isSafeInteger(v) && (signed || v >= 0)) return String(v); // String(-0) is "0"
    return checkedBigInt(BigInt(v), signed, path, key, index);
  }
  return fail(path, key, 'expected an integer', index);
}

const UINT64_MAX_DIGITS = '18446744073709551615';
const INT64_MAX_DIGITS = '9223372036854775807';
const INT64_MIN_DIGITS = '9223372036854775808';

function checkedBigInt(big: bigint, signed: boolean, path: Path, key: string, index: number): string {
  if (signed ? big < INT64_MIN || big > INT64_MAX : big < 0n || big > UINT64_MAX) {
    fail(path, key, 'integer out of range', index);
  }
  return big.toString();
}

/** A double field: a number, or a string ("NaN", "Infinity", "-Infinity" or a numeral). */
export function optionalDoubleField(o: Json, key: string, path: Path): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  return toDouble(v, path, key);
}

const NUMERAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export function toDouble(v: unknown, path: Path, key: string, index = -1): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (NUMERAL.test(v)) return Number(v);
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
  }
  return fail(path, key, 'expected a number', index);
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** A trace or span id: hex (any case) in, lowercase hex out; "" when absent. */
export function hexIdField(o: Json, key: string, path: Path): string {
  const v = o[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string' || !HEX.test(v)) fail(path, key, 'expected an id in hex');
  return v.toLowerCase();
}

/**
 * The id of a span or log record: like hexIdField, but a string that is not hex is
 * passed through as it is, so ingest rejects that one item (counted in partial_success)
 * instead of the whole request.
 */
export function itemIdField(o: Json, key: string, path: Path): string {
  const v = o[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') fail(path, key, 'expected an id in hex');
  return HEX.test(v) ? v.toLowerCase() : v;
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** A bytes field: base64 (standard or URL-safe, padded or not) in, padded standard out. */
export function toBase64(v: unknown, path: Path, key: string): string {
  if (typeof v !== 'string' || !BASE64.test(v) || v.replace(/=+$/, '').length % 4 === 1) {
    fail(path, key, 'expected base64');
  }
  return Buffer.from(v, 'base64').toString('base64');
}
