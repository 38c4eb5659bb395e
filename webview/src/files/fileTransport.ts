// A telemetry file's view of the engine: every API path goes to the file's own store
// (/api/files/{id}/api/…), nothing arrives live, and moving between views stays inside
// the file rather than opening the live panels.

import type { ChangeEvent } from '../../../src/protocol/api.ts';
import type { SourceLocation, ViewName } from '../../../src/protocol/webview.ts';
import type { ViewState } from '../traces/traceFilters.ts';
import { Listeners, type Connection, type Navigation, type Transport } from '../transport/transport.ts';

/** The key in a view's saved state (and the page's query) that names the open file. */
export const FILE_STATE_KEY = 'file';

export class FileTransport implements Transport {
  private readonly navigation = new Listeners<Navigation>();

  constructor(readonly base: Transport, readonly fileId: string) {}

  /** `/api/files/{id}` + `path`: where the file's own store answers `path`. */
  filePath(path: string): string {
    return `/api/files/${encodeURIComponent(this.fileId)}${path}`;
  }

  get<T>(path: string): Promise<T> {
    return this.base.get<T>(this.filePath(path));
  }

  getBytes(path: string, accept: string): Promise<Uint8Array> {
    return this.base.getBytes(this.filePath(path), accept);
  }

  upload<T>(path: string, body: Blob | Uint8Array, fileName: string): Promise<T> {
    return this.base.upload<T>(this.filePath(path), body, fileName);
  }

  onChange(_listener: (event: ChangeEvent) => void): () => void {
    // A file does not change while it is open.
    return () => undefined;
  }

  onConnection(listener: (state: Connection) => void): () => void {
    queueMicrotask(() => listener('live'));
    return () => undefined;
  }

  onNavigate(listener: (to: Navigation) => void): () => void {
    const fromBase = this.base.onNavigate((to) => listener({ view: to.view, state: withoutFile(to.state) }));
    const own = this.navigation.add(listener);
    return () => { fromBase(); own(); };
  }

  saveState(view: ViewName, state: ViewState, push: boolean): void {
    this.base.saveState(view, { ...state, [FILE_STATE_KEY]: this.fileId }, push);
  }

  openView(view: ViewName, state: ViewState): void {
    this.saveState(view, state, true);
    this.navigation.emit({ view, state });
  }

  copy(text: string): Promise<void> {
    return this.base.copy(text);
  }

  saveFile(suggestedName: string, content: string): void {
    this.base.saveFile(suggestedName, content);
  }

  sourceUrl(location: SourceLocation): string | undefined {
    return this.base.sourceUrl(location);
  }

  openSource(location: SourceLocation): void {
    this.base.openSource(location);
  }
}

export function withoutFile(state: ViewState): ViewState {
  const { [FILE_STATE_KEY]: _file, ...rest } = state;
  return rest;
}
