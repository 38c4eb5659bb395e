// A Loupe view (traces, logs, …) in a webview panel: the same UI bundle as the browser
// page, talking to the engine through this host (src/protocol/webview.ts). One panel per
// view and window; it comes back after a reload with its filters (WebviewPanelSerializer).

import * as vscode from 'vscode';
import type { HostToWebview, WebviewToHost } from '../../protocol/webview.ts';
import type { LoupeContext } from '../context.ts';
import { VIEW_NAMES, type ViewName } from '../../protocol/webview.ts';
import { PANELS } from '../ids.ts';
import { openSource } from '../source/openSource.ts';
import { panelHtml, UI_ASSETS } from './panelHtml.ts';

type Navigate = Extract<HostToWebview, { type: 'navigate' }>;

export class ViewPanel {
  private static readonly open = new Map<ViewName, ViewPanel>();
  private ready = false;
  private queued: Navigate | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  /** Opens (or reveals) the view's panel; `navigate` shows a trace, a record or applies filters. */
  static show(ctx: LoupeContext, view: ViewName, navigate?: Omit<Navigate, 'type' | 'view'>): void {
    const message: Navigate | undefined = navigate ? { type: 'navigate', view, ...navigate } : undefined;
    const existing = ViewPanel.open.get(view);
    if (existing) {
      existing.panel.reveal(undefined, false);
      if (message) existing.navigate(message);
      return;
    }
    const panel = vscode.window.createWebviewPanel(PANELS[view].type, PANELS[view].title, vscode.ViewColumn.Active, ViewPanel.options(ctx));
    const created = new ViewPanel(ctx, view, panel, ctx.extension.workspaceState.get(stateKey(view)));
    if (message) created.navigate(message);
  }

  static registerSerializers(ctx: LoupeContext): vscode.Disposable[] {
    return (Object.keys(PANELS) as ViewName[]).map((view) => vscode.window.registerWebviewPanelSerializer(PANELS[view].type, {
      async deserializeWebviewPanel(panel, state) {
        panel.webview.options = ViewPanel.options(ctx);
        ViewPanel.open.get(view)?.panel.dispose();
        new ViewPanel(ctx, view, panel, state ?? ctx.extension.workspaceState.get(stateKey(view)));
      },
    }));
  }

  /** Which column a source file should open in so it does not cover the panel it came from. */
  private sourceColumn(): vscode.ViewColumn {
    const column = this.panel.viewColumn;
    return column === undefined ? vscode.ViewColumn.Active : column === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
  }

  private static options(ctx: LoupeContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    const root = ctx.extension.extensionUri;
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(root, ...UI_ASSETS.folder), vscode.Uri.joinPath(root, 'media')],
    };
  }

  private constructor(private readonly ctx: LoupeContext, private readonly view: ViewName, readonly panel: vscode.WebviewPanel, private state: unknown) {
    ViewPanel.open.set(view, this);
    const webview = panel.webview;
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(ctx.extension.extensionUri, ...UI_ASSETS.folder, name)).toString();
    panel.iconPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'loupe.svg');
    webview.html = panelHtml({ title: PANELS[view].title, cspSource: webview.cspSource, scriptUri: asset(UI_ASSETS.script), styleUri: asset(UI_ASSETS.style) });
    this.disposables.push(
      webview.onDidReceiveMessage((m: WebviewToHost) => void this.receive(m)),
      ctx.onLiveEvent((event) => { if (this.ready) this.post({ type: 'event', event }); }),
      // A hidden webview is torn down; it says `ready` again when shown.
      panel.onDidChangeViewState(() => { if (!panel.visible) this.ready = false; }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private navigate(message: Navigate): void {
    if (this.ready) this.post(message);
    else this.queued = message;
  }

  private post(message: HostToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private async receive(m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.post({ type: 'init', view: this.view, state: this.state, engineUrl: this.ctx.api?.baseUrl ?? '' });
        if (this.queued) this.post(this.queued);
        this.queued = undefined;
        return;
      case 'request':
        return this.relay(m.id, m.path);
      case 'requestBytes':
        return this.relayBytes(m.id, m.path, m.accept);
      case 'openSource':
        return this.ctx.guard('Open source', () => openSource(this.ctx, m.location, this.sourceColumn()));
      case 'copy':
        await vscode.env.clipboard.writeText(m.text);
        vscode.window.setStatusBarMessage('$(check) Copied', 2000);
        return;
      case 'saveFile':
        return this.ctx.guard('Save file', () => this.saveFile(m.suggestedName, m.content));
      case 'openView': {
        if (!(VIEW_NAMES as readonly string[]).includes(m.view)) return;
        const { trace, span, ...filters } = m.state ?? {};
        const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
        const flat = Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, Array.isArray(v) ? String(v[0] ?? '') : String(v)]));
        ViewPanel.show(this.ctx, m.view, { traceId: text(trace), spanId: text(span), filters: flat });
        return;
      }
      case 'state':
        this.state = m.state;
        await this.ctx.extension.workspaceState.update(stateKey(this.view), m.state);
        return;
      default:
        this.ctx.log.warn(`${PANELS[this.view].title} panel: unknown message type ${JSON.stringify((m as { type?: unknown }).type)}`);
    }
  }

  private async relay(id: number, path: string): Promise<void> {
    const api = this.ctx.api;
    if (!path.startsWith('/api/')) {
      this.post({ type: 'response', id, status: 400, body: { error: `only /api/ paths are relayed, not ${path.slice(0, 60)}` } });
      return;
    }
    if (!api) {
      this.post({ type: 'response', id, status: 503, body: { error: 'Loupe\'s collector is not running: run "Loupe: Start Collector".' } });
      return;
    }
    try {
      const { status, body } = await api.relay(path);
      this.post({ type: 'response', id, status, body });
    } catch (err) {
      this.post({ type: 'response', id, status: 502, body: { error: (err as Error).message } });
    }
  }

  private async relayBytes(id: number, path: string, accept: string): Promise<void> {
    const api = this.ctx.api;
    if (!path.startsWith('/api/') || !api) return this.relay(id, path);
    try {
      this.post({ type: 'bytesResponse', id, ...await api.relayBytes(path, accept) });
    } catch (err) {
      this.post({ type: 'bytesResponse', id, status: 502, body: { error: (err as Error).message } });
    }
  }

  private async saveFile(suggestedName: string, content: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, suggestedName) : undefined,
      filters: { 'OTLP/JSON': ['json'], 'All files': ['*'] },
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(content, 'utf8'));
    void vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(target)}.`);
  }

  private dispose(): void {
    if (ViewPanel.open.get(this.view) === this) ViewPanel.open.delete(this.view);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function stateKey(view: ViewName): string {
  return `loupe.${view}Panel.state`;
}
