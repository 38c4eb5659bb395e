import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseStackTrace } from '../stackTrace.ts';

test('a stack thrown by this very Node links to the line and column of the throw', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-v8-'));
  try {
    const script = join(dir, 'users.js');
    writeFileSync(script, ["function getUser(id) {", "  throw new TypeError('user ' + id + ' not found');", '}', 'getUser(7);', ''].join('\n'));
    const { stderr } = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    const frames = parseStackTrace(stderr).filter((f) => f.location);
    assert.deepEqual(frames[0]!.location, { path: script, line: 2, column: 9, function: 'getUser' });
    assert.equal(frames[0]!.userCode, true);
    assert.deepEqual(frames[1]!.location, { path: script, line: 4, column: 1, function: 'Object.<anonymous>' });
    assert.ok(frames.slice(2).every((f) => f.location!.path.startsWith('node:') && f.userCode === false));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('async frames, file:// URLs, node_modules and <anonymous>', () => {
  // Captured from Node 20: an ES module server whose ORM (in node_modules) throws.
  const stack = [
    'Error: relation "users" does not exist',
    '    at Object.query (/tmp/v8/node_modules/fake-orm/index.js:1:93)',
    '    at async UserRepository.find (file:///tmp/v8/server.mjs:4:48)',
    '    at async Server.<anonymous> (file:///tmp/v8/server.mjs:7:9)',
    'SyntaxError: Expected property name or \'}\' in JSON at position 1',
    '    at JSON.parse (<anonymous>)',
    '    at Server.<anonymous> (file:///tmp/v8/server.mjs:8:14)',
  ].join('\n');
  const frames = parseStackTrace(stack);
  assert.equal(frames.length, 7);
  assert.deepEqual(frames[0], { raw: 'Error: relation "users" does not exist' });
  assert.equal(frames[1]!.userCode, false);
  assert.deepEqual(frames[2]!.location, { path: '/tmp/v8/server.mjs', line: 4, column: 48, function: 'UserRepository.find' });
  assert.equal(frames[2]!.function, 'UserRepository.find');
  assert.equal(frames[2]!.userCode, true);
  assert.deepEqual(frames[5], { raw: '    at JSON.parse (<anonymous>)', function: 'JSON.parse', userCode: false });
  assert.equal(frames[6]!.location!.line, 8);
});

test('frames without a function, node:internal, eval and [as alias]', () => {
  // Captured from Node 20 (`node -e` and a CommonJS entry point), trimmed.
  const stack = [
    'Error: ENOENT: no such file or directory, open \'/nonexistent/config.json\'',
    '    at Object.readFileSync (node:fs:448:20)',
    '    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:164:12)',
    '    at node:internal/main/run_main_module:28:49',
    '    at eval (eval at <anonymous> (file:///tmp/t.mjs:7:7), <anonymous>:1:6)',
    '    at [eval]:1:5',
    '    at async Promise.all (index 0)',
  ].join('\n');
  const [, fs, runMain, bare, evaluated, evalScript, all] = parseStackTrace(stack);
  assert.deepEqual(fs!.location, { path: 'node:fs', line: 448, column: 20, function: 'Object.readFileSync' });
  assert.equal(fs!.userCode, false);
  assert.equal(runMain!.function, 'Function.executeUserEntryPoint [as runMain]');
  assert.deepEqual(bare!.location, { path: 'node:internal/main/run_main_module', line: 28, column: 49 });
  assert.equal(bare!.userCode, false);
  // The eval'd code has no file: the link goes to the line that called eval.
  assert.deepEqual(evaluated!.location, { path: '/tmp/t.mjs', line: 7, column: 7, function: 'eval' });
  assert.equal(evalScript!.location, undefined);
  assert.deepEqual(all, { raw: '    at async Promise.all (index 0)', function: 'Promise.all', userCode: false });
});

test('Windows paths, plain and as file:// URLs, and paths with parentheses and spaces', () => {
  const stack = [
    'TypeError: Cannot read properties of undefined (reading \'id\')',
    '    at renderUser (C:\\Users\\dev\\My App\\src\\render.ts:31:17)',
    '    at file:///C:/Users/dev/My%20App/src/main.mjs:5:3',
    '    at Page (/home/dev/site/app/(shop)/[id]/page.tsx:12:9)',
    '    at new UserCard (C:\\Users\\dev\\My App\\node_modules\\ui\\card.js:3:11)',
  ].join('\r\n');
  const [, render, main, page, card] = parseStackTrace(stack);
  assert.deepEqual(render!.location, { path: 'C:\\Users\\dev\\My App\\src\\render.ts', line: 31, column: 17, function: 'renderUser' });
  assert.deepEqual(main!.location, { path: 'C:/Users/dev/My App/src/main.mjs', line: 5, column: 3 });
  assert.equal(page!.location!.path, '/home/dev/site/app/(shop)/[id]/page.tsx');
  assert.equal(card!.function, 'new UserCard');
  assert.equal(card!.userCode, false);
});
