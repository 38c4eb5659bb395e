// Merging two traces: alignment by service, name and order among same-named siblings,
// and traces deeper than the call stack would allow recursion for.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Span, TracesData } from '../../protocol/otlp.ts';
import { spanTreeOf } from '../analysis/spanTree.ts';
import { mergeTrees } from './mergeTrees.ts';

const T0 = 1_700_000_000_000_000_000n;

function trace(spans: { id: string; parent?: string; name: string; start: number; end: number }[]): TracesData {
  const otlp: Span[] = spans.map((s) => ({
    spanId: s.id, parentSpanId: s.parent, name: s.name,
    startTimeUnixNano: String(T0 + BigInt(s.start) * 1_000_000n), endTimeUnixNano: String(T0 + BigInt(s.end) * 1_000_000n),
  }));
  return { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ spans: otlp }] }] };
}

it('pairs the n-th same-named sibling of A with the n-th of B; the rest is only in one', () => {
  const a = spanTreeOf('a', trace([
    { id: 'r', name: 'root', start: 0, end: 30 },
    { id: 'q1', parent: 'r', name: 'query', start: 1, end: 5 },
    { id: 'q2', parent: 'r', name: 'query', start: 6, end: 10 },
  ]));
  const b = spanTreeOf('b', trace([
    { id: 'R', name: 'root', start: 0, end: 60 },
    { id: 'Q1', parent: 'R', name: 'query', start: 1, end: 5 },
    { id: 'Q2', parent: 'R', name: 'query', start: 6, end: 40 },
    { id: 'Q3', parent: 'R', name: 'query', start: 41, end: 45 },
    { id: 'C', parent: 'R', name: 'cache', start: 46, end: 47 },
  ]));
  const merged = mergeTrees(a, b);
  const [root] = merged.tree;
  assert.deepEqual(root.children.map((c) => [c.name, c.aSpanId ?? null, c.bSpanId ?? null, c.deltaMs]), [
    ['query', 'q2', 'Q2', 30], ['query', null, 'Q3', 4], ['cache', null, 'C', 1], ['query', 'q1', 'Q1', 0],
  ]);
  assert.equal(merged.differences[0].bSpanId, 'Q2');
  assert.deepEqual(merged.differences[0].path, ['svc: root', 'svc: query']);
  assert.ok(!merged.differences.some((d) => d.bSpanId === 'Q1'), 'an unchanged span is not a difference');
});

it('merges a chain 20,000 spans deep', () => {
  const chain = (slowAt: number) => trace(Array.from({ length: 20_000 }, (_, i) => ({
    id: `s${i}`, parent: i ? `s${i - 1}` : undefined, name: `level ${i}`, start: i, end: 40_000 - i + (i <= slowAt ? 5 : 0),
  })));
  const merged = mergeTrees(spanTreeOf('a', chain(-1)), spanTreeOf('b', chain(19_999)));
  assert.equal(merged.differences[0].name, 'level 19999');
  assert.equal(merged.differences[0].path.length, 20_000);
});
