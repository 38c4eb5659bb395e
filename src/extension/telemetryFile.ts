// OTLP/JSON files written by `Loupe: Export Traces…`: one export request per file, or one
// per line (JSON Lines, as the OpenTelemetry Collector's file exporter writes them). Both
// read back through the engine's telemetry-file reader (src/engine/files).

/**
 * Traces (each `{ resourceSpans }` as the engine returns it) as a file: JSON Lines with
 * one trace per line, or one request holding them all.
 */
export function tracesFileText(traces: readonly { resourceSpans?: unknown[] }[], format: 'json' | 'jsonl'): string {
  if (format === 'jsonl') return traces.map((t) => JSON.stringify(t)).join('\n') + '\n';
  return JSON.stringify({ resourceSpans: traces.flatMap((t) => t.resourceSpans ?? []) }) + '\n';
}
