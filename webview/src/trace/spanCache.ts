// The spans opened in a trace, fetched one by one as OTLP/JSON (`GET
// /api/traces/{id}/spans/{spanId}`): attributes, events, links and status message, with
// the resource and scope they came under. The newest few hundred are kept.

import type { InstrumentationScope, KeyValue, Span, TracesData } from '../../../src/protocol/otlp.ts';
import type { Transport } from '../transport/transport.ts';

const KEPT = 300;

export interface OpenedSpan {
  readonly span: Span;
  readonly resource: KeyValue[];
  readonly scope: InstrumentationScope;
  /** Why the span could not be fetched, when it could not. */
  readonly problem?: string;
}

export class SpanCache {
  private readonly spans = new Map<string, OpenedSpan>();

  constructor(private readonly transport: Transport, private readonly traceId: string) {}

  peek(spanId: string): OpenedSpan | undefined {
    return this.spans.get(spanId);
  }

  async get(spanId: string): Promise<OpenedSpan> {
    const known = this.spans.get(spanId);
    if (known) return known;
    let opened: OpenedSpan;
    try {
      const data = await this.transport.get<TracesData>(`/api/traces/${this.traceId}/spans/${spanId}`);
      const rs = data.resourceSpans?.[0];
      const ss = rs?.scopeSpans?.[0];
      const span = ss?.spans?.[0];
      if (!span) throw new Error('the engine answered without the span');
      opened = { span, resource: rs?.resource?.attributes ?? [], scope: ss?.scope ?? {} };
    } catch (err) {
      // Not kept: the next opening tries again.
      return { span: {}, resource: [], scope: {}, problem: (err as Error).message };
    }
    if (this.spans.size >= KEPT) this.spans.delete(this.spans.keys().next().value!);
    this.spans.set(spanId, opened);
    return opened;
  }
}
