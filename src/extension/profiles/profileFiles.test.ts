// Profile files as a timeline: times read from their names, grouped by folder, oldest first.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { globRegExp, groupProfileFiles, timeInName } from './profileFiles.ts';

describe('profile file names', () => {
  it('reads Unix seconds, milliseconds, nanoseconds and ISO date-times', () => {
    assert.equal(timeInName('cpu-profile-1733130000.prof'), 1733130000_000);
    assert.equal(timeInName('/x/cpu-profile-1733130000123.prof'), 1733130000123);
    assert.equal(timeInName('cpu-profile-1733130000123456789.prof'), 1733130000123);
    assert.equal(timeInName('cpu-profile-2026-12-02T10:15:30Z.prof'), Date.UTC(2026, 11, 2, 10, 15, 30));
    assert.equal(timeInName('cpu-profile-20261202-101530.prof'), new Date(2026, 11, 2, 10, 15, 30).getTime());
    assert.equal(timeInName('heap.pb.gz'), undefined);
    assert.equal(timeInName('cpu-42.prof'), undefined);
  });

  it('groups by folder, oldest first, by name time or else modification time', () => {
    const groups = groupProfileFiles([
      { path: '/w/prof/cpu-profile-1733130060.prof', mtimeMs: 5 },
      { path: '/w/prof/cpu-profile-1733130000.prof', mtimeMs: 9 },
      { path: '/w/heap.pb.gz', mtimeMs: 7 },
      { path: '/w/app.cpuprofile', mtimeMs: 3 },
    ]);
    assert.deepEqual(groups.map((g) => [g.folder, g.files.map((f) => f.path.split('/').pop())]), [
      ['/w', ['app.cpuprofile', 'heap.pb.gz']],
      ['/w/prof', ['cpu-profile-1733130000.prof', 'cpu-profile-1733130060.prof']],
    ]);
    assert.equal(groups[1].files[0].timeFromName, true);
  });
});

describe('watch globs', () => {
  it('match workspace-relative paths as VS Code globs do', () => {
    const prof = globRegExp('**/cpu-profile-*.prof');
    assert.ok(prof.test('cpu-profile-1.prof'));
    assert.ok(prof.test('a/b/cpu-profile-2026.prof'));
    assert.ok(!prof.test('a/cpu-profile-1.prof.bak'));
    assert.ok(!prof.test('a/xcpu-profile-1/prof'));
    assert.ok(globRegExp('**/*.pb.gz').test('x/heap.pb.gz'));
    assert.ok(!globRegExp('**/*.pb.gz').test('x/heap.pbxgz'));
  });
});
