// The log load generator, run as a separate process: sends `records` log records as
// OTLP/HTTP protobuf batches with a fixed number of requests in flight, and prints what
// the receiver acknowledged as JSON.
// Usage: logLoad.ts <url of /v1/logs> <records>

import http from 'node:http';
import { makeLogBatch, patchLogBatch, RECORDS_PER_BATCH, type LogBatch } from './logBatches.ts';

const [target, recordsArg] = process.argv.slice(2);
const requests = Math.ceil(Number(recordsArg) / RECORDS_PER_BATCH);
const IN_FLIGHT = 4;
const BATCHES = 8;

const batches: LogBatch[] = Array.from({ length: BATCHES }, (_, i) => makeLogBatch(i));
const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
const url = new URL(target);

function send(body: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

let next = 0;
let acknowledged = 0;
let failed = 0;
let wireBytes = 0;
const started = process.hrtime.bigint();
void Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
  while (next < requests) {
    const n = next++;
    const batch = batches[n % BATCHES];
    const copy = { ...batch, bytes: Buffer.from(batch.bytes) };
    patchLogBatch(copy, n);
    wireBytes += copy.bytes.length;
    if (await send(copy.bytes)) acknowledged++;
    else failed++;
  }
})).then(() => {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({ requests: acknowledged, failed, records: acknowledged * RECORDS_PER_BATCH, seconds, wireBytes }));
  process.exit(0);
});
