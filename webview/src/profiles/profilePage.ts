// One profile: fetched as the binary compact form, decoded into typed arrays in place,
// and shown as the view the toolbar picks. The page keeps the derived layouts (through
// ProfileModel) so switching views, searching and zooming do not recompute the tree.

import type { ProfileSummary } from '../../../src/protocol/profile.ts';
import type { ViewContext } from '../shell/view.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { DiffPane } from './diffPane.ts';
import { FlamePane } from './flame/flamePane.ts';
import { SandwichPane } from './flame/sandwichPane.ts';
import { Tooltip } from './flame/tooltip.ts';
import { matchFunctions, matchedWeight } from './model/functionTotals.ts';
import type { ProfileModel } from './model/profileModel.ts';
import { loadModel, loadSamples } from './profileLoad.ts';
import { labelSummary } from './model/sampleFilter.ts';
import { ProfileToolbar } from './profileToolbar.ts';
import { labelOf, type ProfileState } from './profileState.ts';
import { TopTable } from './topTable.ts';
import { formatShare } from './valueFormat.ts';

export interface ProfilePageEvents {
  back(): void;
  changed(state: ProfileState, push: boolean): void;
}

export class ProfilePage {
  readonly element = h('div', { class: 'profile-page' });
  private readonly body = h('div', { class: 'profile-body' });
  private readonly tooltip = new Tooltip();
  private readonly toolbar: ProfileToolbar;
  private model: ProfileModel | undefined;
  private state: ProfileState;
  private flame: FlamePane | undefined;
  private sandwich: SandwichPane | undefined;
  private diff: DiffPane | undefined;
  private top: TopTable | undefined;
  private matches: Uint8Array | undefined;
  /** The fetch of every sample for the time-order chart, once asked for. */
  private samples: Promise<void> | undefined;
  private disposed = false;

  constructor(private readonly ctx: ViewContext, readonly id: string, state: ProfileState, private readonly events: ProfilePageEvents) {
    this.state = state;
    this.toolbar = new ProfileToolbar({
      back: () => events.back(),
      change: (patch) => this.change(patch, 'mode' in patch || 'base' in patch),
      openTrace: (traceId) => ctx.navigate('traces', { trace: traceId }),
      reset: () => this.reset(),
    });
    this.element.append(this.toolbar.element, this.body, this.tooltip.element);
    this.element.addEventListener('keydown', (e) => this.key(e));
    replaceChildren(this.body, h('div', { class: 'list-empty' }, 'Loading the profile…'));
    void this.load();
  }

  show(state: ProfileState): void {
    this.state = state;
    if (this.model) this.render();
  }

  dispose(): void {
    this.disposed = true;
    this.flame?.dispose();
    this.sandwich?.dispose();
    this.diff?.dispose();
  }

  private async load(): Promise<void> {
    let model: ProfileModel;
    let others: ProfileSummary[] = [];
    try {
      [model, others] = await Promise.all([
        loadModel(this.ctx.transport, this.id),
        this.ctx.transport.get<ProfileSummary[]>('/api/profiles').catch(() => []),
      ]);
    } catch (err) {
      if (this.disposed) return;
      replaceChildren(this.body, h('div', { class: 'profile-error', attrs: { role: 'alert' } },
        h('strong', null, 'Could not open this profile. '), (err as Error).message,
        h('div', null, h('button', { class: 'link-button', on: { click: () => this.events.back() } }, 'Back to the list of profiles'))));
      return;
    }
    if (this.disposed) return;
    this.model = model;
    const p = model.profile;
    this.toolbar.setProfile(p.summary, labelSummary(p), model.hasTimes, others.filter((o) => o.id !== this.id));
    performance.mark('loupe:profile-model');
    this.render();
    performance.mark('loupe:profile-shown');
  }

  private change(patch: Partial<ProfileState>, push: boolean): void {
    this.state = { ...this.state, ...patch };
    this.events.changed(this.state, push);
    this.render();
  }

  private reset(): void {
    this.change({ q: '', label: '', fn: this.state.mode === 'sandwich' ? this.state.fn : '' }, false);
    this.flame?.reset();
    this.sandwich?.reset();
    this.diff?.reset();
  }

