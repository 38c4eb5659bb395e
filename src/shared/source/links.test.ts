import assert from 'node:assert/strict';
import { test } from 'node:test';
import { vscodeFileUrl } from './links.ts';

test('POSIX paths with line and column', () => {
  assert.equal(vscodeFileUrl({ path: '/home/me/app/src/users.ts', line: 42, column: 7 }), 'vscode://file/home/me/app/src/users.ts:42:7');
  assert.equal(vscodeFileUrl({ path: '/home/me/app.ts', line: 3 }), 'vscode://file/home/me/app.ts:3');
  assert.equal(vscodeFileUrl({ path: '/home/me/app.ts' }), 'vscode://file/home/me/app.ts');
  // A column means nothing without a line.
  assert.equal(vscodeFileUrl({ path: '/home/me/app.ts', column: 3 }), 'vscode://file/home/me/app.ts');
});

test('Windows paths become vscode://file/c:/…', () => {
  assert.equal(vscodeFileUrl({ path: 'C:\\src\\Users.Api\\UserRepository.cs', line: 42 }), 'vscode://file/c:/src/Users.Api/UserRepository.cs:42');
  assert.equal(vscodeFileUrl({ path: 'file:///D:/work/app.ts', line: 1, column: 2 }), 'vscode://file/d:/work/app.ts:1:2');
});

test('characters a URL would misread are escaped; slashes and @ are kept', () => {
  assert.equal(
    vscodeFileUrl({ path: '/home/me/My Project/#1?/50%/a:b.ts', line: 9 }),
    'vscode://file/home/me/My%20Project/%231%3F/50%25/a%3Ab.ts:9',
  );
  assert.equal(vscodeFileUrl({ path: '/app/node_modules/@scope/pkg/ünï.js', line: 1 }), 'vscode://file/app/node_modules/@scope/pkg/%C3%BCn%C3%AF.js:1');
  assert.equal(vscodeFileUrl({ path: 'file:///home/me/a%20b.ts', line: 2 }), 'vscode://file/home/me/a%20b.ts:2');
});
