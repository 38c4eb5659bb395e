import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStackTrace } from '../stackTrace.ts';

// A nil-pointer panic in an HTTP handler, as Go 1.22 prints it.
const PANIC = `panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x10 pc=0x6c1b2e]

goroutine 34 [running]:
panic({0x6f2c40?, 0x9a3e10?})
\t/usr/local/go/src/runtime/panic.go:770 +0x132
main.(*UserHandler).ServeHTTP(0xc0000a6030, {0x7a5f10, 0xc0001c40e0}, 0xc0001b6000)
\t/home/dev/users/handler.go:42 +0x1ce
main.Map[go.shape.int,go.shape.string](...)
\t/home/dev/users/slices.go:9
github.com/go-chi/chi/v5.(*Mux).routeHTTP(0xc0000b2000, {0x7a5f10, 0xc0001c40e0}, 0xc0001b6000)
\t/home/dev/go/pkg/mod/github.com/go-chi/chi/v5@v5.0.12/mux.go:459 +0x1f3
net/http.(*conn).serve(0xc0000f4000, {0x7a6520, 0xc0000a8e10})
\t/usr/local/go/src/net/http/server.go:2092 +0x5d0
created by net/http.(*Server).Serve in goroutine 1
\t/usr/local/go/src/net/http/server.go:3360 +0x485
exit status 2`;

test('a Go frame is the function line and the file line under it', () => {
  const frames = parseStackTrace(PANIC);
  assert.deepEqual(
    frames.map((f) => f.function ?? f.raw),
    [
      'panic: runtime error: invalid memory address or nil pointer dereference',
      '[signal SIGSEGV: segmentation violation code=0x1 addr=0x10 pc=0x6c1b2e]',
      'goroutine 34 [running]:',
      'panic',
      'main.(*UserHandler).ServeHTTP',
      'main.Map[go.shape.int,go.shape.string]',
      'github.com/go-chi/chi/v5.(*Mux).routeHTTP',
      'net/http.(*conn).serve',
      'net/http.(*Server).Serve',
      'exit status 2',
    ],
  );
  assert.deepEqual(frames[4], {
    raw: 'main.(*UserHandler).ServeHTTP(0xc0000a6030, {0x7a5f10, 0xc0001c40e0}, 0xc0001b6000)\n\t/home/dev/users/handler.go:42 +0x1ce',
    function: 'main.(*UserHandler).ServeHTTP',
    location: { path: '/home/dev/users/handler.go', line: 42, function: 'main.(*UserHandler).ServeHTTP' },
    userCode: true,
  });
  assert.equal(frames[5]!.location!.line, 9);
});

test('the runtime, the standard library and the module cache are not user code', () => {
  const frames = parseStackTrace(PANIC).filter((f) => f.location);
  assert.deepEqual(frames.map((f) => f.userCode), [false, true, true, false, false, false]);
});

test('a user module without a dot in its path is still user code', () => {
  const [frame] = parseStackTrace('inventory/store.(*Store).Reserve(...)\n\t/src/inventory/store/reserve.go:88 +0x2a');
  assert.equal(frame!.userCode, true);
  assert.equal(frame!.location!.path, '/src/inventory/store/reserve.go');
});
