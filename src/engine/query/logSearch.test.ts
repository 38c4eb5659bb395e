import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine } from '../engine.ts';
import { encodeLogRecord } from '../otlp/protobuf/encodeLogs.ts';
import type { KeyValue, LogRecord } from '../../protocol/otlp.ts';
import { listLogPatterns } from './logPatternList.ts';
import { parseLogFilter, searchLogs } from './logSearch.ts';
import { QueryError } from './params.ts';
import { blockMayContain, QUADGRAMS, textGrams } from '../store/textIndex.ts';

function field(number: number, bytes: Buffer): Buffer {
  const header: number[] = [(number << 3) | 2];
  let n = bytes.length;
  while (n >= 0x80) { header.push((n & 0x7f) | 0x80); n >>>= 7; }
  header.push(n);
  return Buffer.concat([Buffer.from(header), bytes]);
}

function str(key: string, value: string): Buffer {
  return field(1, Buffer.concat([field(1, Buffer.from(key)), field(2, field(1, Buffer.from(value)))]));
}

/** ExportLogsServiceRequest of one service (resource: service.name, region) and one scope. */
export function logsRequest(service: string, records: LogRecord[], region = 'eu'): Buffer {
  const resource = field(1, Buffer.concat([str('service.name', service), str('region', region)]));
  const scope = field(1, Buffer.concat([field(1, Buffer.from('app.logger')), field(2, Buffer.from('1.2.0'))]));
  const scopeLogs = field(2, Buffer.concat([scope, ...records.map((r) => field(2, encodeLogRecord(r)))]));
  return field(1, Buffer.concat([resource, scopeLogs]));
}

const T0 = 1_700_000_000_000_000_000n;
const at = (ms: number) => (T0 + BigInt(ms) * 1_000_000n).toString();
const attr = (key: string, value: string | number): KeyValue => ({ key, value: typeof value === 'string' ? { stringValue: value } : { intValue: String(value) } });

function search(engine: Engine, query: string) {
  return searchLogs(engine.logs, parseLogFilter(new URLSearchParams(query)));
}

function sample(engine: Engine): void {
  engine.export('logs', logsRequest('api', [
    { timeUnixNano: at(1), severityNumber: 9, severityText: 'INFO', body: { stringValue: 'user 1 logged in' }, attributes: [attr('user.id', 1), attr('http.route', '/login')], traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8) },
    { timeUnixNano: at(2), severityNumber: 17, severityText: 'ERROR', body: { stringValue: 'Database timeout after 3 retries' }, attributes: [attr('db.system', 'postgresql')], traceId: 'ab'.repeat(16), spanId: 'ef'.repeat(8) },
    { timeUnixNano: at(3), severityText: 'WARN', body: { kvlistValue: { values: [attr('message', 'slow query'), attr('ms', 812)] } } },
    { timeUnixNano: at(4), severityNumber: 9, body: { stringValue: 'user 2 logged in' }, attributes: [attr('user.id', 2)] },
  ]), 'protobuf', 'http');
  engine.export('logs', logsRequest('worker', [
    { observedTimeUnixNano: at(5), severityNumber: 5, body: { stringValue: 'job 7 done in 35ms' }, attributes: [attr('job.queue', 'mail')] },
  ], 'us'), 'protobuf', 'http');
}

