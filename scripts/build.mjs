// One build for every bundle: the engine (plain Node), the extension (VS Code host),
// and the UI (browser and webview). `--watch` rebuilds on change; `--only NAME` builds
// one of them (the UI tests build the UI they test).
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'info',
};

// VS Code 1.90's webviews run Chromium 122; the browser page needs nothing newer.
const web = {
  bundle: true,
  platform: 'browser',
  target: 'chrome120',
  format: 'iife',
  sourcemap: true,
  minify: !watch,
  logLevel: 'info',
};

// The agent's libraries (zod, the MCP SDK) are a bundle of their own, loaded on the first
// agent request: the engine's `import('./agentLibs.ts')` becomes dist/agentLibs.js.
const agentLibsApart = {
  name: 'agent-libs-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/agentLibs\.ts$/ }, (args) => (args.kind === 'dynamic-import' ? { path: './agentLibs.js', external: true } : undefined));
  },
};

const builds = [
  // Whitespace and syntax only: names stay as written for stack traces, and the bundle
  // (grpc-js is 40% of it) stays under esbuild's 1 MB size warning. grpc-js loads
  // @grpc/proto-loader (and protobufjs) only for channelz and ORCA, which Loupe does not
  // use and whose .proto files a bundle lacks anyway; our messages stay raw bytes.
  {
    name: 'engine', ...node, entryPoints: ['src/engine/main.ts'], outfile: 'dist/engine.js', minifyWhitespace: !watch, minifySyntax: !watch,
    plugins: [agentLibsApart], external: ['@grpc/proto-loader'],
  },
  { name: 'engine', ...node, entryPoints: ['src/engine/agent/agentLibs.ts'], outfile: 'dist/agentLibs.js', minifyWhitespace: !watch, minifySyntax: !watch },
  // Profile files are decoded on a worker thread, loaded from this file next to the engine.
  { name: 'engine', ...node, entryPoints: ['src/engine/profiles/decodeWorker.ts'], outfile: 'dist/profileDecoder.js', minifyWhitespace: !watch },
  { name: 'extension', ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The benchmark measures the engine as it ships: bundled, as `npm start` runs it.
  { name: 'bench', ...node, entryPoints: ['bench/run.ts', 'bench/load.ts', 'bench/nullReceivers.ts', 'bench/logLoad.ts', 'bench/signalsLoad.ts', 'bench/signalsOnly.ts', 'bench/ingestMicro.ts', 'bench/queryCpu.ts'], outdir: 'dist/bench', logLevel: 'warning' },
  // The UI: one script, one stylesheet and the page the engine serves (the extension
  // writes its own page around the same script and stylesheet).
  {
    name: 'webview',
    ...web,
    entryPoints: ['webview/src/main.ts', 'webview/src/styles/main.css', 'webview/index.html'],
    outdir: 'dist/webview',
    entryNames: '[name]',
    loader: { '.html': 'copy' },
  },
]
  .filter((b) => existsSync(b.entryPoints[0]))
  .filter((b) => !only || b.name === only)
  .map(({ name: _name, ...options }) => options);

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
