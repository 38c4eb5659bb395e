// Generated big traces for the browser benchmarks: one root, `fanout` children spread
// over five services, the rest as their grandchildren, with attributes, some failing
// with an exception event and some naming their code function. Sent as OTLP/HTTP
// protobuf requests of 5,000 spans, generated as they are sent (a million Span objects
// are never held at once).

import { encodeSpan } from '../src/engine/otlp/protobuf/encodeTraces.ts';
import type { KeyValue, Span } from '../src/protocol/otlp.ts';
import { field } from '../test/support/otlp.ts';

const SERVICES = ['gateway', 'orders', 'inventory', 'billing', 'search'];
const BATCH = 5000;
const T0 = BigInt(Date.now() - 60_000) * 1_000_000n;

const str = (key: string, value: string): KeyValue => ({ key, value: { stringValue: value } });
const int = (key: string, value: number): KeyValue => ({ key, value: { intValue: String(value) } });
const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0');

/** Sends a trace of `total` spans to `httpUrl`; returns its trace id. */
export async function sendBigTrace(httpUrl: string, traceNo: number, total: number, fanout: number): Promise<string> {
  const traceId = hex(0xb16000 + traceNo, 32);
  const byService = new Map<string, Buffer[]>();
  let pending = 0;
  const flush = async () => {
    const body = Buffer.concat([...byService].map(([service, spans]) => {
      const resource = field(1, Buffer.concat([field(1, Buffer.from('service.name')), field(2, field(1, Buffer.from(service)))]));
      return field(1, Buffer.concat([field(1, resource), field(2, Buffer.concat(spans))]));
    }));
    byService.clear();
    pending = 0;
    const res = await fetch(`${httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
    if (!res.ok) throw new Error(`sending the trace: HTTP ${res.status} ${await res.text()}`);
  };
  const add = async (service: string, span: Span) => {
    const list = byService.get(service) ?? [];
    byService.set(service, list);
    list.push(field(2, encodeSpan(span)));
    if (++pending >= BATCH) await flush();
  };
  const at = (us: number) => (T0 + BigInt(Math.round(us * 1000))).toString();
  const perChild = Math.floor((total - 1 - fanout) / fanout);
  let extra = total - 1 - fanout - perChild * fanout;
  let n = 1;
  await add(SERVICES[0], { traceId, spanId: hex(n, 16), name: 'POST /batch', kind: 2, startTimeUnixNano: at(0), endTimeUnixNano: at(fanout * 100 + 500), attributes: [str('http.route', '/batch')] });
  for (let c = 0; c < fanout; c++) {
    const childId = ++n;
    const start = 50 + c * 100;
    const service = SERVICES[1 + (c % 4)];
    await add(service, { traceId, spanId: hex(childId, 16), parentSpanId: hex(1, 16), name: `process item ${c % 500}`, kind: 1, startTimeUnixNano: at(start), endTimeUnixNano: at(start + 400), attributes: [int('item.index', c)] });
    const kids = perChild + (extra > 0 ? 1 : 0);
    if (extra > 0) extra--;
    for (let g = 0; g < kids; g++) {
      const gs = start + 1 + (g % 300);
      const failing = n % 997 === 0;
      const attributes = [int('db.rows', g % 100), str('db.statement', `SELECT * FROM stock WHERE shard = ${g % 17}`)];
      if (n % 10 === 0) attributes.push(str('code.function.name', `loadStock${g % 5}`), str('code.file.path', '/srv/inventory/src/stock.ts'), int('code.line.number', 40 + (g % 5)));
      ++n;
      await add(SERVICES[(c + g) % 5], {
        traceId, spanId: hex(n, 16), parentSpanId: hex(childId, 16), name: g % 3 ? `SELECT stock ${g % 17}` : `cache get ${g % 11}`, kind: 3,
        startTimeUnixNano: at(gs), endTimeUnixNano: at(gs + 1 + (g % 70)), attributes,
        ...(failing ? {
          status: { code: 2, message: 'deadlock' },
          events: [{ name: 'exception', timeUnixNano: at(gs + 1), attributes: [str('exception.type', 'DeadlockError'), str('exception.message', 'deadlock detected'), str('exception.stacktrace', 'DeadlockError: deadlock detected\n    at loadStock (/srv/inventory/src/stock.ts:42:11)')] }],
        } : {}),
      });
    }
  }
  if (pending) await flush();
  return traceId;
}
