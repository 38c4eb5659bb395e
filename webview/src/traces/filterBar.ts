// The trace list's filter controls (VS Code's own look, from @vscode-elements). Typing
// settles for a moment before the list asks the engine again.

import type { ServiceSummary } from '../../../src/protocol/api.ts';
import { debounce, h, replaceChildren } from '../ui/dom.ts';
import { oneLine } from '../ui/inertText.ts';
import { options } from '../ui/selectOptions.ts';
import { EMPTY_FILTERS, filterProblems, hasFilters, isAttributeFilter, TIME_RANGES, type TraceFilters } from './traceFilters.ts';

type TextKey = 'operation' | 'minDurationMs' | 'maxDurationMs' | 'q' | 'from' | 'to';

export class FilterBar {
  readonly element = h('div', { class: 'filter-bar', attrs: { role: 'search' } });
  private filters: TraceFilters = { ...EMPTY_FILTERS, attrs: [] };
  private readonly service = h('vscode-single-select', { class: 'filter-service', attrs: { 'aria-label': 'Service' } });
  private readonly status = h('vscode-single-select', { class: 'filter-status', attrs: { 'aria-label': 'Status' } });
  private readonly range = h('vscode-single-select', { class: 'filter-range', attrs: { 'aria-label': 'Time range' } });
  private readonly texts = {} as Record<TextKey, HTMLElementTagNameMap['vscode-textfield']>;
  private readonly attrInput = h('vscode-textfield', { class: 'filter-attr', attrs: { placeholder: 'key=value ⏎', 'aria-label': 'Attribute filter, key=value, Enter to add' } });
  private readonly attrChips = h('span', { class: 'attr-chips' });
  private readonly custom = h('span', { class: 'custom-range' });
  private readonly problems = h('div', { class: 'filter-problems', attrs: { role: 'alert' } });
  private readonly clearButton = h('vscode-button', { attrs: { secondary: '' } }, 'Clear filters');
  private services: string[] = [];
  private readonly typed = debounce(350, () => this.emit());

  constructor(private readonly changed: (f: TraceFilters) => void) {
    this.text('q', 'Search names and values', 'filter-q');
    this.text('operation', 'Operation (exact)', 'filter-operation');
    this.text('minDurationMs', 'min ms', 'filter-min');
    this.text('maxDurationMs', 'max ms', 'filter-max');
    this.text('from', 'From', 'filter-from', 'datetime-local');
    this.text('to', 'To', 'filter-to', 'datetime-local');
    options(this.status, [['', 'Any status'], ['error', 'Error'], ['ok', 'OK'], ['unset', 'Unset']]);
    options(this.range, TIME_RANGES.map((r) => [r.value, r.label]));
    this.renderServices();
    for (const [select, key] of [[this.service, 'service'], [this.status, 'status'], [this.range, 'range']] as const) {
      select.addEventListener('change', () => {
        (this.filters as unknown as Record<string, string>)[key] = select.value;
        this.emit();
      });
    }
    this.attrInput.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      const text = this.attrInput.value.trim();
      if (!isAttributeFilter(text)) {
        this.problems.textContent = 'Attribute filter: write key=value, e.g. http.route=/users/:id';
        return;
      }
      this.attrInput.value = '';
      if (!this.filters.attrs.includes(text)) this.filters.attrs = [...this.filters.attrs, text];
      this.emit();
    });
    this.clearButton.addEventListener('click', () => this.set({ ...EMPTY_FILTERS, attrs: [] }, true));
    replaceChildren(this.element,
      this.texts.q, this.service, this.texts.operation, this.status,
      h('span', { class: 'duration-range', title: 'Trace duration in milliseconds' }, this.texts.minDurationMs, '–', this.texts.maxDurationMs),
      this.range, this.custom, this.attrInput, this.attrChips, this.clearButton, this.problems);
  }

  /** Shows `f` in the controls; `notify` also reports it as a change. */
  set(f: TraceFilters, notify = false): void {
    this.filters = { ...f, attrs: [...f.attrs] };
    for (const key of Object.keys(this.texts) as TextKey[]) {
      if (this.texts[key].value !== f[key]) this.texts[key].value = f[key];
    }
    if (f.service && !this.services.includes(f.service)) this.services = [f.service, ...this.services];
    this.renderServices();
    this.status.value = f.status;
    this.range.value = f.range;
    this.render();
    if (notify) this.emit();
  }

  setServices(list: ServiceSummary[]): void {
    const names = list.map((s) => s.name).sort((a, b) => a.localeCompare(b));
    if (this.filters.service && !names.includes(this.filters.service)) names.unshift(this.filters.service);
    if (names.join('\u0000') === this.services.join('\u0000')) return;
    this.services = names;
    this.renderServices();
  }

  private renderServices(): void {
    options(this.service, [['', 'All services'], ...this.services.map((s): [string, string] => [s, oneLine(s)])], this.filters.service);
  }

  private text(key: TextKey, placeholder: string, className: string, type: 'text' | 'datetime-local' = 'text'): void {
    const field = h('vscode-textfield', { class: className, attrs: { placeholder, 'aria-label': placeholder } });
    field.type = type;
    field.addEventListener('input', () => {
      this.filters[key] = field.value;
      this.typed();
    });
    this.texts[key] = field;
  }

  private emit(): void {
    this.render();
    if (filterProblems(this.filters).length) return;
    this.changed({ ...this.filters, attrs: [...this.filters.attrs] });
  }

  private render(): void {
    const f = this.filters;
    replaceChildren(this.attrChips, ...f.attrs.map((a) => h('span', { class: 'chip', title: oneLine(a) },
      h('span', { class: 'chip-label' }, oneLine(a)),
      h('button', { class: 'chip-remove', title: `Remove ${oneLine(a)}`, on: { click: () => { this.filters.attrs = f.attrs.filter((x) => x !== a); this.emit(); } } }, '×'))));
    this.custom.hidden = f.range !== 'custom';
    replaceChildren(this.custom, this.texts.from, '–', this.texts.to);
    this.problems.textContent = filterProblems(f).join(' · ');
    this.clearButton.hidden = !hasFilters(f);
  }
}
