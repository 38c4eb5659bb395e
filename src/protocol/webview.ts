// Messages between a Loupe webview and the VS Code extension host (postMessage).
// The browser page talks to the engine directly (fetch/EventSource) and uses none of
// these. Both sides switch on `type` and warn on unknown types.

import type { ChangeEvent } from './api.ts';

/** Where a span, log record or stack frame came from in the source. */
export interface SourceLocation {
  /** As the telemetry gave it; the extension maps it onto the workspace. */
  path: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  function?: string;
}

/** The views the UI has, in navigation order; a panel shows one, the browser page can switch. */
export const VIEW_NAMES = ['traces', 'logs', 'signals', 'profiles', 'compare'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

export type WebviewToHost =
  /** The webview's script runs and listens: the host may now send `init`. */
  | { type: 'ready' }
  /** An engine API GET, relayed by the host (`path` starts with /api/). */
  | { type: 'request'; id: number; path: string }
  /** An engine API GET answered in bytes (`accept` names the binary form), relayed by the host. */
  | { type: 'requestBytes'; id: number; path: string; accept: string }
  /** A file's bytes POSTed to the engine (e.g. a dropped profile to `/api/profiles`). */
  | { type: 'upload'; id: number; path: string; fileName: string; bytes: Uint8Array }
  | { type: 'openSource'; location: SourceLocation }
  | { type: 'copy'; text: string }
  /** Save a file through the host's save dialog (e.g. a trace as OTLP/JSON). */
  | { type: 'saveFile'; suggestedName: string; content: string }
  /** Show another view (e.g. the traces behind a chart point) in its own panel, with this state. */
  | { type: 'openView'; view: ViewName; state: Record<string, string | string[]> }
  /** The view's state (filters, selection) changed: kept for reloads. */
  | { type: 'state'; state: unknown };

export type HostToWebview =
  | { type: 'init'; view: ViewName; state?: unknown; engineUrl: string }
  | { type: 'response'; id: number; status: number; body: unknown }
  /** The answer to `requestBytes`: `bytes` when the engine answered 2xx, else its JSON error in `body`. */
  | { type: 'bytesResponse'; id: number; status: number; bytes?: Uint8Array; body?: unknown }
  | { type: 'event'; event: ChangeEvent }
  /** Show something: e.g. `{ view: 'traces', traceId }` from a tree item. */
  | { type: 'navigate'; view: ViewName; traceId?: string; spanId?: string; filters?: Record<string, string> };
