// `GET /api/traces/{id}` written span by span. The whole answer as one object and one
// string cost about twice its size and more in decoded spans (a 100,000-span trace is
// 84 MiB of OTLP/JSON and several hundred MiB of objects), all at once: here each span is
// decoded and serialized alone, written in pieces of about 64 KiB, and writing waits
// whenever the client reads slower than the engine writes. The text is the same as
// JSON.stringify(traceAsOtlp(...)).

import type { ServerResponse } from 'node:http';
import { decodeSpan } from '../otlp/protobuf/traces.ts';
import type { TraceEntry } from '../store/traceEntry.ts';
import type { SpanRef, TraceStore } from '../store/traceStore.ts';

const PIECE_CHARS = 64 * 1024;

export async function writeTraceJson(store: TraceStore, trace: TraceEntry, res: ServerResponse): Promise<void> {
  // The spans' chunks are resolved first and pinned: eviction during a slow read then
  // can neither take nor reuse bytes from under the answer.
  const spans = trace.spans.map((id) => store.locate(id));
  const chunks = new Set(spans.map((s) => s.chunk));
  for (const chunk of chunks) chunk.pins++;
  try {
    await write(store, spans, res);
  } finally {
    for (const chunk of chunks) chunk.pins--;
  }
}

async function write(store: TraceStore, spans: SpanRef[], res: ServerResponse): Promise<void> {
  const byResource = new Map<string, Map<number, number[]>>();
  for (let i = 0; i < spans.length; i++) {
    const { chunk, index } = spans[i];
    const groupId = chunk.group[index];
    const key = store.groups[groupId].resourceKey;
    let groups = byResource.get(key);
    if (!groups) byResource.set(key, (groups = new Map()));
    let members = groups.get(groupId);
    if (!members) groups.set(groupId, (members = []));
    members.push(i);
  }
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  let piece = '{"resourceSpans":[';
  const flush = async (): Promise<void> => {
    const full = !res.write(piece);
    piece = '';
    if (full && !res.destroyed) await drainedOrClosed(res);
  };
  let firstResource = true;
  for (const groups of byResource.values()) {
    const g0 = store.groups[groups.keys().next().value!];
    piece += `${firstResource ? '' : ','}{"resource":${JSON.stringify(g0.resource)},"scopeSpans":[`;
    firstResource = false;
    let firstScope = true;
    for (const [groupId, members] of groups) {
      const g = store.groups[groupId];
      piece += `${firstScope ? '' : ','}{"scope":${JSON.stringify(g.scope)},"spans":[`;
      firstScope = false;
      for (let m = 0; m < members.length; m++) {
        const { chunk, index } = spans[members[m]];
        piece += (m ? ',' : '') + JSON.stringify(decodeSpan(chunk.bytes, chunk.spanStart(index), chunk.ends[index]));
        if (piece.length >= PIECE_CHARS) {
          await flush();
          if (res.destroyed) return;
        }
      }
      piece += g.scopeSchemaUrl ? `],"schemaUrl":${JSON.stringify(g.scopeSchemaUrl)}}` : ']}';
    }
    piece += g0.resourceSchemaUrl ? `],"schemaUrl":${JSON.stringify(g0.resourceSchemaUrl)}}` : ']}';
  }
  res.end(piece + ']}');
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}
