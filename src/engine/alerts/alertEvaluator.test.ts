// Alerts on synthetic traffic: a rule fires only after its `for`, resolves once the
// value is clearly back, and noise around a threshold neither fires nor flaps; the
// built-in rules fire on a regression and stay quiet on steady traffic.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertChange, AlertRule } from '../../protocol/alerts.ts';
import { MetricSignals } from '../signals/fromMetrics/metricSignals.ts';
import { SignalStore } from '../signals/signalStore.ts';
import { MetricStore } from '../store/metricStore.ts';
import { AlertEvaluator } from './alertEvaluator.ts';
import { parseAlertConfig } from './alertRules.ts';
import { SignalReader } from './signalReader.ts';
import { addTraffic, seeded, type Traffic } from './syntheticTraffic.ts';

const S = 1e9;
const T0 = 1_800_000_000 * S;
const STEP_S = 5;

class Harness {
  readonly store = new SignalStore();
  readonly evaluator = new AlertEvaluator();
  readonly changes: (AlertChange & { atS: number })[] = [];
  readonly random = seeded(7);
  nowS = 0;

  constructor(config: unknown) {
    this.evaluator.setConfig(parseAlertConfig(config));
  }

  /** Runs traffic for `seconds`, evaluating every 5 s as the engine does. */
  run(seconds: number, traffic: Traffic[] | ((atS: number) => Traffic[])): void {
    for (let s = 0; s < seconds; s += STEP_S) {
      for (const t of typeof traffic === 'function' ? traffic(this.nowS) : traffic) addTraffic(this.store, t, T0 + this.nowS * S, STEP_S, this.random);
      this.nowS += STEP_S;
      const reader = new SignalReader(this.store, new MetricSignals(), new MetricStore());
      for (const c of this.evaluator.evaluate(reader, T0 + this.nowS * S)) this.changes.push({ ...c, atS: this.nowS });
    }
  }

  state(name: string, route: string | null = null): string | undefined {
    return this.evaluator.list().find((a) => a.name === name && (route === null || a.route === route))?.state;
  }
}

const steady = (medianMs: number, errorRate = 0.01, route = '/orders'): Traffic => ({ service: 'shop', route, perSecond: 20, medianMs, errorRate });
const rule = (extra: Partial<AlertRule> = {}): AlertRule => ({ name: 'slow orders', service: 'shop', route: '/orders', signal: 'p50Ms', op: '>', threshold: 100, forSeconds: 30, windowSeconds: 20, ...extra });
const USER_ONLY = { builtIn: { 'route-error-rate-jump': false, 'route-p99-doubled': false } };

describe('alert rules', () => {
  it('fire after holding for `for`, then resolve once the value is back', () => {
    const h = new Harness({ rules: [rule()], ...USER_ONLY });
    h.run(60, [steady(50)]);
    assert.equal(h.state('slow orders'), 'inactive');
    h.run(20, [steady(200)]);
    // The 20 s window is all slow now, but it has not held for 30 s.
    assert.equal(h.state('slow orders'), 'pending');
    h.run(40, [steady(200)]);
    assert.equal(h.state('slow orders'), 'firing');
    const fired = h.changes.find((c) => c.state === 'firing')!;
    assert.ok(fired.atS >= 60 + 30, `fired at ${fired.atS} s, after the condition held 30 s`);
    const status = h.evaluator.list()[0];
    assert.ok(status.firedValue! > 100, `fired with ${status.firedValue}`);
    assert.match(status.message, /p50 of \/orders \(shop\) at \d+ ms \(threshold 100 ms\)/);
    h.run(90, [steady(50)]);
    assert.equal(h.state('slow orders'), 'inactive');
    assert.deepEqual(h.changes.map((c) => c.state), ['pending', 'firing', 'resolved']);
    assert.ok(h.evaluator.list()[0].resolvedAt);
  });

  it('do not fire on noise around the threshold, and do not flap once firing', () => {
    const h = new Harness({ rules: [rule({ windowSeconds: 10, forSeconds: 30 })], ...USER_ONLY });
    // A median that crosses 100 ms back and forth every 10 s never holds for 30 s.
    h.run(300, (atS) => [steady(Math.floor(atS / 10) % 2 ? 104 : 96)]);
    assert.equal(h.changes.filter((c) => c.state === 'firing').length, 0);
    // Clearly bad: it fires; then noise around the threshold keeps it firing (it must fall under 90 to resolve).
    h.run(60, [steady(150)]);
    assert.equal(h.state('slow orders'), 'firing');
    h.run(300, (atS) => [steady(Math.floor(atS / 10) % 2 ? 104 : 96)]);
    assert.equal(h.state('slow orders'), 'firing');
    assert.equal(h.changes.filter((c) => c.state === 'resolved').length, 0);
    h.run(120, [steady(60)]);
    assert.deepEqual(h.changes.filter((c) => c.state !== 'pending').map((c) => c.state), ['firing', 'resolved']);
  });

  it('fire at once without `for`, on "<" too, and on the whole service without a route', () => {
    const h = new Harness({ rules: [{ name: 'traffic dropped', service: 'shop', signal: 'requestsPerSecond', op: '<', threshold: 5, forSeconds: 0, windowSeconds: 10 }], ...USER_ONLY });
    h.run(30, [steady(50)]);
    assert.equal(h.state('traffic dropped'), 'inactive');
    h.run(15, [{ ...steady(50), perSecond: 1 }]);
    assert.equal(h.state('traffic dropped'), 'firing');
  });
});

