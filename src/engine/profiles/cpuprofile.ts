// V8 .cpuprofile (Node --cpu-prof, Chrome DevTools) → the compact profile. Two sample
// types: the sample count and the time until the next sample (what a sample stands
// for). V8's line and column numbers are 0-based; the model's are 1-based. Nodes are
// indexed once into typed arrays; samples are resolved through a per-node stack cache,
// so the per-sample work is a few array reads.

import type { CompactProfile } from '../../protocol/profile.ts';
import { FrameKind } from '../../protocol/profile.ts';
import { ProfileBuilder, type FrameKindValue } from './profileBuilder.ts';
import { ProfileDecodeError } from './profileError.ts';
import { nodesFromJson, type NodeTable } from './cpuprofileNodes.ts';
import { isObject, numberField, type JsonObject } from './jsonFields.ts';

/** V8 frames named in parentheses that are not code. `(root)` is dropped from stacks: it would hold 100% of everything. */
const SPECIAL_KINDS: Record<string, FrameKindValue> = {
  '(idle)': FrameKind.Idle,
  '(program)': FrameKind.Program,
  '(garbage collector)': FrameKind.GarbageCollector,
};

const UNKNOWN = -2;
const NOT_A_NODE = -3;

/** A function name's meaning (nameKind): a frame kind of SPECIAL_KINDS, or one of these. */
const PLAIN_NAME = -1, PARENTHESISED_NAME = -2, ROOT_NAME = -3;

function nameKind(name: string): number {
  // Without a URL, a name in parentheses is V8's, not code: (program), (root) below the top…
  return SPECIAL_KINDS[name] ?? (name === '(root)' ? ROOT_NAME : name.startsWith('(') ? PARENTHESISED_NAME : PLAIN_NAME);
}

/**
 * A .cpuprofile as JSON.parse made it. `numbers` holds "samples" and "timeDeltas" when
 * they were read from the bytes directly (src/engine/profiles/jsonNumberArrays.ts); `doc`
 * then has them as empty arrays. `onByStack`, when given, gets the profile's samples merged by stack (the form
 * `samplesByStack` makes of the result, identical to it) before the per-sample rows are made.
 */
export function decodeCpuProfile(doc: unknown, numbers?: ReadonlyMap<string, Float64Array>, onByStack?: (byStack: CompactProfile) => void): CompactProfile {
  if (!isObject(doc)) return fail('the JSON is not an object');
  const nodes = doc.nodes;
  if (!Array.isArray(nodes)) return fail(nodes === undefined ? '"nodes" is missing' : '"nodes" is not an array');
  const startUs = numberField(doc, 'startTime', fail, 0);
  const endUs = numberField(doc, 'endTime', fail, startUs);
  return decodeCpuNodes(nodesFromJson(nodes, fail), startUs, endUs, () => ({
    samples: numbers?.get('samples') ?? numberArray(doc, 'samples', false),
    deltas: numbers?.get('timeDeltas') ?? numberArray(doc, 'timeDeltas', true),
  }), onByStack);
}

function fail(detail: string): never {
  throw new ProfileDecodeError('cpuprofile', detail);
}

/**
 * A .cpuprofile from its node table and times. `samplesOf` gives the sample node ids and
 * time deltas: asked for only once every node's stack is made, as they may still be
 * being read on another thread.
 */
