// The bundled engine (dist/engine.js) in a child process, for tests that restart or kill it.

import { spawn, type ChildProcess } from 'node:child_process';

export interface EngineChild {
  child: ChildProcess;
  httpUrl: string;
  stdout(): string;
  /** SIGTERM (a clean stop) or SIGKILL; resolves once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function startEngineChild(args: string[]): Promise<EngineChild> {
  const child = spawn(process.execPath, ['dist/engine.js', '--http-port', '0', '--grpc-port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const http = /OTLP\/HTTP and UI on (\S+)/.exec(out);
      if (http && out.includes('OTLP/gRPC on')) {
        resolve({
          child,
          httpUrl: http[1],
          stdout: () => out,
          stop: (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    });
    child.once('exit', (code) => reject(Object.assign(new Error(`engine exited with ${code} before listening: ${err.trim() || out.trim()}`), { code, stderr: err })));
  });
}
