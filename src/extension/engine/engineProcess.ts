// Starts the bundled engine as its own process with VS Code's runtime, detached so it
// outlives the window that started it (other windows may be using it); it exits by
// itself once no window is attached (--exit-when-unused-ms).

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { ENGINE_ENV, ENGINE_NODE_FLAGS } from '../../engine/heapTuning.ts';

export interface EngineLaunch {
  enginePath: string;
  host: string;
  httpPort: number;
  grpcPort: number;
  memoryBudgetMb: number;
  exitWhenUnusedMs: number;
  /** Passed in LOUPE_API_KEY, not as a flag: other users can read a process's arguments. */
  apiKey?: string;
  corsOrigins?: readonly string[];
  /** The engine's on-disk tier (`loupe.persistence`); absent: memory only. */
  disk?: { dataDir: string; budgetMb: number; retentionHours: number };
  /** Engine output goes here, not to a pipe: the engine must not die with the window. */
  logFile: string;
  /** VS Code's own executable (Electron run as Node) or any Node. */
  runtime: string;
}

export function engineArgs(l: Omit<EngineLaunch, 'runtime' | 'logFile' | 'enginePath' | 'apiKey'>): string[] {
  return [
    '--host', l.host,
    '--http-port', String(l.httpPort),
    '--grpc-port', String(l.grpcPort),
    '--memory-budget-mb', String(l.memoryBudgetMb),
    '--exit-when-unused-ms', String(l.exitWhenUnusedMs),
    ...(l.corsOrigins ?? []).flatMap((origin) => ['--cors-origin', origin]),
    ...(l.disk ? ['--data-dir', l.disk.dataDir, '--disk-budget-mb', String(l.disk.budgetMb), '--retention-hours', String(l.disk.retentionHours)] : []),
  ];
}

/** The engine's output file cannot be written (a full disk, a folder without write access). */
export class LogFileError extends Error {
  override name = 'LogFileError';
}

export function launchEngine(l: EngineLaunch): ChildProcess {
  let out: number;
  try {
    out = openSync(l.logFile, 'w');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOSPC' || e.code === 'EDQUOT' ? 'the disk is full' : e.message;
    throw new LogFileError(`Could not start the Loupe engine: its output file ${l.logFile} cannot be written (${why}). Free disk space or make ${dirname(l.logFile)} writable, then run "Loupe: Start Collector".`);
  }
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, ...ENGINE_ENV, ELECTRON_RUN_AS_NODE: '1' };
    // The flags say everything; stray LOUPE_* variables of the editor's environment must not.
    for (const key of Object.keys(env)) if (key.startsWith('LOUPE_')) delete env[key];
    if (l.apiKey) env.LOUPE_API_KEY = l.apiKey;
    const child = spawn(l.runtime, [...ENGINE_NODE_FLAGS, l.enginePath, ...engineArgs(l)], { detached: true, stdio: ['ignore', out, out], env, windowsHide: true });
    child.unref();
    return child;
  } finally {
    closeSync(out);
  }
}

/** The HTTP address the engine printed, for a port of 0 (picked by the engine). */
export function listeningUrl(output: string): string | undefined {
  return /OTLP\/HTTP and UI on (http:\/\/\S+)/.exec(output)?.[1];
}
