import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { field } from '../../../test/support/otlp.ts';
import type { AnyValue, KeyValue, Span } from '../../protocol/otlp.ts';
import { valueText } from '../../shared/plainValue.ts';
import { TraceIngest } from '../ingest/traceIngest.ts';
import { encodeSpan } from '../otlp/protobuf/encodeTraces.ts';
import { decodeSpan } from '../otlp/protobuf/traces.ts';
import { TraceStore } from '../store/traceStore.ts';
import { searchTraces, type TraceFilter } from './traceSearch.ts';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const SERVICES = ['cart', 'orders', 'billing'];
const NAMES = ['GET /cart', 'POST /checkout', 'SELECT orders', 'cache.get'];
const T0 = 1_700_000_000_000_000_000n;

/** Several chunks of random spans: traces arrive out of order and split over requests. */
function randomStore(seed: number): { store: TraceStore; spans: { span: Span; service: string }[] } {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const store = new TraceStore();
  const ingest = new TraceIngest(store, () => {});
  const spans: { span: Span; service: string }[] = [];
  const traces = 900;
  for (let t = 0; t < traces; t++) {
    const traceId = (t + 1).toString(16).padStart(32, '0');
    // Start times a microsecond apart at least (the store orders by doubles, exact to
    // 256 ns here), in random order against arrival.
    const traceStart = T0 + BigInt(Math.floor(rnd() * 1e6)) * 1_000_000n + BigInt(t) * 1000n;
    const count = 1 + Math.floor(rnd() * 12);
    for (let s = 0; s < count; s++) {
      const start = traceStart + BigInt(s ? 1 + Math.floor(rnd() * 1e6) : 0);
      const attributes: KeyValue[] = [
        { key: 'http.response.status_code', value: pick<AnyValue>([{ intValue: '200' }, { intValue: '500' }, { stringValue: '500' }, { doubleValue: 404 }]) },
        { key: 'url.path', value: { stringValue: `/orders/${Math.floor(rnd() * 40)}` } },
        { key: 'feature.on', value: { boolValue: rnd() < 0.3 } },
        // Padding, so the spans fill several 4 MiB chunks and many 64 KiB blocks.
        { key: 'db.query.text', value: { stringValue: `SELECT * FROM t${Math.floor(rnd() * 9)} WHERE note = '${'x'.repeat(800 + Math.floor(rnd() * 900))}'` } },
      ];
      if (rnd() < 0.05) attributes.push({ key: 'user.note', value: { stringValue: `Rare Needle ${t}` } });
      const span: Span = {
        traceId, spanId: (t * 16 + s + 1).toString(16).padStart(16, '0'), ...(s ? { parentSpanId: (t * 16 + 1).toString(16).padStart(16, '0') } : {}),
        name: pick(NAMES), kind: 2, startTimeUnixNano: start.toString(), endTimeUnixNano: (start + BigInt(Math.floor(rnd() * 3e9))).toString(),
        attributes, ...(rnd() < 0.1 ? { status: { code: 2 } } : {}),
      };
      spans.push({ span, service: pick(SERVICES) });
    }
  }
  // Requests of random spans, shuffled: a trace's spans land in different chunks.
  for (let i = spans.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [spans[i], spans[j]] = [spans[j], spans[i]];
  }
  for (let i = 0; i < spans.length; i += 100) {
    const batch = spans.slice(i, i + 100);
    const body = Buffer.concat(SERVICES.map((service) => {
      const resource = field(1, Buffer.concat([field(1, Buffer.from('service.name')), field(2, field(1, Buffer.from(service)))]));
      return field(1, Buffer.concat([field(1, resource), field(2, Buffer.concat(batch.filter((b) => b.service === service).map((b) => field(2, encodeSpan(b.span)))))]));
    }));
    const result = ingest.protobuf(body);
    assert.equal(result.rejected, 0, result.message);
  }
  return { store, spans };
}

