import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exceptionSource, parseStackTrace } from './stackTrace.ts';

test('every non-blank line is kept in order; only frames carry userCode', () => {
  const frames = parseStackTrace('Error: boom\n\n    at handler (/srv/app.js:3:9)\r\n    at process (node:internal/process/task_queues:95:5)\n');
  assert.deepEqual(frames.map((f) => f.raw), ['Error: boom', '    at handler (/srv/app.js:3:9)', '    at process (node:internal/process/task_queues:95:5)']);
  assert.deepEqual(frames.map((f) => f.userCode), [undefined, true, false]);
});

test('hostile text stays text and is parsed quickly', () => {
  const long = `    at f (${"'".repeat(200_000)}:1:2)`;
  const started = performance.now();
  const frames = parseStackTrace(`${long}\n${'x:1:in `'.repeat(50_000)}\n<img src=x onerror=alert(1)>`);
  assert.ok(performance.now() - started < 500);
  assert.equal(frames.length, 3);
  assert.ok(frames.every((f) => f.location === undefined));
  assert.deepEqual(parseStackTrace(''), []);
});

test('exceptionSource: the first user-code frame, skipping runtime and dependencies', () => {
  const attributes = {
    'exception.type': 'Error',
    'exception.stacktrace': [
      'Error: connect ECONNREFUSED 127.0.0.1:5432',
      '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)',
      '    at Client.query (/srv/api/node_modules/pg/lib/client.js:526:17)',
      '    at async findUser (/srv/api/src/users.ts:14:18)',
    ].join('\n'),
  };
  assert.deepEqual(exceptionSource(attributes), { path: '/srv/api/src/users.ts', line: 14, column: 18, function: 'findUser' });
});

test('exceptionSource: code.stacktrace when exception.stacktrace has no user frame; undefined without either', () => {
  const attributes = {
    'exception.stacktrace': '    at Module._load (node:internal/modules/cjs/loader:1091:12)',
    'code.stacktrace': '  File "/app/worker.py", line 30, in run',
  };
  assert.deepEqual(exceptionSource(attributes), { path: '/app/worker.py', line: 30, function: 'run' });
  assert.equal(exceptionSource({ 'exception.stacktrace': 42 }), undefined);
  assert.equal(exceptionSource({}), undefined);
});
