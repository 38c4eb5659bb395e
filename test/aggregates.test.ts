// The incremental aggregates (operations, exceptions, functions) against a full recount
// of the live spans, after random sequences of ingest (protobuf and OTLP/JSON, traces
// spread over many requests) and eviction.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine } from '../src/engine/engine.ts';
import { decodeSpan } from '../src/engine/otlp/protobuf/traces.ts';
import type { ExceptionGroup, FunctionStats, OperationStats } from '../src/protocol/insights.ts';
import type { KeyValue, Span } from '../src/protocol/otlp.ts';
import { plainAttributes } from '../src/shared/plainValue.ts';
import { field } from './support/otlp.ts';
import { encodeSpan } from '../src/engine/otlp/protobuf/encodeTraces.ts';

const SERVICES = ['cart', 'pay', 'ship'];
const T0 = 1_700_000_000_000_000_000n;

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

const str = (key: string, value: string): KeyValue => ({ key, value: { stringValue: value } });

function makeSpan(rnd: () => number, traceNo: number, n: number): Span {
  const start = T0 + BigInt(Math.floor(rnd() * 1e12));
  const attributes: KeyValue[] = [str('pad', 'x'.repeat(Math.floor(rnd() * 3000)))];
  const span: Span = {
    traceId: (traceNo + 1).toString(16).padStart(32, '0'),
    spanId: (n + 1).toString(16).padStart(16, '0'),
    parentSpanId: rnd() < 0.3 ? undefined : (n + 7).toString(16).padStart(16, '0'),
    name: `op ${Math.floor(rnd() * 6)}`,
    kind: 1 + Math.floor(rnd() * 5),
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + BigInt(Math.floor(rnd() * 5e8))).toString(),
    attributes,
  };
  if (rnd() < 0.3) span.status = { code: 2 };
  if (rnd() < 0.3) {
    const fn = `fn${Math.floor(rnd() * 4)}`;
    attributes.push(rnd() < 0.5 ? str('code.function.name', fn) : str('code.function', fn), str('code.file.path', `/src/${fn}.ts`));
  }
  if (rnd() < 0.25) {
    span.events = Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => ({
      name: rnd() < 0.8 ? 'exception' : 'retry',
      timeUnixNano: (start + BigInt(Math.floor(rnd() * 1e6))).toString(),
      attributes: [str('exception.type', `E${Math.floor(rnd() * 3)}`), str('exception.message', `m${Math.floor(rnd() * 2)}`)],
    }));
  }
  return span;
}

function protobufRequest(byService: Map<string, Span[]>): Buffer {
  return Buffer.concat([...byService].map(([service, spans]) => {
    const resource = field(1, field(1, Buffer.concat([field(1, Buffer.from('service.name')), field(2, field(1, Buffer.from(service)))])));
    return field(1, Buffer.concat([resource, field(2, Buffer.concat(spans.map((s) => field(2, encodeSpan(s)))))]));
  }));
}

function jsonRequest(byService: Map<string, Span[]>): Buffer {
  return Buffer.from(JSON.stringify({ resourceSpans: [...byService].map(([service, spans]) => ({ resource: { attributes: [str('service.name', service)] }, scopeSpans: [{ spans }] })) }));
}

interface Recount {
  operations: Map<string, { count: number; errors: number; durations: number[]; last: bigint }>;
  exceptions: Map<string, { count: number; traces: Set<string>; last: bigint; services: Set<string> }>;
  functions: Map<string, { count: number; errors: number; durations: number[]; operations: Set<string> }>;
}

