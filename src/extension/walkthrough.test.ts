// The "Get started" walkthrough points at what exists: its media files are in media/
// (shipped in the VSIX), and its buttons and completion events name real commands.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { View } from './ids.ts';

const root = join(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const declared = new Set<string>(pkg.contributes.commands.map((c: { command: string }) => c.command));
// Commands VS Code itself provides: a view's focus command, and the built-in ones used.
const builtIn = new Set<string>([`${View.endpoint}.focus`, 'workbench.action.terminal.new']);

describe('the Get started walkthrough', () => {
  const steps: { id: string; description: string; media: Record<string, string>; completionEvents: string[] }[] = pkg.contributes.walkthroughs[0].steps;

  it('covers the endpoint, the environment, the demo, the first trace, and the signals and profiles views', () => {
    assert.deepEqual(steps.map((s) => s.id), ['endpoint', 'environment', 'demo', 'firstTrace', 'signalsProfiles']);
  });

  it('has media that ship in the VSIX', () => {
    for (const step of steps) {
      const file = step.media.svg ?? step.media.markdown ?? step.media.image;
      assert.ok(file?.startsWith('media/'), `${step.id}: media under media/`);
      assert.ok(existsSync(join(root, file)), `${step.id}: ${file} exists`);
    }
  });

  it('names only real commands in its buttons and completion events', () => {
    for (const step of steps) {
      const linked = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
      const completing = step.completionEvents.filter((e) => e.startsWith('onCommand:')).map((e) => e.slice('onCommand:'.length));
      assert.ok(completing.length || step.completionEvents.length, `${step.id} can be completed`);
      for (const command of [...linked, ...completing]) assert.ok(declared.has(command) || builtIn.has(command), `${step.id}: ${command} is a command`);
    }
  });
});
