// Every page Loupe shows runs under a strict Content-Security-Policy: each webview (the
// view panels and the profile custom editor, all through panelHtml) and the browser UI
// the engine serves. And Markdown built in the extension is never trusted, so text from
// telemetry cannot become a command link or HTML in a tooltip, hover or notification.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UI_CSP } from '../src/engine/api/uiAssets.ts';
import type { RunningEngine } from '../src/engine/server.ts';
import { panelHtml } from '../src/extension/panel/panelHtml.ts';
import { startTestEngine } from './support/engine.ts';

const EXTENSION = join(__dirname, '..', 'src', 'extension');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name, values]));
}

/** What every page of Loupe's must hold to. */
function assertStrict(csp: string, where: string): void {
  const d = directives(csp);
  assert.deepEqual(d.get('default-src'), ["'none'"], `${where}: default-src 'none'`);
  for (const [name, values] of d) {
    for (const v of values) {
      assert.doesNotMatch(v, /^'unsafe-|^\*$|^https?:$|^blob:$/, `${where}: ${name} allows ${v}`);
      if (v === 'data:') assert.equal(name, 'img-src', `${where}: data: URLs only for images`);
    }
  }
  const scripts = d.get('script-src') ?? [];
  assert.ok(scripts.length > 0 && scripts.every((s) => /^'nonce-[A-Za-z0-9+/=]{16,}'$|^'self'$/.test(s)), `${where}: scripts by nonce or from the page's own origin only, got ${scripts.join(' ')}`);
}

describe('every webview of the extension', () => {
  it('gets its HTML from panelHtml (the view panels and the profile editor alike)', () => {
    const setters = sources(EXTENSION).flatMap((file) => readFileSync(file, 'utf8').split('\n').filter((l) => /\.html\s*=[^=]/.test(l)).map((l) => [relative(EXTENSION, file), l.trim()]));
    assert.ok(setters.length > 0, 'found where webviews get their HTML');
    for (const [file, line] of setters) assert.match(line, /panelHtml\(/, `${file}: ${line}`);
    // Panels and the custom editor both go through the bridge that calls panelHtml.
    for (const file of ['panel/viewPanel.ts', 'profiles/profileEditor.ts']) assert.match(readFileSync(join(EXTENSION, file), 'utf8'), /new WebviewBridge\(/, file);
  });

  it('has default-src none, a nonce for its one script, no inline script and no unsafe source', () => {
    const html = panelHtml({ title: '</title><script>alert(1)</script>', cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://x/main.js"><script>alert(1)</script>', styleUri: 'https://x/main.css' });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(csp, 'the CSP is in a meta tag');
    assertStrict(csp.replace(/&amp;/g, '&'), 'webview');
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.equal(scripts.length, 1, `one script tag: ${scripts.join(' ')}`);
    assert.match(scripts[0], new RegExp(`nonce="${nonce.replace(/[+/=]/g, '\\$&')}"`));
    assert.match(html, /<script defer nonce="[^"]+" src="[^"]+"><\/script>/, 'the script has a src and no inline body');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
  });
});

describe('the browser UI the engine serves', () => {
  let running: RunningEngine;
  before(async () => { running = await startTestEngine(); });
  after(async () => { await running.close(); });

  it('sends the strict CSP with the page, its files and its error answers', async () => {
    assertStrict(UI_CSP, 'engine UI');
    const csp = directives(UI_CSP);
    assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], 'no other page can frame it');
    assert.deepEqual(csp.get('form-action'), ["'none'"]);
    for (const path of ['/', '/assets/main.js', '/assets/main.css', '/assets/no-such-file.js']) {
      const res = await fetch(`${running.httpUrl}${path}`);
      await res.arrayBuffer();
      assert.equal(res.headers.get('content-security-policy'), UI_CSP, path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    }
  });
});

describe('Markdown the extension builds', () => {
  it('is never trusted and never renders HTML, and telemetry goes in as text', () => {
    for (const file of sources(EXTENSION)) {
      const text = readFileSync(file, 'utf8');
      if (!/MarkdownString/.test(text)) continue;
      const where = relative(EXTENSION, file);
      assert.doesNotMatch(text, /isTrusted\s*[:=]\s*(true|\{)/, `${where} trusts Markdown`);
      assert.doesNotMatch(text, /supportHtml\s*[:=]\s*true/, `${where} renders HTML in Markdown`);
      // Interpolated values go through appendText (escaped), not appendMarkdown.
      for (const m of text.matchAll(/appendMarkdown\(([^;]*)\)/g)) assert.doesNotMatch(m[1], /\$\{/, `${where}: appendMarkdown(${m[1].slice(0, 80)}) interpolates a value`);
    }
  });
});
