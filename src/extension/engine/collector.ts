// The engine's lifecycle as one window sees it: attach to a Loupe engine already on the
// configured port, or start one; follow its live events; restart it once if it dies.
// Plain Node (no `vscode`), so it is tested against the real engine.

import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import type { ChangeEvent, StatusResponse } from '../../protocol/api.ts';
import { openEventStream, type EventStream } from './eventStream.ts';
import { launchEngine, listeningUrl, LogFileError, type EngineLaunch } from './engineProcess.ts';
import { LogTail } from './logTail.ts';
import { probeEngine } from './probe.ts';

export type Problem = 'port-taken' | 'no-answer' | 'crashed' | 'spawn-failed';

export type CollectorState =
  | { kind: 'stopped' }
  | { kind: 'starting' }
  | { kind: 'running'; httpUrl: string; grpcUrl: string; startedHere: boolean; status: StatusResponse; restartedAfter?: string }
  | { kind: 'failed'; problem: Problem; message: string };

export interface CollectorLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Lines the engine process printed. */
  engine(text: string): void;
}

export type CollectorOptions = Omit<EngineLaunch, 'runtime'> & {
  runtime?: string;
  readyTimeoutMs?: number;
  /** An engine that dies again within this long of an automatic restart is left stopped (default a minute). */
  restartWindowMs?: number;
};

const RESTART_WINDOW_MS = 60_000;

export class Collector {
  state: CollectorState = { kind: 'stopped' };
  private readonly stateListeners = new Set<(state: CollectorState) => void>();
  private readonly changeListeners = new Set<(event: ChangeEvent) => void>();
  private stream: EventStream | undefined;
  private child: ChildProcess | undefined;
  private tail: LogTail | undefined;
  /** Bumped by start/stop so that answers to an older attempt are ignored. */
  private attempt = 0;
  /** When this window last restarted a lost engine by itself: one that keeps dying is left to the user. */
  private lastRestartAt = -Infinity;
  /** Why the engine being started replaces a lost one: the running state says so once. */
  private restartReason: string | undefined;
  /** How the engine process this window started last ended, if it did. */
  private lastExit: { pid: number | undefined; code: number | null; signal: string | null } | undefined;
  /** Where the engine answered (differs from the settings' port when that is 0). */
  private attachedUrl = '';

  constructor(private options: CollectorOptions, private readonly log: CollectorLog) {}

