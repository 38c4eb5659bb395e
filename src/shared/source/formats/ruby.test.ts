import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStackTrace } from '../stackTrace.ts';

test("Ruby 3.4 backtraces: 'Cls#method' quoting, the message on the first frame", () => {
  const trace = `/app/models/user.rb:42:in 'User.find!': user 7 not found (ActiveRecord::RecordNotFound)
\tfrom /app/controllers/users_controller.rb:8:in 'UsersController#show'
\tfrom /usr/local/bundle/gems/actionpack-7.1.3/lib/action_controller/metal/basic_implicit_render.rb:6:in 'send_action'
\tfrom <internal:kernel>:187:in 'Kernel#loop'
\tfrom /app/bin/server:12:in '<main>'`;
  const frames = parseStackTrace(trace);
  assert.deepEqual(frames[0], {
    raw: "/app/models/user.rb:42:in 'User.find!': user 7 not found (ActiveRecord::RecordNotFound)",
    function: 'User.find!',
    location: { path: '/app/models/user.rb', line: 42, function: 'User.find!' },
    userCode: true,
  });
  assert.deepEqual(frames[1]!.location, { path: '/app/controllers/users_controller.rb', line: 8, function: 'UsersController#show' });
  assert.deepEqual(frames.map((f) => f.userCode), [true, true, false, false, true]);
  assert.equal(frames[3]!.location, undefined);
});

test('older backtraces with `backtick quoting, relative paths and blocks', () => {
  const trace = `app/services/billing.rb:17:in \`charge': card declined (Billing::Declined)
\tfrom app/services/billing.rb:9:in \`block in process'
\tfrom /usr/lib/ruby/3.2.0/benchmark.rb:311:in \`realtime'`;
  const frames = parseStackTrace(trace);
  assert.deepEqual(frames.map((f) => f.location?.line), [17, 9, 311]);
  assert.equal(frames[1]!.function, 'block in process');
  assert.equal(frames[0]!.location!.path, 'app/services/billing.rb');
  assert.equal(frames[2]!.userCode, false);
});
