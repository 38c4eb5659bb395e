// Log records, kept decoded in arrival order and evicted oldest first. Logs arrive at a
// fraction of the rate of spans, so plain objects are cheap enough here.

import type { InstrumentationScope, LogRecord, Resource } from '../../protocol/otlp.ts';
import { Interner } from './interner.ts';
import { serviceNameOf } from './serviceName.ts';
import { anyValueBytes, keyValuesBytes } from './valueSize.ts';

export interface LogGroup {
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  readonly serviceId: number;
}

export interface StoredLog {
  readonly record: LogRecord;
  readonly group: LogGroup;
  /** Event time in ns (observed time when the record has none), as a double for ordering. */
  readonly timeNs: number;
  readonly bytes: number;
  readonly receivedAt: number;
}

const EVICT_BATCH = 256;

export class LogStore {
  readonly services = new Interner();
  /** Evicted slots before `head` are cleared at once, so their records can be collected. */
  private logs: (StoredLog | undefined)[] = [];
  private head = 0;
  private readonly byTrace = new Map<string, StoredLog[]>();
  memoryBytes = 0;
  evicted = 0;

  get count(): number {
    return this.logs.length - this.head;
  }

  get oldestReceivedAt(): number {
    return this.head < this.logs.length ? this.logs[this.head]!.receivedAt : Infinity;
  }

  group(resource: Resource, scope: InstrumentationScope): LogGroup {
    return { resource, scope, serviceId: this.services.id(serviceNameOf(resource)) };
  }

  add(record: LogRecord, group: LogGroup): void {
    const time = record.timeUnixNano && record.timeUnixNano !== '0' ? record.timeUnixNano : record.observedTimeUnixNano;
    // Measured on the heap: the record, its time strings and the StoredLog (360), and with
    // a trace id its id strings, the byTrace entry and list (200).
    const bytes = 360 + anyValueBytes(record.body) + keyValuesBytes(record.attributes) + (record.severityText?.length ?? 0) * 2 + (record.traceId ? 200 : 0);
    const log: StoredLog = { record, group, timeNs: time ? Number(time) : 0, bytes, receivedAt: Date.now() };
    this.logs.push(log);
    this.memoryBytes += bytes;
    if (record.traceId) {
      const list = this.byTrace.get(record.traceId);
      if (list) list.push(log);
      else this.byTrace.set(record.traceId, [log]);
    }
  }

  /** Stored logs newest first; `visit` returns false to stop. */
  forEachNewestFirst(visit: (log: StoredLog) => boolean): void {
    for (let i = this.logs.length - 1; i >= this.head; i--) if (!visit(this.logs[i]!)) return;
  }

  ofTrace(traceId: string): readonly StoredLog[] {
    return this.byTrace.get(traceId) ?? [];
  }

  evictOldest(): number {
    let freed = 0;
    const end = Math.min(this.logs.length, this.head + EVICT_BATCH);
    for (let i = this.head; i < end; i++) {
      const log = this.logs[i]!;
      this.logs[i] = undefined;
      freed += log.bytes;
      const id = log.record.traceId;
      if (id) {
        const list = this.byTrace.get(id)!;
        list.shift();
        if (list.length === 0) this.byTrace.delete(id);
      }
    }
    this.evicted += end - this.head;
    this.head = end;
    if (this.head > 65536 && this.head * 2 > this.logs.length) {
      this.logs = this.logs.slice(this.head);
      this.head = 0;
    }
    this.memoryBytes -= freed;
    return freed;
  }

  clear(): void {
    this.logs = [];
    this.head = 0;
    this.byTrace.clear();
    this.memoryBytes = 0;
    this.evicted = 0;
  }
}
