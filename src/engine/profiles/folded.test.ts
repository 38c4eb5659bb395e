// Folded stacks as perf (stackcollapse-perf), py-spy and async-profiler write them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameKind } from '../../protocol/profile.ts';
import type { CompactProfile } from '../../protocol/profile.ts';
import { decodeProfile } from './decodeProfile.ts';
import { topFunctions } from './topFunctions.ts';

function stacksOf(p: CompactProfile): string[] {
  return [...p.sampleStack].map((s, i) => {
    const names: string[] = [];
    for (; s >= 0; s = p.stackParent[s]) names.unshift(p.strings[p.frameFunction[p.stackFrame[s]]]);
    return `${names.join(';')} ${p.sampleValues[i]}`;
  });
}

describe('folded stacks', () => {
  it('reads perf output with kernel frames, comments and blank lines', () => {
    const text = '# perf script | stackcollapse-perf.pl\nmain;handle;parse 30\n\nmain;handle;write;sys_write_[k] 10\r\nmain;handle;parse;strlen 5\nswapper;[unknown] 2\n';
    const p = decodeProfile(Buffer.from(text));
    assert.equal(p.summary.format, 'folded');
    assert.deepEqual(stacksOf(p), ['main;handle;parse 30', 'main;handle;write;sys_write 10', 'main;handle;parse;strlen 5', 'swapper;[unknown] 2']);
    const kernel = p.strings.indexOf('sys_write');
    assert.equal(p.frameKind[[...p.frameFunction].indexOf(kernel)], FrameKind.Native);
    const top = new Map(topFunctions(p, 0, 100).map((r) => [r.function, r]));
    assert.equal(top.get('handle')!.total, 45);
    assert.equal(top.get('parse')!.self, 30);
    assert.equal(top.get('parse')!.total, 35);
    assert.equal(top.get('main')!.totalShare, 45 / 47);
  });

  it('reads py-spy frames with their file and line, and counts recursion once per stack', () => {
    const text = 'process 42:"python app.py";<module> (app.py:30);walk (app.py:12);walk (app.py:14);leaf (lib/util.py:3) 7\nprocess 42:"python app.py";<module> (app.py:30);walk (app.py:12) 3\n';
    const p = decodeProfile(Buffer.from(text));
    const leaf = [...p.frameFunction].indexOf(p.strings.indexOf('leaf'));
    assert.equal(p.strings[p.frameFile[leaf]], 'lib/util.py');
    assert.equal(p.frameLine[leaf], 3);
    const walk = topFunctions(p, 0, 100).find((r) => r.function === 'walk')!;
    assert.deepEqual([walk.self, walk.total, walk.line], [3, 10, 12]);
  });

  it('reads async-profiler annotations', () => {
    const p = decodeProfile(Buffer.from('java/lang/Thread.run_[j];com/acme/Server.handle_[i];__write_[k] 4\n'));
    assert.deepEqual(stacksOf(p), ['java/lang/Thread.run;com/acme/Server.handle;__write 4']);
  });

  it('says which line is not folded', () => {
    assert.throws(() => decodeProfile(Buffer.from('a;b 1\nc;d 2\nnot a stack line\n')), /folded stacks.*line 3 does not end in a sample count/);
  });
});
