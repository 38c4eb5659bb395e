// Engine CPU per query on a store of 1,000,000 spans: the queries of `npm run bench`'s
// store part, each run `QUERY_RUNS` times, with the engine's CPU time (from /proc) per
// query beside the wall time. On a loaded machine CPU time moves far less than wall
// time, so before/after comparisons of one change read this column.
// Usage (after `npm run build`): node dist/bench/queryCpu.js [spans] [--cpu-prof-dir DIR]

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SPANS_PER_BATCH } from './batches.ts';
import { startEngineProcess } from './support/engineProcess.ts';
import { QUERIES } from './queries.ts';

const run = promisify(execFile);
const RUNS = Number(process.env.QUERY_RUNS ?? 20);

void (async () => {
  const spans = Number(process.argv[2] ?? 1_000_000);
  const profDir = process.argv.indexOf('--cpu-prof-dir');
  const engine = await startEngineProcess(['--memory-budget-mb', '8192'], profDir > 0 ? ['--cpu-prof', '--cpu-prof-dir', process.argv[profDir + 1]] : []);
  try {
    await run(process.execPath, [join(__dirname, 'load.js'), 'http', `${engine.httpUrl}/v1/traces`, 'protobuf', '300', String(Math.ceil(spans / SPANS_PER_BATCH))], { maxBuffer: 1 << 20 });
    await new Promise((r) => setTimeout(r, 5000));
    const someTrace = ((await (await fetch(`${engine.httpUrl}/api/traces?limit=1000`)).json()) as { traces: { traceId: string }[] }).traces;
    console.log('| query | median ms | engine CPU ms/query |\n|---|---:|---:|');
    for (const [name, path] of QUERIES) {
      const times: number[] = [];
      const cpu0 = engine.cpuSeconds();
      for (let i = 0; i < RUNS; i++) {
        const url = engine.httpUrl + (path || `/api/traces/${someTrace[(i * 37) % someTrace.length].traceId}`);
        const t0 = performance.now();
        const res = await fetch(url);
        await res.arrayBuffer();
        times.push(performance.now() - t0);
      }
      const cpuMs = ((engine.cpuSeconds() - cpu0) * 1000) / RUNS;
      times.sort((a, b) => a - b);
      console.log(`| ${name} | ${times[RUNS >> 1].toFixed(1)} | ${cpuMs.toFixed(1)} |`);
    }
  } finally {
    await engine.stop();
  }
  process.exit(0);
})();
