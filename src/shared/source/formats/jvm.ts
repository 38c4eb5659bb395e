// Java, Kotlin, Scala and other JVM stacks:
//   	at com.example.users.UserRepository.find(UserRepository.java:42)
//   	at java.base/java.lang.Thread.run(Thread.java:833)
// The JVM names only the file; the class's package gives the directories it most
// likely sits in (com/example/users/UserRepository.java), for matching by path tail.

import { oneLine, positiveInt, sourceLocation, type FrameMatch } from './reader.ts';

// Logback may append packaging data: `~[spring-web-6.1.jar:6.1.0]`.
const AT = /^\s*at\s+([^\s()]+)\(([^()]*)\)(?:\s*~?\[[^\]]*\])?\s*$/;
const SOURCE = /^([^\s:/\\]+\.[A-Za-z]+)(?::(\d+))?$/;

export function readJvmFrame(lines: readonly string[], index: number): FrameMatch | undefined {
  const raw = lines[index]!;
  const m = AT.exec(raw);
  if (!m) return undefined;
  const where = m[2]!;
  const source = SOURCE.exec(where);
  if (!source && where !== 'Native Method' && where !== 'Unknown Source') return undefined;
  // `java.base/…` names a module, `app//…` a class loader: neither is part of the name.
  const qualified = m[1]!;
  const fn = qualified.slice(qualified.lastIndexOf('/') + 1);
  if (!source) return oneLine(raw, fn, undefined, false);
  const path = packageDirectory(fn) + source[1]!;
  return oneLine(raw, fn, sourceLocation(path, positiveInt(source[2]), undefined, fn), isUserCode(qualified));
}

/** `com.example.Outer$Inner.method` → `com/example/`. */
function packageDirectory(fn: string): string {
  const parts = fn.split('.');
  return parts.slice(0, -2).map((p) => `${p}/`).join('');
}

const RUNTIME = /^(?:java|javax|jdk|sun|com\.sun|kotlin|kotlinx|scala)\.|^(?:java|jdk)\.[\w.]+\//;

function isUserCode(qualified: string): boolean {
  return !RUNTIME.test(qualified);
}
