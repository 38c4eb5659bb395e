// Export Traces… and Import Telemetry File… against real engines: what one engine
// exports, another imports unchanged; files from other tools with bare 64-bit numbers
// keep every digit.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEngine } from '../src/engine/server.ts';
import { parseTelemetryFile, tracesFileText } from '../src/extension/telemetryFile.ts';
import type { TracesData } from '../src/protocol/otlp.ts';
import { getJson, startTestEngine } from './support/engine.ts';
import { tracesRequest, validSpan } from './support/otlp.ts';

let source: RunningEngine;
let target: RunningEngine;
before(async () => { [source, target] = await Promise.all([startTestEngine(), startTestEngine()]); });
after(async () => { await Promise.all([source.close(), target.close()]); });

async function importText(engine: RunningEngine, text: string): Promise<void> {
  const parsed = parseTelemetryFile(text);
  assert.deepEqual(parsed.problems, []);
  for (const request of parsed.requests) {
    const res = await fetch(`${engine.httpUrl}/v1/${request.signal}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: request.body });
    assert.equal(res.status, 200, await res.text());
  }
}

describe('exported traces', () => {
  for (const format of ['json', 'jsonl'] as const) {
    it(`import into another engine unchanged (${format})`, async () => {
      const spans = [
        validSpan({ attributes: [{ key: 'big', value: { intValue: '9007199254740993' } }, { key: 'list', value: { arrayValue: { values: [{ boolValue: true }, { doubleValue: 0.5 }] } } }], events: [{ name: 'e', timeUnixNano: '1700000000123456790' }] }),
        validSpan({ status: { code: 2, message: 'boom' } }),
      ];
      await fetch(`${source.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: tracesRequest(spans) });
      const exported = await Promise.all(spans.map(async (s) => (await getJson<TracesData>(source.httpUrl, `/api/traces/${s.traceId}`)).body));
      await importText(target, tracesFileText(exported, format));
      for (const [i, s] of spans.entries()) {
        assert.deepEqual((await getJson<TracesData>(target.httpUrl, `/api/traces/${s.traceId}`)).body, exported[i]);
      }
    });
  }
});

describe('files from other tools', () => {
  it('keep 64-bit times written as bare numbers exact', async () => {
    const traceId = 'fe'.repeat(16);
    const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${traceId}","spanId":"${'ab'.repeat(8)}","name":"from a file","startTimeUnixNano":1700000000123456789,"endTimeUnixNano":1700000000987654321}]}]}]}`;
    await importText(target, text);
    const span = (await getJson<TracesData>(target.httpUrl, `/api/traces/${traceId}`)).body.resourceSpans![0].scopeSpans![0].spans![0];
    assert.equal(span.startTimeUnixNano, '1700000000123456789');
    assert.equal(span.endTimeUnixNano, '1700000000987654321');
  });
});
