// Live change notifications for `GET /api/events` (Server-Sent Events). Changes are
// coalesced: at most one event per interval, however fast data arrives.

import type { ServerResponse } from 'node:http';
import type { ChangeEvent } from '../protocol/api.ts';

const INTERVAL_MS = 250;

type Snapshot = 'counts' | 'dropped' | 'instanceId';

function changeEvent(event: ChangeEvent): string {
  return `event: change\ndata: ${JSON.stringify(event)}\n\n`;
}
const HEARTBEAT_MS = 15_000;

export class EventHub {
  private readonly clients = new Set<ServerResponse>();
  private pending: Omit<ChangeEvent, Snapshot> = { newTraces: 0, spans: 0, logs: 0, metricPoints: 0 };
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly snapshot: () => Pick<ChangeEvent, Snapshot>) {
    this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  attach(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    // At once, so a client that reconnects learns which engine it reached (and its counts).
    res.write(changeEvent({ newTraces: 0, spans: 0, logs: 0, metricPoints: 0, ...this.snapshot() }));
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  changed(delta: Partial<ChangeEvent>): void {
    if (!this.clients.size) return;
    const p = this.pending;
    p.newTraces += delta.newTraces ?? 0;
    p.spans += delta.spans ?? 0;
    p.logs += delta.logs ?? 0;
    p.metricPoints += delta.metricPoints ?? 0;
    if (delta.cleared) p.cleared = true;
    if (delta.alerts?.length) (p.alerts ??= []).push(...delta.alerts);
    this.dirty = true;
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), INTERVAL_MS);
    }
  }

  /** Tells every client the engine is stopping on request, so none of them restarts it. */
  announceShutdown(reason: string): void {
    this.write(`event: shutdown\ndata: ${JSON.stringify({ reason })}\n\n`);
  }

  close(): void {
    clearInterval(this.heartbeat);
    if (this.timer) clearTimeout(this.timer);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private flush(): void {
    this.timer = undefined;
    if (!this.dirty) return;
    const event: ChangeEvent = { ...this.pending, ...this.snapshot() };
    this.pending = { newTraces: 0, spans: 0, logs: 0, metricPoints: 0 };
    this.dirty = false;
    this.write(changeEvent(event));
  }

  private write(text: string): void {
    for (const res of this.clients) res.write(text);
  }
}
