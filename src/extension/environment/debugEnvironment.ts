// Debug sessions of runtimes with an OpenTelemetry SDK get the same variables as
// terminals, unless their launch configuration sets them itself.

import * as vscode from 'vscode';
import type { LoupeContext } from '../context.ts';
import { DEBUG_TYPES, withOtelEnvironment, type LaunchConfiguration } from './debugInjection.ts';
import { otelEnvironment } from './otelEnvironment.ts';

export function registerDebugEnvironment(ctx: LoupeContext): vscode.Disposable {
  const provider: vscode.DebugConfigurationProvider = {
    resolveDebugConfiguration(_folder, config) {
      const state = ctx.state;
      if (!ctx.settings.injectEnvironment || state.kind !== 'running') return config;
      return withOtelEnvironment(config as LaunchConfiguration, otelEnvironment(state.httpUrl, ctx.settings.apiKey)) as vscode.DebugConfiguration;
    },
  };
  return vscode.Disposable.from(...DEBUG_TYPES.map((type) => vscode.debug.registerDebugConfigurationProvider(type, provider)));
}
