// One engine per data folder: `loupe.lock` holds the writing engine's pid. A lock whose
// process is gone (an engine killed or crashed) is taken over by the next engine.

import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

/** Locks this process holds: a second engine in the same process (tests, the bench) is refused too. */
const held = new Set<string>();

export class DataLock {
  private constructor(readonly path: string) {}

  /** Takes the folder's lock, or throws DataDirLockedError naming the engine that holds it. */
  static take(dir: string): DataLock {
    const path = join(dir, 'loupe.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        held.add(path);
        return new DataLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = lockHolder(path);
      if (holder !== undefined && (holder === process.pid ? held.has(path) : isAlive(holder))) {
        throw new DataDirLockedError(`the data folder ${dir} is in use by another Loupe engine (pid ${holder}); stop that engine or give this one another --data-dir`);
      }
      // The holder is gone: its lock is stale. Removing it and creating ours with `wx`
      // means that of two engines taking over at once, only one succeeds.
      try {
        unlinkSync(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    throw new DataDirLockedError(`the data folder ${dir} was locked by another engine starting at the same moment; give this one another --data-dir`);
  }

  release(): void {
    held.delete(this.path);
    try {
      if (lockHolder(this.path) === process.pid) unlinkSync(this.path);
    } catch {
      // Already gone: nothing to release.
    }
  }
}

function lockHolder(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
