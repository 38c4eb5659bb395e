// Loupe: Import Telemetry File…: each file's bytes go to the engine (POST
// /api/files/import), whose telemetry-file reader tells the format by content (OTLP/JSON,
// one request per line as the Collector's file exporter writes, Jaeger's JSON export,
// gzipped or not) and stores what it reads in the live store.

import * as vscode from 'vscode';
import type { FileImportResult, FileSummary } from '../../protocol/files.ts';
import type { LoupeContext } from '../context.ts';
import { UserError } from '../context.ts';

type Imported = FileImportResult & Pick<FileSummary, 'format' | 'gzip'>;

export const importTelemetry = (ctx: LoupeContext) => async (file?: vscode.Uri) => {
  const api = ctx.requireApi();
  const picked = file instanceof vscode.Uri ? [file] : await vscode.window.showOpenDialog({
    title: 'Loupe: import telemetry (OTLP/JSON, JSON Lines, Jaeger JSON, gzipped or not)',
    canSelectMany: true,
    filters: { 'Telemetry files': ['json', 'jsonl', 'ndjson', 'gz'], 'All files': ['*'] },
  });
  if (!picked?.length) return;
  const total = { spans: 0, logs: 0, metricPoints: 0 };
  const problems: string[] = [];
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Loupe: importing telemetry' }, async (progress) => {
    for (const uri of picked) {
      const name = vscode.workspace.asRelativePath(uri);
      progress.report({ message: name });
      try {
        const bytes = await vscode.workspace.fs.readFile(uri);
        const done = await api.postBytes<Imported>(`/api/files/import?${new URLSearchParams({ name })}`, bytes);
        total.spans += done.imported.spans;
        total.logs += done.imported.logs;
        total.metricPoints += done.imported.metricPoints;
        problems.push(...done.problems.map((p) => `${name}: ${p}`));
      } catch (err) {
        // The engine's message names the file and the formats it reads.
        problems.push((err as Error).message);
      }
    }
  });
  ctx.refreshNow();
  for (const p of problems) ctx.log.warn(`Import: ${p}`);
  const items = total.spans + total.logs + total.metricPoints;
  if (!items) throw new UserError(`Loupe imported nothing. ${problems[0] ?? 'The file holds no spans, logs or metric points.'}${problems.length > 1 ? ` (${problems.length - 1} more problems in the log)` : ''}`);
  const summary = ([['spans', total.spans], ['log records', total.logs], ['metric points', total.metricPoints]] as const)
    .filter(([, n]) => n).map(([what, n]) => `${n.toLocaleString('en-US')} ${what}`).join(', ');
  const message = `Loupe imported ${summary}.${problems.length ? ` ${problems.length} parts could not be imported: see the log.` : ''}`;
  if (problems.length) {
    const pick = await vscode.window.showWarningMessage(message, 'Show Log');
    if (pick) ctx.log.show(true);
  } else {
    void vscode.window.showInformationMessage(message);
  }
};
