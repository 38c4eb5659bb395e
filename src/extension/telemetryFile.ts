// OTLP/JSON files, read for `Loupe: Import Telemetry File…` and written by `Loupe:
// Export Traces…`: one export request per file, or one per line (JSON Lines, as the
// OpenTelemetry Collector's file exporter writes them).

import { quoteLongIntegers } from '../shared/longIntegers.ts';

export type Signal = 'traces' | 'logs' | 'metrics';

/** The top-level key of each signal's export request. */
const SIGNAL_KEYS: Record<string, Signal> = { resourceSpans: 'traces', resourceLogs: 'logs', resourceMetrics: 'metrics' };

export interface TelemetryRequest {
  signal: Signal;
  /** The request body, as JSON text. */
  body: string;
  /** 1-based line it came from in a JSON Lines file. */
  line?: number;
}

export interface ParsedTelemetryFile {
  requests: TelemetryRequest[];
  /** What could not be imported, one sentence each. */
  problems: string[];
}

export function parseTelemetryFile(text: string): ParsedTelemetryFile {
  const out: ParsedTelemetryFile = { requests: [], problems: [] };
  const whole = tryJson(text.trim());
  if (whole.ok) {
    const items = Array.isArray(whole.value) ? whole.value : [whole.value];
    for (const item of items) splitBySignal(item, undefined, out);
    return out;
  }
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const parsed = tryJson(line);
    if (!parsed.ok) out.problems.push(`Line ${i + 1} is not JSON (${parsed.error}).`);
    else splitBySignal(parsed.value, i + 1, out);
  });
  return out;
}

/** A request with several signals' keys becomes one request per signal. */
function splitBySignal(value: unknown, line: number | undefined, out: ParsedTelemetryFile): void {
  const where = line === undefined ? 'The file' : `Line ${line}`;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    out.problems.push(`${where} is not an OTLP/JSON export request (expected an object).`);
    return;
  }
  const record = value as Record<string, unknown>;
  let found = false;
  for (const [key, signal] of Object.entries(SIGNAL_KEYS)) {
    if (!(key in record)) continue;
    found = true;
    const request: TelemetryRequest = { signal, body: JSON.stringify({ [key]: record[key] }) };
    if (line !== undefined) request.line = line;
    out.requests.push(request);
  }
  if (found) return;
  if ('resourceProfiles' in record) out.problems.push(`${where} holds profiles (resourceProfiles), which Loupe does not import from OTLP/JSON files yet.`);
  else out.problems.push(`${where} has none of resourceSpans, resourceLogs or resourceMetrics, so it is not OTLP/JSON telemetry.`);
}

/** Long integers (times in nanoseconds) come back as exact decimal strings. */
function tryJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(quoteLongIntegers(text)) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/**
 * Traces (each `{ resourceSpans }` as the engine returns it) as a file: JSON Lines with
 * one trace per line, or one request holding them all.
 */
export function tracesFileText(traces: readonly { resourceSpans?: unknown[] }[], format: 'json' | 'jsonl'): string {
  if (format === 'jsonl') return traces.map((t) => JSON.stringify(t)).join('\n') + '\n';
  return JSON.stringify({ resourceSpans: traces.flatMap((t) => t.resourceSpans ?? []) }) + '\n';
}
