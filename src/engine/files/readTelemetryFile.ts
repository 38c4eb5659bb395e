// A telemetry file's bytes as the OTLP/JSON export requests it holds. Formats, told
// apart by content rather than name: gzip or not; one OTLP/JSON request (.otlp.json) or
// a list of them; one request per line (.otlp.jsonl, the Collector's file exporter);
// Jaeger's JSON export ({ "data": [...] }).

import { gunzipSync } from 'node:zlib';
import { quoteLongIntegers } from '../../shared/longIntegers.ts';
import type { Signal } from '../ingest/ingest.ts';
import { isJaegerExport, JaegerFormatError, jaegerToOtlp } from './jaegerToOtlp.ts';

export type TelemetryFileFormat = 'otlp-json' | 'otlp-jsonl' | 'jaeger-json';

export interface FileRequest {
  signal: Signal;
  /** An OTLP/JSON export request for `signal`. */
  body: Buffer;
  /** 1-based line of a JSON Lines file. */
  line?: number;
}

export interface ReadFile {
  format: TelemetryFileFormat;
  gzip: boolean;
  requests: FileRequest[];
  /** Parts that could not be read, one sentence each (the rest of the file still opens). */
  problems: string[];
}

export class TelemetryFileError extends Error {
  override name = 'TelemetryFileError';
}

export const EXPECTED = 'Loupe opens OTLP/JSON (.otlp.json: one export request with resourceSpans, resourceLogs or resourceMetrics; .otlp.jsonl: one request per line, as the OpenTelemetry Collector\'s file exporter writes), either gzipped or not, and Jaeger\'s JSON export ({"data": [traces]})';

const SIGNAL_KEYS: [string, Signal][] = [['resourceSpans', 'traces'], ['resourceLogs', 'logs'], ['resourceMetrics', 'metrics']];
// A line-per-request file lists at most this many problems; the count says the rest.
const MAX_PROBLEMS = 20;

export function readTelemetryFile(bytes: Buffer, maxBytes: number): ReadFile {
  const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  let raw = bytes;
  if (gzip) {
    try {
      raw = gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (err) {
      const tooBig = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || /larger than|maxOutputLength/i.test((err as Error).message);
      throw new TelemetryFileError(tooBig ? `the file unpacks to more than ${Math.round(maxBytes / 1048576)} MiB, more than Loupe opens at once.` : `the file starts like gzip but does not unpack: ${(err as Error).message}.`);
    }
  }
  const text = raw.toString('utf8').replace(/^\uFEFF/, '');
  if (!text.trim()) throw new TelemetryFileError(`the file is empty. ${EXPECTED}.`);
  let whole: unknown;
  let wholeError: Error | undefined;
  try {
    // 64-bit times written as bare numbers keep every digit.
    whole = JSON.parse(quoteLongIntegers(text));
  } catch (err) {
    wholeError = err as Error;
  }
  if (!wholeError) return { gzip, ...readDocument(whole) };
  return { gzip, ...readLines(text, wholeError) };
}

function readDocument(value: unknown): Omit<ReadFile, 'gzip'> {
  if (isJaegerExport(value)) {
    try {
      const traces = jaegerToOtlp(value);
      return { format: 'jaeger-json', requests: [{ signal: 'traces', body: Buffer.from(JSON.stringify(traces)) }], problems: [] };
    } catch (err) {
      if (err instanceof JaegerFormatError) throw new TelemetryFileError(`a Jaeger JSON export, but ${err.message}.`);
      throw err;
    }
  }
  const items = Array.isArray(value) ? value : [value];
  const requests: FileRequest[] = [];
  items.forEach((item, i) => {
    const found = splitBySignal(item);
    if (!found) throw new TelemetryFileError(`${Array.isArray(value) ? `item ${i + 1} of the list` : 'the file'} is JSON but not telemetry: ${describe(item)}. ${EXPECTED}.`);
    requests.push(...found);
  });
  return { format: 'otlp-json', requests, problems: [] };
}

function readLines(text: string, wholeError: Error): Omit<ReadFile, 'gzip'> {
  const requests: FileRequest[] = [];
  const problems: string[] = [];
  let skipped = 0;
  let jsonLines = 0;
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const note = (problem: string) => (problems.length < MAX_PROBLEMS ? problems.push(`line ${i + 1}: ${problem}`) : skipped++);
    let value: unknown;
    try {
      value = JSON.parse(quoteLongIntegers(line));
    } catch (err) {
      note(`not JSON (${(err as Error).message})`);
      return;
    }
    jsonLines++;
    const found = splitBySignal(value);
    if (!found) note(`JSON but not an OTLP export request: ${describe(value)}`);
    else for (const r of found) requests.push({ ...r, line: i + 1 });
  });
  if (skipped) problems.push(`and ${skipped} more lines like these`);
  if (!requests.length) {
    // One document that fails to parse reads better as that document's error than as lines.
    const reason = jsonLines === 0 && problems.length <= 1 ? `it is not JSON (${wholeError.message})` : `no line holds an OTLP export request (${problems.slice(0, 3).join('; ')})`;
    throw new TelemetryFileError(`${reason}. ${EXPECTED}.`);
  }
  return { format: 'otlp-jsonl', requests, problems };
}

/** An object with several signals' keys becomes one request per signal. */
function splitBySignal(value: unknown): FileRequest[] | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const out: FileRequest[] = [];
  for (const [key, signal] of SIGNAL_KEYS) {
    if (key in record) out.push({ signal, body: Buffer.from(JSON.stringify({ [key]: record[key] })) });
  }
  return out.length ? out : undefined;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).slice(0, 5);
    return keys.length ? `an object with ${keys.map((k) => `"${k.slice(0, 40)}"`).join(', ')}` : 'an empty object';
  }
  return `a ${typeof value}`;
}
