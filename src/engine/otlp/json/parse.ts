// JSON.parse that keeps 64-bit integers exact (see src/shared/longIntegers.ts); the
// field decoders accept decimal strings for every integer field anyway.

import { quoteLongIntegers } from '../../../shared/longIntegers.ts';
import { DecodeError } from '../protobuf/wire.ts';

export function parseOtlpJson(text: string): unknown {
  const source = quoteLongIntegers(text);
  try {
    return JSON.parse(source);
  } catch (err) {
    if (err instanceof SyntaxError) throw new DecodeError(`invalid JSON: ${err.message}`);
    // V8 may run out of stack on pathologically deep input.
    if (err instanceof RangeError) throw new DecodeError('invalid JSON: nested too deeply');
    throw err;
  }
}
