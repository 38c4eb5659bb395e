// package.json and the code agree: every declared command is registered, every
// registered command is declared, and views and settings use the ids of ids.ts.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Command, INTERNAL_COMMANDS, PANELS, SETTINGS_SECTION, Setting, View } from './ids.ts';

const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
const declared: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);

/** The ids used as keys of the registration table in commands.ts, read from its source. */
function registeredIds(): string[] {
  const source = readFileSync(join(__dirname, 'commands.ts'), 'utf8');
  const table = /const COMMANDS[^=]*=\s*\{([\s\S]*?)\n\};/.exec(source);
  assert.ok(table, 'commands.ts has a COMMANDS table');
  return [...table[1].matchAll(/\[Command\.(\w+)\]:/g)].map((m) => {
    const id = (Command as Record<string, string>)[m[1]];
    assert.ok(id, `Command.${m[1]} exists in ids.ts`);
    return id;
  });
}

describe('commands', () => {
  it('every command in package.json is registered', () => {
    const registered = registeredIds();
    for (const id of declared) assert.ok(registered.includes(id), `${id} is declared but not registered`);
  });

  it('every registered command is declared in package.json, once', () => {
    for (const id of registeredIds()) assert.ok(declared.includes(id), `${id} is registered but not declared`);
    assert.equal(new Set(declared).size, declared.length);
    assert.deepEqual([...registeredIds()].sort(), Object.values(Command).sort());
  });

  it('nothing registers commands outside the table', () => {
    const files = ['extension.ts', 'context.ts', 'statusBar.ts', 'traceLinks.ts', 'panel/viewPanel.ts', 'views/servicesTree.ts', 'views/errorsTree.ts', 'views/endpointTree.ts'];
    for (const file of files) assert.doesNotMatch(readFileSync(join(__dirname, file), 'utf8'), /registerCommand\(/, file);
  });

  it('palette commands have the Loupe category; commands that need arguments are hidden', () => {
    for (const c of pkg.contributes.commands) assert.equal(c.category, 'Loupe', c.command);
    const palette: { command: string; when: string }[] = pkg.contributes.menus.commandPalette;
    for (const id of INTERNAL_COMMANDS) assert.equal(palette.find((p) => p.command === id)?.when, 'false', id);
  });

  it('menus and welcome links name declared commands only', () => {
    const menus = Object.values(pkg.contributes.menus).flat() as { command: string }[];
    for (const m of menus) assert.ok(declared.includes(m.command), m.command);
    for (const w of pkg.contributes.viewsWelcome) {
      for (const [, id] of w.contents.matchAll(/\(command:([\w.]+)/g)) {
        assert.ok(declared.includes(id) || id.startsWith('workbench.'), `${id} in the welcome of ${w.view}`);
      }
    }
  });
});

describe('views and settings', () => {
  it('every view has a panel that a reload brings back (an onWebviewPanel activation event)', () => {
    for (const { type } of Object.values(PANELS)) assert.ok(pkg.activationEvents.includes(`onWebviewPanel:${type}`), type);
  });

  it('the views of package.json are those of ids.ts', () => {
    assert.deepEqual(pkg.contributes.views[View.container].map((v: { id: string }) => v.id), [View.services, View.errors, View.endpoint, View.profiles, View.alerts]);
    assert.equal(pkg.contributes.viewsContainers.activitybar[0].id, View.container);
  });

  it('every setting is declared with a description, and none is undeclared', () => {
    const properties = pkg.contributes.configuration.properties as Record<string, { description?: string; markdownDescription?: string }>;
    const keys = Object.values(Setting).map((k) => `${SETTINGS_SECTION}.${k}`);
    assert.deepEqual(Object.keys(properties).sort(), keys.sort());
    for (const [key, p] of Object.entries(properties)) assert.ok(p.description || p.markdownDescription, key);
  });
});
