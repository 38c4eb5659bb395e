// The host's side of a Loupe webview (a view panel or the profile editor): answers
// `ready` with `init`, relays API requests to the engine (JSON, bytes and uploads),
// opens sources, copies, saves, and keeps the view's state.

import * as vscode from 'vscode';
import { VIEW_NAMES, type HostToWebview, type ViewName, type WebviewToHost } from '../../protocol/webview.ts';
import { UserError, type LoupeContext } from '../context.ts';
import { openSource } from '../source/openSource.ts';
import { writeFailure } from '../writeFailure.ts';
import { panelHtml, UI_ASSETS } from './panelHtml.ts';

type Navigate = Extract<HostToWebview, { type: 'navigate' }>;

export interface BridgeOptions {
  view: ViewName;
  title: string;
  /** The state to start with, asked for when the webview says `ready` (may wait, e.g. for an upload). */
  initialState(): unknown | Promise<unknown>;
  stateChanged?(state: unknown): void;
  sourceColumn(): vscode.ViewColumn;
  /** Shows another view in its own panel (e.g. the traces behind a chart point or a log record). */
  openView(view: ViewName, state: Record<string, string | string[]>): void;
}

/** Options for a webview that runs the UI bundle. */
export function webviewOptions(ctx: LoupeContext): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  const root = ctx.extension.extensionUri;
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(root, ...UI_ASSETS.folder), vscode.Uri.joinPath(root, 'media')],
  };
}

export class WebviewBridge implements vscode.Disposable {
  private ready = false;
  private queued: Navigate | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: LoupeContext, private readonly webview: vscode.Webview, private readonly options: BridgeOptions) {
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(ctx.extension.extensionUri, ...UI_ASSETS.folder, name)).toString();
    webview.html = panelHtml({ title: options.title, cspSource: webview.cspSource, scriptUri: asset(UI_ASSETS.script), styleUri: asset(UI_ASSETS.style) });
    this.disposables.push(
      webview.onDidReceiveMessage((m: WebviewToHost) => void this.receive(m)),
      ctx.onLiveEvent((event) => { if (this.ready) this.post({ type: 'event', event }); }),
    );
  }

  /** A hidden webview is torn down; it says `ready` again when shown. */
  hidden(): void {
    this.ready = false;
  }

  navigate(message: Navigate): void {
    if (this.ready) this.post(message);
    else this.queued = message;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private post(message: HostToWebview): void {
    void this.webview.postMessage(message);
  }

  private async receive(m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'ready': {
        const state = await this.options.initialState();
        this.ready = true;
        this.post({ type: 'init', view: this.options.view, state, engineUrl: this.ctx.api?.baseUrl ?? '' });
        if (this.queued) this.post(this.queued);
        this.queued = undefined;
        return;
      }
      case 'request':
        return this.relay(m.id, m.path, async (api) => {
          const { status, body } = await api.relay(m.path);
          this.post({ type: 'response', id: m.id, status, body });
        });
      case 'requestBytes':
        return this.relay(m.id, m.path, async (api) => {
          const { status, bytes, body } = await api.relayBytes(m.path, m.accept);
          this.post({ type: 'bytesResponse', id: m.id, status, bytes, body });
        }, true);
      case 'upload':
        return this.relay(m.id, m.path, async (api) => {
          const sep = m.path.includes('?') ? '&' : '?';
          const { status, body } = await api.relayUpload(`${m.path}${sep}name=${encodeURIComponent(m.fileName)}`, m.bytes);
          this.post({ type: 'response', id: m.id, status, body });
        });
      case 'openSource':
        return this.ctx.guard('Open source', () => openSource(this.ctx, m.location, this.options.sourceColumn()));
      case 'copy':
        await vscode.env.clipboard.writeText(m.text);
        vscode.window.setStatusBarMessage('$(check) Copied', 2000);
        return;
      case 'saveFile':
        return this.ctx.guard('Save file', () => saveFile(m.suggestedName, m.content));
      case 'openView':
        if (VIEW_NAMES.includes(m.view)) this.options.openView(m.view, m.state ?? {});
        return;
      case 'state':
        this.options.stateChanged?.(m.state);
        return;
      default:
        this.ctx.log.warn(`${this.options.title}: unknown message type ${JSON.stringify((m as { type?: unknown }).type)}`);
    }
  }

  private async relay(id: number, path: string, send: (api: NonNullable<LoupeContext['api']>) => Promise<void>, bytes = false): Promise<void> {
    const fail = (status: number, error: string) => this.post(bytes ? { type: 'bytesResponse', id, status, body: { error } } : { type: 'response', id, status, body: { error } });
    const api = this.ctx.api;
    if (!path.startsWith('/api/')) return fail(400, `only /api/ paths are relayed, not ${path.slice(0, 60)}`);
    if (!api) return fail(503, 'Loupe\'s collector is not running: run "Loupe: Start Collector".');
    try {
      await send(api);
    } catch (err) {
      fail(502, (err as Error).message);
    }
  }
}

async function saveFile(suggestedName: string, content: string): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, suggestedName) : undefined,
    filters: { 'OTLP/JSON': ['json'], 'All files': ['*'] },
  });
  if (!target) return;
  try {
    await vscode.workspace.fs.writeFile(target, Buffer.from(content, 'utf8'));
  } catch (err) {
    throw new UserError(writeFailure(target.fsPath, err));
  }
  void vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(target)}.`);
}
