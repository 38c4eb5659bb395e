// The flame graph, icicle and time-order chart: one canvas with breadcrumbs above it.

import type { SampleType } from '../../../../src/protocol/profile.ts';
import { h } from '../../ui/dom.ts';
import type { FlameLayout } from '../model/flameLayout.ts';
import { Breadcrumbs } from './breadcrumbs.ts';
import { FlameCanvas } from './flameCanvas.ts';
import { activate, colourTable, describeBox, type PaneContext } from './paneContext.ts';

export class FlamePane {
  readonly element: HTMLElement;
  readonly canvas: FlameCanvas;
  private readonly crumbs: Breadcrumbs;
  private layout: FlameLayout | undefined;
  private type: SampleType | undefined;
  private readonly colours: string[];

  constructor(private readonly pane: PaneContext) {
    const fns = pane.model.fns;
    this.colours = colourTable(fns);
    this.canvas = new FlameCanvas(fns.name, {
      hover: (box, x, y) => {
        if (box < 0 || !this.layout) pane.tooltip.hide();
        else pane.tooltip.show(describeBox(this.layout, box, fns, this.type), x, y);
      },
      activate: (box, how) => activate(pane, this.layout!, box, how, (b) => this.zoom(b)),
      select: (box) => this.crumbs.show(this.layout!, box),
    }, 'Flame graph');
    this.crumbs = new Breadcrumbs(fns.name, (b) => this.zoom(b));
    this.element = h('div', { class: 'flame-pane' }, this.crumbs.element, h('div', { class: 'canvas-box' }, this.canvas.element));
  }

  show(layout: FlameLayout, orientation: 'flame' | 'icicle', matches: Uint8Array | undefined, type: SampleType | undefined): void {
    const same = this.layout === layout;
    this.layout = layout;
    this.type = type;
    this.canvas.setLayout(layout, { orientation, firstDepth: 0, matches, colour: (b) => this.colours[layout.func[b]] ?? '#bbb' }, same);
    if (!same) this.crumbs.show(layout, -1);
  }

  zoom(box: number): void {
    if (!this.layout) return;
    this.canvas.zoomTo(box);
    this.crumbs.show(this.layout, box);
  }

  reset(): void {
    this.canvas.reset();
    if (this.layout) this.crumbs.show(this.layout, -1);
  }

  dispose(): void {
    this.canvas.dispose();
  }
}
