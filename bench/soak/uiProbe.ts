// The UI's API while the soak runs: what the views ask for, in turn, once a second (the
// trace list, the newest trace, the newest logs, the golden signals), timed from outside.

export const UI_QUERIES = ['trace list', 'a trace', 'logs', 'signals'] as const;
export type UiQuery = (typeof UI_QUERIES)[number];

export interface UiSamples {
  ms: Record<UiQuery, number[]>;
  /** Answers other than 200, and requests that failed, with the first few reasons. */
  errors: number;
  reasons: string[];
}

const EVERY_MS = 1000;

/** Queries until `done()`; never more than `maxQueries`. */
export async function probeUi(httpUrl: string, done: () => boolean, maxQueries: number): Promise<UiSamples> {
  const samples: UiSamples = { ms: { 'trace list': [], 'a trace': [], 'logs': [], 'signals': [] }, errors: 0, reasons: [] };
  let traceId = '';
  for (let i = 0; i < maxQueries && !done(); i++) {
    const query = UI_QUERIES[i % UI_QUERIES.length];
    const path = query === 'trace list' ? '/api/traces?limit=50'
      : query === 'a trace' ? (traceId ? `/api/traces/${traceId}` : '')
      : query === 'logs' ? '/api/logs?limit=100'
      : '/api/signals';
    if (path) {
      const t0 = performance.now();
      try {
        const res = await fetch(httpUrl + path);
        const body = await res.text();
        const ms = performance.now() - t0;
        // A trace evicted between the list and the fetch is a fair 404: the store is evicting all the time.
        if (res.status === 200) samples.ms[query].push(ms);
        else if (!(res.status === 404 && query === 'a trace')) fail(samples, `${path}: ${res.status} ${body.slice(0, 120)}`);
        if (query === 'trace list' && res.status === 200) traceId = (JSON.parse(body) as { traces: { traceId: string }[] }).traces[0]?.traceId ?? '';
      } catch (err) {
        fail(samples, `${path}: ${(err as Error).message}`);
      }
    }
    await new Promise((r) => setTimeout(r, EVERY_MS / UI_QUERIES.length));
  }
  return samples;
}

function fail(samples: UiSamples, reason: string): void {
  samples.errors++;
  if (samples.reasons.length < 5) samples.reasons.push(reason);
}
