// The logs view's filter controls: free text, service, minimum severity, trace id, time
// range, `key=value` attribute chips, the chosen pattern, and the list/patterns switch.
// Typing settles for a moment before the view asks the engine again.

import type { ServiceSummary } from '../../../src/protocol/api.ts';
import { options } from '../ui/selectOptions.ts';
import { isAttributeFilter, TIME_RANGES } from '../traces/traceFilters.ts';
import { debounce, h, replaceChildren } from '../ui/dom.ts';
import { oneLine } from '../ui/inertText.ts';
import { EMPTY_LOG_FILTERS, hasLogFilters, logFilterProblems, SEVERITIES, type LogFilters, type LogsMode } from './logFilters.ts';

type TextKey = 'q' | 'traceId' | 'from' | 'to';

export class LogFilterBar {
  readonly element = h('div', { class: 'filter-bar log-filter-bar', attrs: { role: 'search' } });
  private filters: LogFilters = { ...EMPTY_LOG_FILTERS, attrs: [] };
  private readonly service = h('vscode-single-select', { class: 'filter-service', attrs: { 'aria-label': 'Service' } });
  private readonly severity = h('vscode-single-select', { class: 'filter-severity', attrs: { 'aria-label': 'Minimum severity' } });
  private readonly range = h('vscode-single-select', { class: 'filter-range', attrs: { 'aria-label': 'Time range' } });
  private readonly texts = {} as Record<TextKey, HTMLElementTagNameMap['vscode-textfield']>;
  private readonly attrInput = h('vscode-textfield', { class: 'filter-attr', attrs: { placeholder: 'key=value ⏎', 'aria-label': 'Attribute filter, key=value, Enter to add' } });
  private readonly chips = h('span', { class: 'attr-chips' });
  private readonly custom = h('span', { class: 'custom-range' });
  private readonly problems = h('div', { class: 'filter-problems', attrs: { role: 'alert' } });
  private readonly clearButton = h('vscode-button', { attrs: { secondary: '' } }, 'Clear filters');
  private readonly modeButtons: Record<LogsMode, HTMLButtonElement>;
  private services: string[] = [];
  private readonly typed = debounce(350, () => this.emit());

  constructor(private readonly changed: (f: LogFilters) => void) {
    this.text('q', 'Search bodies and attribute values', 'filter-q');
    this.text('traceId', 'Trace ID', 'filter-trace');
    this.text('from', 'From', 'filter-from', 'datetime-local');
    this.text('to', 'To', 'filter-to', 'datetime-local');
    options(this.severity, SEVERITIES);
    options(this.range, TIME_RANGES.map((r) => [r.value, r.label]));
    this.renderServices();
    for (const [select, key] of [[this.service, 'service'], [this.severity, 'minSeverity'], [this.range, 'range']] as const) {
      select.addEventListener('change', () => {
        this.filters[key] = select.value as never;
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
    this.clearButton.addEventListener('click', () => this.set({ ...EMPTY_LOG_FILTERS, attrs: [], mode: this.filters.mode }, true));
    const modeButton = (mode: LogsMode, label: string, title: string) => h('button', {
      class: 'mode-button', title, attrs: { 'aria-pressed': 'false', 'data-mode': mode },
      on: { click: () => { this.filters.mode = mode; this.emit(); } },
    }, label);
    this.modeButtons = {
      list: modeButton('list', 'Records', 'Every record, newest first'),
      patterns: modeButton('patterns', 'Patterns', 'Records grouped by message template'),
    };
    replaceChildren(this.element,
      h('span', { class: 'mode-switch', attrs: { role: 'group', 'aria-label': 'Show' } }, this.modeButtons.list, this.modeButtons.patterns),
      this.texts.q, this.service, this.severity, this.texts.traceId, this.range, this.custom, this.attrInput, this.chips, this.clearButton, this.problems);
  }

  /** Shows `f` in the controls; `notify` also reports it as a change. */
  set(f: LogFilters, notify = false): void {
    this.filters = { ...f, attrs: [...f.attrs] };
    for (const key of Object.keys(this.texts) as TextKey[]) {
      if (this.texts[key].value !== f[key]) this.texts[key].value = f[key];
    }
    if (f.service && !this.services.includes(f.service)) this.services = [f.service, ...this.services];
    this.renderServices();
    this.severity.value = f.minSeverity;
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
    if (logFilterProblems(this.filters).length) return;
    this.changed({ ...this.filters, attrs: [...this.filters.attrs] });
  }

  private render(): void {
    const f = this.filters;
    const chip = (label: string, title: string, remove: () => void) => h('span', { class: 'chip', title },
      h('span', { class: 'chip-label' }, label),
      h('button', { class: 'chip-remove', title: `Remove ${title}`, on: { click: () => { remove(); this.emit(); } } }, '×'));
    replaceChildren(this.chips,
      f.pattern ? chip(`pattern #${f.pattern}`, 'the pattern filter', () => { this.filters.pattern = ''; }) : null,
      ...f.attrs.map((a) => chip(oneLine(a), oneLine(a), () => { this.filters.attrs = this.filters.attrs.filter((x) => x !== a); })));
    this.custom.hidden = f.range !== 'custom';
    replaceChildren(this.custom, this.texts.from, '–', this.texts.to);
    this.problems.textContent = logFilterProblems(f).join(' · ');
    this.clearButton.hidden = !hasLogFilters(f);
    for (const [mode, button] of Object.entries(this.modeButtons)) {
      button.setAttribute('aria-pressed', String(mode === f.mode));
      button.classList.toggle('active', mode === f.mode);
    }
  }
}
