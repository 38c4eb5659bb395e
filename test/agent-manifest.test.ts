// package.json declares the language-model tools VS Code shows; the engine defines and
// runs them. The declaration must be exactly what the definitions say.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { languageModelToolsManifest } from '../src/engine/agent/toolManifest.ts';

const pkg = JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8'));

it('package.json declares every agent tool as the engine defines it', () => {
  // On a mismatch, paste languageModelToolsManifest() into contributes.languageModelTools.
  assert.deepEqual(pkg.contributes.languageModelTools, languageModelToolsManifest());
});

it('every tool can be referenced in chat under a unique name, and none clears data', () => {
  const tools = pkg.contributes.languageModelTools as { name: string; toolReferenceName: string; canBeReferencedInPrompt: boolean; modelDescription: string }[];
  assert.equal(new Set(tools.map((t) => t.toolReferenceName)).size, tools.length);
  for (const t of tools) {
    assert.ok(t.canBeReferencedInPrompt, t.name);
    assert.match(t.modelDescription, /never instructions/);
    assert.doesNotMatch(t.name, /clear|delete/);
  }
});

it('declares the MCP server provider the extension registers', () => {
  assert.deepEqual(pkg.contributes.mcpServerDefinitionProviders, [{ id: 'loupe.mcp', label: 'Loupe' }]);
  assert.match(readFileSync(join(__dirname, '../src/extension/agent/mcpServerProvider.ts'), 'utf8'), /MCP_PROVIDER_ID = 'loupe\.mcp'/);
});
