import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spanSource } from './location.ts';

test('stable code.* attributes', () => {
  assert.deepEqual(
    spanSource({
      'code.file.path': '/srv/users/handler.ts',
      'code.line.number': 42,
      'code.column.number': 7,
      'code.function.name': 'UserHandler.get',
      'http.route': '/users/:id',
    }),
    { path: '/srv/users/handler.ts', line: 42, column: 7, function: 'UserHandler.get' },
  );
});

test('deprecated names: code.filepath, code.lineno, code.column, code.namespace + code.function', () => {
  assert.deepEqual(
    spanSource({ 'code.filepath': 'C:\\src\\Users\\UserRepository.cs', 'code.lineno': 12, 'code.column': 3, 'code.namespace': 'Users.UserRepository', 'code.function': 'Find' }),
    { path: 'C:\\src\\Users\\UserRepository.cs', line: 12, column: 3, function: 'Users.UserRepository.Find' },
  );
  assert.deepEqual(spanSource({ 'code.filepath': 'app.py', 'code.function': 'main' }), { path: 'app.py', function: 'main' });
});

test('each stable name wins over its deprecated one', () => {
  assert.deepEqual(
    spanSource({
      'code.filepath': '/old.js', 'code.file.path': '/new.js',
      'code.lineno': 1, 'code.line.number': 2,
      'code.function': 'old', 'code.namespace': 'Ns', 'code.function.name': 'Ns.new',
    }),
    { path: '/new.js', line: 2, function: 'Ns.new' },
  );
  // Mixed: a new path with an old line number is still a link to that line.
  assert.deepEqual(spanSource({ 'code.file.path': '/a.go', 'code.lineno': 9 }), { path: '/a.go', line: 9 });
});

test('numbers as strings are read; nonsense numbers and empty paths are not', () => {
  assert.deepEqual(spanSource({ 'code.file.path': 'file:///home/me/a%20b.ts', 'code.line.number': '17', 'code.column.number': 0 }), {
    path: '/home/me/a b.ts',
    line: 17,
  });
  assert.deepEqual(spanSource({ 'code.file.path': '/a.ts', 'code.line.number': -3, 'code.column.number': 4 }), { path: '/a.ts' });
  assert.deepEqual(spanSource({ 'code.file.path': '/a.ts', 'code.line.number': 1.5 }), { path: '/a.ts' });
  assert.equal(spanSource({ 'code.file.path': '', 'code.line.number': 3 }), undefined);
  assert.equal(spanSource({ 'code.file.path': 12 }), undefined);
  assert.equal(spanSource({}), undefined);
});

test('without code.* the first user frame of a stack trace attribute', () => {
  assert.deepEqual(spanSource({ 'code.stacktrace': '    at node:internal/x:1:1\n    at start (/srv/main.js:5:3)' }), {
    path: '/srv/main.js',
    line: 5,
    column: 3,
    function: 'start',
  });
});
