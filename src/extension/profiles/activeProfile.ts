// Which profile is "active": the one last shown in a profile editor or the Profiles
// panel. The editor's decorations and CodeLens follow it.

import * as vscode from 'vscode';

export class ActiveProfile implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  readonly onDidChange = this.changed.event;
  private current: { id: string; type: number } | undefined;

  get id(): string | undefined {
    return this.current?.id;
  }

  /** Sample type index the user chose (-1: the profile's default). */
  get sampleType(): number {
    return this.current?.type ?? -1;
  }

  set(id: string | undefined, type = -1): void {
    if (id === this.current?.id && type === this.current?.type) return;
    this.current = id ? { id, type } : undefined;
    this.changed.fire(id);
  }

  /** From a profiles webview's saved state (`{ view, state: { profile, type } }`). */
  showing(saved: unknown): void {
    const state = (saved as { state?: { profile?: unknown; type?: unknown } } | undefined)?.state;
    if (typeof state?.profile === 'string' && state.profile) this.set(state.profile, typeof state.type === 'string' ? Number(state.type) : -1);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