describe('the built-in rules', () => {
  const routes = [steady(40, 0.01, '/orders'), steady(15, 0.005, '/cart'), { ...steady(300, 0.02, '/report'), perSecond: 2 }];

  it('stay quiet on steady, noisy traffic', () => {
    const h = new Harness([]);
    h.run(45 * 60, routes);
    assert.deepEqual(h.changes, []);
  });

  it("fire when a route's p99 doubles, and when its error rate jumps, and only on that route", () => {
    const h = new Harness([]);
    h.run(35 * 60, routes);
    h.run(120, [{ ...routes[0], medianMs: 130 }, routes[1], routes[2]]);
    const p99 = h.evaluator.list().find((a) => a.builtIn === 'route-p99-doubled' && a.state === 'firing');
    assert.equal(p99?.route, '/orders');
    assert.ok(p99!.firedValue! >= 2 * p99!.baseline!, `p99 ${p99!.firedValue} vs baseline ${p99!.baseline}`);
    assert.match(p99!.message, /p99 of \/orders \(shop\) is .*× its baseline/);
    h.run(120, [routes[0], { ...routes[1], errorRate: 0.3 }, routes[2]]);
    const errors = h.evaluator.list().find((a) => a.builtIn === 'route-error-rate-jump' && a.state === 'firing');
    assert.equal(errors?.route, '/cart');
    assert.ok(h.evaluator.list().filter((a) => a.state === 'firing').every((a) => a.route === '/cart' || a.route === '/orders'));
    // Back to normal: both resolve.
    h.run(180, routes);
    assert.equal(h.evaluator.list().filter((a) => a.state === 'firing').length, 0);
    assert.deepEqual(h.changes.filter((c) => c.state === 'resolved').map((c) => c.route).sort(), ['/cart', '/orders']);
  });

  it('need a minimum count: one failed request of a quiet route is no alarm', () => {
    const h = new Harness([]);
    const quiet = { service: 'shop', route: '/admin', perSecond: 0.1, medianMs: 20, errorRate: 0 };
    h.run(35 * 60, [quiet]);
    // One request in ten seconds, and it fails: an error rate of 100 % from one error.
    h.run(10, [{ ...quiet, errorRate: 1 }]);
    h.run(120, [quiet]);
    assert.deepEqual(h.changes, []);
  });

  it('can be switched off', () => {
    const h = new Harness({ builtIn: { 'route-p99-doubled': false } });
    h.run(35 * 60, routes);
    h.run(120, [{ ...routes[0], medianMs: 130 }, routes[1], routes[2]]);
    assert.equal(h.changes.filter((c) => c.state === 'firing').length, 0);
  });
});

describe('rule validation', () => {
  const bad: [unknown, RegExp][] = [
    [{ rules: [{ service: 'a' }] }, /rules\[0\]\.name: required/],
    [[{ name: 'x', service: 'a', signal: 'p42', op: '>', threshold: 1, forSeconds: 0 }], /rules\[0\] \("x"\)\.signal: expected one of/],
    [[{ name: 'x', service: 'a', signal: 'errorRate', op: '>', threshold: 5, forSeconds: 0 }], /threshold: an error rate is a fraction/],
    [[{ name: 'x', service: 'a', signal: 'metric', op: '>', threshold: 5, forSeconds: 0 }], /\.metric: required with signal "metric"/],
    [[{ name: 'x', service: 'a', signal: 'p99Ms', op: '>=', threshold: 5, forSeconds: 0 }], /\.op: expected ">" or "<"/],
    [[{ name: 'x', service: 'a', signal: 'p99Ms', op: '>', threshold: 5, forSeconds: -1 }], /\.forSeconds: expected seconds/],
    [[{ name: 'x', service: 'a', signal: 'p99Ms', op: '>', threshold: 5, forSeconds: 1, treshold: 3 }], /\.treshold: not a rule field/],
    [{ builtIn: { 'p99-doubled': false } }, /builtIn\.p99-doubled: no such built-in rule/],
    ['rules', /body: expected a JSON list/],
  ];
  for (const [body, message] of bad) {
    it(`refuses ${JSON.stringify(body).slice(0, 70)}`, () => assert.throws(() => parseAlertConfig(body), message));
  }
});
