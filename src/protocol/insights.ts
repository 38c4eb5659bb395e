// API answers the editor asks for beside the trace search: per-operation statistics
// (the Services tree), recent exceptions (the Errors tree and the Problems panel) and
// per-function statistics (CodeLens). Times are Unix nanoseconds as decimal strings.

/** `GET /api/operations?service=`: one entry per service and span name, busiest first. */
export interface OperationStats {
  service: string;
  name: string;
  count: number;
  errorCount: number;
  p50Ms: number;
  p95Ms: number;
  lastSeen: string;
  /** signals: a server or consumer operation, counted by the golden-signal aggregates (every request, errors including HTTP 5xx); spans: counted from the stored spans. */
  source?: 'signals' | 'spans';
}

/** `GET /api/exceptions?service=&limit=`: exception span events grouped by type and message, newest first, over every retained span. */
export interface ExceptionGroup {
  type: string;
  message: string;
  /** Occurrences: exception events recorded, counting each span that records the exception. */
  count: number;
  /** Traces with at least one occurrence: failing requests, however many spans record each. */
  traceCount: number;
  lastSeen: string;
  services: string[];
  /** The newest occurrence: enough to open its trace or find its source. */
  latest: {
    traceId: string;
    spanId: string;
    service: string;
    spanName: string;
    /** The exception event's attributes (`exception.type`, `exception.stacktrace`…). */
    attributes: Record<string, unknown>;
    /** The span's attributes (`code.*` may point to the source when the stack does not). */
    spanAttributes: Record<string, unknown>;
  };
}

/** `GET /api/functions`: spans that name their code function, grouped by service, function and file. */
export interface FunctionStats {
  service: string;
  function: string;
  /** `code.namespace` when given (a class or module). */
  namespace?: string;
  /** As the telemetry gave it (`code.file.path` or `code.filepath`); may be empty. */
  file: string;
  /** 1-based line of the newest span that gave one. */
  line?: number;
  /** Span names seen for the function, for opening its traces. */
  operations: string[];
  count: number;
  errorCount: number;
  p95Ms: number;
  /** As in OperationStats. */
  source?: 'signals' | 'spans';
}