  private render(): void {
    const model = this.model!;
    const s = this.state;
    const mode = s.mode === 'time' && !model.hasTimes ? 'flame' : s.mode;
    model.choose(s.type >= 0 ? s.type : model.sampleType, labelOf(s.label));
    this.toolbar.show({ ...s, mode }, model.sampleType);
    const search = s.q ? matchFunctions(model.fns.name, s.q) : undefined;
    this.matches = search?.matches;
    const type = model.profile.summary.sampleTypes[model.sampleType];
    const describe = { model, tooltip: this.tooltip, openSource: (f: number) => this.openSource(f), sandwich: (f: number) => this.openSandwich(f) };

    if (mode === 'time' && model.needsSamples) {
      this.mount(h('div', { class: 'list-empty', attrs: { role: 'status' } }, `Loading the ${model.profile.summary.sampleCount.toLocaleString('en-US')} samples in time order…`));
      this.fetchSamples(model);
    } else if (mode === 'flame' || mode === 'icicle' || mode === 'time') {
      this.flame ??= new FlamePane(describe);
      const layout = mode === 'time' ? model.timeOrder() : model.flame();
      this.flame.show(layout, mode === 'time' ? 'icicle' : mode, this.matches, type);
      this.mount(this.flame.element);
    } else if (mode === 'sandwich') {
      this.sandwich ??= new SandwichPane(describe);
      const fn = s.fn ? model.functionNamed(s.fn) : heaviestSelf(model);
      this.sandwich.show(fn, this.matches, type);
      this.mount(this.sandwich.element);
    } else if (mode === 'top') {
      this.top ??= new TopTable(model.fns, {
        open: (f, source) => (source ? this.openSource(f) : this.openSandwich(f)),
        sorted: (column, descending) => this.change({ sort: column, ascending: !descending }, false),
      });
      this.top.show(model.figures(), model.flame().grandTotal, type, this.matches, s.sort ? { column: s.sort, descending: !s.ascending } : undefined);
      this.mount(this.top.element);
    } else {
      this.diff ??= new DiffPane(this.ctx, describe);
      this.diff.show(s.base, s.normalize, this.matches, type);
      this.mount(this.diff.element);
    }

    if (search) {
      const layout = mode === 'time' && !model.needsSamples ? model.timeOrder() : model.flame();
      const share = formatShare(matchedWeight(layout, model.fns.count, search.matches), layout.grandTotal);
      this.toolbar.searchSummary.textContent = `${search.count.toLocaleString('en-US')} function${search.count === 1 ? '' : 's'} · ${share}`;
      this.toolbar.searchSummary.title = search.error ?? `Matching functions and their share of the total (each stack counted once)`;
      this.toolbar.searchSummary.classList.toggle('warning-text', !!search.error);
    } else this.toolbar.searchSummary.textContent = '';
  }

  private fetchSamples(model: ProfileModel): void {
    this.samples ??= loadSamples(this.ctx.transport, this.id).then((full) => model.setSamples(full)).then(() => {
      if (!this.disposed && this.model === model) this.render();
    }, (err: unknown) => {
      this.samples = undefined;
      if (this.disposed || this.state.mode !== 'time') return;
      this.mount(h('div', { class: 'profile-error', attrs: { role: 'alert' } },
        h('strong', null, 'Could not load the samples in time order. '), (err as Error).message,
        h('div', null, h('button', { class: 'link-button', on: { click: () => this.change({ mode: 'flame' }, true) } }, 'Back to the flame graph'))));
    });
  }

  private mount(el: HTMLElement): void {
    if (this.body.firstChild !== el || this.body.childNodes.length !== 1) replaceChildren(this.body, el);
  }

  private openSource(func: number): void {
    const fns = this.model?.fns;
    if (!fns || func < 0) return;
    if (!fns.file[func]) {
      this.toolbar.searchSummary.textContent = `${fns.name[func]}: the profile names no source file for it`;
      return;
    }
    this.ctx.transport.openSource({ path: fns.file[func], line: fns.line[func] || undefined, function: fns.name[func] });
  }

  private openSandwich(func: number): void {
    if (!this.model || func < 0) return;
    this.change({ mode: 'sandwich', fn: this.model.fns.name[func] }, true);
  }

  private key(e: KeyboardEvent): void {
    const target = e.target as HTMLElement;
    if (target.closest('input, select, textarea')) return;
    if (e.key === '/') {
      e.preventDefault();
      this.toolbar.search.focus();
    } else if (e.key === 'Escape') this.reset();
  }
}

function heaviestSelf(model: ProfileModel): number {
  const self = model.figures().self;
  let best = -1;
  for (let f = 0; f < self.length; f++) if (best < 0 || self[f] > self[best]) best = f;
  return best;
}
