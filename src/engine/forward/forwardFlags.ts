// The engine's forwarding flags and variables (--forward …, LOUPE_FORWARD…), gathered
// into ForwardOptions once every flag is read.

import { checkForwardOptions, DEFAULT_FORWARD_QUEUE_BYTES, ForwardOptionsError, parseHeaderPair, type ForwardOptions } from './forwardOptions.ts';

/** What the flags said so far; `finishForwardFlags` turns it into options. */
export interface ForwardDraft {
  endpoint?: string;
  protocol?: string;
  headers: Record<string, string>;
  compression?: string;
  queueMb?: number;
}

export const forwardUsage = `  --forward <url>           also send everything received, unchanged, to this OTLP endpoint, e.g.
                            http://collector:4318 (LOUPE_FORWARD)
  --forward-protocol <p>    http (OTLP/HTTP, the default) or grpc (OTLP/gRPC) (LOUPE_FORWARD_PROTOCOL)
  --forward-header <k=v>    a header for the upstream, such as an API key; repeat for more
                            (LOUPE_FORWARD_HEADERS, comma-separated)
  --forward-compression <c> gzip or none (LOUPE_FORWARD_COMPRESSION, default none)
  --forward-queue-mb <mb>   requests waiting for the upstream may hold this much; the oldest are
                            dropped past it (LOUPE_FORWARD_QUEUE_MB, default 32, at most a quarter of
                            the memory budget, in which it counts)`;

export function forwardHeaders(draft: ForwardDraft, value: string, source: string): void {
  for (const pair of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    try {
      const [name, v] = parseHeaderPair(pair);
      draft.headers[name] = v;
    } catch (err) {
      throw new ForwardOptionsError(`${source}: ${(err as Error).message}`);
    }
  }
}

/** Undefined when no --forward was given; throws ForwardOptionsError on a bad combination. */
export function finishForwardFlags(draft: ForwardDraft, memoryBudgetBytes: number): ForwardOptions | undefined {
  if (!draft.endpoint) {
    const stray = draft.protocol || draft.compression || draft.queueMb || Object.keys(draft.headers).length;
    if (stray) throw new ForwardOptionsError('forwarding options were given without --forward <url> (or LOUPE_FORWARD): say where to forward to.');
    return undefined;
  }
  const compression = (draft.compression ?? 'none').toLowerCase();
  if (compression !== 'gzip' && compression !== 'none') throw new ForwardOptionsError(`--forward-compression "${draft.compression}": use gzip or none.`);
  const queueBytes = draft.queueMb !== undefined ? Math.floor(draft.queueMb * 1048576) : Math.min(DEFAULT_FORWARD_QUEUE_BYTES, Math.floor(memoryBudgetBytes / 4));
  try {
    return checkForwardOptions({ endpoint: draft.endpoint, protocol: (draft.protocol || 'http').toLowerCase(), headers: draft.headers, gzip: compression === 'gzip', queueBytes });
  } catch (err) {
    throw new ForwardOptionsError(`--forward: ${(err as Error).message}`);
  }
}
