import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it, test } from 'node:test';
import { ENGINE_ENV, glibcTunables, heapGrowingPercent } from './heapTuning.ts';

const MIB = 1048576;

describe("V8's heap growth, set from what the heap holds", () => {
  it('leaves about 24 MiB of slack: 20% of a small heap at most, 3% of a large one at least', () => {
    assert.equal(heapGrowingPercent(10 * MIB), 20);
    assert.equal(heapGrowingPercent(240 * MIB), 10);
    assert.equal(heapGrowingPercent(480 * MIB), 5);
    assert.equal(heapGrowingPercent(4096 * MIB), 3);
    assert.equal(heapGrowingPercent(0), 20);
  });
});

test('the engine environment keeps a GLIBC_TUNABLES the user set and adds its own after it', () => {
  assert.equal(glibcTunables(undefined), 'glibc.malloc.mmap_threshold=1048576:glibc.malloc.hugetlb=1');
  assert.equal(glibcTunables('glibc.malloc.arena_max=2'), 'glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=1048576:glibc.malloc.hugetlb=1');
});

// Where the kernel offers huge pages on advice ("madvise" or "always"), a process started
// with ENGINE_ENV backs a large fresh buffer with them (AnonHugePages in its smaps).
const thp = (() => {
  try {
    return /\[(madvise|always)\]/.test(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'));
  } catch {
    return false;
  }
})();
test('a process started with the engine environment gets huge pages for large buffers', { skip: !thp && 'the kernel offers no transparent huge pages' }, () => {
  const script = 'const b = Buffer.alloc(64 << 20, 1); const m = /AnonHugePages:\\s+(\\d+)/.exec(require("fs").readFileSync("/proc/self/smaps_rollup", "utf8")); console.log(m ? m[1] : 0, b[5]);';
  const run = (env: NodeJS.ProcessEnv): number => Number(execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8' }).split(' ')[0]);
  const withIt = run({ ...process.env, ...ENGINE_ENV });
  assert.ok(withIt >= 2048, `AnonHugePages ${withIt} kB with ENGINE_ENV: not one huge page`);
});
