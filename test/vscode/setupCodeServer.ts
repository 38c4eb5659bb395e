// Installs code-server (VS Code OSS served to a browser) into .cache/code-server/ in the
// steps that work without its install script (which refuses root and downloads ripgrep
// from GitHub). Idempotent: a marker file records a finished install.
// Run: npx tsx test/vscode/setupCodeServer.ts

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, symlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
export const cacheDir = resolve(__dirname, '../../.cache/code-server');
export const codeServerEntry = join(cacheDir, 'node_modules/code-server/out/node/entry.js');
const marker = join(cacheDir, `.installed-${CODE_SERVER_VERSION}`);

function run(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): void {
  const started = Date.now();
  console.log(`[setup] ${cwd.replace(cacheDir, '.cache/code-server')}$ ${command} ${args.join(' ')}`);
  execFileSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
  console.log(`[setup]   done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function link(dir: string, target: string, name: string): void {
  const path = join(dir, name);
  rmSync(path, { force: true });
  symlinkSync(target, path);
}

export function setupCodeServer(): string {
  if (existsSync(marker) && existsSync(codeServerEntry)) return codeServerEntry;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(join(cacheDir, 'package.json'), JSON.stringify({ name: 'loupe-code-server-cache', private: true }, null, 2));

  run(cacheDir, npm, ['install', '--ignore-scripts', ...quiet, `code-server@${CODE_SERVER_VERSION}`]);
  const vscodeDir = join(cacheDir, 'node_modules/code-server/lib/vscode');
  run(vscodeDir, npm, ['install', '--omit=dev', '--ignore-scripts', ...quiet]);
  // The native modules VS Code's server needs, built for this Node by node-gyp
  // (kerberos is left out: only proxy authentication uses it).
  run(vscodeDir, npm, ['rebuild', '@parcel/watcher', '@vscode/deviceid', '@vscode/spdlog', 'native-watchdog', 'node-pty'], { npm_config_yes: 'true' });
  link(vscodeDir, 'node_modules', 'node_modules.asar');
  run(join(vscodeDir, 'extensions'), npm, ['install', '--omit=dev', '--ignore-scripts', ...quiet]);
  // Search in the workbench needs ripgrep; Debian's works if installed (optional).
  const rg = join(vscodeDir, 'node_modules/@vscode/ripgrep/bin/rg');
  if (existsSync('/usr/bin/rg') && !existsSync(rg)) {
    mkdirSync(join(rg, '..'), { recursive: true });
    copyFileSync('/usr/bin/rg', rg);
  }
  link(join(vscodeDir, 'bin/remote-cli'), 'code-linux.sh', 'code-server');
  link(join(vscodeDir, 'bin/helpers'), 'browser-linux.sh', 'browser.sh');
  run(cacheDir, npm, ['rebuild', 'argon2'], { npm_config_yes: 'true' });

  writeFileSync(marker, new Date().toISOString() + '\n');
  return codeServerEntry;
}

if (require.main === module) {
  const started = Date.now();
  setupCodeServer();
  console.log(`[setup] code-server ${CODE_SERVER_VERSION} ready in ${((Date.now() - started) / 1000).toFixed(0)} s: ${codeServerEntry}`);
}
