// One helper for the spans the application makes itself: started as a child of the
// active span, active while the work runs, failed with the exception if it throws.

import { context, SpanStatusCode, trace, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import { callSiteAttributes } from './callSite.ts';

export async function inSpan<T>(tracer: Tracer, name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  const span = tracer.startSpan(name, { ...options, attributes: { ...callSiteAttributes(), ...options.attributes } });
  try {
    return await context.with(trace.setSpan(context.active(), span), () => work(span));
  } catch (err) {
    recordFailure(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/** The exception event (with exception.stacktrace) plus the error status, as semconv asks. */
export function recordFailure(span: Span, err: unknown): void {
  const error = err instanceof Error ? err : new Error(String(err));
  span.recordException(error);
  span.setAttribute('error.type', error.name);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}