/** Every live span decoded, every figure counted from scratch. */
function recount(engine: Engine): Recount {
  const store = engine.traces;
  const out: Recount = { operations: new Map(), exceptions: new Map(), functions: new Map() };
  for (const chunk of store.chunks) {
    for (let i = 0; i < chunk.count; i++) {
      if (chunk.traces[i].evicted) continue;
      const span = decodeSpan(chunk.bytes, chunk.spanStart(i), chunk.ends[i]);
      const service = store.services.values[store.groups[chunk.group[i]].serviceId];
      const duration = Number(BigInt(span.endTimeUnixNano!) - BigInt(span.startTimeUnixNano!));
      const failed = span.status?.code === 2;
      const opKey = `${service}|${span.name}`;
      const op = out.operations.get(opKey) ?? { count: 0, errors: 0, durations: [], last: -1n };
      out.operations.set(opKey, op);
      op.count++;
      if (failed) op.errors++;
      op.durations.push(duration);
      if (BigInt(span.startTimeUnixNano!) > op.last) op.last = BigInt(span.startTimeUnixNano!);
      for (const e of span.events ?? []) {
        if (e.name !== 'exception') continue;
        const a = plainAttributes(e.attributes);
        const key = `${a['exception.type']}|${a['exception.message']}`;
        const g = out.exceptions.get(key) ?? { count: 0, traces: new Set(), last: -1n, services: new Set() };
        out.exceptions.set(key, g);
        g.count++;
        g.traces.add(span.traceId!);
        g.services.add(service);
        if (BigInt(e.timeUnixNano!) > g.last) g.last = BigInt(e.timeUnixNano!);
      }
      const a = plainAttributes(span.attributes);
      const fn = (a['code.function.name'] ?? a['code.function']) as string | undefined;
      if (fn) {
        const key = `${service}|${fn}|${a['code.file.path']}`;
        const f = out.functions.get(key) ?? { count: 0, errors: 0, durations: [], operations: new Set() };
        out.functions.set(key, f);
        f.count++;
        if (failed) f.errors++;
        f.durations.push(duration);
        f.operations.add(span.name!);
      }
    }
  }
  return out;
}

function exactPercentileMs(durations: number[], p: number): number {
  const sorted = [...durations].sort((a, b) => a - b);
  // By rank p·(n-1), as every percentile in the engine is taken (signals/latencySketch.ts).
  return sorted[Math.floor(p * (sorted.length - 1))] / 1e6;
}

function assertNear(actual: number, expected: number, what: string): void {
  // The sketch puts a percentile within 0.5% (plus the microsecond rounding).
  assert.ok(Math.abs(actual - expected) <= expected * 0.01 + 0.001, `${what}: ${actual} ms, the exact figure is ${expected} ms`);
}

function compare(engine: Engine): void {
  const truth = recount(engine);
  const ops: OperationStats[] = engine.aggregates.operationStats(undefined);
  assert.deepEqual(new Set(ops.map((o) => `${o.service}|${o.name}`)), new Set(truth.operations.keys()), 'the same operations');
  for (const o of ops) {
    const t = truth.operations.get(`${o.service}|${o.name}`)!;
    assert.equal(o.count, t.count, `${o.service} ${o.name} count`);
    assert.equal(o.errorCount, t.errors, `${o.service} ${o.name} errors`);
    assert.equal(o.lastSeen, t.last.toString(), `${o.service} ${o.name} last seen`);
    assertNear(o.p50Ms, exactPercentileMs(t.durations, 0.5), `${o.name} p50`);
    assertNear(o.p95Ms, exactPercentileMs(t.durations, 0.95), `${o.name} p95`);
  }
  const groups: ExceptionGroup[] = engine.aggregates.exceptionGroups(undefined, 1000);
  assert.deepEqual(new Set(groups.map((g) => `${g.type}|${g.message}`)), new Set(truth.exceptions.keys()), 'the same exceptions');
  for (const g of groups) {
    const t = truth.exceptions.get(`${g.type}|${g.message}`)!;
    assert.equal(g.count, t.count, `${g.type} ${g.message} occurrences`);
    assert.equal(g.traceCount, t.traces.size, `${g.type} ${g.message} traces`);
    assert.equal(g.lastSeen, t.last.toString(), `${g.type} ${g.message} last seen`);
    assert.deepEqual(new Set(g.services), t.services);
    assert.ok(t.traces.has(g.latest.traceId), 'the newest occurrence is a live one');
  }
  const fns: FunctionStats[] = engine.aggregates.functionStats();
  assert.deepEqual(new Set(fns.map((f) => `${f.service}|${f.function}|${f.file}`)), new Set(truth.functions.keys()), 'the same functions');
  for (const f of fns) {
    const t = truth.functions.get(`${f.service}|${f.function}|${f.file}`)!;
    assert.equal(f.count, t.count);
    assert.equal(f.errorCount, t.errors);
    assert.deepEqual(new Set(f.operations), t.operations);
    assertNear(f.p95Ms, exactPercentileMs(t.durations, 0.95), `${f.function} p95`);
  }
}

