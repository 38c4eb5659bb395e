import assert from 'node:assert/strict';
import { test } from 'node:test';
import { watchForUnused } from './idleExit.ts';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('an engine nobody attaches to stops once the time has passed', async () => {
  let stopped = 0;
  watchForUnused({ clientCount: 0 }, 60, () => stopped++);
  await wait(30);
  assert.equal(stopped, 0);
  await wait(120);
  assert.equal(stopped, 1, 'stops exactly once');
});

test('an attached client keeps the engine running; its leaving starts the count', async () => {
  const clients = { clientCount: 1 };
  let stopped = 0;
  const cancel = watchForUnused(clients, 60, () => stopped++);
  await wait(150);
  assert.equal(stopped, 0);
  clients.clientCount = 0;
  await wait(150);
  assert.equal(stopped, 1);
  cancel();
});
