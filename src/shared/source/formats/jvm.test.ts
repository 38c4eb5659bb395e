import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStackTrace } from '../stackTrace.ts';

// Captured from OpenJDK 17: an exception thrown inside a stream lambda, wrapped.
const WRAPPED = `Exception in thread "main" java.lang.IllegalStateException: cannot load user 7
\tat com.example.users.UserRepository.main(UserRepository.java:19)
Caused by: java.lang.NullPointerException: Cannot invoke "String.indexOf(int)" because "<parameter1>.email" is null
\tat com.example.users.UserRepository.lambda$emailOf$0(UserRepository.java:11)
\tat java.base/java.util.stream.ReferencePipeline$3$1.accept(ReferencePipeline.java:197)
\tat java.base/java.util.AbstractList$RandomAccessSpliterator.tryAdvance(AbstractList.java:706)
\tat com.example.users.UserRepository.emailOf(UserRepository.java:12)
\tat com.example.users.UserRepository.main(UserRepository.java:17)
\t... 1 more`;

test('a JVM frame names a file; the package turns it into a path to match by tail', () => {
  const frames = parseStackTrace(WRAPPED);
  assert.equal(frames.length, 9);
  assert.deepEqual(frames[1], {
    raw: '\tat com.example.users.UserRepository.main(UserRepository.java:19)',
    function: 'com.example.users.UserRepository.main',
    location: { path: 'com/example/users/UserRepository.java', line: 19, function: 'com.example.users.UserRepository.main' },
    userCode: true,
  });
  assert.equal(frames[3]!.function, 'com.example.users.UserRepository.lambda$emailOf$0');
  // The module prefix (java.base/) is not part of the class name.
  assert.equal(frames[4]!.function, 'java.util.stream.ReferencePipeline$3$1.accept');
  assert.equal(frames[4]!.location!.path, 'java/util/stream/ReferencePipeline.java');
  assert.equal(frames[4]!.userCode, false);
  assert.deepEqual([frames[2], frames[8]], [{ raw: frames[2]!.raw }, { raw: '\t... 1 more' }]);
});

test('Kotlin, native methods, unknown sources and logback packaging data', () => {
  const trace = `kotlinx.coroutines.TimeoutCancellationException: Timed out waiting for 500 ms
\tat kotlinx.coroutines.TimeoutKt.TimeoutCancellationException(Timeout.kt:184)
\tat com.example.profile.ProfileClientKt$fetch$2.invokeSuspend(ProfileClient.kt:27)
\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)
\tat app//com.example.Main.lambda$run$1(Unknown Source)
\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883) ~[spring-webmvc-6.1.3.jar:6.1.3]`;
  const [, timeout, client, native, unknown, spring] = parseStackTrace(trace);
  assert.equal(timeout!.userCode, false);
  assert.deepEqual(client!.location, {
    path: 'com/example/profile/ProfileClient.kt', line: 27, function: 'com.example.profile.ProfileClientKt$fetch$2.invokeSuspend',
  });
  assert.deepEqual(native, { raw: native!.raw, function: 'jdk.internal.reflect.NativeMethodAccessorImpl.invoke0', userCode: false });
  assert.equal(unknown!.function, 'com.example.Main.lambda$run$1');
  assert.equal(unknown!.location, undefined);
  assert.equal(spring!.location!.line, 883);
});
