// Telemetry files opened for viewing: each in its own small engine (the same stores and
// queries as the live one), apart from the live store until the user imports it. Bounded:
// a few files at once (the least recently used one closes), each under its own budget.

import { randomUUID } from 'node:crypto';
import type { FileImportResult, FileSummary } from '../../protocol/files.ts';
import { Engine } from '../engine.ts';
import { DecodeError } from '../otlp/protobuf/wire.ts';
import { readTelemetryFile, type FileRequest } from './readTelemetryFile.ts';

export const MAX_OPEN_FILES = 4;
export const MAX_FILE_BYTES = 128 * 1024 * 1024;

interface OpenFile {
  summary: Omit<FileSummary, 'counts' | 'dropped'>;
  engine: Engine;
  /** Kept for "Import into Loupe": the requests as read. */
  requests: FileRequest[];
}

/** The earliest and latest `…TimeUnixNano` of the requests, read off their JSON text. */
class TimeSpan {
  private min = 0n;
  private max = 0n;

  scan(body: Buffer): void {
    for (const m of body.toString('utf8').matchAll(/TimeUnixNano"\s*:\s*"?(\d{1,20})/g)) {
      const t = BigInt(m[1]);
      if (t === 0n) continue;
      if (this.min === 0n || t < this.min) this.min = t;
      if (t > this.max) this.max = t;
    }
  }

  get start(): string {
    return this.min ? this.min.toString() : '';
  }

  get end(): string {
    return this.max ? this.max.toString() : '';
  }
}

export class TelemetryFiles {
  private readonly open = new Map<string, OpenFile>();

  constructor(private readonly fileBudgetBytes: number) {}

  /** Reads and stores a file; throws TelemetryFileError when it is not telemetry Loupe reads. */
  add(name: string, bytes: Buffer): FileSummary {
    const read = readTelemetryFile(bytes, MAX_FILE_BYTES);
    const engine = new Engine({ memoryBudgetBytes: this.fileBudgetBytes });
    const problems = [...read.problems];
    const span = new TimeSpan();
    for (const r of read.requests) {
      span.scan(r.body);
      try {
        const result = engine.export(r.signal, r.body, 'json', 'http');
        if (result.rejected) problems.push(`${r.line ? `line ${r.line}: ` : ''}${result.rejected} ${r.signal} items were invalid${result.message ? ` (${result.message})` : ''}`);
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err;
        problems.push(`${r.line ? `line ${r.line}: ` : ''}${r.signal}: ${err.message}`);
      }
    }
    while (this.open.size >= MAX_OPEN_FILES) this.close(this.open.keys().next().value!);
    const id = randomUUID();
    const file: OpenFile = { summary: { id, name, format: read.format, gzip: read.gzip, bytes: bytes.length, problems: problems.slice(0, 50), startUnixNano: span.start, endUnixNano: span.end }, engine, requests: read.requests };
    this.open.set(id, file);
    return this.summaryOf(file);
  }

  /** The file's engine, marked as recently used; undefined when not open. */
  engineOf(id: string): Engine | undefined {
    const file = this.open.get(id);
    if (!file) return undefined;
    this.open.delete(id);
    this.open.set(id, file);
    return file.engine;
  }

  summary(id: string): FileSummary | undefined {
    const file = this.open.get(id);
    return file && this.summaryOf(file);
  }

  list(): FileSummary[] {
    return [...this.open.values()].map((f) => this.summaryOf(f));
  }

  close(id: string): boolean {
    const file = this.open.get(id);
    if (!file) return false;
    this.open.delete(id);
    file.engine.events.close();
    file.engine.textIndexer.stop();
    file.engine.logTextIndexer.stop();
    file.engine.scraper.stop();
    return true;
  }

  closeAll(): void {
    for (const id of [...this.open.keys()]) this.close(id);
  }

  /** Sends the file's requests into `live` as if an app had exported them; what it took. */
  importInto(id: string, live: Engine): FileImportResult | undefined {
    const file = this.open.get(id);
    return file && exportInto(live, file.requests, []);
  }

  private summaryOf(file: OpenFile): FileSummary {
    const { counts, dropped } = file.engine.status('');
    return {
      ...file.summary,
      counts: { spans: counts.spans, traces: counts.traces, logs: counts.logs, metricPoints: counts.metricPoints },
      dropped: dropped.spans + dropped.logs + dropped.metricPoints,
    };
  }
}

/**
 * A file read straight into `live` (Loupe: Import Telemetry File…), without opening it;
 * throws TelemetryFileError when it is not telemetry Loupe reads.
 */
export function importFile(live: Engine, bytes: Buffer): FileImportResult & Pick<FileSummary, 'format' | 'gzip'> {
  const read = readTelemetryFile(bytes, MAX_FILE_BYTES);
  return { format: read.format, gzip: read.gzip, ...exportInto(live, read.requests, read.problems) };
}

function exportInto(live: Engine, requests: FileRequest[], problems: string[]): FileImportResult {
  const before = live.status('').counts;
  const all = [...problems];
  for (const r of requests) {
    const where = r.line ? `line ${r.line}: ` : '';
    try {
      const result = live.export(r.signal, r.body, 'json', 'http');
      if (result.rejected) all.push(`${where}${result.rejected} ${r.signal} items were invalid${result.message ? ` (${result.message})` : ''}`);
    } catch (err) {
      all.push(`${where}${(err as Error).message}`);
    }
  }
  const after = live.status('').counts;
  return {
    imported: { spans: after.spans - before.spans, traces: after.traces - before.traces, logs: after.logs - before.logs, metricPoints: after.metricPoints - before.metricPoints },
    problems: all,
  };
}
