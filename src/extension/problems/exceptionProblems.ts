// Exceptions recorded on spans, in the Problems panel at the line that threw them, with
// a link to their trace. Follows the data live; `loupe.problems` turns it off.

import * as vscode from 'vscode';
import type { ExceptionGroup } from '../../protocol/insights.ts';
import { sourceOfException } from '../commands/exceptionSource.ts';
import type { LoupeContext } from '../context.ts';
import { findWorkspaceFile } from '../source/workspaceFile.ts';
import { traceLink } from '../traceLinks.ts';
import { occurrences, timeAgo } from '../views/format.ts';

export function registerExceptionProblems(ctx: LoupeContext): vscode.Disposable {
  const diagnostics = vscode.languages.createDiagnosticCollection('loupe');
  let running: Promise<void> | undefined;
  let again = false;

  const update = async () => {
    const api = ctx.api;
    if (!ctx.settings.problems || !api) {
      diagnostics.clear();
      return;
    }
    let groups: ExceptionGroup[];
    try {
      groups = await api.get<ExceptionGroup[]>('/api/exceptions?limit=200');
    } catch (err) {
      ctx.log.warn(`Problems: could not read exceptions: ${(err as Error).message}`);
      return;
    }
    const byFile = new Map<string, { uri: vscode.Uri; list: vscode.Diagnostic[] }>();
    for (const group of groups) {
      const loc = sourceOfException(group);
      if (!loc) continue;
      const uri = await findWorkspaceFile(loc.path, ctx.settings.pathMappings);
      if (!uri) continue;
      const line = Math.max(0, (loc.line ?? 1) - 1);
      const start = Math.max(0, (loc.column ?? 1) - 1);
      const label = group.type && group.message ? `${group.type}: ${group.message}` : group.type || group.message || 'exception';
      const d = new vscode.Diagnostic(
        new vscode.Range(line, start, line, Number.MAX_SAFE_INTEGER),
        `${label} (${occurrences(group)} in ${group.services.join(', ')}, last ${timeAgo(group.lastSeen, Date.now())})`,
        vscode.DiagnosticSeverity.Error,
      );
      d.source = 'Loupe';
      d.code = { value: 'open trace', target: traceLink(group.latest.traceId, group.latest.spanId) };
      const entry = byFile.get(uri.toString()) ?? { uri, list: [] };
      entry.list.push(d);
      byFile.set(uri.toString(), entry);
    }
    diagnostics.clear();
    for (const { uri, list } of byFile.values()) diagnostics.set(uri, list);
  };

  // One update at a time; changes during one run one more afterwards.
  const schedule = () => {
    if (running) {
      again = true;
      return;
    }
    running = update().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        schedule();
      }
    });
  };

  schedule();
  return vscode.Disposable.from(diagnostics, ctx.onDidChangeData(schedule));
}
