// One engine and one headless browser for a whole test file: started before its tests
// and closed after them. `restartEngine` puts a new engine on the same port, as when the
// user's engine restarts behind an open page.

import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningEngine } from '../../../src/engine/server.ts';
import { startTestEngine } from '../../support/engine.ts';
import { launchBrowser } from './browser.ts';

export interface EngineAndBrowser {
  readonly engine: RunningEngine;
  readonly browser: Browser;
  restartEngine(): Promise<void>;
}

export function useEngineAndBrowser(): EngineAndBrowser {
  let engine: RunningEngine | undefined;
  let browser: Browser | undefined;
  before(async () => {
    engine = await startTestEngine();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await engine?.close();
  });
  const started = <T>(what: T | undefined): T => {
    if (what === undefined) throw new Error('the engine and the browser start in the test file’s before() hook: use them in tests');
    return what;
  };
  return {
    get engine() { return started(engine); },
    get browser() { return started(browser); },
    async restartEngine() {
      const old = started(engine);
      engine = undefined;
      await old.close();
      engine = await startTestEngine(64, old.httpPort);
    },
  };
}
