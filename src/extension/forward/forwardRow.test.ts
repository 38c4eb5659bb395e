import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ForwardStatus } from '../../protocol/forward.ts';
import { forwardRow } from './forwardRow.ts';

const base: ForwardStatus = {
  endpoint: 'https://otlp.example.com:4318', protocol: 'http', gzip: true, headerNames: ['x-api-key'], state: 'idle',
  queue: { requests: 0, items: 0, bytes: 0, maxBytes: 32 * 1048576 },
  items: { forwarded: 1234, retried: 0, dropped: 0, rejectedUpstream: 0 },
};

describe('the Endpoint view\'s Forwarding row', () => {
  it('says how to turn forwarding on when it is off', () => {
    const row = forwardRow(undefined);
    assert.equal(row.description, 'off');
    assert.match(row.tooltip, /loupe\.forward\.endpoint/);
  });

  it('shows the upstream host, what was sent, and never a header value', () => {
    const row = forwardRow(base);
    assert.equal(row.description, 'otlp.example.com:4318 · up to date · 1,234 sent');
    assert.equal(row.icon, 'cloud-upload');
    assert.match(row.tooltip, /over OTLP\/HTTP with gzip, headers x-api-key/);
  });

  it('warns while the upstream fails, with the queue, the next try and the last error', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const row = forwardRow({
      ...base, state: 'backing-off', retryAt: '2026-01-01T00:00:04Z',
      queue: { requests: 3, items: 30, bytes: 4096, maxBytes: 65536 },
      items: { forwarded: 5, retried: 9, dropped: 2, rejectedUpstream: 0 },
      lastError: { message: 'http://c/v1/traces answered 503', at: '2026-01-01T00:00:00Z' },
    }, now);
    assert.equal(row.icon, 'warning');
    assert.equal(row.description, 'otlp.example.com:4318 · upstream failing, retrying · 5 sent · 30 queued · 2 dropped');
    assert.match(row.tooltip, /Next try in 4 s/);
    assert.match(row.tooltip, /answered 503/);
  });
});
