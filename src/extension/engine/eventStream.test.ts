import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseChange } from './eventStream.ts';

it('reads change events of the engine event stream and ignores the rest', () => {
  const change = { newTraces: 1, spans: 2, logs: 0, metricPoints: 0, counts: { spans: 2, traces: 1, logs: 0, metricPoints: 0, profiles: 0 }, dropped: { spans: 0, traces: 0, logs: 0, metricPoints: 0, rejected: 0 } };
  assert.deepEqual(parseChange(`event: change\ndata: ${JSON.stringify(change)}`), change);
  assert.equal(parseChange(': heartbeat'), undefined);
  assert.equal(parseChange('retry: 2000'), undefined);
  assert.equal(parseChange('event: change\ndata: {broken'), undefined);
});
