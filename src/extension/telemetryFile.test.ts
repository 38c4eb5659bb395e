import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tracesFileText } from './telemetryFile.ts';

describe('Export Traces files', () => {
  it('one request holding every trace (.json), or one trace per line (.jsonl)', () => {
    const traces = [{ resourceSpans: [{ a: 1 }] }, { resourceSpans: [{ b: 2 }] }];
    assert.deepEqual(JSON.parse(tracesFileText(traces, 'json')), { resourceSpans: [{ a: 1 }, { b: 2 }] });
    assert.deepEqual(tracesFileText(traces, 'jsonl').trimEnd().split('\n').map((l) => JSON.parse(l)), traces);
  });
});
