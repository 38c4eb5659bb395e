// Runs the browser benchmark of the profile viewer (bench/browser/profileViewer.ts) in
// its own Node process, as tsx runs it (it drives Chromium through playwright-core,
// which stays out of the bundled bench), and returns its table's lines.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `script`: profileViewer.ts (first paint against speedscope, frame times) or largeProfile.ts (500 MB). */
export async function profileViewerRows(script = 'profileViewer.ts'): Promise<string[]> {
  const root = join(__dirname, '..', '..');
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(root, 'bench', 'browser', script)], { cwd: root, maxBuffer: 1 << 22, timeout: 30 * 60_000 });
    process.stderr.write(stderr);
    return stdout.trimEnd().split('\n');
  } catch (err) {
    return ['', `Profile viewer benchmark failed: ${(err as Error).message.split('\n').slice(0, 6).join(' ')}`];
  }
}
