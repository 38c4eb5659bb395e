// Forwarding's state as `GET /api/status` (field `forward`) and `GET /api/forward` report it.

export interface ForwardStatus {
  /** Where requests go, or '' when forwarding is off. */
  endpoint: string;
  protocol: 'http' | 'grpc';
  gzip: boolean;
  /** Names of the headers sent (their values may be secrets and are not shown). */
  headerNames: string[];
  /** idle: nothing waiting; sending; backing-off: waiting to retry after a failure. */
  state: 'off' | 'idle' | 'sending' | 'backing-off';
  /** Requests waiting or in flight, the items in them and the bytes they hold. */
  queue: { requests: number; items: number; bytes: number; maxBytes: number };
  /** Items (spans, log records, metric points, profiles) by what became of them. */
  items: {
    forwarded: number;
    /** Items in requests sent again after a retryable failure, once per retry. */
    retried: number;
    /** Given up: the queue was full, or the upstream refused them for good. */
    dropped: number;
    /** Delivered, but refused one by one by the upstream (its partial_success). */
    rejectedUpstream: number;
  };
  /** When a retry is due (ISO time) while backing off. */
  retryAt?: string;
  lastError?: { message: string; at: string };
  lastSuccessAt?: string;
}
