import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseEvent } from './eventStream.ts';

it('reads change and shutdown events of the engine event stream and ignores the rest', () => {
  const change = { newTraces: 1, spans: 2, logs: 0, metricPoints: 0, counts: { spans: 2, traces: 1, logs: 0, metricPoints: 0, profiles: 0 }, dropped: { spans: 0, traces: 0, logs: 0, metricPoints: 0, rejected: 0 } };
  assert.deepEqual(parseEvent(`event: change\ndata: ${JSON.stringify(change)}`), { type: 'change', change });
  assert.deepEqual(parseEvent('event: shutdown\ndata: {"reason":"Stop Collector"}'), { type: 'shutdown', reason: 'Stop Collector' });
  assert.equal(parseEvent(': heartbeat'), undefined);
  assert.equal(parseEvent('retry: 2000'), undefined);
  assert.equal(parseEvent('event: change\ndata: {broken'), undefined);
  assert.equal(parseEvent('event: other\ndata: {}'), undefined);
});
