// The README's pictures of the profile viewer (light and dark): a web service's CPU
// profile as a flame graph with a tooltip, its sandwich, top table and a diff against a
// capture before a change. Run: node --import tsx test/ui/profileScreenshots.ts

import { join } from 'node:path';
import { startTestEngine } from '../support/engine.ts';
import { launchBrowser, openUi } from './support/browser.ts';
import { serveProfiles } from './support/profileApi.ts';
import { serviceProfile } from './support/profileScenario.ts';

const OUT = join(__dirname, '..', '..', 'docs', 'screenshots');

const SHOTS: { file: string; query: string; scheme: 'light' | 'dark'; hover?: [number, number] }[] = [
  { file: 'profile-flame-light.png', query: 'profile=cpu-2&type=1', scheme: 'light', hover: [6, 0.12] },
  { file: 'profile-flame-dark.png', query: 'profile=cpu-2&type=1&q=json', scheme: 'dark', hover: [5, 0.3] },
  { file: 'profile-sandwich-light.png', query: 'profile=cpu-2&type=1&mode=sandwich&fn=main.priceOf', scheme: 'light' },
  { file: 'profile-diff-dark.png', query: 'profile=cpu-2&type=1&mode=diff&base=cpu-1&normalize=0', scheme: 'dark', hover: [7, 0.1] },
  { file: 'profile-top-light.png', query: 'profile=cpu-2&type=1&mode=top', scheme: 'light' },
];

void (async () => {
  const engine = await startTestEngine();
  const browser = await launchBrowser();
  const api = { profiles: [serviceProfile('cpu-1', { name: 'cpu-profile-before.pb.gz' }), serviceProfile('cpu-2', { slowerPricing: true, name: 'cpu-profile-after.pb.gz' })], uploads: new Map(), requests: [] };
  try {
    for (const shot of SHOTS) {
      const ui = await openUi(browser, engine.httpUrl, '', { colorScheme: shot.scheme, width: 1280, height: 640, beforeLoad: (p) => serveProfiles(p, api) });
      await ui.page.goto(`${engine.httpUrl}/?view=profiles&${shot.query}`);
      await ui.page.waitForSelector('.profile-toolbar .mode.active');
      await ui.page.waitForTimeout(600);
      if (shot.hover) {
        const box = (await ui.page.locator('.flame-canvas').first().boundingBox())!;
        await ui.page.mouse.move(box.x + box.width * shot.hover[1], box.y + box.height - (shot.hover[0] + 0.5) * 18);
        await ui.page.waitForTimeout(200);
      }
      await ui.page.screenshot({ path: join(OUT, shot.file) });
      if (ui.problems.length) console.error(shot.file, ui.problems);
      await ui.page.context().close();
    }
  } finally {
    await browser.close();
    await engine.close();
  }
})();
