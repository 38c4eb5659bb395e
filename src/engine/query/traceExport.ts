// A stored trace as OTLP/JSON (`GET /api/traces/{id}`): spans decoded from their bytes,
// grouped back under their resources and scopes. The result re-imports as is.

import type { ResourceSpans, ScopeSpans, TracesData } from '../../protocol/otlp.ts';
import { decodeSpan } from '../otlp/protobuf/traces.ts';
import type { TraceEntry } from '../store/traceEntry.ts';
import type { TraceStore } from '../store/traceStore.ts';

export function traceAsOtlp(store: TraceStore, trace: TraceEntry): TracesData {
  const byResource = new Map<string, ResourceSpans>();
  const byGroup = new Map<number, ScopeSpans>();
  for (const id of trace.spans) {
    const { chunk, index } = store.locate(id);
    const groupId = chunk.group[index];
    let scopeSpans = byGroup.get(groupId);
    if (!scopeSpans) {
      const g = store.groups[groupId];
      let rs = byResource.get(g.resourceKey);
      if (!rs) {
        rs = { resource: g.resource, scopeSpans: [] };
        if (g.resourceSchemaUrl) rs.schemaUrl = g.resourceSchemaUrl;
        byResource.set(g.resourceKey, rs);
      }
      scopeSpans = { scope: g.scope, spans: [] };
      if (g.scopeSchemaUrl) scopeSpans.schemaUrl = g.scopeSchemaUrl;
      rs.scopeSpans!.push(scopeSpans);
      byGroup.set(groupId, scopeSpans);
    }
    scopeSpans.spans!.push(decodeSpan(chunk.bytes, chunk.spanStart(index), chunk.ends[index]));
  }
  return { resourceSpans: [...byResource.values()] };
}
