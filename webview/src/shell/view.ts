// What the shell knows of a view: an element to show, the state to show in it, and a way
// to let go of it. Every view the UI has is listed once, in views.ts.

import type { ViewName } from '../../../src/protocol/webview.ts';
import type { Transport } from '../transport/transport.ts';
import type { ViewState } from '../traces/traceFilters.ts';
import type { LiveState } from './liveState.ts';

export interface ViewContext {
  readonly transport: Transport;
  readonly live: LiveState;
  /** Records the view's state (URL or webview state); `push` for a step back can undo. */
  save(state: ViewState, push?: boolean): void;
  /** Shows another view (e.g. a log record's trace, the traces behind a chart point) as a step the user can go back from. */
  navigate(view: ViewName, state: ViewState): void;
}

export interface View {
  readonly element: HTMLElement;
  show(state: ViewState): void;
  dispose(): void;
}

export interface ViewEntry {
  title: string;
  create(ctx: ViewContext): View;
}

export type ViewRegistry = Record<ViewName, ViewEntry>;
