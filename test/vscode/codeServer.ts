// A code-server (VS Code served to a browser) with its own user data and extensions
// folders, so the tests never touch the user's VS Code.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setupCodeServer } from './setupCodeServer.ts';

export interface CodeServer {
  url: string;
  userDataDir: string;
  /** code-server's output, for diagnosing a failed test. */
  output(): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  root: string;
  port: number;
  vsix: string;
  settings: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
}

export async function startCodeServer(o: CodeServerOptions): Promise<CodeServer> {
  const entry = setupCodeServer();
  const userDataDir = join(o.root, 'user-data');
  const extensionsDir = join(o.root, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeSettings(userDataDir, o.settings);
  const dirs = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  execFileSync(process.execPath, [entry, ...dirs, '--install-extension', o.vsix], { stdio: 'pipe', timeout: 120_000 });

  const child: ChildProcess = spawn(process.execPath, [
    entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${o.port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', ...dirs,
  ], { env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  const url = `http://127.0.0.1:${o.port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    userDataDir,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      // The whole process group: code-server's extension hosts and their terminals.
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { child.kill('SIGTERM'); }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
    },
  };
}

function writeSettings(userDataDir: string, settings: Record<string, unknown>): void {
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}
