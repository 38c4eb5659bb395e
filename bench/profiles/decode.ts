// Profile decoding at 50 MB: the generated pprof (raw and gzip) and .cpuprofile decoded
// in this process (CPU and wall time), then imported into the engine running as
// `npm start` runs it (POST /api/profiles until its answer, the compact form back, /top),
// with the engine's peak RSS. Printed, not asserted.

import { gzipSync } from 'node:zlib';
import { decodeProfile } from '../../src/engine/profiles/decodeProfile.ts';
import { startEngineProcess } from '../support/engineProcess.ts';
import { generateCpuProfile, generatePprof } from './generate.ts';

const MB = 1024 * 1024;

export async function profileDecodeRows(targetMb = Number(process.env.BENCH_PROFILE_MB ?? 50)): Promise<string[]> {
  console.error(`  generating ${targetMb} MB profiles…`);
  const pprof = generatePprof(targetMb * MB);
  const files: [string, Buffer][] = [
    ['pprof (raw protobuf)', pprof],
    ['pprof (gzip)', gzipSync(pprof)],
    ['V8 .cpuprofile', generateCpuProfile(targetMb * MB)],
  ];
  const rows = [
    '', `| profile | file MB | decode in-process: CPU ms | wall ms | samples | stacks | POST /api/profiles ms | GET compact (binary) ms, MB | /top ms | engine peak RSS MB |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [name, bytes] of files) {
    global.gc?.();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const profile = decodeProfile(bytes);
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const engine = await startEngineProcess(['--memory-budget-mb', '4096']);
    try {
      const p0 = performance.now();
      const res = await fetch(`${engine.httpUrl}/api/profiles?name=bench`, { method: 'POST', body: bytes });
      const { id } = (await res.json()) as { id: string };
      const postMs = performance.now() - p0;
      if (res.status !== 201) throw new Error(`import failed: ${res.status}`);
      const g0 = performance.now();
      const compact = await (await fetch(`${engine.httpUrl}/api/profiles/${id}?format=binary`)).arrayBuffer();
      const getMs = performance.now() - g0;
      const q0 = performance.now();
      await (await fetch(`${engine.httpUrl}/api/profiles/${id}/top?limit=50`)).json();
      const topMs = performance.now() - q0;
      rows.push(`| ${name} | ${(bytes.length / MB).toFixed(1)} | ${((cpu.user + cpu.system) / 1000).toFixed(0)} | ${wall.toFixed(0)} | ${profile.summary.sampleCount.toLocaleString('en-US')} | ${profile.stackParent.length.toLocaleString('en-US')} | ${postMs.toFixed(0)} | ${getMs.toFixed(0)}, ${(compact.byteLength / MB).toFixed(1)} | ${topMs.toFixed(0)} | ${(engine.peakRss() / MB).toFixed(0)} |`);
    } finally {
      await engine.stop();
    }
  }
  return rows;
}
