// A live list's data, the same for traces and logs: the newest page that matches the
// view's filters, older pages as the user scrolls, new items merged in from the event
// stream (at most once per refresh while live, only counted while paused), and a fresh
// start when the data is cleared. The view draws the items in its own table.

import type { ChangeEvent } from '../../../src/protocol/api.ts';
import type { ViewContext } from '../shell/view.ts';
import { h } from './dom.ts';
import { renderListStatus, renderLoadError } from './listStatus.ts';

const REFRESH_MS = 1000;

export interface LiveListSource<T> {
  /** Items a page holds at the most. */
  pageSize: number;
  /** What the list holds, for the load error: "Could not load traces: …". */
  noun: string;
  /** What tells an item apart, to merge a refresh with what is shown. */
  key(item: T): string;
  /** The time the list is ordered by, newest first (Unix ns). */
  time(item: T): string;
  /** The newest page that matches the filters, or (`endNs`) the page at and before that time. */
  fetchPage(endNs?: string): Promise<T[]>;
  /** How many new items an event brings, or undefined when it brings nothing the list shows. */
  arrivals(e: ChangeEvent): number | undefined;
  /** Called as each load starts; what it returns is awaited with the first page (the filter bar's service names). */
  starting?(live: boolean): Promise<void> | undefined;
  /**
   * What the view shows in the list's place in another mode (the log patterns): loaded
   * and refreshed as the list is, never paged. `load` resolves to how to show what it got.
   */
  other?: { shown(): boolean; load(): Promise<() => void>; refreshMs: number };
  /** Shows the items; `live`: new ones were merged above, or a page added below, rather than a new list. */
  show(items: T[], live: boolean): void;
  /** Fills `empty` (and shows it) when there is nothing to show. */
  renderEmpty(): Promise<void>;
  /** The status line's summary, e.g. "200+ traces match". */
  summary(): string;
  /** The data was cleared: drop what the view holds besides the items. */
  cleared?(): void;
}

export class LiveList<T> {
  readonly status = h('div', { class: 'list-status', attrs: { role: 'status' } });
  readonly empty = h('div', { class: 'list-empty' });
  /** Hidden (e.g. a trace is open over the list): new items are counted, not fetched. */
  hidden = false;
  private shown: T[] = [];
  private hasMore = false;
  private loading: Promise<void> | undefined;
  private generation = 0;
  private arrived = 0;
  private lastRefresh = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly ctx: ViewContext, private readonly source: LiveListSource<T>) {
    this.unsubscribe.push(
      ctx.transport.onChange((e) => {
        // Cleared data (or a new engine) is gone whether or not the view is live: never show it.
        if (e.cleared) {
          // A live refresh merges with what is shown: drop it first, and any refresh
          // scheduled before the data went away, or it would bring old items back.
          this.arrived = 0;
          clearTimeout(this.refreshTimer);
          this.refreshTimer = undefined;
          this.shown = [];
          this.hasMore = false;
          source.cleared?.();
          void this.load(false);
          return;
        }
        const arrived = source.arrivals(e);
        if (arrived === undefined) return;
        if (!ctx.live.isLive || this.hidden) {
          this.arrived += arrived;
          this.renderStatus();
          return;
        }
        this.scheduleRefresh();
      }),
      ctx.live.onChange((live) => {
        if (live && !this.hidden) void this.load(true);
        this.renderStatus();
      }),
    );
  }

  /** The items loaded, newest first. */
  get items(): readonly T[] {
    return this.shown;
  }

  /** Whether older items than those loaded may match. */
  get more(): boolean {
    return this.hasMore;
  }

  /** Items that arrived while paused or hidden, not fetched yet. */
  get arrivedWhilePaused(): number {
    return this.arrived;
  }

  dispose(): void {
    for (const u of this.unsubscribe) u();
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
  }

  /** The first page (or the other mode's content); `live` merges new items above what is loaded instead of starting over. */
  async load(live: boolean): Promise<void> {
    const generation = ++this.generation;
    this.lastRefresh = Date.now();
    const other = this.source.other?.shown() ? this.source.other : undefined;
    try {
      const started = this.source.starting?.(live);
      if (other) {
        const [showOther] = await Promise.all([other.load(), started]);
        if (generation !== this.generation) return;
        showOther();
      } else {
        const [page] = await Promise.all([this.source.fetchPage(), started]);
        if (generation !== this.generation) return;
        const { key, time } = this.source;
        const keys = new Set(page.map(key));
        const oldest = page[page.length - 1] === undefined ? undefined : time(page[page.length - 1]);
        const kept = live && oldest ? this.shown.filter((item) => !keys.has(key(item)) && BigInt(time(item)) < BigInt(oldest)) : [];
        this.shown = [...page, ...kept];
        this.hasMore = page.length === this.source.pageSize || (live && this.hasMore);
        this.source.show(this.shown, live);
      }
      this.arrived = 0;
      await this.source.renderEmpty();
    } catch (err) {
      if (generation === this.generation) this.showError(err);
    }
    this.renderStatus();
  }

  /** The next older page, once at a time; the promise of the one on its way if there is one. */
  loadMore(): Promise<void> | undefined {
    if (!this.hasMore || this.loading || this.source.other?.shown()) return this.loading;
    const oldest = this.shown[this.shown.length - 1];
    if (oldest === undefined) return undefined;
    const generation = this.generation;
    const { key, time } = this.source;
    const end = (BigInt(time(oldest)) - 1n).toString();
    this.loading = this.source.fetchPage(end).then((page) => {
      if (generation !== this.generation) return;
      // An item can move down the order after it was loaded (a trace whose earlier spans came late).
      const keys = new Set(this.shown.map(key));
      this.shown = [...this.shown, ...page.filter((item) => !keys.has(key(item)))];
      this.hasMore = page.length === this.source.pageSize;
      this.source.show(this.shown, true);
      this.renderStatus();
    }, (err: unknown) => this.showError(err)).finally(() => { this.loading = undefined; });
    return this.loading;
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    const every = this.source.other?.shown() ? this.source.other.refreshMs : REFRESH_MS;
    const wait = Math.max(0, this.lastRefresh + every - Date.now());
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.load(true);
    }, wait);
  }

  private renderStatus(): void {
    renderListStatus(this.status, this.source.summary(), this.ctx.live, this.arrived);
  }

  private showError(err: unknown): void {
    renderLoadError(this.empty, `Could not load ${this.source.noun}: ${(err as Error).message}`, () => void this.load(false));
  }
}