  onState(listener: (state: CollectorState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onChange(listener: (event: ChangeEvent) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** New settings take effect on the next start. */
  configure(options: CollectorOptions): void {
    this.options = options;
  }

  /**
   * A fresher `/api/status` of the engine this window is attached to (read by a watcher):
   * the running state carries it, e.g. a disk tier that stopped meanwhile. No state
   * change is announced: the reader refreshes the views when it matters.
   */
  noteStatus(status: StatusResponse): void {
    if (this.state.kind === 'running' && this.state.status.instanceId === status.instanceId) this.state = { ...this.state, status };
  }

  /** The engine process this window started, while it runs. */
  get enginePid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  get probeUrl(): string {
    const { host, httpPort } = this.options;
    // An engine listening on every interface is reached on loopback.
    const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
    return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${httpPort}`;
  }

  /** Attaches or starts; resolves with the resulting state. A user's start resets the restart allowance. */
  async start(): Promise<CollectorState> {
    this.lastRestartAt = -Infinity;
    this.restartReason = undefined;
    return this.connect();
  }

  /**
   * Stops the engine, for every window: it is one engine per machine. The engine tells
   * the other windows' event streams it was asked to stop, so they show it stopped
   * instead of starting another.
   */
  async stop(): Promise<void> {
    this.attempt++;
    this.detach();
    this.lastExit = undefined;
    const url = this.state.kind === 'running' ? this.attachedUrl : '';
    const child = this.child;
    this.child = undefined;
    if (url) {
      this.log.info(`Asking the Loupe engine at ${url} to stop.`);
      await requestShutdown(url, 'Loupe: Stop Collector was run in a VS Code window');
      await waitUntil(async () => (await probeEngine(url, 500)).kind !== 'loupe', 3000);
    }
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await Promise.race([exited, delay(3000)]);
    }
    this.setState({ kind: 'stopped' });
  }

  /** The window is closing: let go without stopping an engine other windows may share. */
  dispose(): void {
    this.attempt++;
    this.detach();
    this.tail?.dispose();
    this.stateListeners.clear();
    this.changeListeners.clear();
  }

  private async connect(): Promise<CollectorState> {
    const attempt = ++this.attempt;
    this.detach();
    this.setState({ kind: 'starting' });
    const { host, httpPort } = this.options;
    if (httpPort !== 0) {
      const probe = await probeEngine(this.probeUrl);
      if (attempt !== this.attempt) return this.state;
      switch (probe.kind) {
        case 'loupe':
          this.log.info(`Found a Loupe engine at ${this.probeUrl} (version ${probe.status.version}, started ${probe.status.startedAt}); attaching.`);
          return this.attach(attempt, this.probeUrl, probe.status, false);
        case 'other':
          return this.fail('port-taken', `Port ${httpPort} on ${host} is in use by something that is not Loupe (${probe.detail}).`);
        case 'no-answer':
          return this.fail('no-answer', `Something on ${host}:${httpPort} accepted a connection but did not answer within 1.5 s.`);
        case 'free':
          break;
      }
    }
    return this.launch(attempt);
  }

  private async launch(attempt: number): Promise<CollectorState> {
    const { host, httpPort, grpcPort, logFile } = this.options;
    const runtime = this.options.runtime ?? process.execPath;
    this.log.info(`Starting the Loupe engine: ${host}, HTTP port ${httpPort}, gRPC port ${grpcPort}, output in ${logFile}.`);
    let child: ChildProcess;
    this.lastExit = undefined;
    try {
      child = launchEngine({ ...this.options, runtime });
    } catch (err) {
      if (err instanceof LogFileError) return this.fail('spawn-failed', err.message);
      return this.fail('spawn-failed', `Could not start the Loupe engine with ${runtime}: ${(err as Error).message}.`);
    }
    this.child = child;
    this.followLog(logFile);
    let exit: { code: number | null; signal: string | null } | undefined;
    let spawnError: Error | undefined;
    child.once('error', (err) => { spawnError = err; });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      this.lastExit = { pid: child.pid, code, signal };
      this.log.info(`The engine process ${child.pid} exited (${signal ?? `code ${code}`}).`);
      if (this.child === child) this.child = undefined;
    });

    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 15_000);
    while (Date.now() < deadline) {
      await delay(150);
      if (attempt !== this.attempt) return this.state;
      if (spawnError) return this.fail('spawn-failed', `Could not start the Loupe engine with ${runtime}: ${spawnError.message}.`);
      const output = this.tail?.poll() ?? '';
      if (exit) return this.launchFailed(attempt, output);
      const url = httpPort === 0 ? listeningUrl(this.fullLog()) : this.probeUrl;
      if (!url) continue;
      const probe = await probeEngine(url);
      if (attempt !== this.attempt) return this.state;
      if (probe.kind === 'loupe') return this.attach(attempt, url, probe.status, true);
    }
    child.kill('SIGTERM');
    return this.fail('no-answer', `The Loupe engine did not answer within ${Math.round((this.options.readyTimeoutMs ?? 15_000) / 1000)} s of starting.`);
  }

  /** The engine exited before it was ready: lost a race to another window, or a port was taken. */
  private async launchFailed(attempt: number, output: string): Promise<CollectorState> {
    const said = lastLines(this.fullLog() || output);
    // Windows starting at once race for the port; the losers attach to the winner.
    const probe = await probeEngine(this.probeUrl);
    if (attempt !== this.attempt) return this.state;
    if (probe.kind === 'loupe') {
      this.log.info('Another window started the engine first; attaching to it.');
      return this.attach(attempt, this.probeUrl, probe.status, false);
    }
    if (/already in use/.test(said)) return this.fail('port-taken', `The Loupe engine could not listen: ${said.replace(/^loupe: /, '')}`);
    return this.fail('crashed', `The Loupe engine exited while starting: ${said || 'it printed nothing'}`);
  }

  private attach(attempt: number, url: string, status: StatusResponse, startedHere: boolean): CollectorState {
    this.followLog(this.options.logFile);
    this.attachedUrl = url;
    this.stream = openEventStream(url, {
      change: (event) => {
        if (this.state.kind === 'running') this.state = { ...this.state, status: { ...this.state.status, counts: event.counts, dropped: event.dropped } };
        for (const listener of this.changeListeners) listener(event);
      },
      shutdown: (reason) => this.stoppedElsewhere(attempt, reason),
      end: (why) => void this.lost(attempt, why),
    });
    const grpcUrl = status.otlp.grpc || `http://${this.options.host}:${this.options.grpcPort}`;
    const restartedAfter = this.restartReason;
    this.restartReason = undefined;
    this.setState({ kind: 'running', httpUrl: status.otlp.http || url, grpcUrl, startedHere, status, ...(restartedAfter && { restartedAfter }) });
    return this.state;
  }

  /** Another window (or a script) asked the engine to stop: follow, do not restart it. */
  private stoppedElsewhere(attempt: number, reason: string): void {
    if (attempt !== this.attempt) return;
    this.attempt++;
    this.detach();
    this.log.info(`The Loupe engine is stopping: ${reason}. Loupe: Start Collector starts it again.`);
    this.setState({ kind: 'stopped' });
  }

  /** The event stream ended: the engine stopped, crashed, or was restarted by another window. */
  private async lost(attempt: number, why: string): Promise<void> {
    if (attempt !== this.attempt) return;
    this.log.warn(`Lost the connection to the Loupe engine: ${why}.`);
    await delay(300);
    if (attempt !== this.attempt) return;
    const url = this.attachedUrl || this.probeUrl;
    const probe = await probeEngine(url);
    if (attempt !== this.attempt) return;
    if (probe.kind === 'loupe') {
      this.attach(attempt, url, probe.status, false);
      return;
    }
    const gone = this.goneReason(why);
    const window = this.options.restartWindowMs ?? RESTART_WINDOW_MS;
    if (Date.now() - this.lastRestartAt >= window) {
      this.lastRestartAt = Date.now();
      this.restartReason = gone;
      this.log.warn(`The Loupe engine is gone (${gone}); starting it again.`);
      await this.connect();
      return;
    }
    this.fail('crashed', `The Loupe engine stopped unexpectedly (${gone}) within ${Math.round(window / 1000)} s of being restarted, so it was left stopped. ${lastLines(this.fullLog())}`.trim());
  }

  /** What ended the engine, as far as this window can tell: it knows the exit of a process it started. */
  private goneReason(why: string): string {
    const exit = this.lastExit;
    this.lastExit = undefined;
    if (!exit) return `it stopped answering: ${why}`;
    if (exit.signal) return `its process ${exit.pid} was ended by ${exit.signal}`;
    // The engine stops cleanly on SIGTERM or SIGINT: someone outside Loupe stopped it.
    return exit.code === 0 ? `its process ${exit.pid} exited (code 0) without a Loupe window asking it to` : `its process ${exit.pid} exited with code ${exit.code}`;
  }

  private fail(problem: Problem, message: string): CollectorState {
    this.log.error(message);
    this.setState({ kind: 'failed', problem, message });
    return this.state;
  }

  private detach(): void {
    this.stream?.close();
    this.stream = undefined;
  }

  private followLog(file: string): void {
    if (this.tail?.file === file) return;
    this.tail?.dispose();
    this.tail = new LogTail(file, (text) => this.log.engine(text), 1000, true);
  }

  private fullLog(): string {
    return this.tail ? readText(this.options.logFile) : '';
  }

  private setState(state: CollectorState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' ').trim();
}

/** POST /api/shutdown; a failure is fine (the engine may be gone already). */
function requestShutdown(baseUrl: string, reason: string): Promise<void> {
  return new Promise((resolve) => {
    const req = request(`${baseUrl}/api/shutdown?reason=${encodeURIComponent(reason)}`, { method: 'POST', timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', () => resolve());
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function waitUntil(check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !(await check())) await delay(100);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
