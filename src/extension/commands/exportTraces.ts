// Loupe: Export Traces…: the newest traces (up to the API's limit) as OTLP/JSON, one
// request for them all (.json) or one trace per line (.jsonl); both import back.

import * as vscode from 'vscode';
import type { TracesResponse } from '../../protocol/api.ts';
import type { LoupeContext } from '../context.ts';
import { UserError } from '../context.ts';
import { tracesFileText } from '../telemetryFile.ts';
import { writeFailure } from '../writeFailure.ts';

const MAX_TRACES = 1000;

export const exportTraces = (ctx: LoupeContext) => async () => {
  const api = ctx.requireApi();
  const { traces } = await api.get<TracesResponse>(`/api/traces?limit=${MAX_TRACES}`);
  if (!traces.length) throw new UserError('Loupe holds no traces to export yet. Send some from your app first.');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  const target = await vscode.window.showSaveDialog({
    title: `Loupe: export ${traces.length} traces as OTLP/JSON`,
    defaultUri: folder ? vscode.Uri.joinPath(folder, `traces-${stamp}.json`) : undefined,
    filters: { 'OTLP/JSON (one request)': ['json'], 'OTLP/JSON Lines (one trace per line)': ['jsonl'] },
  });
  if (!target) return;
  const format = target.path.endsWith('.jsonl') ? 'jsonl' : 'json';
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Loupe: exporting traces', cancellable: true },
    async (progress, cancel) => {
      const bodies: { resourceSpans?: unknown[] }[] = [];
      for (const [i, t] of traces.entries()) {
        if (cancel.isCancellationRequested) return;
        try {
          bodies.push(await api.get(`/api/traces/${t.traceId}`));
        } catch {
          // evicted since it was listed: export the others
        }
        progress.report({ increment: 100 / traces.length, message: `${i + 1} of ${traces.length}` });
      }
      try {
        await vscode.workspace.fs.writeFile(target, Buffer.from(tracesFileText(bodies, format), 'utf8'));
      } catch (err) {
        throw new UserError(writeFailure(target.fsPath, err));
      }
      void vscode.window.showInformationMessage(`Exported ${bodies.length} traces to ${vscode.workspace.asRelativePath(target)}.`);
    },
  );
};