export function decodeCpuNodes(nodes: NodeTable, startUs: number, endUs: number, samplesOf: () => { samples: ArrayLike<number>; deltas: ArrayLike<number> }, onByStack?: (byStack: CompactProfile) => void): CompactProfile {
  const builder = new ProfileBuilder({
    format: 'cpuprofile',
    sampleTypes: [{ type: 'samples', unit: 'count' }, { type: 'cpu', unit: 'microseconds' }],
    defaultSampleType: 1,
    // V8's clock is monotonic, not Unix time: times in the model count from the profile's start.
    startTimeUnixNano: '0',
    durationNanos: String(Math.max(0, Math.round((endUs - startUs) * 1000))),
  }, nodes.count, nodes.count);

  const tree = indexNodes(nodes);
  const stackOf = new Int32Array(nodes.count).fill(UNKNOWN);
  // Each string's id in the builder, looked up once: as a function name, as a file.
  const nameIds = new Int32Array(nodes.strings.length).fill(-1);
  const fileIds = new Int32Array(nodes.strings.length).fill(-1);
  // What each string means as a function name, found once per string, not per node.
  const nameKinds = Int8Array.from(nodes.strings, nameKind);
  const chain: number[] = [];
  // Walks up to the nearest node whose stack is known, then builds stacks back down:
  // iterative, because real profiles can be thousands of frames deep.
  const resolve = (index: number): number => {
    chain.length = 0;
    let at = index;
    let parentStack = -1;
    while (at >= 0) {
      if (stackOf[at] !== UNKNOWN) {
        parentStack = stackOf[at];
        break;
      }
      if (chain.length > nodes.count) return fail(`node ${tree.ids[index]} is its own ancestor`);
      chain.push(at);
      at = tree.parent[at];
    }
    for (let c = chain.length - 1; c >= 0; c--) {
      const k = chain[c];
      const nameAt = nodes.name[k];
      if (nameAt < 0) return fail(`node ${tree.ids[k]} has no callFrame`);
      const urlAt = nodes.url[k];
      const lineNumber = nodes.line[k];
      const columnNumber = nodes.column[k];
      const line = lineNumber >= 0 ? lineNumber + 1 : 0;
      const column = columnNumber >= 0 ? columnNumber + 1 : 0;
      const named = nameKinds[nameAt];
      if (!(named === ROOT_NAME && parentStack === -1)) {
        const kind = named >= 0 ? (named as FrameKindValue) : named !== PLAIN_NAME && nodes.strings[urlAt] === '' ? FrameKind.Program : FrameKind.Code;
        if (nameIds[nameAt] < 0) nameIds[nameAt] = builder.string(nodes.strings[nameAt] || '(anonymous)');
        if (fileIds[urlAt] < 0) fileIds[urlAt] = builder.string(nodes.strings[urlAt]);
        parentStack = builder.stack(parentStack, builder.frameOfStrings(nameIds[nameAt], fileIds[urlAt], line, column, kind));
      }
      stackOf[k] = parentStack;
    }
    return parentStack;
  };

  // Every node's stack first, in the order of "nodes" (parents before children, as V8
  // writes them): this is the part that does not need the samples.
  for (let k = 0; k < nodes.count; k++) if (stackOf[k] === UNKNOWN) resolve(k);
  const { samples, deltas } = samplesOf();

  // Sample i happens at start + Σ deltas[0..i]; it stands for the time until the next one.
  // Chrome's profiles may carry small negative deltas (samples recorded out of order): clamped.
  const n = samples.length;
  const step = (i: number): number => (i < deltas.length && deltas[i] > 0 ? deltas[i] : 0);
  const timeOf = (t: number, i: number): number => (i + 1 < n ? t + step(i + 1) : Math.max(endUs, t));
  let noFrames = -1;
  // Each node id's stack, read per sample in one step where ids are dense (V8 numbers them 1…n).
  const byId = tree.dense && Int32Array.from(tree.dense, (index) => (index < 0 ? NOT_A_NODE : stackOf[index]));
  const stackAt = (i: number): number => {
    const id = samples[i];
    const index = byId ? -1 : tree.indexOf(id);
    let stack = byId ? ((id >>> 0) === id && id < byId.length ? byId[id] : NOT_A_NODE) : index < 0 ? NOT_A_NODE : stackOf[index];
    if (stack === NOT_A_NODE) return fail(`sample ${i} refers to node ${id}, which is not in "nodes"`);
    if (stack < 0) {
      // A sample on (root) alone: kept under the builder's "(no frames)" root.
      if (noFrames < 0) noFrames = builder.stack(-1, builder.frame({ function: '(no frames)', file: '', line: 0, column: 0, kind: FrameKind.Program }));
      stack = noFrames;
    }
    return stack;
  };

  // First the samples merged by stack, for a viewer to draw while the per-sample rows
  // (tens of MB of fresh memory) are made: sums taken in the order the full profile's
  // are (runs of a stack first, as mergeSampleRuns does, then per stack, as
  // samplesByStack does), so the two agree to the last bit.
  const sums = new Float64Array((nodes.count + 1) * 2);
  let t = startUs + step(0);
  let run = -1, runCount = 0, runTime = 0;
  for (let i = 0; i < n; i++) {
    const stack = stackAt(i);
    const next = timeOf(t, i);
    const v = finite(Math.max(0, next - t));
    t = next;
    if (stack === run) {
      runCount += 1;
      runTime += v;
      continue;
    }
    if (run >= 0) {
      sums[2 * run] += runCount;
      sums[2 * run + 1] += runTime;
    }
    run = stack;
    runCount = 1;
    runTime = v;
  }
  if (run >= 0) {
    sums[2 * run] += runCount;
    sums[2 * run + 1] += runTime;
  }
  if (onByStack) onByStack(builder.byStackForm(n, sums));

  t = startUs + step(0);
  const stacks = new Uint32Array(n);
  const values = new Float64Array(n * 2);
  const timesMs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    stacks[i] = stackAt(i);
    const next = timeOf(t, i);
    values[2 * i] = 1;
    values[2 * i + 1] = Math.max(0, next - t);
    timesMs[i] = (t - startUs) / 1000;
    t = next;
  }
  builder.samples(stacks, values, timesMs);
  return builder.finish();
}

