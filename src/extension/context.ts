// The one object that owns the extension's lifecycle: the collector, the log channel,
// the "data changed" signal every view listens to, and everything to dispose.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ChangeEvent } from '../protocol/api.ts';
import { Collector, type CollectorOptions, type CollectorState } from './engine/collector.ts';
import { EngineApi } from './engine/engineApi.ts';
import { reachableUrl } from './environment/otelEnvironment.ts';
import { COLLECTOR_CONTEXT, Command } from './ids.ts';
import { ActiveProfile } from './profiles/activeProfile.ts';
import { readSettings, type LoupeSettings } from './settings.ts';

/** How long an engine this window started keeps running once no window is attached. */
const EXIT_WHEN_UNUSED_MS = 60_000;
/** Live data arrives in bursts; views refresh at most this often. */
const REFRESH_MS = 1000;

/** An error a user can cause, whose message says what to do next. */
export class UserError extends Error {
  override name = 'UserError';
}

export class LoupeContext implements vscode.Disposable {
  readonly log = vscode.window.createOutputChannel('Loupe', { log: true });
  readonly collector: Collector;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly dataChanged = new vscode.EventEmitter<void>();
  private readonly liveEvent = new vscode.EventEmitter<ChangeEvent>();
  /** Fired (at most once a second) when the engine's data or the collector's state changed. */
  readonly onDidChangeData = this.dataChanged.event;
  /** Every change event from the engine, as it comes (webviews forward them). */
  readonly onLiveEvent = this.liveEvent.event;
  private refreshTimer: NodeJS.Timeout | undefined;
  settings: LoupeSettings = readSettings();
  /** The profile the user looks at last, whose numbers the editor shows beside the code. */
  readonly activeProfile = new ActiveProfile();

  constructor(readonly extension: vscode.ExtensionContext) {
    this.collector = new Collector(this.collectorOptions(), {
      info: (m) => this.log.info(m),
      warn: (m) => this.log.warn(m),
      error: (m) => this.log.error(m),
      engine: (text) => { for (const line of text.split('\n')) if (line.trim()) this.log.info(`[engine] ${line}`); },
    });
    this.collector.onState((state) => {
      void vscode.commands.executeCommand('setContext', COLLECTOR_CONTEXT, state.kind);
      this.dataChanged.fire();
    });
    this.collector.onChange((event) => {
      this.liveEvent.fire(event);
      this.scheduleRefresh();
    });
    void vscode.commands.executeCommand('setContext', COLLECTOR_CONTEXT, 'stopped');
    this.push(this.log, this.dataChanged, this.liveEvent, this.activeProfile);
  }

  get state(): CollectorState {
    return this.collector.state;
  }

  /** The engine's API while the collector runs. */
  get api(): EngineApi | undefined {
    const state = this.state;
    return state.kind === 'running' ? new EngineApi(reachableUrl(state.httpUrl)) : undefined;
  }

  /** For commands: the API, or an error that says how to get the collector running. */
  requireApi(): EngineApi {
    const api = this.api;
    if (!api) throw new UserError(`Loupe's collector is not running. Run "Loupe: Start Collector" (or see "Loupe: Show Collector Log" if it failed).`);
    return api;
  }

  reloadSettings(): void {
    this.settings = readSettings();
    this.collector.configure(this.collectorOptions());
  }

  push(...disposables: vscode.Disposable[]): void {
    this.disposables.push(...disposables);
  }

  /** Runs a command handler, turning failures into messages instead of silent rejections. */
  async guard(what: string, run: () => unknown): Promise<void> {
    try {
      await run();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof UserError) void vscode.window.showWarningMessage(message);
      else {
        this.log.error(`${what} failed: ${err instanceof Error && err.stack ? err.stack : message}`);
        void vscode.window.showErrorMessage(`Loupe: ${what} failed: ${message}`, 'Show Log').then((pick) => {
          if (pick) void vscode.commands.executeCommand(Command.showCollectorLog);
        });
      }
    }
  }

  /** Views re-read the engine now (after an action of this window, e.g. Clear Data). */
  refreshNow(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.dataChanged.fire();
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.collector.dispose();
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }

  private scheduleRefresh(): void {
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = undefined;
      this.dataChanged.fire();
    }, REFRESH_MS);
  }

  /** The engine shared by windows keeps the data folder of the window that started it. */
  private diskOptions(): CollectorOptions['disk'] {
    const s = this.settings;
    if (s.persistence === 'off') return undefined;
    const base = s.persistence === 'workspace' ? this.extension.storageUri ?? this.extension.globalStorageUri : this.extension.globalStorageUri;
    return { dataDir: join(base.fsPath, 'telemetry'), budgetMb: s.diskBudgetMb, retentionHours: s.retentionHours };
  }

  private collectorOptions(): CollectorOptions {
    const s = this.settings;
    const storage = this.extension.globalStorageUri.fsPath;
    try {
      mkdirSync(storage, { recursive: true });
    } catch {
      // Starting the engine says what is wrong with the folder: its log file cannot be written there.
    }
    return {
      enginePath: this.extension.asAbsolutePath(join('dist', 'engine.js')),
      host: s.host,
      httpPort: s.httpPort,
      grpcPort: s.grpcPort,
      memoryBudgetMb: s.memoryBudgetMb,
      apiKey: s.apiKey,
      corsOrigins: s.corsAllowedOrigins,
      exitWhenUnusedMs: EXIT_WHEN_UNUSED_MS,
      disk: this.diskOptions(),
      // Shared by the windows that use the same engine, so each can show its output.
      logFile: join(storage, `engine-${s.httpPort}.log`),
    };
  }
}
