import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExceptionGroup, FunctionStats, OperationStats } from '../../protocol/insights.ts';
import type { KeyValue, Span } from '../../protocol/otlp.ts';
import { TraceIngest } from '../ingest/traceIngest.ts';
import { random } from '../otlp/testSupport/mutation.ts';
import { TraceStore } from '../store/traceStore.ts';
import { ColdSpans } from './coldSpans.ts';
import { ColdTotals } from './coldTotals.ts';
import { ExceptionTally } from './exceptionTally.ts';
import { FunctionTally } from './functionTally.ts';
import { OperationTally } from './operationTally.ts';
import { SpanMark } from './spanMarks.ts';

const T0 = 1_700_000_000_000_000_000n;

/** A store whose spans' functions are tallied as at ingest. */
function tallied(): { store: TraceStore; tally: FunctionTally; ingest: TraceIngest } {
  const store = new TraceStore();
  const tally = new FunctionTally(store);
  store.observer = {
    spanStored: (chunk, i, _trace, facts) => { if (chunk.bits[i] & SpanMark.CodeFunction) tally.add(chunk, i, facts.code); },
    traceEvicted: () => {},
    cleared: () => {},
  };
  return { store, tally, ingest: new TraceIngest(store, () => {}) };
}

/** Random spans of two services, some naming one of three functions (with a namespace and line that vary). */
function ingestRandom(rnd: () => number, ingest: TraceIngest, count: number, firstId: number): void {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  for (const [s, service] of ['cart', 'orders'].entries()) {
    const spans: Span[] = [];
    for (let n = firstId; n < firstId + count / 2; n++) {
      const attributes: KeyValue[] = [];
      if (rnd() < 0.7) {
        attributes.push({ key: 'code.function.name', value: { stringValue: pick(['load', 'save', 'charge']) } });
        attributes.push({ key: 'code.file.path', value: { stringValue: pick(['/a.ts', '/b.ts']) } });
        if (rnd() < 0.5) attributes.push({ key: 'code.namespace', value: { stringValue: pick(['App', 'Repo', 'Billing']) } });
        if (rnd() < 0.5) attributes.push({ key: 'code.line.number', value: { intValue: String(1 + Math.floor(rnd() * 90)) } });
      }
      const start = T0 + BigInt(Math.floor(rnd() * 1e9));
      // Exceptions at few times, so that two are often as new (within a service: across two, which is the latest is left to the order listed).
      const events = rnd() < 0.15 ? [{
        name: 'exception', timeUnixNano: (T0 + BigInt(Math.floor(rnd() * 40) * 2 + s)).toString(),
        attributes: [{ key: 'exception.type', value: { stringValue: pick(['TypeError', 'Timeout']) } }, { key: 'exception.message', value: { stringValue: pick(['a', 'b']) } }, { key: 'n', value: { intValue: String(n) } }],
      }] : [];
      spans.push({
        events,
        traceId: (n + 1).toString(16).padStart(32, '0'), spanId: (n + 1).toString(16).padStart(16, '0'),
        name: pick(['GET /cart', 'POST /pay', 'SELECT', 'cache.get']), kind: 2, startTimeUnixNano: start.toString(),
        endTimeUnixNano: (start + BigInt(Math.floor(rnd() * 2e9))).toString(), attributes, ...(rnd() < 0.2 ? { status: { code: 2 } } : {}),
      });
    }
    ingest.json({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] }, scopeSpans: [{ scope: {}, spans }] }] });
  }
}

/** Operation names in sorted order: the sums list them in the order evictions first met them, the shares each in its own. */
function sameFunctions(actual: FunctionStats[], expected: FunctionStats[], step: string): void {
  const norm = (rows: FunctionStats[]) => rows.map((r) => ({ ...r, operations: [...r.operations].sort() })).sort((a, b) => `${a.service}/${a.function}/${a.file}`.localeCompare(`${b.service}/${b.function}/${b.file}`));
  assert.deepEqual(norm(actual), norm(expected), step);
}

/** Each function's namespace and line, by function. */
function codeOf(rows: FunctionStats[]): Map<string, string> {
  return new Map(rows.map((r) => [`${r.service}/${r.function}/${r.file}`, `${r.namespace ?? ''}:${r.line ?? 0}`]));
}

