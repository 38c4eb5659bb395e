// The profile page's controls: the view (flame, icicle, time order, sandwich, top, diff),
// the sample type, a label filter, the search with what it matched, the profile to
// compare with, the traces the samples belong to, and reset.

import type { ProfileSummary } from '../../../src/protocol/profile.ts';
import { debounce, h, replaceChildren } from '../ui/dom.ts';
import { diskMark } from '../ui/diskMark.ts';
import { oneLine } from '../ui/inertText.ts';
import type { LabelSummary } from './model/sampleFilter.ts';
import type { Mode, ProfileState } from './profileState.ts';
import { sampleTypeLabel } from './valueFormat.ts';

const MODE_LABELS: [Mode, string, string][] = [
  ['flame', 'Flame', 'Flame graph: callers below, callees above, widest first'],
  ['icicle', 'Icicle', 'Icicle: the flame graph upside down'],
  ['time', 'Time order', 'Samples in the order they were taken'],
  ['sandwich', 'Sandwich', 'Callers and callees of one function'],
  ['top', 'Top', 'Functions by self and total'],
  ['diff', 'Diff', 'Compare with another profile'],
];

export interface ToolbarEvents {
  back(): void;
  change(patch: Partial<ProfileState>): void;
  openTrace(traceId: string): void;
  reset(): void;
}

export class ProfileToolbar {
  readonly element: HTMLElement;
  readonly search = h('input', { class: 'profile-search', attrs: { type: 'search', placeholder: 'Search functions (regex)  /', 'aria-label': 'Search functions (regular expression)', spellcheck: 'false' } });
  readonly searchSummary = h('span', { class: 'search-summary muted', attrs: { 'aria-live': 'polite' } });
  private readonly modes = h('div', { class: 'mode-switch', attrs: { role: 'tablist', 'aria-label': 'View' } });
  private readonly typeSelect = h('select', { class: 'sample-type', attrs: { 'aria-label': 'Sample type' } });
  private readonly labelSelect = h('select', { class: 'label-filter', attrs: { 'aria-label': 'Only samples with label' } });
  private readonly baseSelect = h('select', { class: 'diff-base', attrs: { 'aria-label': 'Compare with (base profile)' } });
  private readonly normalize = h('input', { attrs: { type: 'checkbox', 'aria-label': 'Normalize totals' } });
  private readonly diffControls = h('span', { class: 'diff-controls' });
  private readonly traces = h('select', { class: 'trace-links', attrs: { 'aria-label': 'Traces of these samples' } });
  private readonly title = h('span', { class: 'profile-title' });

  constructor(private readonly events: ToolbarEvents) {
    const onSearch = debounce(150, () => events.change({ q: this.search.value }));
    this.search.addEventListener('input', onSearch);
    this.search.addEventListener('keydown', (e) => { if (e.key === 'Escape') { this.search.value = ''; events.change({ q: '' }); } });
    this.typeSelect.addEventListener('change', () => events.change({ type: Number(this.typeSelect.value) }));
    this.labelSelect.addEventListener('change', () => events.change({ label: this.labelSelect.value }));
    this.baseSelect.addEventListener('change', () => events.change({ base: this.baseSelect.value, mode: 'diff' }));
    this.normalize.addEventListener('change', () => events.change({ normalize: this.normalize.checked }));
    this.traces.addEventListener('change', () => {
      if (this.traces.value) events.openTrace(this.traces.value);
      this.traces.value = '';
    });
    replaceChildren(this.diffControls, 'vs ', this.baseSelect, h('label', { class: 'normalize', title: 'Scale the base profile to this one\'s total, so a longer capture does not read as everything growing' }, this.normalize, 'normalize'));
    this.element = h('div', { class: 'profile-toolbar' },
      h('button', { class: 'link-button back', title: 'All profiles', on: { click: () => events.back() } }, '← Profiles'),
      this.title, this.modes, this.typeSelect, this.labelSelect, this.diffControls,
      h('span', { class: 'search-box' }, this.search, this.searchSummary),
      this.traces,
      h('button', { class: 'icon-button reset', title: 'Reset zoom, search and filters (Esc)', on: { click: () => events.reset() } }, 'Reset'));
  }

  setProfile(summary: ProfileSummary, labels: LabelSummary[], hasTimes: boolean, others: ProfileSummary[]): void {
    // The mark first: a long name is cut off at the end.
    replaceChildren(this.title, summary.fromDisk ? diskMark('This profile was read from disk: memory had evicted it (slower to open)') : null, oneLine(summary.name || summary.id));
    this.title.title = `${summary.name} · ${summary.format} · ${summary.sampleCount.toLocaleString('en-US')} samples${summary.service ? ` · ${summary.service}` : ''}`;
    replaceChildren(this.modes, ...MODE_LABELS.map(([mode, label, title]) => h('button', {
      class: 'mode', title: mode === 'time' && !hasTimes ? 'This profile has no sample times' : title,
      dataset: { mode },
      attrs: { role: 'tab', 'aria-selected': 'false', ...(mode === 'time' && !hasTimes ? { disabled: '' } : {}) },
      on: { click: () => this.events.change({ mode }) },
    }, label)));
    replaceChildren(this.typeSelect, ...summary.sampleTypes.map((t, i) => h('option', { attrs: { value: String(i) } }, oneLine(sampleTypeLabel(t)))));
    this.typeSelect.hidden = summary.sampleTypes.length < 2;
    replaceChildren(this.labelSelect, h('option', { attrs: { value: '' } }, labels.length ? 'All samples' : 'No labels'),
      ...labels.map((l) => h('optgroup', { attrs: { label: oneLine(l.key) } },
        ...l.values.map((v) => h('option', { attrs: { value: `${l.key}=${v.value}` } }, oneLine(`${l.key} = ${v.value} (${v.samples.toLocaleString('en-US')})`))))));
    this.labelSelect.disabled = !labels.length;
    replaceChildren(this.baseSelect, h('option', { attrs: { value: '' } }, others.length ? 'Choose a profile…' : 'No other profile'),
      ...others.map((o) => h('option', { attrs: { value: o.id } }, oneLine(o.name || o.id))));
    replaceChildren(this.traces, h('option', { attrs: { value: '' } }, summary.traceIds.length ? `Traces (${summary.traceIds.length})…` : 'No traces'),
      ...summary.traceIds.map((t) => h('option', { attrs: { value: t } }, t)));
    this.traces.disabled = !summary.traceIds.length;
  }

  show(state: ProfileState, sampleType: number): void {
    for (const b of this.modes.querySelectorAll<HTMLButtonElement>('.mode')) {
      const on = b.dataset.mode === state.mode;
      b.classList.toggle('active', on);
      b.setAttribute('aria-selected', String(on));
    }
    this.typeSelect.value = String(sampleType);
    this.labelSelect.value = state.label;
    if (this.labelSelect.value !== state.label) this.labelSelect.value = '';
    this.diffControls.hidden = state.mode !== 'diff';
    this.baseSelect.value = state.base;
    this.normalize.checked = state.normalize;
    if (document.activeElement !== this.search) this.search.value = state.q;
  }
}
