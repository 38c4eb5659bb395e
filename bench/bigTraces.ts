// The big-trace browser benchmark (bench/browser/bigTraceBench.ts) in a process of its own, run
// from source with tsx: it drives Chromium through playwright, which is not bundled.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

export async function bigTraceRows(): Promise<string[]> {
  const root = join(__dirname, '..', '..');
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'bench', 'browser', 'bigTraceBench.ts')], { cwd: root, maxBuffer: 16 << 20, timeout: 15 * 60_000 });
  process.stderr.write(stderr);
  return stdout.trim().split('\n');
}
