// The idle watch on a mocked clock and timers: each step of time is given, never waited
// for, so the outcome does not depend on how busy the machine is.

import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { watchForUnused } from './idleExit.ts';

/** Mocked setInterval plus a clock that moves with it. */
function fakeTime(): { now: () => number; advance(ms: number): void; [Symbol.dispose](): void } {
  let t = 1_000_000;
  mock.timers.enable({ apis: ['setInterval'] });
  return {
    now: () => t,
    advance(ms: number) {
      // In 5 ms steps, so each interval tick sees the clock at its own time.
      for (let left = ms; left > 0; left -= 5) {
        t += Math.min(5, left);
        mock.timers.tick(Math.min(5, left));
      }
    },
    [Symbol.dispose]: () => mock.timers.reset(),
  };
}

test('an engine nobody attaches to stops once the time has passed, exactly once', () => {
  const time = fakeTime();
  try {
    let stopped = 0;
    watchForUnused({ clientCount: 0 }, 60, () => stopped++, time.now);
    time.advance(45);
    assert.equal(stopped, 0, 'not before the time');
    time.advance(30);
    assert.equal(stopped, 1);
    time.advance(500);
    assert.equal(stopped, 1, 'stops exactly once');
  } finally {
    time[Symbol.dispose]();
  }
});

test('an attached client keeps the engine running; its leaving starts the count', () => {
  const time = fakeTime();
  try {
    const clients = { clientCount: 1 };
    let stopped = 0;
    const cancel = watchForUnused(clients, 60, () => stopped++, time.now);
    time.advance(1000);
    assert.equal(stopped, 0, 'a client is attached');
    clients.clientCount = 0;
    time.advance(45);
    assert.equal(stopped, 0, 'counted from when the client left');
    time.advance(30);
    assert.equal(stopped, 1);
    cancel();
  } finally {
    time[Symbol.dispose]();
  }
});

test('a stopped watch never fires', () => {
  const time = fakeTime();
  try {
    let stopped = 0;
    watchForUnused({ clientCount: 0 }, 60, () => stopped++, time.now)();
    time.advance(1000);
    assert.equal(stopped, 0);
  } finally {
    time[Symbol.dispose]();
  }
});
