// The path from the root to the zoomed box, each step a button that zooms back out to it.

import { h, replaceChildren } from '../../ui/dom.ts';
import { oneLine } from '../../ui/inertText.ts';
import { pathTo, type FlameLayout } from '../model/flameLayout.ts';

export class Breadcrumbs {
  readonly element = h('nav', { class: 'flame-crumbs', attrs: { 'aria-label': 'Zoom path' } });

  constructor(private readonly names: readonly string[], private readonly zoom: (box: number) => void) {}

  show(layout: FlameLayout, box: number, firstDepth = 0): void {
    const path = box >= 0 ? pathTo(layout, box).filter((b) => layout.depth[b] >= firstDepth) : [];
    if (!path.length || (path.length === 1 && layout.func[path[0]] < 0)) {
      replaceChildren(this.element, h('span', { class: 'muted' }, 'Click a box to zoom in · Shift-click: callers and callees · Ctrl/Cmd-click: open the source'));
      return;
    }
    const steps = path.map((b, i) => {
      const name = layout.func[b] < 0 ? 'all' : this.names[layout.func[b]];
      const last = i === path.length - 1;
      return h('button', {
        class: `crumb${last ? ' current' : ''}`,
        attrs: last ? { 'aria-current': 'step' } : {},
        title: name,
        on: { click: () => this.zoom(b) },
      }, oneLine(name.length > 60 ? `${name.slice(0, 57)}…` : name));
    });
    replaceChildren(this.element, ...steps.flatMap((s, i) => (i ? [h('span', { class: 'crumb-sep' }, '›'), s] : [s])));
  }
}
