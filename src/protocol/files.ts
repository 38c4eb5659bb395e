// Telemetry files opened for viewing (POST /api/files): kept apart from the live store,
// queried under /api/files/{id}/api/… with the live store's own routes.

export interface FileSummary {
  id: string;
  name: string;
  format: 'otlp-json' | 'otlp-jsonl' | 'jaeger-json';
  gzip: boolean;
  /** The file's size as sent. */
  bytes: number;
  counts: { spans: number; traces: number; logs: number; metricPoints: number };
  /** Items that did not fit the file's memory budget (the oldest go first, as live). */
  dropped: number;
  /** Parts that could not be read; the rest opened. */
  problems: string[];
  /** The earliest and latest times in the file (Unix ns), '' when it has none: views open on that window. */
  startUnixNano: string;
  endUnixNano: string;
}

export interface FileImportResult {
  imported: FileSummary['counts'];
  problems: string[];
}
