// Options of a @vscode-elements single select.

import { h, replaceChildren } from './dom.ts';

/** Replaces the options; the chosen one is marked `selected`, which the control reads once
 * it has seen its new options (setting `value` right away would be too early). */
export function options(select: HTMLElementTagNameMap['vscode-single-select'], list: [string, string][], chosen = ''): void {
  replaceChildren(select, ...list.map(([value, label]) => {
    const o = h('vscode-option', null, label);
    o.value = value;
    o.selected = value === chosen;
    return o;
  }));
  select.value = chosen;
}
