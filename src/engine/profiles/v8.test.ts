// V8 profiles made by Node itself in the test (`node --cpu-prof`, `node --heap-prof`),
// decoded and checked against figures computed here from the raw JSON.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FrameKind } from '../../protocol/profile.ts';
import type { CompactProfile } from '../../protocol/profile.ts';
import { decodeProfile } from './decodeProfile.ts';
import { topFunctions } from './topFunctions.ts';

// Line numbers below are 1-based, as editors show them.
const PROGRAM = `'use strict';
function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
function allocateMany() {
  const keep = [];
  for (let i = 0; i < 2000; i++) keep.push(new Array(64).fill(i));
  return keep;
}
const kept = globalThis.kept = []; // global, so the heap profile written at exit still holds it
const end = Date.now() + 400;
while (Date.now() < end) { fib(20); if (kept.length < 20) kept.push(allocateMany()); }
setTimeout(() => {}, 100);
`;

interface V8Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }

let dir = '';
let cpuBytes: Buffer;
let heapBytes: Buffer;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'loupe-v8-'));
  const script = join(dir, 'program.js');
  writeFileSync(script, PROGRAM);
  const run = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-interval=200', '--heap-prof', '--heap-prof-interval=4096', script], { cwd: dir, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const files = readdirSync(dir);
  cpuBytes = readFileSync(join(dir, files.find((f) => f.endsWith('.cpuprofile'))!));
  heapBytes = readFileSync(join(dir, files.find((f) => f.endsWith('.heapprofile'))!));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function frameNamed(p: CompactProfile, fn: string): number {
  const f = [...p.frameFunction.keys()].find((i) => p.strings[p.frameFunction[i]] === fn);
  assert.ok(f !== undefined, `no frame named ${fn}`);
  return f;
}

