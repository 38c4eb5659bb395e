// `npm start` (after the build): the engine as the extension starts it, with the Node
// flags and malloc tunables of src/engine/heapTuning.ts (ENGINE_NODE_FLAGS, ENGINE_ENV;
// keep them in step). Arguments after `npm start --` go to the engine.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const engine = fileURLToPath(new URL('../dist/engine.js', import.meta.url));
const child = spawn(process.execPath, ['--max-semi-space-size=4', engine, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, GLIBC_TUNABLES: [process.env.GLIBC_TUNABLES, 'glibc.malloc.mmap_threshold=1048576:glibc.malloc.hugetlb=1'].filter(Boolean).join(':') },
});
// Ctrl-C reaches both through the terminal; a stop sent to this process alone is passed on.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
