// The `loupe.*` settings, read with their defaults (package.json declares the same).

import * as vscode from 'vscode';
import type { PathMapping } from '../shared/source/pathMapping.ts';
import { SETTINGS_SECTION, Setting } from './ids.ts';

export interface LoupeSettings {
  autoStart: boolean;
  host: string;
  httpPort: number;
  grpcPort: number;
  memoryBudgetMb: number;
  injectEnvironment: boolean;
  pathMappings: PathMapping[];
  problems: boolean;
  codeLens: boolean;
  profileWatchGlobs: string[];
  /** Required in OTLP exports when set; injected into terminals and debug sessions. */
  apiKey?: string;
  corsAllowedOrigins: string[];
  /** Where the engine keeps received data on disk: not at all, in this workspace's storage, or in the extension's global storage. */
  persistence: 'off' | 'workspace' | 'global';
  diskBudgetMb: number;
  retentionHours: number;
}

export const DEFAULT_PROFILE_GLOBS = ['**/cpu-profile-*.prof', '**/*.pb.gz', '**/*.cpuprofile', '**/*.heapprofile'];

export function readSettings(): LoupeSettings {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return {
    autoStart: c.get<boolean>(Setting.autoStart, true),
    host: c.get<string>(Setting.host, '127.0.0.1').trim() || '127.0.0.1',
    httpPort: c.get<number>(Setting.httpPort, 4318),
    grpcPort: c.get<number>(Setting.grpcPort, 4317),
    memoryBudgetMb: c.get<number>(Setting.memoryBudgetMb, 256),
    injectEnvironment: c.get<boolean>(Setting.injectEnvironment, true),
    pathMappings: (c.get<unknown[]>(Setting.pathMappings, []) ?? []).filter(isMapping),
    problems: c.get<boolean>(Setting.problems, true),
    codeLens: c.get<boolean>(Setting.codeLens, true),
    persistence: oneOf(c.get<string>(Setting.persistence, 'workspace'), ['off', 'workspace', 'global'] as const, 'workspace'),
    diskBudgetMb: positive(c.get<number>(Setting.diskBudgetMb, 1024), 1024),
    retentionHours: positive(c.get<number>(Setting.retentionHours, 72), 72),
    profileWatchGlobs: (c.get<unknown[]>(Setting.profileWatchGlobs, DEFAULT_PROFILE_GLOBS) ?? []).filter((g): g is string => typeof g === 'string' && g.trim() !== ''),
    apiKey: c.get<string>(Setting.apiKey, '').trim() || undefined,
    corsAllowedOrigins: (c.get<unknown[]>(Setting.corsAllowedOrigins, []) ?? []).filter((o): o is string => typeof o === 'string' && o.trim() !== ''),
  };
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && value > 0 ? value : fallback;
}

function isMapping(value: unknown): value is PathMapping {
  const m = value as Partial<PathMapping> | null;
  return !!m && typeof m.from === 'string' && typeof m.to === 'string';
}

export function affects(event: vscode.ConfigurationChangeEvent, ...keys: string[]): boolean {
  return keys.some((key) => event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`));
}

export async function updateSetting(key: string, value: unknown, target = vscode.ConfigurationTarget.Global): Promise<void> {
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update(key, value, target);
}

export function openSettings(key?: string): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', key ? `${SETTINGS_SECTION}.${key}` : `@ext:loupe.loupe`);
}
