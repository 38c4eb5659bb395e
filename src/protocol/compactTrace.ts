// A trace in columns, as the waterfall needs it (`GET /api/traces/{id}` with `accept:
// application/vnd.loupe.trace`): one typed array per field, spans ordered by start
// time, strings in one table. Attributes, events and links stay in the engine and are
// fetched span by span (`GET /api/traces/{id}/spans/{spanId}`) when a span is opened.

export const TRACE_MEDIA_TYPE = 'application/vnd.loupe.trace';

/** Bits of `CompactTrace.flags`. */
export const enum SpanFlag {
  /** The span names a parent (`parentSpanId` is set), found in the trace or not. */
  HasParentId = 1,
  HasEvents = 2,
  /** One of its events is named `exception`. */
  HasException = 4,
  HasLinks = 8,
}

export interface CompactTrace {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** The earliest span's start, Unix nanoseconds, split in 32-bit halves (exact). */
  readonly baseLo: number;
  readonly baseHi: number;
  readonly count: number;
  /** Nanoseconds from the trace's start (exact below 2^53 ns, about 104 days). */
  readonly start: Float64Array;
  readonly duration: Float64Array;
  /** Index of the parent span, or -1 (no parent id, or one not in the trace). */
  readonly parent: Int32Array;
  /** String-table indexes. */
  readonly service: Uint32Array;
  readonly name: Uint32Array;
  /** OTLP SpanKind (0–5). */
  readonly kind: Uint8Array;
  /** OTLP StatusCode (0 unset, 1 ok, 2 error). */
  readonly status: Uint8Array;
  /** SpanFlag bits. */
  readonly flags: Uint8Array;
  /** 8 bytes per span. */
  readonly spanIds: Uint8Array;
  readonly strings: StringTable;
}

/** Strings stored once as UTF-8, decoded the first time each is read. */
export interface StringTable {
  readonly size: number;
  get(index: number): string;
}