describe('log search', () => {
  it('returns records newest first, decoded whole, with resource and scope', () => {
    const engine = new Engine({ memoryBudgetBytes: 64 << 20 });
    sample(engine);
    const logs = search(engine, '');
    assert.deepEqual(logs.map((l) => l.timeUnixNano), [at(5), at(4), at(3), at(2), at(1)]);
    const login = logs[4];
    assert.equal(login.body, 'user 1 logged in');
    assert.deepEqual(login.attributes, { 'user.id': 1, 'http.route': '/login' });
    assert.deepEqual(login.resource, { 'service.name': 'api', region: 'eu' });
    assert.deepEqual(login.scope, { name: 'app.logger', version: '1.2.0', attributes: {} });
    assert.equal(login.service, 'api');
    assert.equal(login.traceId, 'ab'.repeat(16));
    assert.equal(login.spanId, 'cd'.repeat(8));
    assert.deepEqual(logs[2].body, { message: 'slow query', ms: 812 });
  });

  it('filters by service, severity (number or text), text, attributes, ids, time and pattern', () => {
    const engine = new Engine({ memoryBudgetBytes: 64 << 20 });
    sample(engine);
    const bodies = (q: string) => search(engine, q).map((l) => typeof l.body === 'string' ? l.body : JSON.stringify(l.body));
    assert.deepEqual(bodies('service=worker'), ['job 7 done in 35ms']);
    assert.deepEqual(bodies('service=nope'), []);
    assert.deepEqual(bodies('minSeverity=warn'), ['{"message":"slow query","ms":812}', 'Database timeout after 3 retries'], 'a record with only severity text WARN counts as WARN');
    assert.deepEqual(bodies('minSeverity=17'), ['Database timeout after 3 retries']);
    assert.deepEqual(bodies('q=database'), ['Database timeout after 3 retries'], 'text in any case');
    assert.deepEqual(bodies('q=LOGGED'), ['user 2 logged in', 'user 1 logged in']);
    assert.deepEqual(bodies('q=postgres'), ['Database timeout after 3 retries'], 'attribute values too');
    assert.deepEqual(bodies('q=slow%20query'), ['{"message":"slow query","ms":812}'], 'structured bodies too');
    assert.deepEqual(bodies('attr=user.id=2'), ['user 2 logged in'], 'an int attribute');
    assert.deepEqual(bodies('attr=http.route=/login'), ['user 1 logged in']);
    assert.deepEqual(bodies('attr=region=us'), ['job 7 done in 35ms'], 'resource attributes');
    assert.deepEqual(bodies('attr=user.id=1&attr=region=eu'), ['user 1 logged in'], 'every attribute condition holds');
    assert.deepEqual(bodies(`traceId=${'ab'.repeat(16)}`), ['Database timeout after 3 retries', 'user 1 logged in']);
    assert.deepEqual(bodies(`spanId=${'ef'.repeat(8)}`), ['Database timeout after 3 retries']);
    assert.deepEqual(bodies(`start=${at(2)}&end=${at(3)}`), ['{"message":"slow query","ms":812}', 'Database timeout after 3 retries']);
    assert.deepEqual(bodies('limit=2'), ['job 7 done in 35ms', 'user 2 logged in']);
    const pattern = search(engine, 'q=user%201').at(0)!.patternId!;
    assert.deepEqual(bodies(`pattern=${pattern}`), ['user 2 logged in', 'user 1 logged in']);
    assert.deepEqual(bodies('service=api&minSeverity=info&q=user&attr=user.id=2'), ['user 2 logged in']);
  });

  it('names the bad parameter', () => {
    for (const [query, param] of [['minSeverity=loud', 'minSeverity'], ['traceId=xyz', 'traceId'], ['spanId=12', 'spanId'], ['attr=novalue', 'attr'], ['start=yesterday', 'start'], ['pattern=abc', 'pattern'], ['limit=0', 'limit']]) {
      assert.throws(() => parseLogFilter(new URLSearchParams(query)), (e: unknown) => e instanceof QueryError && e.param === param, query);
    }
  });

  it('finds the same records through the text filters once they are built', () => {
    const engine = new Engine({ memoryBudgetBytes: 2 << 20 });
    for (let b = 0; b < 40; b++) {
      const records = Array.from({ length: 100 }, (_, i): LogRecord => ({
        timeUnixNano: at(b * 100 + i), severityNumber: 9,
        body: { stringValue: `order ${b * 100 + i} shipped to warehouse-${(b * 100 + i) % 7}` },
        attributes: [attr('order.id', `ord-${b * 100 + i}`)],
      }));
      engine.export('logs', logsRequest('shop', records), 'protobuf', 'http');
    }
    assert.ok(engine.logs.chunks.length > 2, 'several chunks');
    const queries = ['q=order%201234%20', 'attr=order.id=ord-2999', 'q=WAREHOUSE-3&limit=5000', 'q=nothing-like-this'];
    const before = queries.map((q) => search(engine, q).length);
    engine.logTextIndexer.runToEnd();
    assert.ok(engine.logs.chunks[0].textIndexedBlocks > 0, 'sealed chunks are indexed');
    assert.deepEqual(queries.map((q) => search(engine, q).length), before);
    assert.deepEqual(before, [1, 1, 571, 0]);
    // Every block holds every digit trigram; 4-grams still single out a number's blocks.
    const grams = textGrams('order 2345', QUADGRAMS)!;
    const sealed = engine.logs.chunks.slice(0, -1);
    const blocks = sealed.reduce((n, c) => n + c.textIndexedBlocks, 0);
    const passing = sealed.reduce((n, c) => n + Array.from({ length: c.textIndexedBlocks }, (_, b) => b).filter((b) => blockMayContain(c.textFilters!, b, grams, QUADGRAMS)).length, 0);
    assert.ok(passing === 1 && blocks >= 4, `${passing} of ${blocks} blocks may hold it`);
  });
});

