import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogPatterns, MAX_PATTERNS, OVERFLOW_TEMPLATE } from './logPatterns.ts';
import { logTemplate } from './logTemplate.ts';

describe('log templates', () => {
  it('mask numbers, ids, hex, UUIDs, quoted values, IPs and durations', () => {
    assert.equal(logTemplate('user 42 took 35ms from 10.0.0.7:8080'), 'user <num> took <duration> from <ip>');
    assert.equal(logTemplate('took 1.5 s'), 'took <duration>');
    assert.equal(logTemplate('request 3fa85f64-5717-4562-b3fc-2c963f66afa6 failed: "no such user"'), 'request <uuid> failed: "<*>"');
    assert.equal(logTemplate("lookup 'alice' at 0xdeadbeef sha 9f86d081884c7d65"), 'lookup "<*>" at <hex> sha <hex>');
    assert.equal(logTemplate('cache miss for key u-1042'), 'cache miss for key u-<num>');
    assert.equal(logTemplate('session Zm9vYmFyYmF6cXV4MTIzNDU2 expired'), 'session <id> expired');
    assert.equal(logTemplate('GET /users/17 answered 200'), 'GET /users/<num> answered <num>');
    assert.equal(logTemplate('  spaces   collapse\tto one '), 'spaces collapse to one');
  });

  it('leave words without digits as they are', () => {
    assert.equal(logTemplate('database connection refused'), 'database connection refused');
    assert.equal(logTemplate('deadbeef is a word here'), 'deadbeef is a word here');
  });
});

describe('log patterns', () => {
  it('group records of a service by template, with severity mix, time buckets and the newest record', () => {
    const p = new LogPatterns();
    const a = p.add(0, 'user 1 logged in', 9, 1e18, 0);
    const b = p.add(0, 'user 2 logged in', 13, 1e18 + 11e9, 1);
    const other = p.add(1, 'user 3 logged in', 9, 1e18, 2);
    assert.equal(a, b);
    assert.notEqual(a, other, 'each service has its own patterns');
    const pattern = p.byId.get(a)!;
    assert.equal(pattern.template, 'user <num> logged in');
    assert.equal(pattern.count, 2);
    assert.deepEqual([...pattern.severities], [0, 0, 0, 1, 1, 0, 0]);
    assert.equal(pattern.buckets.size, 2);
    assert.equal(pattern.newestId, 1);
  });

  it('take evicted records off, and drop a pattern with none left', () => {
    const p = new LogPatterns();
    const id = p.add(0, 'tick 1', 9, 5e18, 0);
    p.add(0, 'tick 2', 9, 5e18 + 20e9, 1);
    p.remove(id, 9, 5e18);
    assert.equal(p.byId.get(id)!.count, 1);
    assert.equal(p.byId.get(id)!.buckets.size, 1);
    p.remove(id, 9, 5e18 + 20e9);
    assert.equal(p.byId.has(id), false);
    assert.equal(p.size, 0);
    assert.equal(p.add(0, 'tick 3', 9, 5e18, 2) === id, false, 'a new pattern gets a new id');
  });

  it('count templates past the cap under one "other messages" pattern per service', () => {
    const p = new LogPatterns();
    // Digits would be masked: letters make each message its own template.
    const letters = (n: number) => n.toString(26).replace(/\d/g, (d) => 'qrstuvwxyz'[Number(d)]);
    for (let i = 0; i < MAX_PATTERNS; i++) p.add(0, `unique ${letters(i)}`, 9, 1e18, i);
    assert.equal(p.size, MAX_PATTERNS);
    const over1 = p.add(0, 'brand new message', 17, 1e18, MAX_PATTERNS);
    const over2 = p.add(0, 'another new one', 9, 1e18, MAX_PATTERNS + 1);
    assert.equal(over1, over2);
    assert.equal(p.byId.get(over1)!.template, OVERFLOW_TEMPLATE);
    assert.equal(p.byId.get(over1)!.count, 2);
    assert.equal(p.size, MAX_PATTERNS + 1);
  });
});
