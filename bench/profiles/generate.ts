// Large synthetic profiles for benchmarks (the engine's decode time here, the
// flamegraph's first paint in the UI benchmark): a pprof and a V8 .cpuprofile of a
// made-up service with thousands of functions and a deep, bushy call tree, sized to a
// target number of uncompressed bytes. Deterministic for a given seed.
//
// As a script: `npx tsx bench/profiles/generate.ts OUTDIR [MB]` writes
// big.pprof (raw protobuf), big.pb.gz and big.cpuprofile of at least MB (default 50) MB;
// with `--pprof-only`, big.pprof alone, written in pieces (for 500 MB and more).

import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Location, Profile, Sample, StringTable, type LocationInput, type SampleInput } from 'pprof-format';
import { WireReader } from '../../src/engine/otlp/protobuf/wire.ts';
import { random } from '../../src/engine/otlp/testSupport/mutation.ts';

export interface CallTree {
  functionCount: number;
  functionName(f: number): string;
  functionFile(f: number): string;
  /** Per node: its parent (-1 at the root), its function and the line of the call site. */
  parent: Int32Array;
  fn: Uint32Array;
  line: Uint32Array;
  depth: Uint16Array;
}

const PACKAGES = ['http', 'router', 'orders', 'payments', 'inventory', 'db', 'cache', 'json', 'auth', 'metrics', 'grpc', 'runtime'];
const VERBS = ['Handle', 'Serve', 'Parse', 'Encode', 'Decode', 'Lookup', 'Query', 'Scan', 'Write', 'Read', 'Validate', 'Compute'];

/** A call tree of `nodes` nodes: each new node calls from a recent node, so stacks grow deep (up to `maxDepth`). */
export function makeCallTree(nodes: number, functions = 6000, maxDepth = 120, seed = 1): CallTree {
  const rand = random(seed);
  const parent = new Int32Array(nodes);
  const fn = new Uint32Array(nodes);
  const line = new Uint32Array(nodes);
  const depth = new Uint16Array(nodes);
  // Each function calls a few others, as real code does; recursion happens through them.
  const callees = Array.from({ length: functions }, () => Array.from({ length: 2 + Math.floor(rand() * 6) }, () => Math.floor(rand() * functions)));
  parent[0] = -1;
  fn[0] = 0;
  for (let k = 1; k < nodes; k++) {
    let p = k - 1 - Math.floor(rand() ** 4 * k);
    while (depth[p] >= maxDepth) p = parent[p];
    parent[k] = p;
    depth[k] = depth[p] + 1;
    const choices = callees[fn[p]];
    fn[k] = choices[Math.floor(rand() * choices.length)];
    line[k] = 10 + ((fn[k] * 7 + k) % 400);
  }
  return {
    functionCount: functions,
    functionName: (f) => `github.com/acme/shop/${PACKAGES[f % PACKAGES.length]}.(*${VERBS[(f >> 3) % VERBS.length]}er${f % 97}).${VERBS[f % VERBS.length]}${f}`,
    functionFile: (f) => `/src/acme/shop/${PACKAGES[f % PACKAGES.length]}/file${f % 40}.go`,
    parent, fn, line, depth,
  };
}

/** An uncompressed pprof CPU profile of at least `targetBytes` bytes: samples, cpu; labels on some samples. */
export function generatePprof(targetBytes: number, seed = 1): Buffer {
  const rand = random(seed + 1);
  const tree = makeCallTree(Math.ceil(targetBytes / 160), 6000, 120, seed);
  const strings = new StringTable();
  const functions = Array.from({ length: tree.functionCount }, (_, f) => ({
    id: f + 1, name: strings.dedup(tree.functionName(f)), systemName: strings.dedup(tree.functionName(f)), filename: strings.dedup(tree.functionFile(f)), startLine: 1,
  }));
  // One location per (function, call-site line).
  const locationIds = new Map<number, number>();
  const locations: LocationInput[] = [];
  const locationOf = (node: number): number => {
    const key = tree.fn[node] * 1024 + tree.line[node];
    let id = locationIds.get(key);
    if (id === undefined) {
      id = locations.length + 1;
      locations.push({ id, mappingId: 1, address: 0x400000 + id * 16, line: [{ functionId: tree.fn[node] + 1, line: tree.line[node] }] });
      locationIds.set(key, id);
    }
    return id;
  };
  const samples: SampleInput[] = [];
  const spanKey = strings.dedup('span_id');
  const traceKey = strings.dedup('trace_id');
  let bytes = 0;
  // Every node but the root gets samples; past the end of the tree, nodes come round again
  // with other labels (distinct samples, as pprof keeps them). The size is estimated as
  // samples are added, then checked on the encoded bytes and topped up if short.
  let i = 0;
  const addSamples = (estimate: number): void => {
    for (; bytes < estimate; i++) {
      const node = tree.parent.length - 1 - (i % (tree.parent.length - 1));
      const locationId: number[] = [];
      for (let n = node; n >= 0; n = tree.parent[n]) locationId.push(locationOf(n));
      const count = 1 + Math.floor(rand() ** 3 * 50);
      const label = rand() < 0.2 ? [{ key: traceKey, str: strings.dedup(hex(rand, 32)) }, { key: spanKey, str: strings.dedup(hex(rand, 16)) }] : [];
      samples.push({ locationId, value: [count, count * 10_000_000], label });
      bytes += locationId.length * 3 + 20 + label.length * 12;
    }
  };
  const profile = new Profile({
    sampleType: [{ type: strings.dedup('samples'), unit: strings.dedup('count') }, { type: strings.dedup('cpu'), unit: strings.dedup('nanoseconds') }],
    sample: [],
    mapping: [{ id: 1, memoryStart: 0x400000, memoryLimit: 0x4000000, filename: strings.dedup('/usr/local/bin/shop'), hasFunctions: true }],
    location: [],
    function: functions,
    stringTable: strings,
    timeNanos: 1_700_000_000_000_000_000n,
    durationNanos: 30_000_000_000,
    periodType: { type: strings.dedup('cpu'), unit: strings.dedup('nanoseconds') },
    period: 10_000_000,
  });
  for (let estimate = targetBytes; ; ) {
    addSamples(estimate);
    profile.sample = samples.map((x) => new Sample(x));
    profile.location = locations.map((x) => new Location(x));
    const encoded = Buffer.from(profile.encode());
    if (encoded.length >= targetBytes) return encoded;
    estimate = bytes * (targetBytes / encoded.length) * 1.01;
  }
}

