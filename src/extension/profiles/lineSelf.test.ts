// Per-line self time for the editor's hints: the innermost frame's line, summed.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compactProfile } from '../../shared/profile/testSupport/compactFixture.ts';
import { chosenType, lineSelf } from './lineSelf.ts';

describe('self time per line', () => {
  it('sums each sample into its innermost frame\'s file and line', () => {
    const p = compactProfile([
      { stack: ['main@/app/main.go:10', 'work@/app/work.go:20'], values: [3, 30] },
      { stack: ['main@/app/main.go:10', 'work@/app/work.go:22'], values: [1, 10] },
      { stack: ['main@/app/main.go:10', 'work@/app/work.go:20'], values: [2, 20] },
      { stack: ['main@/app/main.go:11'], values: [4, 40] },
      { stack: ['main@/app/main.go:10', 'runtime.x'], values: [5, 50] },
    ], { sampleTypes: [{ type: 'samples', unit: 'count' }, { type: 'cpu', unit: 'nanoseconds' }] });
    const { byFile, total } = lineSelf(p, 1);
    assert.equal(total, 150);
    assert.deepEqual([...byFile.get('/app/work.go')!].sort(), [[20, 50], [22, 10]]);
    assert.deepEqual([...byFile.get('/app/main.go')!], [[11, 40]], 'main.go:10 is never innermost');
    assert.equal(byFile.has(''), false, 'frames without a file are left out');
    assert.equal(chosenType(p, 7), 0);
    assert.equal(chosenType(p, 1), 1);
  });
});
