// Every command id, view id, setting key and context key the extension uses, in one
// place; package.json declares the same (commandTable.test.ts checks both ways).

import type { ViewName } from '../protocol/webview.ts';

export const Command = {
  openTraces: 'loupe.openTraces',
  openLogs: 'loupe.openLogs',
  openSignals: 'loupe.openSignals',
  startCollector: 'loupe.startCollector',
  stopCollector: 'loupe.stopCollector',
  showCollectorLog: 'loupe.showCollectorLog',
  copyEnvironment: 'loupe.copyEnvironment',
  exportTraces: 'loupe.exportTraces',
  importTelemetry: 'loupe.importTelemetry',
  openTelemetryFile: 'loupe.openTelemetryFile',
  clearData: 'loupe.clearData',
  /** From tree items, CodeLens and the Problems panel; hidden from the palette. */
  openTrace: 'loupe.openTrace',
  openExceptionSource: 'loupe.openExceptionSource',
  openProfiles: 'loupe.openProfiles',
  openProfile: 'loupe.openProfile',
  captureProfile: 'loupe.captureProfile',
  mergeProfiles: 'loupe.mergeProfiles',
  hideProfileHints: 'loupe.hideProfileHints',
  /** From Profiles tree items. */
  showProfile: 'loupe.showProfile',
  compareTraces: 'loupe.compareTraces',
  /** Runs one of the language-model tools and shows what a model would read. */
  runAgentTool: 'loupe.runAgentTool',
  /** From Alerts tree items. */
  muteAlert: 'loupe.muteAlert',
} as const;

export type CommandId = (typeof Command)[keyof typeof Command];

/** Commands that take arguments from a tree item or link, so the palette hides them. */
export const INTERNAL_COMMANDS: readonly CommandId[] = [Command.openTrace, Command.openExceptionSource, Command.showProfile, Command.mergeProfiles, Command.muteAlert];

export const View = {
  container: 'loupe',
  services: 'loupe.services',
  errors: 'loupe.errors',
  endpoint: 'loupe.endpoint',
  profiles: 'loupe.profiles',
  alerts: 'loupe.alerts',
} as const;

/** Each view's webview panel: its type (the key its serializer is registered under, and an
 * `onWebviewPanel:` activation event in package.json) and title. */
export const PANELS: Record<ViewName, { type: string; title: string }> = {
  traces: { type: 'loupe.traces', title: 'Loupe Traces' },
  logs: { type: 'loupe.logs', title: 'Loupe Logs' },
  profiles: { type: 'loupe.profiles', title: 'Loupe Profiles' },
  signals: { type: 'loupe.signals', title: 'Loupe Golden Signals' },
  compare: { type: 'loupe.compare', title: 'Loupe Compare' },
};

export const SETTINGS_SECTION = 'loupe';

/** Keys under `loupe.` */
export const Setting = {
  autoStart: 'autoStart',
  host: 'host',
  httpPort: 'httpPort',
  grpcPort: 'grpcPort',
  memoryBudgetMb: 'memoryBudgetMB',
  injectEnvironment: 'injectEnvironment',
  pathMappings: 'pathMappings',
  problems: 'problems',
  codeLens: 'codeLens',
  scrapeTargets: 'scrapeTargets',
  profileWatchGlobs: 'profileWatchGlobs',
  forwardEndpoint: 'forward.endpoint',
  forwardProtocol: 'forward.protocol',
  forwardHeaders: 'forward.headers',
  forwardCompression: 'forward.compression',
  forwardQueueMb: 'forward.queueMB',
  alerts: 'alerts',
  builtInAlerts: 'builtInAlerts',
  signalMetrics: 'signalMetrics',
  apiKey: 'apiKey',
  corsAllowedOrigins: 'cors.allowedOrigins',
  persistence: 'persistence',
  diskBudgetMb: 'diskBudgetMB',
  retentionHours: 'retentionHours',
} as const;

export type SettingKey = (typeof Setting)[keyof typeof Setting];

/** Settings that change where or how the engine runs: a change reconnects. */
export const ENGINE_SETTINGS: readonly SettingKey[] = [Setting.host, Setting.httpPort, Setting.grpcPort, Setting.memoryBudgetMb, Setting.apiKey, Setting.corsAllowedOrigins, Setting.persistence, Setting.diskBudgetMb, Setting.retentionHours];

/** The collector's state for `when` clauses: stopped | starting | running | failed. */
export const COLLECTOR_CONTEXT = 'loupe.collector';
