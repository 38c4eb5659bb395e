// V8 .cpuprofile (Node --cpu-prof, Chrome DevTools) → the compact profile. Two sample
// types: the sample count and the time until the next sample (what a sample stands
// for). V8's line and column numbers are 0-based; the model's are 1-based.

import type { CompactProfile } from '../../protocol/profile.ts';
import { FrameKind } from '../../protocol/profile.ts';
import { ProfileBuilder, type FrameKindValue } from './profileBuilder.ts';
import { ProfileDecodeError } from './profileError.ts';
import { arrayField, isObject, numberField, type JsonObject } from './jsonFields.ts';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/** V8 frames named in parentheses that are not code. `(root)` is dropped from stacks: it would hold 100% of everything. */
const SPECIAL_KINDS: Record<string, FrameKindValue> = {
  '(idle)': FrameKind.Idle,
  '(program)': FrameKind.Program,
  '(garbage collector)': FrameKind.GarbageCollector,
};

export function decodeCpuProfile(doc: unknown): CompactProfile {
  const fail = (detail: string): never => { throw new ProfileDecodeError('cpuprofile', detail); };
  if (!isObject(doc)) return fail('the JSON is not an object');
  const nodes = arrayField(doc, 'nodes', fail);
  const samples = arrayField(doc, 'samples', fail);
  const deltas = doc.timeDeltas === undefined ? [] : arrayField(doc, 'timeDeltas', fail);
  const startUs = numberField(doc, 'startTime', fail, 0);
  const endUs = numberField(doc, 'endTime', fail, startUs);

  const builder = new ProfileBuilder({
    format: 'cpuprofile',
    sampleTypes: [{ type: 'samples', unit: 'count' }, { type: 'cpu', unit: 'microseconds' }],
    defaultSampleType: 1,
    // V8's clock is monotonic, not Unix time: times in the model count from the profile's start.
    startTimeUnixNano: '0',
    durationNanos: String(Math.max(0, Math.round((endUs - startUs) * 1000))),
  });

  // Each node's stack, built parents first (nodes may list children before parents).
  const byId = new Map<number, JsonObject>();
  const parentOf = new Map<number, number>();
  nodes.forEach((node, i) => {
    if (!isObject(node) || typeof node.id !== 'number') return fail(`node ${i} has no numeric id`);
    if (byId.has(node.id)) return fail(`node id ${node.id} appears twice`);
    byId.set(node.id, node);
    if (typeof node.parent === 'number') parentOf.set(node.id, node.parent);
  });
  for (const [id, node] of byId) {
    if (node.children === undefined) continue;
    if (!Array.isArray(node.children)) return fail(`node ${id}: children is not an array`);
    for (const child of node.children) {
      if (typeof child !== 'number' || !byId.has(child)) return fail(`node ${id} lists child ${String(child)}, which is not a node`);
      parentOf.set(child, id);
    }
  }
  // Walks up to the nearest node whose stack is known, then builds stacks back down:
  // iterative, because real profiles can be thousands of frames deep.
  const stackOf = new Map<number, number>();
  const chain: number[] = [];
  const resolve = (id: number): number => {
    chain.length = 0;
    let at: number | undefined = id;
    let parentStack = -1;
    while (at !== undefined) {
      const known = stackOf.get(at);
      if (known !== undefined) {
        parentStack = known;
        break;
      }
      if (!byId.has(at)) return fail(`a sample or node refers to node ${at}, which is not in "nodes"`);
      if (chain.length > byId.size) return fail(`node ${id} is its own ancestor`);
      chain.push(at);
      at = parentOf.get(at);
    }
    for (let c = chain.length - 1; c >= 0; c--) {
      const nodeId = chain[c];
      const frame = callFrameOf(byId.get(nodeId)!, nodeId, fail);
      if (!(frame.functionName === '(root)' && parentStack === -1)) {
        parentStack = builder.stack(parentStack, builder.frame({
          function: frame.functionName || '(anonymous)',
          file: frame.url,
          line: frame.lineNumber >= 0 ? frame.lineNumber + 1 : 0,
          column: frame.columnNumber >= 0 ? frame.columnNumber + 1 : 0,
          kind: SPECIAL_KINDS[frame.functionName] ?? (frame.url === '' && frame.functionName.startsWith('(') ? FrameKind.Program : FrameKind.Code),
        }));
      }
      stackOf.set(nodeId, parentStack);
    }
    return parentStack;
  };

  // Sample i happens at start + Σ deltas[0..i]; it stands for the time until the next one.
  const times = new Float64Array(samples.length);
  let t = startUs;
  for (let i = 0; i < samples.length; i++) {
    const d = deltas[i];
    // Chrome's profiles may carry small negative deltas (samples recorded out of order).
    if (typeof d === 'number' && d > 0) t += d;
    times[i] = t;
  }
  const values = [1, 0];
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i];
    if (typeof id !== 'number') return fail(`sample ${i} is not a node id`);
    const next = i + 1 < samples.length ? times[i + 1] : Math.max(endUs, times[i]);
    values[1] = Math.max(0, next - times[i]);
    builder.sample(resolve(id), values, (times[i] - startUs) / 1000);
  }
  return builder.finish();
}

function callFrameOf(node: JsonObject, id: number, fail: (d: string) => never): CallFrame {
  const cf = node.callFrame;
  if (!isObject(cf)) return fail(`node ${id} has no callFrame`);
  return {
    functionName: typeof cf.functionName === 'string' ? cf.functionName : '',
    url: typeof cf.url === 'string' ? cf.url : '',
    lineNumber: typeof cf.lineNumber === 'number' ? cf.lineNumber : -1,
    columnNumber: typeof cf.columnNumber === 'number' ? cf.columnNumber : -1,
  };
}