describe('the incremental aggregates', () => {
  for (const seed of [1, 2, 3]) {
    it(`equal a full recount after random ingest and eviction (seed ${seed})`, () => {
      const rnd = random(seed);
      // A small budget: the store evicts by itself as well as when told to.
      const engine = new Engine({ memoryBudgetBytes: 24 << 20 });
      let spanNo = 0;
      for (let step = 0; step < 60; step++) {
        const byService = new Map<string, Span[]>();
        const traces = 1 + Math.floor(rnd() * 40);
        for (let s = 0; s < 200; s++) {
          // Traces spread over many requests, so an eviction takes spans from newer chunks too.
          const traceNo = Math.max(0, step * 10 + Math.floor(rnd() * traces) - Math.floor(rnd() * 30));
          const service = SERVICES[Math.floor(rnd() * SERVICES.length)];
          const list = byService.get(service) ?? [];
          byService.set(service, list);
          list.push(makeSpan(rnd, traceNo, spanNo++));
        }
        const json = rnd() < 0.3;
        const result = engine.export('traces', json ? jsonRequest(byService) : protobufRequest(byService), json ? 'json' : 'protobuf', 'http');
        assert.equal(result.rejected, 0);
        if (rnd() < 0.15 && engine.traces.chunks.length > 1) engine.traces.evictOldest();
        if (step % 15 === 14) compare(engine);
      }
      assert.ok(engine.traces.evictedSpans > 0, 'evictions happened');
      compare(engine);
      engine.clear();
      assert.deepEqual(engine.aggregates.operationStats(undefined), []);
      assert.deepEqual(engine.aggregates.exceptionGroups(undefined, 100), []);
      assert.deepEqual(engine.aggregates.functionStats(), []);
    });
  }

  it('narrows exceptions to one service, counting that service’s occurrences and traces', () => {
    const engine = new Engine({ memoryBudgetBytes: 64 << 20 });
    const failing = (service: string, traceNo: number, n: number): [string, Span] => [service, {
      traceId: traceNo.toString(16).padStart(32, '0'), spanId: n.toString(16).padStart(16, '0'), name: 'x',
      startTimeUnixNano: (T0 + BigInt(n)).toString(), endTimeUnixNano: (T0 + BigInt(n) + 5n).toString(),
      events: [{ name: 'exception', timeUnixNano: (T0 + BigInt(n)).toString(), attributes: [str('exception.type', 'Boom')] }],
    }];
    // One request failing through two services, recorded on three spans; another failing in one.
    const spans = [failing('front', 1, 1), failing('back', 1, 2), failing('back', 1, 3), failing('back', 2, 4)];
    const byService = new Map<string, Span[]>();
    for (const [service, span] of spans) byService.set(service, [...(byService.get(service) ?? []), span]);
    engine.export('traces', protobufRequest(byService), 'protobuf', 'http');
    const all = engine.aggregates.exceptionGroups(undefined, 10);
    assert.deepEqual(all.map((g) => [g.count, g.traceCount, g.services.sort()]), [[4, 2, ['back', 'front']]]);
    const back = engine.aggregates.exceptionGroups('back', 10);
    assert.deepEqual(back.map((g) => [g.count, g.traceCount]), [[3, 2]]);
    assert.equal(back[0].latest.spanId, (4).toString(16).padStart(16, '0'));
  });
});
