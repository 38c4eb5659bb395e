// Helpers shared by the message decoders: narrowing the reader to an embedded message,
// and telling unknown fields (skipped, for forward compatibility) from known fields
// sent with the wrong wire type (rejected).
//
// Decoders switch on the whole tag (`field << 3 | wireType`), so a known field with an
// unexpected wire type falls through to `skipField`, which can then name it.

import { DecodeError, type WireReader } from './wire.ts';

/** Narrows `r` to the embedded message that starts at `r.pos`; pass the result to `leave`. */
export function enter(r: WireReader): number {
  const end = r.delimitedEnd();
  const outer = r.end;
  r.end = end;
  return outer;
}

export function leave(r: WireReader, outer: number): void {
  r.end = outer;
}

/** Reads the embedded message at `r.pos` with `body`, the reader narrowed to it. */
export function nested<T>(r: WireReader, body: (r: WireReader) => T): T {
  const outer = enter(r);
  const value = body(r);
  leave(r, outer);
  return value;
}

/** Field names of one message, indexed by field number, for error messages. */
export type FieldNames = readonly (string | undefined)[];

export function fieldNames(message: string, byNumber: Record<number, string>): FieldNames {
  const names: (string | undefined)[] = [];
  for (const [num, name] of Object.entries(byNumber)) names[Number(num)] = `${message}.${name}`;
  return names;
}

export function skipField(r: WireReader, tag: number, names: FieldNames): void {
  const name = names[tag >>> 3];
  if (name !== undefined) {
    throw new DecodeError(`${name}: unexpected wire type ${tag & 7} at byte ${r.pos}`);
  }
  r.skip(tag & 7);
}

/** proto3 doubles with implicit presence are omitted only when +0 (−0 has other bits). */
export function isDefaultDouble(v: number): boolean {
  return v === 0 && 1 / v > 0;
}

export function zigzag32(n: number): number {
  return (n >>> 1) ^ -(n & 1);
}
