// The diff of two profiles, pprof-style: the tree of both merged by function path, each
// box as wide as the larger of the two, coloured by how its total changed (blue less,
// orange-red more; a scale that reads with the common colour blindnesses).

import type { SampleType } from '../../../src/protocol/profile.ts';
import type { ViewContext } from '../shell/view.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { Breadcrumbs } from './flame/breadcrumbs.ts';
import { FlameCanvas } from './flame/flameCanvas.ts';
import { activate, describeBox, type PaneContext } from './flame/paneContext.ts';
import { change, changeColour, unifyFunctions } from './model/diff.ts';
import { layoutTree, type FlameLayout } from './model/flameLayout.ts';
import type { FunctionTable } from './model/functions.ts';
import type { ProfileModel } from './model/profileModel.ts';
import { stackWeights } from './model/sampleFilter.ts';
import { diffTree } from './model/trees.ts';
import { loadModel } from './profileLoad.ts';
import { formatValue } from './valueFormat.ts';

interface Built {
  key: string;
  layout: FlameLayout;
  fns: FunctionTable;
  canvas: FlameCanvas;
  crumbs: Breadcrumbs;
}

export class DiffPane {
  readonly element = h('div', { class: 'diff-pane' });
  private readonly bases = new Map<string, Promise<ProfileModel>>();
  private built: Built | undefined;
  private type: SampleType | undefined;
  private showing = '';

  constructor(private readonly ctx: ViewContext, private readonly pane: PaneContext) {}

  show(baseId: string, normalize: boolean, matches: Uint8Array | undefined, type: SampleType | undefined): void {
    this.type = type;
    if (!baseId) {
      this.showing = '';
      replaceChildren(this.element, h('div', { class: 'list-empty' }, 'Choose the profile to compare with ("vs" in the toolbar): boxes are as wide as the larger of the two, blue where the time went down, orange-red where it went up.'));
      return;
    }
    let base = this.bases.get(baseId);
    if (!base) {
      base = loadModel(this.ctx.transport, baseId);
      this.bases.set(baseId, base);
      base.catch(() => this.bases.delete(baseId));
    }
    const key = `${baseId}:${normalize}:${this.pane.model.sampleType}:${this.pane.model.labelFilter?.key ?? ''}=${this.pane.model.labelFilter?.value ?? ''}`;
    this.showing = key;
    if (this.built?.key === key) {
      this.built.canvas.setOptions({ matches: matches && this.remapMatches(matches) });
      return;
    }
    replaceChildren(this.element, h('div', { class: 'list-empty' }, 'Loading the base profile…'));
    base.then((b) => {
      if (this.showing !== key) return;
      this.build(key, b, normalize);
      this.built!.canvas.setOptions({ matches: matches && this.remapMatches(matches) });
    }, (err: Error) => {
      if (this.showing !== key) return;
      replaceChildren(this.element, h('div', { class: 'profile-error', attrs: { role: 'alert' } }, h('strong', null, 'Could not open the base profile. '), err.message));
    });
  }

  reset(): void {
    this.built?.canvas.reset();
    if (this.built) this.built.crumbs.show(this.built.layout, -1);
  }

  dispose(): void {
    this.built?.canvas.dispose();
  }

  private build(key: string, base: ProfileModel, normalize: boolean): void {
    const now = this.pane.model;
    const unified = unifyFunctions(base.fns, now.fns);
    const wanted = now.profile.summary.sampleTypes[now.sampleType];
    const baseType = Math.max(0, base.profile.summary.sampleTypes.findIndex((t) => t.type === wanted?.type && t.unit === wanted?.unit));
    const baseWeights = stackWeights(base.profile, baseType);
    const nowWeights = now.weights;
    const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
    const scale = normalize ? sum(nowWeights) / (sum(baseWeights) || 1) : 1;
    if (scale !== 1) for (let i = 0; i < baseWeights.length; i++) baseWeights[i] *= scale;
    const tree = diffTree(unified.table.count, [
      { p: base.profile, fns: unified.a, weights: baseWeights },
      { p: now.profile, fns: unified.b, weights: nowWeights },
    ]);
    const layout = layoutTree(tree, unified.table.name);
    this.built?.canvas.dispose();
    const fns = unified.table;
    const crumbs = new Breadcrumbs(fns.name, (b) => { canvas.zoomTo(b); crumbs.show(layout, b); });
    const canvas: FlameCanvas = new FlameCanvas(fns.name, {
      hover: (box, x, y) => (box < 0 ? this.pane.tooltip.hide() : this.pane.tooltip.show(describeBox(layout, box, fns, this.type), x, y)),
      activate: (box, how) => {
        // Source and sandwich speak of the new profile's functions: find this one there.
        const name = fns.name[layout.func[box]];
        const inNow = layout.func[box] >= 0 ? now.fns.name.indexOf(name) : -1;
        if (how !== 'zoom' && inNow >= 0) activate(this.pane, layout, box, how, () => undefined);
        else { canvas.zoomTo(box); crumbs.show(layout, box); }
      },
      select: (box) => crumbs.show(layout, box),
    }, 'Diff flame graph');
    canvas.setLayout(layout, {
      orientation: 'flame', firstDepth: 0,
      colour: (b) => changeColour(change(layout.baseTotal![b], layout.total[b])),
    });
    crumbs.show(layout, -1);
    this.built = { key, layout, fns, canvas, crumbs };
    const baseTotal = layout.baseTotal![0], nowTotal = layout.total[0];
    replaceChildren(this.element,
      h('div', { class: 'diff-legend' },
        h('span', { class: 'legend-scale', attrs: { 'aria-hidden': 'true' } }),
        h('span', null, `blue: less · grey: same · orange-red: more. Base ${formatValue(baseTotal, this.type)}${normalize && scale !== 1 ? ` (scaled ×${scale.toFixed(2)})` : ''} → ${formatValue(nowTotal, this.type)}`)),
      crumbs.element,
      h('div', { class: 'canvas-box' }, canvas.element));
  }

  private remapMatches(matches: Uint8Array): Uint8Array {
    const built = this.built!;
    const now = this.pane.model.fns;
    const names = new Set<string>();
    for (let f = 0; f < matches.length; f++) if (matches[f]) names.add(now.name[f]);
    return Uint8Array.from(built.fns.name, (n) => (names.has(n) ? 1 : 0));
  }
}
