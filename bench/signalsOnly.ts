// `node dist/bench/signalsOnly.js`: the signals benchmark alone (npm run bench runs it with the rest).

import { signalsBenchmark } from './signals.ts';

void signalsBenchmark().then((rows) => {
  console.log(rows.join('\n'));
  process.exit(0);
}, (err: unknown) => {
  console.error(err);
  process.exit(1);
});
