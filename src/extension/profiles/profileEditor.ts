// Profile files (pprof, V8 .cpuprofile/.heapprofile, folded stacks) open in a read-only
// custom editor: the file goes to the engine (POST /api/profiles), which decodes it, and
// the editor shows the flame graph of the same UI bundle. A file the engine cannot read
// shows the engine's own explanation in the editor.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { LoupeContext } from '../context.ts';
import { ViewPanel } from '../panel/viewPanel.ts';
import { WebviewBridge, webviewOptions } from '../panel/webviewBridge.ts';
import { uploadProfile } from './profileUpload.ts';

export const PROFILE_EDITOR = 'loupe.profileEditor';

export class ProfileEditorProvider implements vscode.CustomReadonlyEditorProvider {
  static register(ctx: LoupeContext): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(PROFILE_EDITOR, new ProfileEditorProvider(ctx), {
      // A hidden flame graph keeps its zoom and search rather than reloading the file.
      webviewOptions: { retainContextWhenHidden: true },
      supportsMultipleEditorsPerDocument: true,
    });
  }

  private constructor(private readonly ctx: LoupeContext) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    panel.webview.options = webviewOptions(this.ctx);
    let id: string | undefined;
    const name = basename(document.uri.fsPath);
    const bridge = new WebviewBridge(this.ctx, panel.webview, {
      view: 'profiles',
      title: name,
      // The view says it is reading the file until the engine has it (a large file takes a while).
      initialState: () => ({ view: 'profiles', state: { loading: name } }),
      stateChanged: (s) => this.ctx.activeProfile.showing(s),
      sourceColumn: () => (panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One),
      openView: (to, state) => ViewPanel.showState(this.ctx, to, state),
    });
    panel.onDidChangeViewState(() => {
      if (panel.active && id) this.ctx.activeProfile.set(id);
    });
    panel.onDidDispose(() => bridge.dispose());
    void this.load(document.uri).then((state) => {
      id = state.profile;
      bridge.navigate({ type: 'navigate', view: 'profiles', filters: state });
    });
  }

  /** The state the view opens with: the engine's id for the file, or why there is none. */
  private async load(uri: vscode.Uri): Promise<Record<string, string>> {
    try {
      const id = await uploadProfile(this.ctx, uri);
      this.ctx.activeProfile.set(id);
      return { profile: id };
    } catch (err) {
      this.ctx.log.warn(`Profile ${uri.fsPath}: ${(err as Error).message}`);
      return { error: (err as Error).message };
    }
  }
}
