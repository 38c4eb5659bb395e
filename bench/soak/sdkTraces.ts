// Spans sent the way a Node app sends them: through the OpenTelemetry JS SDK's own
// OTLP/HTTP JSON exporter with gzip, which retries 429 and 503 after Retry-After by
// itself. The spans are made once and given fresh trace ids before each export (the
// exporter serializes them when called). What the exporter does not report to its
// caller, its retries and partial successes, it logs through `diag`: counted from there.

import { diag, DiagLogLevel } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { makeSpans } from '../batches.ts';
import { makeWideSpans } from './payloads.ts';
import type { SignalTally } from './plan.ts';

type Compression = NonNullable<NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>['compression']>;

const VARIANTS = 8;
const INVALID_EVERY = 40;

export class SdkTraceSender {
  readonly itemsPerBatch: number;
  private readonly exporter: OTLPTraceExporter;
  private readonly variants: ReadableSpan[][];
  private readonly mixed: ReadableSpan[];

  constructor(httpUrl: string, wide: boolean, private readonly tally: SignalTally) {
    // 30 s as the soak's other clients (the SDK's default is 10 s): on a loaded machine the
    // client's own process can sit on an answer that long, and an export that times out
    // after being stored leaves the sum unknowable (the run reports those).
    this.exporter = new OTLPTraceExporter({ url: `${httpUrl}/v1/traces`, compression: 'gzip' as unknown as Compression, timeoutMillis: 30_000 });
    this.variants = Array.from({ length: VARIANTS }, (_, i) => (wide ? makeWideSpans(i) : makeSpans(i)));
    this.itemsPerBatch = this.variants[0].length;
    // Three spans of one trace, one of them with a 2-byte trace id: the engine rejects it.
    this.mixed = makeSpans(VARIANTS).slice(0, 3);
    this.mixed.forEach((s, k) => { s.spanContext().traceId = k === 2 ? 'abcd' : '5b'.repeat(16); });
    countDiagnostics(tally);
  }

  /** Exports send number `n`; resolves once the exporter has given its result (after its own retries). */
  async deliver(n: number): Promise<void> {
    const invalid = n % INVALID_EVERY === INVALID_EVERY - 1;
    const spans = invalid ? this.mixed : this.variants[n % VARIANTS];
    if (!invalid) renumber(spans, n);
    const t0 = performance.now();
    const result = await new Promise<ExportResult>((resolve) => this.exporter.export(spans, resolve));
    const t = this.tally;
    if (result.code === ExportResultCode.SUCCESS) {
      t.latenciesMs.push(Math.round((performance.now() - t0) * 100) / 100);
      t.requests++;
      t.items += spans.length;
      if (invalid) t.invalidSent++;
      return;
    }
    // Retries used up on refusals: nothing of it was stored. Anything else: unknown.
    if (/retryable status/i.test(String(result.error?.message))) {
      t.gaveUp++;
      t.gaveUpItems += spans.length;
    } else {
      t.failed++;
      t.failedItems += spans.length;
      if (t.errors.length < 5) t.errors.push(String(result.error?.message ?? result.error));
    }
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }
}

/** Trace ids from the send number (as patchTraceIds does for serialized batches): 8 hex digits of it, 8 of the trace's index. */
function renumber(spans: ReadableSpan[], n: number): void {
  const index = new Map<string, number>();
  for (const span of spans) {
    const context = span.spanContext();
    const old = context.traceId.slice(16);
    let k = index.get(old);
    if (k === undefined) index.set(old, (k = index.size));
    context.traceId = n.toString(16).padStart(8, '0') + k.toString(16).padStart(8, '0') + old;
  }
}

/**
 * The exporter's diagnostics: each retry is a refusal it waited out (or, after a network
 * error or timeout, not: the report says when those happened); partial successes carry
 * the rejections.
 */
function countDiagnostics(tally: SignalTally): void {
  const scan = (...args: unknown[]): void => {
    // Both messages are plain strings; other arguments (the spans of a debug line) are skipped.
    const text = args.filter((a) => typeof a === 'string').join(' ');
    // A retry, or one not made because the delay asked for ran past the timeout.
    if (/Scheduling export retry|exceeds remaining timeout/.test(text)) tally.refusals++;
    const rejected = /"rejectedSpans":"?(\d+)/.exec(text);
    if (rejected) tally.rejectedAnswered += Number(rejected[1]);
  };
  diag.setLogger({ error: scan, warn: scan, info: scan, debug: scan, verbose: scan }, { logLevel: DiagLogLevel.VERBOSE, suppressOverrideMessage: true });
}
