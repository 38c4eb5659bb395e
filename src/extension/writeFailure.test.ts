// The message for a file that could not be written, from the errors a full disk and an
// unwritable folder really give.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readOnlyDir } from '../../test/support/readOnlyDir.ts';
import { writeFailure } from './writeFailure.ts';

const dir = mkdtempSync(join(tmpdir(), 'loupe-write-failure-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The error writing `path` gives. */
function errorWriting(path: string): unknown {
  try {
    writeFileSync(path, 'traces');
  } catch (err) {
    return err;
  }
  assert.fail(`writing ${path} succeeded`);
}

describe('a file Loupe could not write', () => {
  it('on a full disk (/dev/full)', () => {
    assert.equal(writeFailure('/dev/full', errorWriting('/dev/full')), 'Could not write /dev/full: the disk is full. Nothing was saved; free some space or save it on another disk, then try again.');
  });

  it('in a folder without write access', (t) => {
    const locked = readOnlyDir();
    if (!locked) return t.skip('no way to make a read-only folder here (root without chattr)');
    try {
      const path = join(locked.path, 'traces.json');
      assert.match(writeFailure(path, errorWriting(path)), new RegExp(`^Could not write ${path.replace(/[.]/g, '\\.')}: (Loupe may not write there|its file system is read-only)\\. Nothing was saved; save it in a folder you can write to, then try again\\.$`));
    } finally {
      locked.remove();
    }
  });

  it('in a folder that does not exist, or over a folder', () => {
    const file = join(dir, 'file');
    writeFileSync(file, '');
    assert.match(writeFailure(join(file, 'x.json'), errorWriting(join(file, 'x.json'))), /its folder does not exist\. Nothing was saved; choose an existing folder/);
    assert.match(writeFailure(dir, errorWriting(dir)), /a folder has that name\. Nothing was saved; choose another file name/);
  });

  it("from VS Code's file system errors, and anything else", () => {
    assert.match(writeFailure('/w/t.json', { code: 'NoPermissions', message: 'EACCES: permission denied, open \'/w/t.json\'' }), /Loupe may not write there/);
    assert.match(writeFailure('/w/t.json', { code: 'Unknown', message: 'ENOSPC: no space left on device, write' }), /the disk is full/);
    assert.equal(writeFailure('/w/t.json', new Error('the network share went away')), 'Could not write /w/t.json: the network share went away. Nothing was saved; try another folder, then try again.');
    assert.match(writeFailure('/w/t.json', undefined), /Could not write \/w\/t\.json: an unknown error\./);
  });
});
