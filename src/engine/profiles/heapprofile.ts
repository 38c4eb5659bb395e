// V8 sampling heap profile (.heapprofile from Node --heap-prof, Chrome DevTools) → the
// compact profile: one sample per allocation site with its self size in bytes, and the
// number of sampled allocations there when the file lists them.

import type { CompactProfile } from '../../protocol/profile.ts';
import { FrameKind } from '../../protocol/profile.ts';
import { ProfileBuilder } from './profileBuilder.ts';
import { ProfileDecodeError } from './profileError.ts';
import { arrayField, isObject, type JsonObject } from './jsonFields.ts';

export function decodeHeapProfile(doc: unknown): CompactProfile {
  const fail = (detail: string): never => { throw new ProfileDecodeError('heapprofile', detail); };
  if (!isObject(doc)) return fail('the JSON is not an object');
  if (!isObject(doc.head)) return fail('"head" (the root allocation node) is missing');
  const samples = doc.samples === undefined ? [] : arrayField(doc, 'samples', fail);
  const countByNode = new Map<number, number>();
  samples.forEach((s, i) => {
    if (!isObject(s) || typeof s.nodeId !== 'number') return fail(`sample ${i} has no numeric nodeId`);
    countByNode.set(s.nodeId, (countByNode.get(s.nodeId) ?? 0) + 1);
  });

  const builder = new ProfileBuilder({
    format: 'heapprofile',
    sampleTypes: [{ type: 'space', unit: 'bytes' }, { type: 'objects', unit: 'count' }],
    defaultSampleType: 0,
    startTimeUnixNano: '0',
    durationNanos: '0',
  });
  // Depth-first without recursion: allocation trees can be very deep.
  const pending: { node: unknown; parentStack: number; path: string }[] = [{ node: doc.head, parentStack: -1, path: 'head' }];
  const values = [0, 0];
  let visited = 0;
  while (pending.length) {
    const { node, parentStack, path } = pending.pop()!;
    if (!isObject(node)) return fail(`${path} is not a node object`);
    if (++visited > 50_000_000) return fail('more than 50 million nodes');
    const stack = frameStack(builder, node, parentStack, path, fail);
    const selfSize = typeof node.selfSize === 'number' && node.selfSize > 0 ? node.selfSize : 0;
    const count = typeof node.id === 'number' ? countByNode.get(node.id) ?? 0 : 0;
    if (selfSize > 0 || count > 0) {
      values[0] = selfSize;
      values[1] = count;
      builder.sample(stack, values);
    }
    if (node.children === undefined) continue;
    if (!Array.isArray(node.children)) return fail(`${path}.children is not an array`);
    node.children.forEach((child, i) => pending.push({ node: child, parentStack: stack, path: `${path}.children[${i}]` }));
  }
  return builder.finish();
}

function frameStack(builder: ProfileBuilder, node: JsonObject, parentStack: number, path: string, fail: (d: string) => never): number {
  const cf = node.callFrame;
  if (!isObject(cf)) return fail(`${path} has no callFrame`);
  const name = typeof cf.functionName === 'string' ? cf.functionName : '';
  if (name === '(root)' && parentStack === -1) return -1;
  const line = typeof cf.lineNumber === 'number' && cf.lineNumber >= 0 ? cf.lineNumber + 1 : 0;
  const column = typeof cf.columnNumber === 'number' && cf.columnNumber >= 0 ? cf.columnNumber + 1 : 0;
  const url = typeof cf.url === 'string' ? cf.url : '';
  const kind = name === '(garbage collector)' ? FrameKind.GarbageCollector : url === '' && name.startsWith('(') ? FrameKind.Program : FrameKind.Code;
  return builder.stack(parentStack, builder.frame({ function: name || '(anonymous)', file: url, line, column, kind }));
}
