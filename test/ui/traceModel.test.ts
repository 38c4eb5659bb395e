// The waterfall's model: tree order, orphans and cycles kept, self time, collapsing.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Span, TracesData } from '../../src/protocol/otlp.ts';
import { criticalPath } from '../../webview/src/trace/criticalPath.ts';
import { buildTraceModel as buildFromColumns, indexOfSpan, spanName, visibleRows, type TraceModel } from '../../webview/src/trace/traceModel.ts';
import { compactFromOtlp } from './support/compactFromOtlp.ts';

const buildTraceModel = (data: TracesData) => buildFromColumns(compactFromOtlp(data));

const T0 = 1_700_000_000_000_000_000n;

/** A span `id` under `parent`, from `start` to `end` ms after T0. */
function s(id: string, parent: string | undefined, start: number, end: number): Span {
  return {
    traceId: 'a'.repeat(32), spanId: id.padStart(16, '0'), parentSpanId: parent?.padStart(16, '0'), name: `op ${id}`,
    startTimeUnixNano: (T0 + BigInt(start) * 1_000_000n).toString(), endTimeUnixNano: (T0 + BigInt(end) * 1_000_000n).toString(),
  };
}

function trace(spans: Span[], service = 'svc'): TracesData {
  return { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] }, scopeSpans: [{ spans }] }] };
}

const names = (m: TraceModel, rows: ArrayLike<number>) => Array.from(rows, (i) => spanName(m, i));
/** The span named `op <id>`. */
const at = (m: TraceModel, id: string) => Array.from({ length: m.count }, (_, i) => i).find((i) => spanName(m, i) === `op ${id}`)!;