function sameExceptions(actual: ExceptionGroup[], expected: ExceptionGroup[], step: string): void {
  const norm = (rows: ExceptionGroup[]) => rows.map((r) => ({ ...r, services: [...r.services].sort() })).sort((a, b) => `${a.lastSeen}/${a.type}/${a.message}`.localeCompare(`${b.lastSeen}/${b.type}/${b.message}`));
  assert.deepEqual(norm(actual), norm(expected), step);
}

function sameOperations(actual: OperationStats[], expected: OperationStats[], step: string): void {
  const norm = (rows: OperationStats[]) => [...rows].sort((a, b) => `${a.service}/${a.name}`.localeCompare(`${b.service}/${b.name}`));
  assert.deepEqual(norm(actual), norm(expected), step);
}

describe('ColdTotals', () => {
  for (const seed of [1, 2, 3]) {
    it(`sums the shares, each function's newest namespace and line included, as a recount of every share does, after random adds and drops (seed ${seed})`, () => {
      const rnd = random(seed);
      const { store, tally, ingest } = tallied();
      const totals = new ColdTotals();
      // Shares oldest first; a query's memory side is empty, so it answers with the shares alone.
      let shares: ColdSpans[] = [];
      const noMemory = new TraceStore();
      const functions = new FunctionTally(noMemory);
      const operations = new OperationTally(noMemory);
      const exceptions = new ExceptionTally(noMemory);
      let order = 0;
      let dropped = 0;
      /** Drops that took the namespace or line a function showed (the sums must find the next newest). */
      let codeMoved = 0;
      // Requests arrive and are evicted in turn: a function's newest namespace and line move meanwhile.
      let next = -Infinity;
      for (let request = 0; request < 30; request++) {
        ingestRandom(rnd, ingest, 100, request * 100);
        for (const chunk of store.chunks) for (let i = Math.max(0, next - chunk.firstId); i < chunk.count; i++) {
          next = chunk.firstId + i + 1;
          // Spans go to the newest share mostly, at times to an older one (a trace evicted late).
          if (!shares.length || rnd() < 0.01) shares.push(new ColdSpans(totals, ++order));
          const share = rnd() < 0.8 ? shares.at(-1)! : shares[Math.floor(rnd() * shares.length)];
          share.add(store, chunk, i, chunk.traces[i], tally.codeOf(chunk, i));
          const drop = rnd() < 0.004;
          if (drop) {
            const code = codeOf(functions.query(shares));
            const gone = shares.splice(Math.floor(rnd() * shares.length), 1)[0];
            totals.take(gone, shares);
            dropped++;
            const left = codeOf(functions.query(shares));
            if ([...left].some(([key, c]) => code.get(key) !== c)) codeMoved++;
          }
          if (drop || rnd() < 0.01) {
            const step = `after span ${chunk.firstId + i}, ${shares.length} shares, ${dropped} dropped`;
            sameFunctions(functions.query([{ functions: totals.functions }]), functions.query(shares), step);
            sameOperations(operations.query(undefined, [{ operations: totals.operations }]), operations.query(undefined, shares), step);
            sameExceptions(exceptions.query(undefined, 100, [{ exceptions: totals.exceptions }]), exceptions.query(undefined, 100, shares), step);
          }
        }
      }
      assert.equal(store.spanCount, 3000);
      assert.ok(dropped > 3 && shares.length > 3, `${dropped} drops, ${shares.length} shares left`);
      assert.ok(codeMoved > 0, `no drop moved a namespace or line (${dropped} drops)`);
      assert.ok(functions.query(shares).some((f) => f.namespace) && functions.query(shares).some((f) => f.line));
      assert.ok(exceptions.query(undefined, 100, shares).some((e) => e.services.length === 2 && e.traceCount > 1));
      for (const share of shares.splice(0)) totals.take(share, shares);
      assert.deepEqual(functions.query([{ functions: totals.functions }]), []);
      assert.deepEqual(operations.query(undefined, [{ operations: totals.operations }]), []);
      assert.deepEqual(exceptions.query(undefined, 100, [{ exceptions: totals.exceptions }]), []);
    });
  }
});
