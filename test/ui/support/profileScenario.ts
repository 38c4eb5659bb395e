// A web service's CPU profile, written out as stacks: request handling, JSON, a database
// driver, GC and idle time; labels tie some samples to a span and a trace. A second
// capture of the same service after a change, for diffs.

import type { CompactProfile } from '../../../src/protocol/profile.ts';
import { compactProfile, type FixtureSample } from '../../../src/shared/profile/testSupport/compactFixture.ts';

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const SPAN_ID = '00f067aa0ba902b7';
const MS = 1_000_000;

const http = ['runtime.main@/usr/lib/go/src/runtime/proc.go:250', 'main.main@/app/main.go:20', 'net/http.(*Server).Serve@/usr/lib/go/src/net/http/server.go:3056', 'net/http.(*conn).serve@/usr/lib/go/src/net/http/server.go:1995'];
const checkout = [...http, 'main.(*Shop).Checkout@/app/shop.go:42'];

export function serviceProfile(id = 'cpu-1', opts: { slowerPricing?: boolean; name?: string } = {}): CompactProfile {
  const s: FixtureSample[] = [];
  let t = 1_700_000_000_000;
  const add = (stack: string[], ms: number, labels?: Record<string, string>) => {
    s.push({ stack, values: [ms, ms * MS], labels, timeMs: t });
    t += ms;
  };
  const traced = { span_id: SPAN_ID, trace_id: TRACE_ID, thread: 'http-1' };
  for (let round = 0; round < 6; round++) {
    add([...checkout, 'main.(*Cart).Total@/app/cart.go:17', 'main.priceOf@/app/pricing.go:31', 'math.Round@/usr/lib/go/src/math/floor.go:80'], opts.slowerPricing ? 90 : 35, round === 0 ? traced : { thread: 'http-1' });
    add([...checkout, 'main.(*Cart).Total@/app/cart.go:17', 'main.priceOf@/app/pricing.go:31'], 20, { thread: 'http-1' });
    add([...checkout, 'database/sql.(*DB).QueryContext@/usr/lib/go/src/database/sql/sql.go:1700', 'github.com/lib/pq.(*conn).query@/go/pkg/pq/conn.go:880', 'syscall.Syscall@/usr/lib/go/src/syscall/syscall_linux.go:69'], 60, round === 0 ? traced : { thread: 'http-2' });
    add([...checkout, 'database/sql.(*DB).QueryContext@/usr/lib/go/src/database/sql/sql.go:1700', 'github.com/lib/pq.(*conn).recv@/go/pkg/pq/conn.go:950'], 25, { thread: 'http-2' });
    add([...checkout, 'encoding/json.Marshal@/usr/lib/go/src/encoding/json/encode.go:160', 'encoding/json.(*encodeState).reflectValue@/usr/lib/go/src/encoding/json/encode.go:358', 'reflect.Value.Field@/usr/lib/go/src/reflect/value.go:1270'], 30, { thread: 'http-1' });
    add([...checkout, 'encoding/json.Marshal@/usr/lib/go/src/encoding/json/encode.go:160', 'runtime.mallocgc@/usr/lib/go/src/runtime/malloc.go:1000'], 12);
    add([...http, 'main.(*Shop).Products@/app/shop.go:88', 'main.(*Catalog).Search@/app/catalog.go:55', 'strings.Contains@/usr/lib/go/src/strings/strings.go:62'], 28, { thread: 'http-3' });
    add([...http, 'main.(*Shop).Products@/app/shop.go:88', 'main.(*Catalog).Search@/app/catalog.go:55', 'main.(*Catalog).Search@/app/catalog.go:55', 'sort.Slice@/usr/lib/go/src/sort/slice.go:20'], 14, { thread: 'http-3' });
    add([...http, 'net/http.(*response).finishRequest@/usr/lib/go/src/net/http/server.go:1700', 'bufio.(*Writer).Flush@/usr/lib/go/src/bufio/bufio.go:630'], 8);
    add(['runtime.gcBgMarkWorker@/usr/lib/go/src/runtime/mgc.go:1300', 'runtime.gcDrain@/usr/lib/go/src/runtime/mgcmark.go:1100', 'runtime.scanobject@/usr/lib/go/src/runtime/mgcmark.go:1400'], 22);
    add(['runtime.mcall', 'runtime.park_m@/usr/lib/go/src/runtime/proc.go:3900', 'runtime.schedule@/usr/lib/go/src/runtime/proc.go:3600'], 9);
  }
  return compactProfile(s, {
    id, name: opts.name ?? `${id}.pb.gz`,
    sampleTypes: [{ type: 'samples', unit: 'count' }, { type: 'cpu', unit: 'nanoseconds' }],
    traceIds: [TRACE_ID],
  });
}