describe('V8 profiles from node --cpu-prof and --heap-prof', () => {
  it('decodes a .cpuprofile: 1-based lines, special frames apart, time per sample', () => {
    const p = decodeProfile(cpuBytes);
    const raw = JSON.parse(cpuBytes.toString('utf8')) as { samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
    assert.equal(p.summary.format, 'cpuprofile');
    assert.deepEqual(p.summary.sampleTypes.map((t) => t.type), ['samples', 'cpu']);
    assert.equal(p.summary.sampleCount, raw.samples.length);
    const fib = frameNamed(p, 'fib');
    assert.match(p.strings[p.frameFile[fib]], /program\.js$/);
    assert.equal(p.frameLine[fib], 2);
    assert.equal(p.frameColumn[fib], 13, 'V8 puts a function at its "(" (0-based column 12)');
    assert.equal(p.frameKind[frameNamed(p, '(program)')], FrameKind.Program);
    const gc = [...p.frameFunction.keys()].find((i) => p.strings[p.frameFunction[i]] === '(garbage collector)');
    if (gc !== undefined) assert.equal(p.frameKind[gc], FrameKind.GarbageCollector);
    assert.ok(!p.strings.includes('(root)'), '(root) holds everything and is left out');
    // Consecutive samples of one stack are one row (src/engine/profiles/sampleRuns.ts); the count column still adds up to every sample.
    assert.ok(p.sampleStack.length < raw.samples.length, `${p.sampleStack.length} rows for ${raw.samples.length} samples`);
    assert.equal(p.sampleValues.reduce((sum, v, i) => (i % 2 === 0 ? sum + v : sum), 0), raw.samples.length);
    // Times: one per row, from the profile start, non-decreasing; values add up to the duration.
    assert.equal(p.sampleTimeMs.length, p.sampleStack.length);
    for (let i = 1; i < p.sampleTimeMs.length; i++) assert.ok(p.sampleTimeMs[i] >= p.sampleTimeMs[i - 1]);
    let cpu = 0;
    for (let i = 0; i < p.sampleStack.length; i++) cpu += p.sampleValues[2 * i + 1];
    // Each sample stands for the time until the next one, the last one until endTime.
    assert.ok(Math.abs(cpu - (raw.endTime - raw.startTime - p.sampleTimeMs[0] * 1000)) < 1e-3);
  });

  it('counts per function match totals computed from the raw nodes (once per stack)', () => {
    const p = decodeProfile(cpuBytes);
    const raw = JSON.parse(cpuBytes.toString('utf8')) as { nodes: V8Node[]; samples: number[] };
    const byId = new Map(raw.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of raw.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const self = new Map<string, number>();
    const total = new Map<string, number>();
    for (const id of raw.samples) {
      const names: string[] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) names.push(byId.get(at)!.callFrame.functionName || '(anonymous)');
      names.pop(); // (root)
      self.set(names[0], (self.get(names[0]) ?? 0) + 1);
      for (const n of new Set(names)) total.set(n, (total.get(n) ?? 0) + 1);
    }
    const rows = topFunctions(p, 0, 1e6);
    assert.equal(rows.length, total.size);
    for (const r of rows) {
      assert.equal(r.self, self.get(r.function) ?? 0, r.function);
      assert.equal(r.total, total.get(r.function), r.function);
    }
    assert.ok(total.get('fib')! > 0, 'fib was sampled');
  });

  it('decodes a .heapprofile: self bytes and sampled allocations per site', () => {
    const p = decodeProfile(heapBytes);
    const raw = JSON.parse(heapBytes.toString('utf8')) as { head: { selfSize: number; children: unknown[] }; samples: { size: number; nodeId: number }[] };
    assert.equal(p.summary.format, 'heapprofile');
    assert.deepEqual(p.summary.sampleTypes, [{ type: 'space', unit: 'bytes' }, { type: 'objects', unit: 'count' }]);
    let rawBytes = 0;
    let allocateLine = -1;
    const ids = new Set<number>();
    const pending: { id: number; selfSize: number; callFrame: V8Node['callFrame']; children?: unknown[] }[] = [raw.head as (typeof pending)[0]];
    while (pending.length) {
      const n = pending.pop()!;
      ids.add(n.id);
      rawBytes += n.selfSize;
      if (n.callFrame.functionName === 'allocateMany') allocateLine = n.callFrame.lineNumber;
      pending.push(...((n.children ?? []) as typeof pending));
    }
    let bytes = 0;
    let objects = 0;
    for (let i = 0; i < p.sampleStack.length; i++) {
      bytes += p.sampleValues[2 * i];
      objects += p.sampleValues[2 * i + 1];
    }
    assert.equal(bytes, rawBytes);
    // V8 may write a sample whose node it no longer has in the tree; such a sample has no stack.
    assert.equal(objects, raw.samples.filter((s) => ids.has(s.nodeId)).length);
    const top = topFunctions(p, 0, 1e6);
    const allocate = top.find((r) => r.function === 'allocateMany');
    assert.ok(allocate && allocate.total > 0, 'allocateMany allocated');
    // Node writes the profile at exit, when it may no longer know the script's lines (-1).
    assert.equal(allocate.line, allocateLine >= 0 ? allocateLine + 1 : 0);
  });

  it('keeps time moving forward through a .cpuprofile whose deltas go negative', () => {
    const frame = (functionName: string) => ({ functionName, url: 'file:///t.js', lineNumber: 1, columnNumber: 1 });
    const doc = {
      nodes: [{ id: 1, callFrame: frame('(root)'), children: [2] }, { id: 2, callFrame: frame('work') }],
      startTime: 0, endTime: 500, samples: [2, 2, 2, 2], timeDeltas: [50, -20, 100, -1],
    };
    const p = decodeProfile(Buffer.from(JSON.stringify(doc)));
    for (let i = 1; i < p.sampleTimeMs.length; i++) assert.ok(p.sampleTimeMs[i] >= p.sampleTimeMs[i - 1]);
    assert.ok([...p.sampleValues].every((v) => v >= 0));
  });
});
