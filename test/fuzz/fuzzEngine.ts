// One engine for the targets that ingest: its small budget keeps evicting, as a busy one does.

import { Engine } from '../../src/engine/engine.ts';

let engine: Engine | undefined;

export function fuzzEngine(): Engine {
  if (!engine) {
    engine = new Engine({ memoryBudgetBytes: 4 * 1048576 });
    engine.scraper.stop();
  }
  return engine;
}

/** Stops the ingest engine's timers, so a run can end. */
export function stopFuzzEngine(): void {
  engine?.textIndexer.stop();
  engine?.logTextIndexer.stop();
  engine?.events.close();
  engine = undefined;
}
