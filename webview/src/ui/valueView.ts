// A telemetry value on screen: inert, cut to a readable length, with the whole value one
// click away in a dialog (a read-only text box, which copes with megabytes of text).

import type { Transport } from '../transport/transport.ts';
import { h } from './dom.ts';
import { formatBytes } from './format.ts';
import { inertText, oneLine, shortText, SHORT_LIMIT } from './inertText.ts';

export function valueView(transport: Transport, text: string, opts: { limit?: number; singleLine?: boolean; label?: string } = {}): HTMLElement {
  const short = shortText(text, opts.limit ?? SHORT_LIMIT, opts.singleLine ?? true);
  const el = h('span', { class: 'value' }, short.text);
  if (short.cutFrom === undefined) return el;
  const more = h('button', { class: 'link-button show-all', title: 'Show the whole value' }, `show all (${formatBytes(short.cutFrom)})`);
  more.addEventListener('click', (e) => {
    e.stopPropagation();
    showFullValue(transport, opts.label ?? 'Value', text);
  });
  return h('span', { class: 'value-cut' }, el, ' ', more);
}

export function showFullValue(transport: Transport, label: string, text: string): void {
  const area = h('textarea', { class: 'full-value', attrs: { readonly: '', spellcheck: 'false', 'aria-label': label } });
  area.value = inertText(text);
  const dialog = h('dialog', { class: 'value-dialog' },
    h('div', { class: 'dialog-head' },
      h('span', { class: 'dialog-title' }, oneLine(label).slice(0, 200), ` — ${formatBytes(text.length)}`),
      h('vscode-button', { attrs: { secondary: '' }, on: { click: () => void transport.copy(text) } }, 'Copy'),
      h('vscode-button', { on: { click: () => dialog.close() } }, 'Close')),
    area);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}
