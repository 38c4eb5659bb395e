// The box under the mouse, described next to it: name, source, self and total with
// their shares (and for a diff, the base and the change).

import { h, replaceChildren } from '../../ui/dom.ts';
import { oneLine } from '../../ui/inertText.ts';

export interface TooltipContent {
  title: string;
  source?: string;
  rows: [string, string][];
  hint?: string;
}

export class Tooltip {
  readonly element = h('div', { class: 'flame-tooltip', attrs: { role: 'tooltip' } });

  constructor() {
    this.element.hidden = true;
  }

  show(content: TooltipContent, clientX: number, clientY: number): void {
    replaceChildren(this.element,
      h('div', { class: 'tooltip-title' }, oneLine(content.title)),
      content.source ? h('div', { class: 'tooltip-source' }, oneLine(content.source)) : null,
      h('table', null, ...content.rows.map(([k, v]) => h('tr', null, h('th', null, k), h('td', null, v)))),
      content.hint ? h('div', { class: 'tooltip-hint' }, content.hint) : null);
    this.element.hidden = false;
    const { innerWidth, innerHeight } = window;
    const rect = this.element.getBoundingClientRect();
    const x = clientX + 14 + rect.width > innerWidth ? Math.max(0, clientX - 14 - rect.width) : clientX + 14;
    const y = clientY + 14 + rect.height > innerHeight ? Math.max(0, clientY - 14 - rect.height) : clientY + 14;
    this.element.style.left = `${x}px`;
    this.element.style.top = `${y}px`;
  }

  hide(): void {
    this.element.hidden = true;
  }
}
