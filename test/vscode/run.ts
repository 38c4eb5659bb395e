// `npm run test:vscode`: sets up code-server (cached in .cache/code-server), then runs the
// end-to-end tests (*.e2e.ts) against the VSIX that `npm run package` just built.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setupCodeServer } from './setupCodeServer.ts';

const started = Date.now();
setupCodeServer();
console.log(`[test:vscode] code-server ready after ${((Date.now() - started) / 1000).toFixed(0)} s`);
mkdirSync(join(__dirname, '../../docs/screenshots'), { recursive: true });
const only = process.argv.slice(2);
const files = only.length ? only : readdirSync(__dirname).filter((f) => f.endsWith('.e2e.ts')).map((f) => join(__dirname, f));
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { stdio: 'inherit' });
console.log(`[test:vscode] finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(result.status ?? 1);