/** What the builder keeps of a value (non-finite ones become 0). */
function finite(v: number): number {
  return Number.isFinite(v) ? v : 0;
}

interface NodeIndex {
  ids: Float64Array;
  /** Node id → index into `nodes` (-1: none), when ids are dense. */
  dense: Int32Array | undefined;
  /** Each node's parent as an index into `nodes`, -1 at a root. */
  parent: Int32Array;
  indexOf(id: number): number;
}

/** Node ids → indices (an array when ids are dense, as V8 numbers them 1…n), and parents from either `parent` or `children`. */
function indexNodes(nodes: NodeTable): NodeIndex {
  const ids = Float64Array.from(nodes.ids);
  let maxId = 0;
  for (let i = 0; i < ids.length; i++) if (ids[i] > maxId) maxId = ids[i];
  let indexOf: (id: number) => number;
  let dense: Int32Array | undefined;
  if (maxId <= nodes.count * 4 + 1024) {
    dense = new Int32Array(maxId + 1).fill(-1);
    for (let i = 0; i < ids.length; i++) {
      if (dense[ids[i]] >= 0) return fail(`node id ${ids[i]} appears twice`);
      dense[ids[i]] = i;
    }
    const byId = dense;
    indexOf = (id) => (id >= 0 && id <= maxId && Number.isInteger(id) ? byId[id] : -1);
  } else {
    const sparse = new Map<number, number>();
    for (let i = 0; i < ids.length; i++) {
      if (sparse.has(ids[i])) return fail(`node id ${ids[i]} appears twice`);
      sparse.set(ids[i], i);
    }
    indexOf = (id) => sparse.get(id) ?? -1;
  }
  const parent = new Int32Array(nodes.count).fill(-1);
  if (nodes.parents) {
    for (let i = 0; i < nodes.count; i++) {
      const named = nodes.parents[i];
      if (Number.isNaN(named)) continue;
      const p = indexOf(named);
      if (p < 0) return fail(`node ${ids[i]} names parent ${named}, which is not a node`);
      parent[i] = p;
    }
  }
  for (let i = 0; i < nodes.count; i++) {
    for (let c = nodes.childStart[i]; c < nodes.childStart[i + 1]; c++) {
      const child = indexOf(nodes.childIds[c]);
      if (child < 0) return fail(`node ${ids[i]} lists child ${nodes.childIds[c]}, which is not a node`);
      parent[child] = i;
    }
  }
  return { ids, dense, parent, indexOf };
}

function numberArray(doc: JsonObject, key: string, optional: boolean): ArrayLike<number> {
  const v = doc[key];
  if (v === undefined && optional) return [];
  if (!Array.isArray(v)) return fail(v === undefined ? `"${key}" is missing` : `"${key}" is not an array`);
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'number') return fail(key === 'samples' ? `sample ${i} is not a node id` : `"${key}"[${i}] is not a number`);
  return v as number[];
}
