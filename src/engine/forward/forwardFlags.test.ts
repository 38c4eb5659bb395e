// The forwarding flags and variables, as the command line gives them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig } from '../config.ts';

describe('forwarding flags', () => {
  it('are off unless --forward is given', () => {
    assert.equal(parseConfig([], {}).forward, undefined);
  });

  it('read the endpoint, protocol, repeated headers, compression and queue size', () => {
    const config = parseConfig(['--forward', 'https://otlp.example.com:4318/', '--forward-protocol=grpc', '--forward-header', 'x-api-key=abc', '--forward-header', 'X-Team: core', '--forward-compression', 'gzip', '--forward-queue-mb', '8'], {});
    assert.deepEqual(config.forward, {
      endpoint: 'https://otlp.example.com:4318', protocol: 'grpc', headers: { 'x-api-key': 'abc', 'x-team': 'core' }, gzip: true, queueBytes: 8 * 1048576,
    });
  });

  it('come from the environment too, and the queue defaults to a quarter of a small memory budget', () => {
    const config = parseConfig(['--memory-budget-mb', '64'], { LOUPE_FORWARD: 'http://collector:4318', LOUPE_FORWARD_HEADERS: 'a=1,b=2' });
    assert.deepEqual(config.forward, { endpoint: 'http://collector:4318', protocol: 'http', headers: { a: '1', b: '2' }, gzip: false, queueBytes: 16 * 1048576 });
  });

  it('say what is wrong', () => {
    assert.throws(() => parseConfig(['--forward-header', 'a=1'], {}), (err: Error) => err instanceof ConfigError && /without --forward <url>/.test(err.message));
    assert.throws(() => parseConfig(['--forward', 'collector:4318'], {}), /--forward: endpoint "collector:4318" must start with http/);
    assert.throws(() => parseConfig(['--forward', 'http://c', '--forward-protocol', 'udp'], {}), /protocol "udp" is not one of http, grpc/);
    assert.throws(() => parseConfig(['--forward', 'http://c', '--forward-compression', 'zstd'], {}), /use gzip or none/);
    assert.throws(() => parseConfig(['--forward', 'http://c', '--forward-header', 'novalue'], {}), /--forward-header: header "novalue": expected name=value/);
  });
});