describe('log patterns', () => {
  it('list the same counts from the kept aggregates as from counting records, largest first, with filters', () => {
    const engine = new Engine({ memoryBudgetBytes: 64 << 20 });
    sample(engine);
    engine.export('logs', logsRequest('api', Array.from({ length: 30 }, (_, i): LogRecord => ({
      timeUnixNano: at(100 + i * 1000), severityNumber: i % 5 ? 9 : 13, body: { stringValue: `GET /items/${i} answered in ${i * 3}ms` },
    }))), 'protobuf', 'http');
    const shape = (list: ReturnType<typeof listLogPatterns>) => list.map((p) => [p.service, p.pattern, p.count, p.severities, p.points.reduce((n, x) => n + x.count, 0)]);
    const counted = listLogPatterns(engine.logs, new URLSearchParams());
    assert.deepEqual(shape(listLogPatterns(engine.logs, new URLSearchParams(), 0)), shape(counted));
    assert.deepEqual(shape(counted).slice(0, 2), [
      ['api', 'GET /items/<num> answered in <duration>', 30, { INFO: 24, WARN: 6 }, 30],
      ['api', 'user <num> logged in', 2, { INFO: 2 }, 2],
    ]);
    const items = counted[0];
    assert.equal(items.example, 'GET /items/29 answered in 87ms');
    assert.equal(items.lastSeenUnixNano, at(100 + 29 * 1000));
    assert.ok(items.points.length > 20 && items.points.length <= 60, `${items.points.length} points`);
    assert.deepEqual(shape(listLogPatterns(engine.logs, new URLSearchParams('minSeverity=warn&service=api'))), [
      ['api', 'GET /items/<num> answered in <duration>', 6, { WARN: 6 }, 6],
      ['api', 'slow query', 1, { WARN: 1 }, 1],
      ['api', 'Database timeout after <num> retries', 1, { ERROR: 1 }, 1],
    ], 'a structured body by its message; equal counts newest first');
    assert.deepEqual(listLogPatterns(engine.logs, new URLSearchParams('service=nobody')), []);
    assert.equal(listLogPatterns(engine.logs, new URLSearchParams('limit=1')).length, 1);
  });
});

describe('the log store under its memory budget', () => {
  it('evicts the oldest records, counts them, and takes them off their patterns', () => {
    const budget = 2 << 20;
    const engine = new Engine({ memoryBudgetBytes: budget });
    let accepted = 0;
    for (let b = 0; b < 300; b++) {
      const records = Array.from({ length: 50 }, (_, i): LogRecord => ({
        timeUnixNano: at(b * 50 + i), severityNumber: i % 10 === 0 ? 17 : 9,
        body: { stringValue: i % 10 === 0 ? `payment ${b} failed: card declined ${'x'.repeat(60)}` : `request ${b}-${i} served ${'y'.repeat(60)}` },
      }));
      engine.export('logs', logsRequest('shop', records), 'protobuf', 'http');
      accepted += records.length;
      assert.ok(engine.memoryBytes <= budget, `within budget after batch ${b}`);
    }
    const { logs } = engine;
    assert.ok(logs.evicted > 0);
    assert.equal(logs.count + logs.evicted, accepted);
    assert.equal(engine.status('t').dropped.logs, logs.evicted);
    let inPatterns = 0;
    for (const p of logs.patterns.byId.values()) inPatterns += p.count;
    assert.equal(inPatterns, logs.count, 'patterns count exactly the records still held');
    const oldest = search(engine, 'limit=5000&q=request').at(-1)!;
    assert.ok(BigInt(oldest.timeUnixNano) > BigInt(at(0)), 'the oldest records went first');
    const patterns = listLogPatterns(logs, new URLSearchParams());
    assert.deepEqual(patterns.map((p) => p.pattern).sort(), ['payment <num> failed: card declined ' + 'x'.repeat(60), 'request <num>-<num> served ' + 'y'.repeat(60)].sort());
    assert.equal(patterns.reduce((n, p) => n + p.count, 0), logs.count);
  });

  it('counts every byte it holds, and holds a record in well under 1.5 times its wire size', () => {
    // A 32 MiB budget takes 2 MiB chunks: the one being written is a small part of the whole.
    const engine = new Engine({ memoryBudgetBytes: 32 << 20 });
    let wire = 0;
    for (let b = 0; b < 100; b++) {
      const records = Array.from({ length: 200 }, (_, i): LogRecord => ({
        timeUnixNano: at(b * 200 + i), observedTimeUnixNano: at(b * 200 + i), severityNumber: 9, severityText: 'INFO',
        body: { stringValue: `GET /api/orders/${b * 200 + i} answered 200 in ${i % 90} ms` },
        attributes: [attr('http.route', '/api/orders/:id'), attr('http.response.status_code', 200), attr('user.id', `u-${i}`)],
        traceId: (b * 200 + i + 1).toString(16).padStart(32, '0'), spanId: (i + 1).toString(16).padStart(16, '0'),
      }));
      const body = logsRequest('orders', records);
      wire += body.length;
      engine.export('logs', body, 'protobuf', 'http');
    }
    engine.logTextIndexer.runToEnd();
    const { logs } = engine;
    let held = 0;
    for (const c of logs.chunks) held += c.bytes.length + c.bloom.byteLength + (c.textFilters?.byteLength ?? 0) + c.ends.byteLength + c.timeNs.byteLength + c.severity.byteLength + c.group.byteLength + c.pattern.byteLength + c.traceHash.byteLength + c.spanHash.byteLength;
    assert.ok(logs.memoryBytes >= held, `memoryBytes ${logs.memoryBytes} counts the ${held} bytes of buffers and columns`);
    const ratio = logs.memoryBytes / logs.count / (wire / logs.count);
    assert.ok(ratio <= 1.5, `the store's own count: ${ratio.toFixed(2)} × wire`);
  });
});
