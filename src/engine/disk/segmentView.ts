// A segment's records replayed into stores of their own, for queries on the disk tier:
// the same search and export code then runs on them as on the in-memory store.

import { decodeTracesJson } from '../otlp/json/traces.ts';
import { LogIngest } from '../ingest/logIngest.ts';
import { TraceIngest } from '../ingest/traceIngest.ts';
import { LogStore } from '../store/logStore.ts';
import { MetricIngest } from '../ingest/metricIngest.ts';
import { MetricStore } from '../store/metricStore.ts';
import { TraceStore } from '../store/traceStore.ts';
import type { DiskRecord } from './record.ts';

const VIEW_LOG_CHUNK_BYTES = 1024 * 1024;

export class SegmentView {
  readonly traces = new TraceStore();
  readonly logs = new LogStore(VIEW_LOG_CHUNK_BYTES);
  private readonly traceIngest = new TraceIngest(this.traces, () => {});
  private readonly logIngest = new LogIngest(this.logs);
  readonly metrics = new MetricStore();
  private readonly metricIngest = new MetricIngest(this.metrics);

  constructor(records: Iterable<DiskRecord>) {
    for (const r of records) this.add(r);
    this.traces.chunks.at(-1)?.seal();
    this.logs.chunks.at(-1)?.seal();
  }

  get memoryBytes(): number {
    return this.traces.memoryBytes + this.logs.memoryBytes + this.metrics.memoryBytes;
  }

  private add(r: DiskRecord): void {
    // A record was accepted once, by this same code; a request it cannot decode now was
    // written by another version: it is passed over rather than failing the query.
    try {
      if (r.signal === 'traces') {
        if (r.encoding === 'protobuf') this.traceIngest.protobuf(r.body);
        else this.traceIngest.json(decodeTracesJson(r.body.toString('utf8')));
      } else if (r.signal === 'logs' && r.encoding !== 'compact') {
        this.logIngest.export(r.body, r.encoding);
      } else if (r.signal === 'metrics' && r.encoding !== 'compact') {
        this.metricIngest.export(r.body, r.encoding);
      }
    } catch {
      // Counted by nothing: the records were checked on read, this is a format change.
    }
  }
}
