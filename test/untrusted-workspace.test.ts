// Restricted Mode: an untrusted workspace's settings must not open the collector to the
// network, change its API key, add browser origins or point the scraper elsewhere.
// VS Code ignores workspace values of the settings package.json lists as restricted.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SETTINGS_SECTION, Setting } from '../src/extension/ids.ts';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
const declared = manifest.contributes.configuration.properties as Record<string, unknown>;
const untrusted = manifest.capabilities?.untrustedWorkspaces;

describe('an untrusted workspace', () => {
  it('runs Loupe in limited mode', () => {
    assert.equal(untrusted?.supported, 'limited');
    assert.match(untrusted.description, /Restricted Mode/);
  });

  it('cannot change where the collector listens, its API key, its browser origins or its scrape targets', () => {
    const restricted: string[] = untrusted.restrictedConfigurations;
    for (const key of [Setting.host, Setting.apiKey, Setting.corsAllowedOrigins, Setting.scrapeTargets]) {
      assert.ok(restricted.includes(`${SETTINGS_SECTION}.${key}`), `${key} is restricted`);
    }
    for (const name of restricted) assert.ok(name in declared, `${name} is a declared setting`);
  });

  it('declares every setting the extension reads', () => {
    for (const key of Object.values(Setting)) assert.ok(`${SETTINGS_SECTION}.${key}` in declared, `${key} is declared in package.json`);
  });
});
