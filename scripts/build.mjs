// One build for every bundle: the engine (plain Node), the extension (VS Code host),
// and later the UI. `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'info',
};

const builds = [
  { ...node, entryPoints: ['src/engine/main.ts'], outfile: 'dist/engine.js' },
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The benchmark measures the engine as it ships: bundled, as `npm start` runs it.
  { ...node, entryPoints: ['bench/run.ts', 'bench/load.ts'], outdir: 'dist/bench', logLevel: 'warning' },
].filter((b) => existsSync(b.entryPoints[0]));

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
