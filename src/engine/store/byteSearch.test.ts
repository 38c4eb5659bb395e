import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BytePattern } from './byteSearch.ts';

function frequencies(sample: string): Float64Array {
  const f = new Float64Array(256);
  for (const b of Buffer.from(sample)) f[b]++;
  return f;
}

describe('BytePattern', () => {
  const typical = frequencies('user service GET /users/123 cache.get user:42 SELECT * FROM users');

  it('finds every occurrence, whatever byte it anchors on', () => {
    const hay = Buffer.from('GET user:5011 and user:5012, then user:5011 again');
    const pattern = new BytePattern(Buffer.from('user:5011'), typical);
    const found: number[] = [];
    for (let at = pattern.indexOf(hay, 0, hay.length); at >= 0; at = pattern.indexOf(hay, at + 1, hay.length)) found.push(at);
    assert.deepEqual(found, [4, 34]);
  });

  it('checks the bytes before its anchor, so near misses do not match', () => {
    const hay = Buffer.from('xser:5011 usar:5011');
    assert.equal(new BytePattern(Buffer.from('user:5011'), typical).indexOf(hay, 0, hay.length), -1);
  });

  it('finds only matches wholly inside [from, to)', () => {
    const hay = Buffer.from('abc:1 abc:1 abc:1');
    const pattern = new BytePattern(Buffer.from('abc:1'), typical);
    assert.equal(pattern.indexOf(hay, 1, hay.length), 6);
    assert.equal(pattern.indexOf(hay, 0, 4), -1);
    assert.equal(pattern.indexOf(hay, 7, 16), -1);
    assert.equal(pattern.indexOf(hay, 7, 17), 12);
  });

  it('handles a needle of one byte and a needle at the very start', () => {
    const hay = Buffer.from(':x');
    assert.equal(new BytePattern(Buffer.from(':'), typical).indexOf(hay, 0, hay.length), 0);
    assert.equal(new BytePattern(Buffer.from(':x'), typical).indexOf(hay, 0, hay.length), 0);
  });
});
