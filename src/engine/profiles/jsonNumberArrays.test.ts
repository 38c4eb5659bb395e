import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractNumberArrays } from './jsonNumberArrays.ts';

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

/** What JSON.parse makes of the document, against what the scanner and JSON.parse of its rest make. */
function agrees(text: string, keys = ['samples', 'timeDeltas']): void {
  const whole = JSON.parse(text) as Record<string, unknown>;
  const { rest, arrays } = extractNumberArrays(encode(text), keys);
  const doc = JSON.parse(rest) as Record<string, unknown>;
  for (const key of keys) {
    const got = arrays.get(key);
    if (got) {
      assert.deepEqual(doc[key], [], `${key} is cut out of the rest`);
      assert.deepEqual([...got], whole[key], `${key} of ${text.slice(0, 80)}`);
    } else {
      assert.deepEqual(doc[key], whole[key], `${key} left to JSON.parse`);
    }
  }
}

test('integers, negatives, fractions, exponents and long numbers read as JSON.parse reads them', () => {
  agrees('{"nodes":[{"id":1}],"samples":[1,2,3],"timeDeltas":[0,-5,17]}');
  agrees('{"samples":[ 1 ,\n2\t, 3 ] , "timeDeltas" : [ -0.5, 1e3, 2.5E-2, -1.25e+2 ]}');
  agrees('{"samples":[12345678901234567890, 9007199254740993, -123456789012345678],"timeDeltas":[]}');
  agrees('{"samples":[],"timeDeltas":[ ]}');
  agrees('{"samples":[0],"timeDeltas":[-0]}');
});

test('anything but numbers inside leaves the array to JSON.parse', () => {
  agrees('{"samples":[1,"2",3],"timeDeltas":[1,[2],3]}');
  agrees('{"samples":[1,null],"timeDeltas":[true]}');
  agrees('{"samples":[1,{"a":2}],"timeDeltas":[1, 2]}');
});

test('malformed arrays are left for JSON.parse to report', () => {
  for (const bad of ['{"samples":[1,2,]}', '{"samples":[1,,2]}', '{"samples":[1 2]}', '{"samples":[-]}', '{"samples":[1,2']) {
    const { rest, arrays } = extractNumberArrays(encode(bad), ['samples']);
    assert.equal(arrays.has('samples'), false, bad);
    assert.throws(() => JSON.parse(rest), SyntaxError, bad);
  }
});

test('only top-level keys are taken, and keys inside strings are not keys', () => {
  agrees('{"nodes":[{"samples":[9,9]}],"name":"\\"samples\\":[7]","samples":[1,2]}');
});

test('random arrays of random numbers agree with JSON.parse', () => {
  let seed = 7;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let round = 0; round < 200; round++) {
    const n = Math.floor(rnd() * 50);
    const nums = Array.from({ length: n }, () => {
      const r = rnd();
      if (r < 0.6) return String(Math.floor(rnd() * 1e6));
      if (r < 0.7) return String(-Math.floor(rnd() * 1e4));
      if (r < 0.85) return String((rnd() - 0.5) * 1e3);
      return (rnd() * 1e20).toExponential(5);
    });
    const sep = (): string => [',', ', ', ' ,', ',\n  '][Math.floor(rnd() * 4)];
    agrees(`{"samples":[${nums.join(sep())}],"timeDeltas":[${nums.reverse().join(sep())}]}`);
  }
});
