import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStackTrace } from '../stackTrace.ts';

// Captured from Python 3.11.7: a chained exception, with the source lines and the
// ~~~^^^ markers Python echoes under each frame.
const CHAINED = `Traceback (most recent call last):
  File "/tmp/py/app/orders.py", line 16, in main
    handler('{"items": []}')
  File "/tmp/py/app/orders.py", line 11, in handler
    return svc.load(raw)
           ^^^^^^^^^^^^^
  File "/tmp/py/app/orders.py", line 6, in load
    return json.loads(raw)["items"][0]["price"] * 2
           ~~~~~~~~~~~~~~~~~~~~~~~~^^^
IndexError: list index out of range

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/tmp/py/app/orders.py", line 21, in <module>
    main()
  File "/tmp/py/app/orders.py", line 18, in main
    raise RuntimeError("cannot price order") from e
RuntimeError: cannot price order`;

test('each File line is a frame that carries the source lines echoed under it', () => {
  const frames = parseStackTrace(CHAINED);
  assert.deepEqual(
    frames.map((f) => f.location && `${f.function}@${f.location.line}`),
    [undefined, 'main@16', 'handler@11', 'load@6', undefined, undefined, undefined, '<module>@21', 'main@18', undefined],
  );
  assert.deepEqual(frames[2], {
    raw: '  File "/tmp/py/app/orders.py", line 11, in handler\n    return svc.load(raw)\n           ^^^^^^^^^^^^^',
    function: 'handler',
    location: { path: '/tmp/py/app/orders.py', line: 11, function: 'handler' },
    userCode: true,
  });
  assert.equal(frames[4]!.raw, 'IndexError: list index out of range');
  assert.equal(frames[5]!.raw, 'The above exception was the direct cause of the following exception:');
});

test('the standard library, installed packages and <string> are not user code', () => {
  const trace = `Traceback (most recent call last):
  File "<string>", line 9, in <module>
  File "/srv/api/views.py", line 40, in get_user
    return User.objects.get(pk=user_id)
  File "/srv/venv/lib/python3.12/site-packages/django/db/models/query.py", line 649, in get
    raise self.model.DoesNotExist(
  File "/usr/lib/python3.12/json/__init__.py", line 346, in loads
  File "C:\\Python312\\Lib\\json\\decoder.py", line 337, in decode
django.contrib.auth.models.User.DoesNotExist: User matching query does not exist.`;
  const frames = parseStackTrace(trace).filter((f) => f.function);
  assert.deepEqual(frames.map((f) => f.userCode), [false, true, false, false, false]);
  assert.equal(frames[0]!.location, undefined);
  assert.deepEqual(frames[1]!.location, { path: '/srv/api/views.py', line: 40, function: 'get_user' });
});

test('frames of an exception group keep their | prefix in raw and are still found', () => {
  const trace = `  + Exception Group Traceback (most recent call last):
  |   File "/app/jobs.py", line 12, in <module>
  |     asyncio.run(main())
  | ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)
  +-+---------------- 1 ----------------
    | Traceback (most recent call last):
    |   File "/app/jobs.py", line 7, in fetch
    |     raise ConnectionError("db down")
    | ConnectionError: db down
    +------------------------------------`;
  const frames = parseStackTrace(trace).filter((f) => f.location);
  assert.deepEqual(frames.map((f) => f.location!.line), [12, 7]);
  assert.equal(frames[1]!.raw.split('\n').length, 2);
});
