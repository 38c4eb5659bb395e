// Telemetry text is shown inert: invisible and display-changing characters made visible,
// huge values cut.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inertText, shortText } from '../../webview/src/ui/inertText.ts';
import { niceTicks } from '../../webview/src/trace/timeAxis.ts';
import { formatDuration } from '../../webview/src/ui/format.ts';

describe('inert text', () => {
  it('makes NUL, controls and DEL visible', () => {
    assert.equal(inertText('a\u0000b\u0007c\u007f'), 'a\u2400b\u2407c\u2421');
  });

  it('removes ANSI colour and title sequences', () => {
    assert.equal(inertText('\u001b[31mred\u001b[0m \u001b]0;title\u0007done'), 'red done');
  });

  it('shows right-to-left overrides instead of obeying them', () => {
    assert.equal(inertText('invoice\u202Efdp.exe'), 'invoice<U+202E>fdp.exe');
  });

  it('keeps markup as the characters it is', () => {
    assert.equal(inertText('<img src=x onerror=alert(1)>'), '<img src=x onerror=alert(1)>');
  });

  it('cuts a megabyte to its start, cheaply, and says how long it was', () => {
    const big = 'x'.repeat(1_048_576);
    const short = shortText(big, 300);
    assert.equal(short.text.length, 301);
    assert.equal(short.cutFrom, 1_048_576);
  });

  it('never cuts a surrogate pair in half', () => {
    const short = shortText('ab😀cd', 3);
    assert.equal(short.text, 'ab…');
  });

  it('puts newlines on one line where a row has one line', () => {
    assert.equal(inertText('a\nb', true), 'a ↵ b');
  });
});

describe('the time axis', () => {
  it('steps by 1, 2 or 5 times a power of ten', () => {
    assert.deepEqual(niceTicks(93_000_000).values, [0, 20_000_000, 40_000_000, 60_000_000, 80_000_000]);
    assert.equal(niceTicks(1_000).step, 200);
  });

  it('labels durations in the unit that fits', () => {
    assert.deepEqual([850, 12_300, 4_560_000, 2_500_000_000, 125_000_000_000].map(formatDuration), ['850 ns', '12.3 µs', '4.56 ms', '2.50 s', '2m 5s']);
  });
});
