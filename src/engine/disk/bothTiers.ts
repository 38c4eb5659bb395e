// Trace queries over both tiers for code that is handed the engine rather than an HTTP
// route (the agent's tools): memory's answer, with what the disk tier holds of what
// memory evicted, as `GET /api/traces` and `GET /api/traces/{id}` answer.

import type { TraceSummary } from '../../protocol/api.ts';
import type { Engine } from '../engine.ts';
import { searchTraces, type TraceFilter } from '../query/traceSearch.ts';
import { traceKeyFromHex } from '../store/traceEntry.ts';
import type { TraceStore } from '../store/traceStore.ts';

/** Summaries as the trace list gets them: from disk too (those carry `fromDisk`). */
export function searchBothTiers(engine: Engine, f: TraceFilter): TraceSummary[] {
  const hot = searchTraces(engine.traces, f);
  return engine.disk ? engine.disk.query.traces(engine.traces, f, hot).traces : hot;
}

/** The store holding every span of the trace: memory's, or one read from disk (both parts when split). */
export function storeForTrace(engine: Engine, traceIdHex: string): TraceStore {
  const key = traceKeyFromHex(traceIdHex);
  const found = key === undefined ? undefined : engine.disk?.query.find(engine.traces, key);
  return found?.store ?? engine.traces;
}