/** The answer by the definition: every span decoded, every trace considered. */
function plainScan(store: TraceStore, f: TraceFilter): string[] {
  const byTrace = new Map<string, { start: bigint; end: bigint; hit: boolean }>();
  for (const chunk of store.chunks) {
    for (let i = 0; i < chunk.count; i++) {
      const span = decodeSpan(chunk.bytes, chunk.spanStart(i), chunk.ends[i]);
      const service = store.services.values[store.groups[chunk.group[i]].serviceId];
      const start = BigInt(span.startTimeUnixNano!);
      const end = BigInt(span.endTimeUnixNano!);
      const t = byTrace.get(span.traceId!) ?? { start, end, hit: false };
      if (start < t.start) t.start = start;
      if (end > t.end) t.end = end;
      t.hit ||= spanMatches(span, service, f);
      byTrace.set(span.traceId!, t);
    }
  }
  return [...byTrace]
    .filter(([, t]) => t.hit && durationOk(Number(t.end - t.start) / 1e6, f))
    .sort(([, a], [, b]) => (a.start < b.start ? 1 : a.start > b.start ? -1 : 0))
    .slice(0, f.limit)
    .map(([id]) => id);
}

function spanMatches(span: Span, service: string, f: TraceFilter): boolean {
  if (f.service !== undefined && service !== f.service) return false;
  if (f.operation !== undefined && span.name !== f.operation) return false;
  if (f.status === 'error' && span.status?.code !== 2) return false;
  const texts = (span.attributes ?? []).map((kv) => ({ key: kv.key, text: valueText(kv.value) }));
  for (const a of f.attrs) if (!texts.some((t) => t.key === a.key && t.text === a.value) && !(a.key === 'service.name' && a.value === service)) return false;
  if (f.q !== undefined) {
    const q = f.q.toLowerCase();
    if (!span.name!.toLowerCase().includes(q) && !service.includes(q) && !texts.some((t) => t.text.toLowerCase().includes(q))) return false;
  }
  return true;
}

function durationOk(ms: number, f: TraceFilter): boolean {
  return (f.minDurationMs === undefined || ms >= f.minDurationMs) && (f.maxDurationMs === undefined || ms <= f.maxDurationMs);
}

const FILTERS: Partial<TraceFilter>[] = [
  {},
  { service: 'billing' },
  { service: 'orders', operation: 'POST /checkout', status: 'error' },
  { attrs: [{ key: 'http.response.status_code', value: '500' }] },
  { attrs: [{ key: 'http.response.status_code', value: '404' }] },
  { attrs: [{ key: 'feature.on', value: 'true' }, { key: 'url.path', value: '/orders/7' }] },
  { attrs: [{ key: 'url.path', value: '/orders/nothing' }] },
  { attrs: [{ key: 'service.name', value: 'cart' }], status: 'error' },
  { q: 'checkout' },
  { q: 'Rare Needle' },
  { q: 'no-such-text' },
  { minDurationMs: 2900 },
  { minDurationMs: 500, attrs: [{ key: 'http.response.status_code', value: '200' }] },
  { maxDurationMs: 100, q: 'cache' },
];

describe('trace search against a plain scan of decoded spans', () => {
  for (const seed of [1, 2]) {
    const { store } = randomStore(seed);
    it(`finds the same newest traces (random store ${seed}: ${store.spanCount} spans in ${store.chunks.length} chunks)`, () => {
      assert.ok(store.chunks.length >= 3, `${store.chunks.length} chunks`);
      for (const partial of FILTERS) {
        for (const limit of [1, 20, 1000]) {
          const f: TraceFilter = { attrs: [], ...partial, limit };
          const want = plainScan(store, f);
          const got = searchTraces(store, f).map((t) => t.traceId);
          assert.deepEqual(got, want, `filter ${JSON.stringify(f)}`);
        }
      }
    });
  }
});