describe('the trace model', () => {
  it('orders spans depth-first by start time, whatever order they arrived in', () => {
    const m = buildTraceModel(trace([s('3', '1', 50, 90), s('2', '1', 10, 40), s('1', undefined, 0, 100), s('4', '2', 20, 30)]));
    assert.deepEqual(names(m, visibleRows(m, new Uint8Array(4))), ['op 1', 'op 2', 'op 4', 'op 3']);
    assert.deepEqual(['3', '2', '1', '4'].map((id) => m.depth[at(m, id)]), [1, 1, 0, 2]);
    assert.equal(m.durationNs, 100_000_000);
    assert.equal(m.startNs, T0);
  });

  it('keeps exact nanoseconds relative to the trace start', () => {
    const a = s('1', undefined, 0, 1);
    a.endTimeUnixNano = (T0 + 1_234_567n).toString();
    const m = buildTraceModel(trace([a]));
    assert.equal(m.end[0], 1_234_567);
  });

  it('puts spans whose parent is missing under the root, marked, and drops none', () => {
    const m = buildTraceModel(trace([s('1', undefined, 0, 100), s('2', 'ff', 30, 40), s('3', '2', 31, 35)]));
    const orphan = at(m, '2');
    assert.equal(m.parentMissing[orphan], 1);
    assert.equal(m.parent[orphan], at(m, '1'));
    assert.equal(m.depth[orphan], 1);
    assert.equal(m.depth[at(m, '3')], 2);
    assert.deepEqual(names(m, visibleRows(m, new Uint8Array(3))), ['op 1', 'op 2', 'op 3']);
  });

  it('shows orphans at the top level when the root never arrived', () => {
    const m = buildTraceModel(trace([s('2', 'ff', 30, 40), s('3', 'ee', 10, 20)]));
    assert.deepEqual(names(m, m.roots), ['op 3', 'op 2']);
    assert.deepEqual([...m.parentMissing], [1, 1]);
  });

  it('breaks parent cycles instead of losing the spans in them', () => {
    const m = buildTraceModel(trace([s('1', undefined, 0, 100), s('2', '3', 10, 20), s('3', '2', 12, 18), s('4', '3', 13, 14)]));
    assert.equal(visibleRows(m, new Uint8Array(4)).length, 4);
    assert.equal(m.parentMissing.reduce((a, b) => a + b, 0), 1);
  });

  it('builds a 100,000-deep parent chain without recursion', () => {
    const spans = Array.from({ length: 100_000 }, (_, i) => s(String(i + 1), i ? String(i) : undefined, i, 200_000 - i));
    const m = buildTraceModel(trace(spans));
    assert.equal(m.depth[at(m, '100000')], 99_999);
    assert.equal(visibleRows(m, new Uint8Array(100_000)).length, 100_000);
  });

  it('computes self time as the time no child covers', () => {
    // Children cover 10–40 and 30–60 (overlapping) and 90–120 (past the parent's end).
    const m = buildTraceModel(trace([s('1', undefined, 0, 100), s('2', '1', 10, 40), s('3', '1', 30, 60), s('4', '1', 90, 120)]));
    assert.equal(m.selfNs[at(m, '1')], (100 - 50 - 10) * 1_000_000);
  });

  it('hides the descendants of collapsed spans', () => {
    const m = buildTraceModel(trace([s('1', undefined, 0, 100), s('2', '1', 10, 40), s('4', '2', 20, 30), s('3', '1', 50, 90)]));
    const collapsed = new Uint8Array(4);
    collapsed[at(m, '2')] = 1;
    assert.deepEqual(names(m, visibleRows(m, collapsed)), ['op 1', 'op 2', 'op 3']);
  });

  it('places a child that starts before its parent (clock skew) under it, at the right depth', () => {
    // 3 starts before its parent 2, and 4 (under 3) before both.
    const m = buildTraceModel(trace([s('1', undefined, 10, 100), s('2', '1', 30, 60), s('3', '2', 20, 50), s('4', '3', 5, 40)]));
    assert.deepEqual(names(m, visibleRows(m, new Uint8Array(4))), ['op 1', 'op 2', 'op 3', 'op 4']);
    assert.deepEqual(['1', '2', '3', '4'].map((id) => m.depth[at(m, id)]), [0, 1, 2, 3]);
    assert.deepEqual([...m.parentMissing], [0, 0, 0, 0]);
  });

  it('finds spans by id in any case, and says -1 for ids not in the trace', () => {
    const spans = Array.from({ length: 5000 }, (_, i) => s((i + 1).toString(16), i ? '1' : undefined, i, 10_000));
    const m = buildTraceModel(trace(spans));
    for (const id of ['1', 'abc', '1388']) assert.equal(spanName(m, indexOfSpan(m, id.padStart(16, '0'))), `op ${id}`);
    assert.equal(spanName(m, indexOfSpan(m, '0000000000000ABC')), 'op abc');
    assert.equal(indexOfSpan(m, '0000000000001389'), -1);
    assert.equal(indexOfSpan(m, 'not an id'), -1);
  });

  it('groups services in order of appearance', () => {
    const data = trace([s('1', undefined, 0, 10)], 'front');
    data.resourceSpans!.push(...trace([s('2', '1', 1, 5)], 'back').resourceSpans!);
    assert.deepEqual(buildTraceModel(data).services, ['front', 'back']);
  });
});

describe('the critical path', () => {
  it('follows the child that finished last, then what ran before it', () => {
    // root 0–100: a 10–40, b 20–70 (ends last), c 75–95 (sequential after b).
    const m = buildTraceModel(trace([s('1', undefined, 0, 100), s('a', '1', 10, 40), s('b', '1', 20, 70), s('c', '1', 75, 95)]));
    const path = criticalPath(m);
    const on = names(m, Array.from({ length: m.count }, (_, i) => i).filter((i) => path.onPath[i])).sort();
    assert.deepEqual(on, ['op 1', 'op b', 'op c']);
    // The root's own work: 95–100, 70–75 and 0–20 (ms), in nanoseconds.
    const ms = (path.segments.get(0) ?? []).map(([a, b]) => [a / 1e6, b / 1e6]);
    assert.deepEqual(ms, [[95, 100], [70, 75], [0, 20]]);
  });
});
