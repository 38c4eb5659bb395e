// The sandwich: one function's callers above it and its callees below, each a flame
// graph of its own with the function where the two meet.

import type { SampleType } from '../../../../src/protocol/profile.ts';
import { h, replaceChildren } from '../../ui/dom.ts';
import { oneLine } from '../../ui/inertText.ts';
import type { FlameLayout } from '../model/flameLayout.ts';
import { formatShare, formatValue } from '../valueFormat.ts';
import { FlameCanvas } from './flameCanvas.ts';
import { activate, colourTable, describeBox, type PaneContext } from './paneContext.ts';

export class SandwichPane {
  readonly element: HTMLElement;
  private readonly heading = h('div', { class: 'sandwich-heading' });
  private readonly callers: FlameCanvas;
  private readonly callees: FlameCanvas;
  private layouts: { callers?: FlameLayout; callees?: FlameLayout } = {};
  private type: SampleType | undefined;
  private readonly colours: string[];

  constructor(private readonly pane: PaneContext) {
    const fns = pane.model.fns;
    this.colours = colourTable(fns);
    const canvas = (which: 'callers' | 'callees', label: string) => {
      const c: FlameCanvas = new FlameCanvas(fns.name, {
        hover: (box, x, y) => {
          const l = this.layouts[which];
          if (box < 0 || !l) pane.tooltip.hide();
          else pane.tooltip.show(describeBox(l, box, fns, this.type), x, y);
        },
        activate: (box, how) => activate(pane, this.layouts[which]!, box, how, (b) => {
          // Zooming the function itself in either half goes to that function's sandwich.
          const f = this.layouts[which]!.func[b];
          if (this.layouts[which]!.depth[b] > 1 && f >= 0 && how === 'zoom') c.zoomTo(b);
          else c.reset();
        }),
      }, label);
      return c;
    };
    this.callers = canvas('callers', 'Callers');
    this.callees = canvas('callees', 'Callees');
    this.element = h('div', { class: 'sandwich-pane' },
      this.heading,
      h('div', { class: 'sandwich-half' }, h('div', { class: 'half-title muted' }, 'Callers (the function at the bottom, who called it above)'), h('div', { class: 'canvas-box' }, this.callers.element)),
      h('div', { class: 'sandwich-half' }, h('div', { class: 'half-title muted' }, 'Callees (the function at the top, what it called below)'), h('div', { class: 'canvas-box' }, this.callees.element)));
  }

  show(func: number, matches: Uint8Array | undefined, type: SampleType | undefined): void {
    const model = this.pane.model;
    this.type = type;
    if (func < 0) {
      replaceChildren(this.heading, h('span', { class: 'muted' }, 'No function to show: the profile is empty for this sample type and filter.'));
      return;
    }
    const callers = model.callers(func);
    const callees = model.callees(func);
    const colour = (l: FlameLayout) => (b: number) => this.colours[l.func[b]] ?? '#bbb';
    this.callers.setLayout(callers, { orientation: 'flame', firstDepth: 1, matches, colour: colour(callers) }, this.layouts.callers === callers);
    this.callees.setLayout(callees, { orientation: 'icicle', firstDepth: 1, matches, colour: colour(callees) }, this.layouts.callees === callees);
    this.layouts = { callers, callees };
    const fig = model.figures();
    const whole = model.flame().grandTotal;
    const fns = model.fns;
    replaceChildren(this.heading,
      h('strong', { class: 'sandwich-function' }, oneLine(fns.name[func])),
      h('span', { class: 'muted' }, ` self ${formatValue(fig.self[func], type)} (${formatShare(fig.self[func], whole)}) · total ${formatValue(fig.total[func], type)} (${formatShare(fig.total[func], whole)})`),
      fns.file[func] ? h('button', { class: 'link-button source-link', title: 'Open the source', on: { click: () => this.pane.openSource(func) } }, oneLine(`${fns.file[func].split(/[\\/]/).pop()}${fns.line[func] ? `:${fns.line[func]}` : ''}`)) : null);
  }

  reset(): void {
    this.callers.reset();
    this.callees.reset();
  }

  dispose(): void {
    this.callers.dispose();
    this.callees.dispose();
  }
}
