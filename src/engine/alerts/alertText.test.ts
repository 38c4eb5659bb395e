import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeValue } from './alertText.ts';

const rule = { name: 'checkout traffic', service: 'shop', route: '/checkout', state: 'firing' as const, signal: 'requestsPerSecond' };

describe('how an alert reads', () => {
  it('gives slow traffic in a unit that shows it', () => {
    assert.equal(describeValue(rule, { value: 6 / 86400, threshold: 0 }), 'checkout traffic: requests/s of /checkout (shop) at 0.25 req/h (threshold 0.00 req/s)');
    assert.equal(describeValue(rule, { value: 0.05, threshold: 0.1 }), 'checkout traffic: requests/s of /checkout (shop) at 3.0 req/min (threshold 0.10 req/s)');
    assert.equal(describeValue(rule, { value: 42.4, threshold: 10 }), 'checkout traffic: requests/s of /checkout (shop) at 42 req/s (threshold 10 req/s)');
  });

  it('gives latency in ms or s and error rates in percent', () => {
    assert.equal(describeValue({ ...rule, name: 'slow', signal: 'p99Ms' }, { value: 1234, threshold: 500 }), 'slow: p99 of /checkout (shop) at 1.23 s (threshold 500 ms)');
    assert.equal(describeValue({ ...rule, name: 'failing', signal: 'errorRate' }, { value: 0.25, threshold: 0.05 }), 'failing: error rate of /checkout (shop) at 25 % (threshold 5.0 %)');
    assert.equal(describeValue({ ...rule, builtIn: 'route-p99-doubled' }, { value: 400, threshold: null, baseline: 100 }), 'p99 of /checkout (shop) is 400 ms (4.0× its baseline 100 ms)');
  });

  it('says when the window holds no requests', () => {
    assert.equal(describeValue(rule, { value: null, threshold: 0 }), 'checkout traffic: no data for /checkout (shop) in the window');
  });
});
