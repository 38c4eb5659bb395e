// Loupe: Import Telemetry File…: OTLP/JSON files (one request per file or per line),
// each request sent to the engine's OTLP/HTTP endpoint for its signal.

import * as vscode from 'vscode';
import type { LoupeContext } from '../context.ts';
import { UserError } from '../context.ts';
import { parseTelemetryFile } from '../telemetryFile.ts';

export const importTelemetry = (ctx: LoupeContext) => async (file?: vscode.Uri) => {
  const api = ctx.requireApi();
  const picked = file instanceof vscode.Uri ? [file] : await vscode.window.showOpenDialog({
    title: 'Loupe: import OTLP/JSON telemetry',
    canSelectMany: true,
    filters: { 'OTLP/JSON': ['json', 'jsonl', 'ndjson'], 'All files': ['*'] },
  });
  if (!picked?.length) return;
  const sent = { traces: 0, logs: 0, metrics: 0 };
  const problems: string[] = [];
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Loupe: importing telemetry' }, async (progress) => {
    for (const uri of picked) {
      const name = vscode.workspace.asRelativePath(uri);
      progress.report({ message: name });
      const parsed = parseTelemetryFile(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'));
      problems.push(...parsed.problems.map((p) => `${name}: ${p}`));
      for (const request of parsed.requests) {
        try {
          await api.postJson(`/v1/${request.signal}`, request.body);
          sent[request.signal]++;
        } catch (err) {
          problems.push(`${name}${request.line ? ` line ${request.line}` : ''}: ${(err as Error).message}`);
        }
      }
    }
  });
  ctx.refreshNow();
  const total = sent.traces + sent.logs + sent.metrics;
  for (const p of problems) ctx.log.warn(`Import: ${p}`);
  if (!total) throw new UserError(`Loupe imported nothing. ${problems[0] ?? 'The file is empty.'}${problems.length > 1 ? ` (${problems.length - 1} more problems in the log)` : ''}`);
  const summary = Object.entries(sent).filter(([, n]) => n).map(([signal, n]) => `${n} ${signal} request${n > 1 ? 's' : ''}`).join(', ');
  const message = `Loupe imported ${summary}.${problems.length ? ` ${problems.length} parts could not be imported: see the log.` : ''}`;
  if (problems.length) {
    const pick = await vscode.window.showWarningMessage(message, 'Show Log');
    if (pick) ctx.log.show(true);
  } else {
    void vscode.window.showInformationMessage(message);
  }
};
