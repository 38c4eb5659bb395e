// A folder that cannot be written, for the write-fault tests. Permissions do not stop
// root (test containers often run as root), so there the folder is made immutable with
// chattr where the file system allows it; when nothing works, undefined (the test then
// skips that case and says so).

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ReadOnlyDir {
  path: string;
  /** Makes it writable again and removes it. */
  remove(): void;
}

export function readOnlyDir(): ReadOnlyDir | undefined {
  const path = mkdtempSync(join(tmpdir(), 'loupe-readonly-'));
  let immutable = false;
  const remove = () => {
    if (immutable) execFileSync('chattr', ['-i', path]);
    chmodSync(path, 0o755);
    rmSync(path, { recursive: true, force: true });
  };
  chmodSync(path, 0o555);
  if (!writable(path)) return { path, remove };
  try {
    execFileSync('chattr', ['+i', path], { stdio: 'ignore' });
    immutable = true;
  } catch {
    // no chattr, or a file system without the immutable flag
  }
  if (immutable && !writable(path)) return { path, remove };
  remove();
  return undefined;
}

function writable(dir: string): boolean {
  try {
    writeFileSync(join(dir, 'probe'), 'x');
    rmSync(join(dir, 'probe'));
    return true;
  } catch {
    return false;
  }
}
