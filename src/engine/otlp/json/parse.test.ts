import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecodeError } from '../protobuf/wire.ts';
import { quoteLongIntegers } from '../../../shared/longIntegers.ts';
import { parseOtlpJson } from './parse.ts';

describe('parseOtlpJson', () => {
  it('keeps integers beyond 2^53 exact by reading them as decimal strings', () => {
    assert.deepEqual(parseOtlpJson('{"t": 1700000000123456789, "n": -9223372036854775808}'), {
      t: '1700000000123456789', n: '-9223372036854775808',
    });
  });

  it('leaves safe integers, fractions and exponents as numbers', () => {
    assert.deepEqual(parseOtlpJson('[123456789012345, -1, 0, 1.5, 12345678901234567.5, 1e400, 1234567890123456789e-3]'), [
      123456789012345, -1, 0, 1.5, 12345678901234567.5, Infinity, 1234567890123456.789,
    ]);
  });

  it('never touches digits inside strings, including after escaped quotes and backslashes', () => {
    const text = String.raw`{"a": "x\" 12345678901234567890 \\", "b\\": 12345678901234567890, "c": "\\\"1234567890123456789"}`;
    assert.deepEqual(parseOtlpJson(text), { a: 'x" 12345678901234567890 \\', 'b\\': '12345678901234567890', c: '\\"1234567890123456789' });
  });

  it('returns the very same string when there is nothing to quote', () => {
    const text = '{"startTimeUnixNano": "1700000000123456789", "kind": 2}';
    assert.equal(quoteLongIntegers(text), text);
  });

  it('turns syntax errors into DecodeError', () => {
    for (const bad of ['', '{', '{"a": 1,}', '[1] x', '{"a": 01234567890123456789}', '"unterminated']) {
      assert.throws(() => parseOtlpJson(bad), DecodeError, bad);
    }
  });
});
