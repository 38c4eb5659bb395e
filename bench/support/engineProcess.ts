// The engine as a user runs it, for benchmarks: `node --max-semi-space-size=4
// dist/engine.js` with ENGINE_ENV (what `npm start` runs) in its own process, with its
// memory read from outside as the operating system counts it (VmRSS in /proc), sampled
// every 250 ms.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINE_ENV, ENGINE_NODE_FLAGS } from '../../src/engine/heapTuning.ts';

export interface EngineProcess {
  readonly pid: number;
  readonly httpUrl: string;
  readonly grpcAddress: string;
  /** The process's resident set size now, in bytes. */
  rss(): number;
  /** The largest RSS sampled since start (or since `resetPeak`). */
  peakRss(): number;
  resetPeak(): void;
  /** CPU time the process has used (user + system), in seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

const DIST = join(__dirname, '..', '..', 'dist', 'engine.js');

/**
 * `args` are engine flags, e.g. `['--memory-budget-mb', '256']`; ports default to free ones. `nodeFlags` are added to Node's (e.g. `--cpu-prof`).
 * `script`: another build's engine.js (it serves the UI next to it), to compare two builds in one run.
 */
export async function startEngineProcess(args: string[] = [], nodeFlags: string[] = [], script = DIST): Promise<EngineProcess> {
  const child = spawn(process.execPath, [...ENGINE_NODE_FLAGS, ...nodeFlags, script, '--http-port', '0', '--grpc-port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...ENGINE_ENV } });
  const { httpUrl, grpcAddress } = await listening(child);
  const pid = child.pid!;
  let peak = 0;
  const sample = () => { peak = Math.max(peak, readRss(pid)); };
  sample();
  const timer = setInterval(sample, 250);
  return {
    pid,
    httpUrl,
    grpcAddress,
    rss: () => readRss(pid),
    peakRss: () => { sample(); return peak; },
    resetPeak: () => { peak = readRss(pid); },
    cpuSeconds: () => readCpuSeconds(pid),
    stop: () => new Promise((resolve) => {
      clearInterval(timer);
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** VmRSS of a process in bytes (0 once it has exited). */
export function readRss(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * User + system CPU time of a process in seconds, from /proc/<pid>/stat (clock ticks of
 * 1/100 s). On a shared machine this is steadier than wall-clock throughput: time the
 * process waits for a core is not counted.
 */
export function readCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function listening(child: ChildProcess): Promise<{ httpUrl: string; grpcAddress: string }> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const http = /OTLP\/HTTP and UI on (\S+)/.exec(out);
      const grpc = /OTLP\/gRPC on (\S+)/.exec(out);
      if (http && grpc) resolve({ httpUrl: http[1], grpcAddress: grpc[1] });
    });
    child.once('exit', (code) => reject(new Error(`engine exited with ${code} before listening: ${err.trim() || out.trim()}`)));
  });
}
