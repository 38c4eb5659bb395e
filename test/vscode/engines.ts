// The Loupe engine processes started from an extension installed under a folder: how
// the tests count them (two windows, one engine) and clean them up.

import { readdirSync, readFileSync } from 'node:fs';

export function enginePids(extensionsDir: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (cmdline.some((arg) => arg.startsWith(extensionsDir) && arg.endsWith('dist/engine.js'))) pids.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

export function killEngines(extensionsDir: string): void {
  for (const pid of enginePids(extensionsDir)) {
    try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ }
  }
}
