// `npm run test:extension-host`: the extension-host suite in a desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code or have one installed
// (VSCODE_EXECUTABLE). Where neither works (these CI machines have no network beyond
// npm), it says so and skips: `npm run test:vscode` (code-server) is the suite here.

import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const repo = resolve(__dirname, '../..');

async function vscodeExecutable(): Promise<string | undefined> {
  if (process.env.VSCODE_EXECUTABLE) return process.env.VSCODE_EXECUTABLE;
  try {
    const download = downloadAndUnzipVSCode({ version: 'stable', timeout: 20_000 });
    // A download that hangs counts as no network; the timer must not keep the run alive.
    return await Promise.race([download, new Promise<undefined>((r) => setTimeout(() => r(undefined), 120_000).unref())]);
  } catch (err) {
    console.log(`[test:extension-host] could not download VS Code: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

async function main(): Promise<void> {
  const executable = await vscodeExecutable();
  if (!executable) {
    console.log('[test:extension-host] SKIPPED: no VS Code to run in. Set VSCODE_EXECUTABLE to an installed VS Code, or run where code.visualstudio.com is reachable. (npm run test:vscode runs the end-to-end tests in code-server instead.)');
    return;
  }
  const outdir = join(repo, 'dist', 'extension-host-tests');
  await build({ entryPoints: [join(__dirname, 'suite.ts')], outfile: join(outdir, 'suite.js'), bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] });
  const workspace = mkdtempSync(join(tmpdir(), 'loupe-exthost-'));
  const code = await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: repo,
    extensionTestsPath: join(outdir, 'suite.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    extensionTestsEnv: { LOUPE_TEST_WORKSPACE: workspace },
  });
  process.exit(code);
}

main().catch((err) => {
  console.error(`[test:extension-host] failed: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
