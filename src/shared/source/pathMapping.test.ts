import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapPath, matchByTail } from './pathMapping.ts';

test('mapPath: the longest matching prefix wins, on whole segments', () => {
  const mappings = [
    { from: '/app', to: '/home/me/shop' },
    { from: '/app/vendor', to: '/home/me/vendor' },
  ];
  assert.equal(mapPath('/app/src/cart.ts', mappings), '/home/me/shop/src/cart.ts');
  assert.equal(mapPath('/app/vendor/lib/x.js', mappings), '/home/me/vendor/lib/x.js');
  assert.equal(mapPath('/apple/x.ts', mappings), '/apple/x.ts');
  assert.equal(mapPath('/app', mappings), '/home/me/shop');
  assert.equal(mapPath('app/x.ts', mappings), 'app/x.ts');
});

test('mapPath: file:// URLs, Windows separators and case, trailing slashes', () => {
  assert.equal(mapPath('file:///usr/src/app/main.py', [{ from: '/usr/src/app/', to: '/home/me/api/' }]), '/home/me/api/main.py');
  assert.equal(mapPath('C:\\Build\\Agent\\src\\Users\\Repo.cs', [{ from: 'c:/build/agent/src', to: '/home/me/users' }]), '/home/me/users/Users/Repo.cs');
  assert.equal(mapPath('/src/Users/Repo.cs', [{ from: '/src', to: 'D:\\work\\users' }]), 'D:\\work\\users\\Users\\Repo.cs');
  // POSIX paths compare with case: /App is another directory.
  assert.equal(mapPath('/App/x.ts', [{ from: '/app', to: '/w' }]), '/App/x.ts');
  assert.equal(mapPath('file:///tmp/x.ts', []), '/tmp/x.ts');
});

test('mapPath: "/" maps everything, an empty prefix nothing', () => {
  assert.equal(mapPath('/x/y.ts', [{ from: '/', to: '/mnt/host' }]), '/mnt/host/x/y.ts');
  assert.equal(mapPath('/x/y.ts', [{ from: '', to: '/mnt/host' }]), '/x/y.ts');
});

test('matchByTail: the workspace file sharing the longest tail', () => {
  const workspace = ['/w/shop/src/users/handler.ts', '/w/shop/src/orders/handler.ts', '/w/shop/src/main.ts', '/w/shop/src/main/java/com/example/users/UserRepository.java'];
  assert.equal(matchByTail('/app/src/users/handler.ts', workspace), '/w/shop/src/users/handler.ts');
  assert.equal(matchByTail('C:\\agent\\src\\main.ts', workspace), '/w/shop/src/main.ts');
  // A JVM frame's package path (see formats/jvm.ts) finds the file under its source root.
  assert.equal(matchByTail('com/example/users/UserRepository.java', workspace), workspace[3]);
});

test('matchByTail: ties and mismatched file names find nothing', () => {
  const workspace = ['/w/a/handler.ts', '/w/b/handler.ts'];
  assert.equal(matchByTail('/app/c/handler.ts', workspace), undefined);
  assert.equal(matchByTail('/app/a/route.ts', workspace), undefined);
  assert.equal(matchByTail('/app/a/handler.ts', []), undefined);
  assert.equal(matchByTail('/app/x.ts', ['/w/x.ts', '/w/x.ts']), '/w/x.ts');
});
