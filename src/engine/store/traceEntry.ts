// What the store knows of one trace without decoding its spans: enough to list it,
// filter it and find its spans.

export class TraceEntry {
  /** Global ids of the trace's spans, in arrival order. */
  readonly spans: number[] = [];
  startNs = Infinity;
  endNs = -Infinity;
  /** The span without a parent, or -1 while none has arrived. */
  rootId = -1;
  /** The earliest-starting span: stands in for the root while the root is missing. */
  firstId = -1;
  errorCount = 0;
  /** Service ids (interned) of the spans, each once. */
  readonly services: number[] = [];
  evicted = false;
  /** The number of the last trace search that decided this trace (traceSearch.ts). */
  searchStamp = 0;

  constructor(readonly key: string) {}

  get durationNs(): number {
    return this.endNs - this.startNs;
  }

  get traceId(): string {
    return Buffer.from(this.key, 'latin1').toString('hex');
  }
}

/** A trace key is the 16 trace-id bytes as a latin1 string: compact and hashable. */
export function traceKeyFromHex(hex: string): string | undefined {
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return undefined;
  return Buffer.from(hex, 'hex').toString('latin1');
}