/**
 * Writes a pprof of at least `targetBytes` to `path` without holding it: a 50 MB profile
 * whose samples are then written again and again (a protobuf's repeated field may be
 * continued anywhere in the message), so memory stays that of the 50 MB one.
 */
export function writeLargePprof(path: string, targetBytes: number): number {
  const base = generatePprof(Math.min(targetBytes, 50 * 1024 * 1024));
  const r = WireReader.of(base);
  const samples: Buffer[] = [];
  while (r.pos < r.end) {
    const start = r.pos;
    const tag = r.tag();
    r.skip(tag & 7);
    if (tag === 18) samples.push(base.subarray(start, r.pos));
  }
  const sampleBlock = Buffer.concat(samples);
  const fd = openSync(path, 'w');
  try {
    let written = writeSync(fd, base);
    while (written < targetBytes) written += writeSync(fd, sampleBlock);
    return written;
  } finally {
    closeSync(fd);
  }
}

/** A V8 .cpuprofile of at least `targetBytes` bytes of JSON. */
export function generateCpuProfile(targetBytes: number, seed = 1): Buffer {
  const rand = random(seed + 2);
  // About 40% of the bytes in nodes, the rest in samples and time deltas.
  const tree = makeCallTree(Math.ceil((targetBytes * 0.4) / 190), 6000, 120, seed);
  const n = tree.parent.length;
  const children: number[][] = Array.from({ length: n }, () => []);
  for (let k = 1; k < n; k++) children[tree.parent[k]].push(k + 1);
  const nodes = Array.from({ length: n }, (_, k) => ({
    id: k + 1,
    callFrame: k === 0
      ? { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }
      : { functionName: tree.functionName(tree.fn[k]).replace(/^.*\./, ''), scriptId: String(1 + (tree.fn[k] % 300)), url: `file://${tree.functionFile(tree.fn[k]).replace(/\.go$/, '.js')}`, lineNumber: tree.line[k] - 1, columnNumber: 4 },
    hitCount: 0,
    children: children[k],
  }));
  const head = JSON.stringify({ nodes, startTime: 1_000_000, endTime: 0, samples: [], timeDeltas: [] });
  const samples: number[] = [];
  const deltas: number[] = [];
  let bytes = head.length;
  while (bytes < targetBytes) {
    const node = 1 + Math.floor(rand() ** 0.5 * (n - 1));
    samples.push(node + 1);
    const delta = 90 + Math.floor(rand() * 40);
    deltas.push(delta);
    bytes += String(node + 1).length + String(delta).length + 2;
  }
  for (const id of samples) nodes[id - 1].hitCount++;
  const endTime = 1_000_000 + deltas.reduce((a, b) => a + b, 0);
  return Buffer.from(JSON.stringify({ nodes, startTime: 1_000_000, endTime, samples, timeDeltas: deltas }));
}

function hex(rand: () => number, digits: number): string {
  let s = '';
  for (let i = 0; i < digits; i++) s += Math.floor(rand() * 16).toString(16);
  return s;
}

// Run as a script only (bundled into the benchmark, `require.main === module` would hold there too).
if (/generate\.[jt]s$/.test(process.argv[1] ?? '')) {
  const [outDir, mb = '50', only] = process.argv.slice(2);
  if (!outDir) {
    console.error('usage: npx tsx bench/profiles/generate.ts OUTDIR [MB] [--pprof-only]');
    process.exit(2);
  }
  mkdirSync(outDir, { recursive: true });
  const target = Number(mb) * 1024 * 1024;
  if (only === '--pprof-only') {
    const bytes = writeLargePprof(join(outDir, 'big.pprof'), target);
    console.log(`wrote big.pprof (${(bytes / 1048576).toFixed(1)} MB) to ${outDir}`);
    process.exit(0);
  }
  const pprof = generatePprof(target);
  writeFileSync(join(outDir, 'big.pprof'), pprof);
  writeFileSync(join(outDir, 'big.pb.gz'), gzipSync(pprof));
  writeFileSync(join(outDir, 'big.cpuprofile'), generateCpuProfile(target));
  console.log(`wrote big.pprof (${(pprof.length / 1048576).toFixed(1)} MB), big.pb.gz and big.cpuprofile to ${outDir}`);
}
