// Telemetry files (OTLP/JSON, OTLP/JSON Lines as the Collector's file exporter writes,
// gzipped or not, and Jaeger JSON exports) open in a read-only custom editor: the file
// goes to the engine (POST /api/files), which keeps it in a store of its own, and the
// editor shows the usual views reading that store. Nothing reaches the live store unless
// the user clicks "Import into Loupe"; closing the editor closes the file in the engine.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { FileSummary } from '../../protocol/files.ts';
import { fileViewState, firstFileView } from '../../shared/files/fileViewState.ts';
import type { LoupeContext } from '../context.ts';
import { ViewPanel } from '../panel/viewPanel.ts';
import { WebviewBridge, webviewOptions } from '../panel/webviewBridge.ts';
import { runningApi } from '../profiles/profileUpload.ts';

export const TELEMETRY_FILE_EDITOR = 'loupe.telemetryFileEditor';

interface TelemetryDocument extends vscode.CustomDocument {
  /** The engine's summary of the file, or why it could not open it. */
  readonly opened: Promise<FileSummary | { error: string }>;
}

export class TelemetryFileEditorProvider implements vscode.CustomReadonlyEditorProvider<TelemetryDocument> {
  static register(ctx: LoupeContext): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(TELEMETRY_FILE_EDITOR, new TelemetryFileEditorProvider(ctx), {
      webviewOptions: { retainContextWhenHidden: true },
      supportsMultipleEditorsPerDocument: true,
    });
  }

  private constructor(private readonly ctx: LoupeContext) {}

  openCustomDocument(uri: vscode.Uri): TelemetryDocument {
    const opened = this.open(uri);
    return {
      uri,
      opened,
      dispose: () => void opened.then((file) => {
        if ('id' in file) void this.ctx.api?.delete(`/api/files/${encodeURIComponent(file.id)}`).catch(() => undefined);
      }),
    };
  }

  resolveCustomEditor(document: TelemetryDocument, panel: vscode.WebviewPanel): void {
    panel.webview.options = webviewOptions(this.ctx);
    const bridge = new WebviewBridge(this.ctx, panel.webview, {
      view: 'traces',
      title: basename(document.uri.fsPath),
      initialState: async () => {
        const file = await document.opened;
        if ('error' in file) return { view: 'traces', state: { fileError: file.error } };
        const view = firstFileView(file);
        return { view, state: { ...fileViewState(file, view), file: file.id } };
      },
      sourceColumn: () => (panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One),
      openView: (to, state) => ViewPanel.showState(this.ctx, to, state),
    });
    panel.onDidDispose(() => bridge.dispose());
  }

  private async open(uri: vscode.Uri): Promise<FileSummary | { error: string }> {
    const name = basename(uri.fsPath);
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      const api = await runningApi(this.ctx);
      const file = await api.postBytes<FileSummary>(`/api/files?${new URLSearchParams({ name })}`, bytes);
      if (file.problems.length) this.ctx.log.warn(`${name}: ${file.problems.length} parts could not be read: ${file.problems.join('; ')}`);
      return file;
    } catch (err) {
      this.ctx.log.warn(`Telemetry file ${uri.fsPath}: ${(err as Error).message}`);
      return { error: (err as Error).message };
    }
  }
}

/** `Loupe: Open as Telemetry File`: any JSON, JSON Lines or gzip file in this editor. */
export const openAsTelemetryFile = () => async (uri?: vscode.Uri) => {
  const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri ?? (await vscode.window.showOpenDialog({
    title: 'Loupe: open a telemetry file',
    filters: { 'Telemetry (OTLP/JSON, JSON Lines, Jaeger JSON)': ['json', 'jsonl', 'ndjson', 'gz'], 'All files': ['*'] },
  }))?.[0];
  if (target) await vscode.commands.executeCommand('vscode.openWith', target, TELEMETRY_FILE_EDITOR);
};
