// Folded stacks ("root;caller;leaf 42" per line: perf script | stackcollapse, py-spy
// --format raw, async-profiler collapsed, FlameGraph's input) → the compact profile.

import type { CompactProfile } from '../../protocol/profile.ts';
import { FrameKind } from '../../protocol/profile.ts';
import { ProfileBuilder, type FrameInput, type FrameKindValue } from './profileBuilder.ts';
import { ProfileDecodeError } from './profileError.ts';

const LINE = /^(.*\S)\s+(\d+(?:\.\d+)?)\s*$/;

/** True when the first non-empty lines of `text` look like folded stacks. */
export function looksFolded(text: string): boolean {
  const lines = text.slice(0, 4096).split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  if (lines.length === 0) return false;
  // The last line of the excerpt may be cut short.
  const whole = lines.length > 1 ? lines.slice(0, -1) : lines;
  return whole.every((l) => LINE.test(l));
}

export function decodeFolded(text: string): CompactProfile {
  const builder = new ProfileBuilder({
    format: 'folded',
    sampleTypes: [{ type: 'samples', unit: 'count' }],
    defaultSampleType: 0,
    startTimeUnixNano: '0',
    durationNanos: '0',
  });
  const frameIds = new Map<string, number>();
  const frames: number[] = [];
  const value = [0];
  let lineNo = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const raw = text.slice(start, end).trim();
    start = end + 1;
    lineNo++;
    if (raw === '' || raw.startsWith('#')) continue;
    const m = LINE.exec(raw);
    if (!m) throw new ProfileDecodeError('folded', `line ${lineNo} does not end in a sample count: "${raw.slice(0, 80)}"`);
    frames.length = 0;
    for (const name of m[1].split(';')) {
      if (name === '') continue;
      let id = frameIds.get(name);
      if (id === undefined) {
        id = builder.frame(foldedFrame(name));
        frameIds.set(name, id);
      }
      frames.push(id);
    }
    value[0] = Number(m[2]);
    builder.sample(builder.stackOf(frames), value);
  }
  if (builder.sampleCount === 0) throw new ProfileDecodeError('folded', 'it holds no stacks');
  return builder.finish();
}

// py-spy writes `function (path/file.py:12)`.
const WITH_LOCATION = /^(.*\S) \((.+):(\d+)\)$/;
// async-profiler and perf annotate frames: _[k] kernel, _[j] JIT-compiled, _[i] inlined, _[0]/_[1] interpreted/C1.
const ANNOTATION = /_\[([kjio01])\]$/;

function foldedFrame(name: string): FrameInput {
  const annotation = ANNOTATION.exec(name);
  const bare = annotation ? name.slice(0, annotation.index) : name;
  const located = WITH_LOCATION.exec(bare);
  const fn = located ? located[1] : bare;
  return { function: fn, file: located ? located[2] : '', line: located ? Number(located[3]) : 0, column: 0, kind: foldedKind(fn, annotation?.[1]) };
}

function foldedKind(name: string, annotation: string | undefined): FrameKindValue {
  if (annotation === 'k' || name === '[unknown]' || /^0x[0-9a-f]+$/i.test(name)) return FrameKind.Native;
  return FrameKind.Code;
}
