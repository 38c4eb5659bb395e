import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { panelHtml } from './panelHtml.ts';

const page = { title: 'Loupe Traces', cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://x/main.js', styleUri: 'https://x/main.css', nonce: 'abc123' };

describe('the webview page', () => {
  it('has a strict Content Security Policy: nothing by default, scripts by nonce only', () => {
    const html = panelHtml(page);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
    assert.match(csp, new RegExp(`style-src ${page.cspSource.replace(/[.+]/g, '\\$&')}(;|$)`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  });

  it('loads the UI bundle by nonce and inlines no script or data', () => {
    const html = panelHtml(page);
    assert.match(html, /<script defer nonce="abc123" src="https:\/\/x\/main.js"><\/script>/);
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<link rel="stylesheet" href="https:\/\/x\/main.css">/);
  });

  it('uses a fresh nonce for each page', () => {
    const { nonce: _nonce, ...rest } = page;
    const a = /nonce="([^"]+)"/.exec(panelHtml(rest))![1];
    const b = /nonce="([^"]+)"/.exec(panelHtml(rest))![1];
    assert.notEqual(a, b);
    assert.ok(a.length >= 16);
  });
});
