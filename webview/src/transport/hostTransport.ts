// A VS Code webview: every request and action goes to the extension host by postMessage
// (src/protocol/webview.ts); the host relays API requests to the engine and keeps the
// view's state for when the panel is restored.

import type { ChangeEvent } from '../../../src/protocol/api.ts';
import { VIEW_NAMES, type HostToWebview, type SourceLocation, type ViewName, type WebviewToHost } from '../../../src/protocol/webview.ts';
import type { ViewState } from '../traces/traceFilters.ts';
import { EngineWatch, failureOf, ApiFailure, Listeners, type Connection, type Navigation, type Started, type Transport } from './transport.ts';

export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  // Defined by VS Code in webviews only; callable once.
  function acquireVsCodeApi(): VsCodeApi;
}

const REQUEST_TIMEOUT_MS = 60_000;

export function inWebview(): boolean {
  return typeof acquireVsCodeApi === 'function';
}

/** Says `ready`, then waits for the host's `init`. */
export function startHostTransport(): Promise<Started> {
  const vscode = acquireVsCodeApi();
  const transport = new HostTransport(vscode);
  return new Promise((resolve) => {
    transport.whenInit = (init) => {
      // The webview's own saved state is newer than what the host was given.
      const saved = stateOf(vscode.getState()) ?? stateOf(init.state);
      resolve({ transport, view: saved?.view ?? init.view, state: saved?.state ?? {} });
    };
    transport.post({ type: 'ready' });
  });
}

interface SavedState { view: ViewName; state: ViewState }

function stateOf(value: unknown): SavedState | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Partial<SavedState>;
  return VIEW_NAMES.includes(v.view as ViewName) && v.state && typeof v.state === 'object' ? { view: v.view as ViewName, state: v.state } : undefined;
}

class HostTransport implements Transport {
  whenInit: ((init: Extract<HostToWebview, { type: 'init' }>) => void) | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (body: unknown) => void; reject: (err: Error) => void; path: string }>();
  private readonly changes = new Listeners<ChangeEvent>();
  private readonly connection = new Listeners<Connection>();
  private readonly navigation = new Listeners<Navigation>();
  private readonly engine = new EngineWatch();

  constructor(private readonly vscode: VsCodeApi) {
    window.addEventListener('message', (e: MessageEvent<HostToWebview>) => this.receive(e.data));
  }

  post(message: WebviewToHost): void {
    this.vscode.postMessage(message);
  }

  get<T>(path: string): Promise<T> {
    return this.ask<T>(path, (id) => ({ type: 'request', id, path }));
  }

  getBytes(path: string, accept: string): Promise<Uint8Array> {
    return this.ask<Uint8Array>(path, (id) => ({ type: 'requestBytes', id, path, accept }));
  }

  async upload<T>(path: string, body: Blob | Uint8Array, fileName: string): Promise<T> {
    // postMessage to the host carries bytes, not a Blob.
    const bytes = body instanceof Uint8Array ? body : new Uint8Array(await body.arrayBuffer());
    return this.ask<T>(path, (id) => ({ type: 'upload', id, path, fileName, bytes }));
  }

  private ask<T>(path: string, message: (id: number) => WebviewToHost): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ApiFailure(0, `no answer from VS Code for ${path.split('?')[0]}; is the Loupe engine running?`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, {
        resolve: (body) => { clearTimeout(timer); resolve(body as T); },
        reject: (err) => { clearTimeout(timer); reject(err); },
        path,
      });
      this.post(message(id));
    });
  }

  onChange(listener: (event: ChangeEvent) => void): () => void {
    return this.changes.add(listener);
  }

  onConnection(listener: (state: Connection) => void): () => void {
    // The host keeps the engine connection; events arriving is what "live" means here.
    listener('live');
    return this.connection.add(listener);
  }

  onNavigate(listener: (to: Navigation) => void): () => void {
    return this.navigation.add(listener);
  }

  saveState(view: ViewName, state: ViewState): void {
    const saved: SavedState = { view, state };
    this.vscode.setState(saved);
    this.post({ type: 'state', state: saved });
  }

  openView(view: ViewName, state: ViewState): void {
    this.post({ type: 'openView', view, state });
  }

  copy(text: string): Promise<void> {
    this.post({ type: 'copy', text });
    return Promise.resolve();
  }

  saveFile(suggestedName: string, content: string): void {
    this.post({ type: 'saveFile', suggestedName, content });
  }

  sourceUrl(): string | undefined {
    return undefined;
  }

  openSource(location: SourceLocation): void {
    this.post({ type: 'openSource', location });
  }

  private receive(msg: HostToWebview): void {
    if (!msg || typeof msg !== 'object') return;
    switch (msg.type) {
      case 'init':
        this.whenInit?.(msg);
        this.whenInit = undefined;
        break;
      case 'response': {
        const waiting = this.pending.get(msg.id);
        if (!waiting) return;
        this.pending.delete(msg.id);
        if (msg.status >= 200 && msg.status < 300) waiting.resolve(msg.body);
        else waiting.reject(failureOf(msg.status, msg.body, waiting.path));
        break;
      }
      case 'bytesResponse': {
        const waiting = this.pending.get(msg.id);
        if (!waiting) return;
        this.pending.delete(msg.id);
        if (msg.status >= 200 && msg.status < 300 && msg.bytes) waiting.resolve(new Uint8Array(msg.bytes.buffer, msg.bytes.byteOffset, msg.bytes.byteLength));
        else waiting.reject(failureOf(msg.status, msg.body, waiting.path));
        break;
      }
      case 'event':
        this.connection.emit('live');
        this.changes.emit(this.engine.note(msg.event));
        break;
      case 'navigate': {
        const state: ViewState = { ...msg.filters };
        if (msg.traceId) state.trace = msg.traceId;
        if (msg.spanId) state.span = msg.spanId;
        this.navigation.emit({ view: msg.view, state });
        break;
      }
      default:
        console.warn('Loupe: unknown message from VS Code', (msg as { type?: unknown }).type);
    }
  }
}
