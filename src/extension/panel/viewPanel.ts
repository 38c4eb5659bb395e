// A Loupe view (traces, profiles, …) in a webview panel: the same UI bundle as the
// browser page, talking to the engine through this host (webviewBridge.ts). One panel
// per view and window; it comes back after a reload with its state (WebviewPanelSerializer).

import * as vscode from 'vscode';
import type { HostToWebview, ViewName } from '../../protocol/webview.ts';
import type { LoupeContext } from '../context.ts';
import { PANELS } from '../ids.ts';
import { WebviewBridge, webviewOptions } from './webviewBridge.ts';

type Navigate = Extract<HostToWebview, { type: 'navigate' }>;

export class ViewPanel {
  private static readonly open = new Map<ViewName, ViewPanel>();
  private readonly bridge: WebviewBridge;
  private readonly disposables: vscode.Disposable[] = [];

  /** Opens (or reveals) the view's panel; `navigate` shows a trace, a record or applies filters. */
  static show(ctx: LoupeContext, view: ViewName, navigate?: Omit<Navigate, 'type' | 'view'>): void {
    const message: Navigate | undefined = navigate ? { type: 'navigate', view, ...navigate } : undefined;
    const existing = ViewPanel.open.get(view);
    if (existing) {
      existing.panel.reveal(undefined, false);
      if (message) existing.bridge.navigate(message);
      return;
    }
    const panel = vscode.window.createWebviewPanel(PANELS[view].type, PANELS[view].title, vscode.ViewColumn.Active, webviewOptions(ctx));
    const created = new ViewPanel(ctx, view, panel, ctx.extension.workspaceState.get(stateKey(view)));
    if (message) created.bridge.navigate(message);
  }

  /** Opens a view from a webview's state (`trace`, `span` and filters), as `openView` asks. */
  static showState(ctx: LoupeContext, view: ViewName, state: Record<string, string | string[]>): void {
    const { trace, span, ...filters } = state;
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const flat = Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, Array.isArray(v) ? String(v[0] ?? '') : String(v)]));
    ViewPanel.show(ctx, view, { traceId: text(trace), spanId: text(span), filters: flat });
  }

  static registerSerializers(ctx: LoupeContext): vscode.Disposable[] {
    return (Object.keys(PANELS) as ViewName[]).map((view) => vscode.window.registerWebviewPanelSerializer(PANELS[view].type, {
      async deserializeWebviewPanel(panel, state) {
        panel.webview.options = webviewOptions(ctx);
        ViewPanel.open.get(view)?.panel.dispose();
        new ViewPanel(ctx, view, panel, state ?? ctx.extension.workspaceState.get(stateKey(view)));
      },
    }));
  }

  private constructor(private readonly ctx: LoupeContext, private readonly view: ViewName, readonly panel: vscode.WebviewPanel, private state: unknown) {
    ViewPanel.open.set(view, this);
    panel.iconPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'loupe.svg');
    this.bridge = new WebviewBridge(ctx, panel.webview, {
      view,
      title: PANELS[view].title,
      initialState: () => this.state,
      stateChanged: (s) => {
        this.state = s;
        void ctx.extension.workspaceState.update(stateKey(view), s);
        if (view === 'profiles') ctx.activeProfile.showing(s);
      },
      sourceColumn: () => this.sourceColumn(),
      openView: (to, s) => ViewPanel.showState(ctx, to, s),
    });
    this.disposables.push(
      this.bridge,
      panel.onDidChangeViewState(() => { if (!panel.visible) this.bridge.hidden(); }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Which column a source file should open in so it does not cover the panel it came from. */
  private sourceColumn(): vscode.ViewColumn {
    const column = this.panel.viewColumn;
    return column === undefined ? vscode.ViewColumn.Active : column === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
  }

  private dispose(): void {
    if (ViewPanel.open.get(this.view) === this) ViewPanel.open.delete(this.view);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function stateKey(view: ViewName): string {
  return `loupe.${view}Panel.state`;
}
