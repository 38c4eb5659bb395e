// `npm start` as a user runs it: the bundled engine prints where it listens, and a port
// already in use gives a one-line error naming the port and how to choose another.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';

const ENGINE = 'dist/engine.js';

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ENGINE, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      // Started: we have what we need; stop it as a user would with Ctrl+C.
      if (stdout.includes('OTLP/gRPC on')) child.kill('SIGINT');
    });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the engine command line', () => {
  it('prints each listener with its real address when given port 0', async () => {
    const { stdout } = await run(['--http-port', '0', '--grpc-port=0']);
    assert.match(stdout, /OTLP\/HTTP and UI on http:\/\/127\.0\.0\.1:\d+/);
    assert.match(stdout, /OTLP\/gRPC on 127\.0\.0\.1:\d+/);
    assert.doesNotMatch(stdout, /:0\b/);
  });

  it('takes ports from LOUPE_* environment variables', async () => {
    const { stdout } = await run([], { LOUPE_HTTP_PORT: '0', LOUPE_GRPC_PORT: '0' });
    assert.match(stdout, /OTLP\/HTTP and UI on http:\/\/127\.0\.0\.1:\d+/);
  });

  it('names a port in use and how to choose another, and exits non-zero', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const { code, stderr } = await run(['--http-port', String(port), '--grpc-port', '0']);
    blocker.close();
    assert.notEqual(code, 0);
    assert.equal(stderr.trim().split('\n').length, 1, 'one line');
    assert.match(stderr, new RegExp(`port ${port} is already in use`));
    assert.match(stderr, /--http-port/);
  });

  it('explains a bad flag value', async () => {
    const { code, stderr } = await run(['--http-port', 'eighty']);
    assert.equal(code, 2);
    assert.match(stderr, /http-port/);
  });
});
