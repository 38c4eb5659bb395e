// A large synthetic V8 .cpuprofile for the viewer benchmark (the profile-engine branch
// may bring its own generator; this one only serves bench/profileViewer.ts): a call tree
// of a few hundred thousand nodes over thousands of functions, up to ~60 deep, and a
// million samples weighted towards some hot paths. Deterministic for a given size.

export function generateCpuProfile(targetBytes: number, seed = 1): string {
  let state = seed >>> 0 || 1;
  const random = () => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state / 4294967296;
  };
  // About 200 bytes per node and 9 per sample; a quarter of the bytes go to samples.
  const nodes = Math.max(1000, Math.round((targetBytes * 0.8) / 200));
  const samples = Math.max(1000, Math.round((targetBytes * 0.25) / 9));
  const functions = Math.max(200, Math.round(nodes / 40));
  const files = Math.max(20, Math.round(functions / 15));
  const parent = new Int32Array(nodes);
  const depth = new Int32Array(nodes);
  const shallow: number[] = [0];
  parent[0] = -1;
  for (let i = 1; i < nodes; i++) {
    // Mostly extend a recent chain (deep stacks), sometimes branch from far back.
    let p = Math.max(0, i - 1 - Math.floor(random() ** 4 * i));
    if (depth[p] >= 60) p = shallow[Math.floor(random() * shallow.length)];
    parent[i] = p;
    depth[i] = depth[p] + 1;
    if (depth[i] < 12) shallow.push(i);
  }
  const children: number[][] = Array.from({ length: nodes }, () => []);
  for (let i = 1; i < nodes; i++) children[parent[i]].push(i + 1);
  const parts: string[] = ['{"nodes":['];
  for (let i = 0; i < nodes; i++) {
    // A function lives in one file at one line, as in a real program.
    const f = Math.floor(random() ** 1.5 * functions);
    const fn = i === 0 ? '(root)' : `${['handle', 'compute', 'render', 'parse', 'fetch', 'load', 'update'][f % 7]}_${f}`;
    const file = i === 0 ? '' : `file:///app/src/module_${f % files}/part_${f % 13}.js`;
    parts.push(`${i ? ',' : ''}{"id":${i + 1},"callFrame":{"functionName":"${fn}","scriptId":"${(f % files) + 1}","url":"${file}","lineNumber":${(f * 7) % 900},"columnNumber":${f % 80}},"hitCount":0,"children":[${children[i].join(',')}]}`);
  }
  parts.push('],"startTime":0,"endTime":', String(samples * 250), ',"samples":[');
  const ids: string[] = [];
  for (let s = 0; s < samples; s++) ids.push(String(1 + Math.floor(random() ** 2 * nodes)));
  parts.push(ids.join(','), '],"timeDeltas":[');
  const deltas: string[] = [];
  for (let s = 0; s < samples; s++) deltas.push(String(200 + Math.floor(random() * 100)));
  parts.push(deltas.join(','), ']}');
  return parts.join('');
}
