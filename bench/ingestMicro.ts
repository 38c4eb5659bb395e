// Ingest cost without transports: the engine's export path called in-process on the
// benchmark's trace batches, as CPU µs per span. For profiling Loupe's own decoding and
// storing (`node --cpu-prof dist/bench/ingestMicro.js`); `npm run bench` measures the
// engine as a user runs it.

import { Engine } from '../src/engine/engine.ts';
import { encodeBatch, makeSpans, patchTraceIds } from './batches.ts';

const BATCHES = 8;
const rounds = Number(process.argv[2] ?? 400);
const budgetMb = Number(process.argv[3] ?? 256);
const batches = Array.from({ length: BATCHES }, (_, i) => encodeBatch(makeSpans(i), 'protobuf'));
const engine = new Engine({ memoryBudgetBytes: budgetMb * 1048576 });
let spans = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let n = 0; n < rounds; n++) {
  const batch = batches[n % BATCHES];
  const copy = { ...batch, bytes: Buffer.from(batch.bytes) };
  patchTraceIds(copy, n);
  engine.export('traces', copy.bytes, 'protobuf', 'grpc');
  spans += 512;
}
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ spans, wallUsPerSpan: (wall * 1000) / spans, cpuUsPerSpan: (cpu.user + cpu.system) / spans, stored: engine.traces.spanCount }));
process.exit(0);
