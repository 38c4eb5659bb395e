// How the UI reaches the engine and its host. Two implementations: the browser page
// talks to the engine (fetch/EventSource), a VS Code webview talks to the extension
// (postMessage). Views only ever see this interface.

import type { ChangeEvent } from '../../../src/protocol/api.ts';
import type { SourceLocation, ViewName } from '../../../src/protocol/webview.ts';
import type { ViewState } from '../traces/traceFilters.ts';

export type Connection = 'connecting' | 'live' | 'offline';

/** Something to show, asked for from outside the view (host command, browser history). */
export interface Navigation {
  view: ViewName;
  state: ViewState;
}

export interface Transport {
  /** An engine API GET (`path` starts with /api/); rejects with ApiFailure. */
  get<T>(path: string): Promise<T>;
  /** An engine API GET of a binary form (`accept` names it); rejects with ApiFailure. */
  getBytes(path: string, accept: string): Promise<Uint8Array>;
  /**
   * Sends a file to the engine (e.g. `POST /api/profiles`); the JSON answer. Better a
   * Blob (a dropped or picked File) than its bytes: the browser then sends it from the
   * file, without the page reading it into memory first.
   */
  upload<T>(path: string, body: Blob | Uint8Array, fileName: string): Promise<T>;
  onChange(listener: (event: ChangeEvent) => void): () => void;
  onConnection(listener: (state: Connection) => void): () => void;
  onNavigate(listener: (to: Navigation) => void): () => void;
  /** Keeps the view's state for reloads; `push` makes it a step the user can go back to. */
  saveState(view: ViewName, state: ViewState, push: boolean): void;
  /** Shows another view with this state: in the page itself, or in VS Code in that view's panel. */
  openView(view: ViewName, state: ViewState): void;
  copy(text: string): Promise<void>;
  saveFile(suggestedName: string, content: string): void;
  /** A link that opens the location in VS Code, where the page cannot open it itself. */
  sourceUrl(location: SourceLocation): string | undefined;
  openSource(location: SourceLocation): void;
}

export interface Started {
  transport: Transport;
  view: ViewName;
  state: ViewState;
  /** The state a view opens with from the navigation bar, where it differs from the view's own default. */
  initialState?(view: ViewName): ViewState;
}

export class ApiFailure extends Error {
  override name = 'ApiFailure';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** The engine's `{ error }` message, or what else went wrong. */
export function failureOf(status: number, body: unknown, path: string): ApiFailure {
  const said = body && typeof body === 'object' && 'error' in body ? String((body as { error: unknown }).error) : '';
  return new ApiFailure(status, said || `${path.split('?')[0]} answered ${status}`);
}

/**
 * Notices a new engine behind the events (restarted, or another one on the port): the
 * views' data is gone, so the event is marked `cleared` and every view reloads.
 */
export class EngineWatch {
  private instanceId: string | undefined;

  note(event: ChangeEvent): ChangeEvent {
    const before = this.instanceId;
    if (event.instanceId) this.instanceId = event.instanceId;
    return before !== undefined && event.instanceId && event.instanceId !== before ? { ...event, cleared: true } : event;
  }
}

/** Subscribers of one kind of notification. */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(value: T): void {
    for (const l of [...this.set]) l(value);
  }
}
