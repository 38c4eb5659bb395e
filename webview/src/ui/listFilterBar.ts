// What the trace list's and the logs view's filter bars share (VS Code's own look, from
// @vscode-elements): free-text fields that settle for a moment before the list asks the
// engine again, selects, the service list, a time range with its custom from–to,
// `key=value` attribute chips, the filters' problems and a Clear button. Each bar adds
// its own fields and lays them out.

import type { ServiceSummary } from '../../../src/protocol/api.ts';
import { isAttributeFilter, TIME_RANGES, type TimeRange } from '../traces/traceFilters.ts';
import { debounce, h, replaceChildren } from './dom.ts';
import { oneLine } from './inertText.ts';
import { options } from './selectOptions.ts';

/** The fields every list's filters have. */
export interface ListFilters {
  service: string;
  range: TimeRange;
  from: string;
  to: string;
  /** `key=value`, each. */
  attrs: string[];
}

export interface FilterRules<F> {
  /** What the user typed that the engine would reject. */
  problems(f: F): string[];
  /** Whether anything is filtered (the Clear button shows). */
  active(f: F): boolean;
  /** The filters after Clear, from the current ones. */
  cleared(f: F): F;
}

type TextField = HTMLElementTagNameMap['vscode-textfield'];
type Select = HTMLElementTagNameMap['vscode-single-select'];

/** `TextKey`: the filters' text fields, `from` and `to` among them. */
export abstract class ListFilterBar<F extends ListFilters, TextKey extends keyof F & string> {
  readonly element: HTMLElement;
  protected filters: F;
  protected readonly service = h('vscode-single-select', { class: 'filter-service', attrs: { 'aria-label': 'Service' } });
  protected readonly range = h('vscode-single-select', { class: 'filter-range', attrs: { 'aria-label': 'Time range' } });
  protected readonly texts = {} as Record<TextKey, TextField>;
  protected readonly attrInput = h('vscode-textfield', { class: 'filter-attr', attrs: { placeholder: 'key=value ⏎', 'aria-label': 'Attribute filter, key=value, Enter to add' } });
  protected readonly chips = h('span', { class: 'attr-chips' });
  protected readonly custom = h('span', { class: 'custom-range' });
  protected readonly problems = h('div', { class: 'filter-problems', attrs: { role: 'alert' } });
  protected readonly clearButton = h('vscode-button', { attrs: { secondary: '' } }, 'Clear filters');
  private readonly selects: [Select, keyof F & string][] = [];
  private services: string[] = [];
  private readonly typed = debounce(350, () => this.emit());

  constructor(className: string, empty: F, private readonly rules: FilterRules<F>, private readonly changed: (f: F) => void) {
    this.element = h('div', { class: className, attrs: { role: 'search' } });
    this.filters = copy(empty);
    this.text('from' as TextKey, 'From', 'filter-from', 'datetime-local');
    this.text('to' as TextKey, 'To', 'filter-to', 'datetime-local');
    options(this.range, TIME_RANGES.map((r) => [r.value, r.label]));
    this.renderServices();
    this.select(this.service, 'service');
    this.select(this.range, 'range');
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
    this.clearButton.addEventListener('click', () => this.set(rules.cleared(this.filters), true));
  }

  /** Shows `f` in the controls; `notify` also reports it as a change. */
  set(f: F, notify = false): void {
    this.filters = copy(f);
    for (const key of Object.keys(this.texts) as TextKey[]) {
      const value = f[key] as string;
      if (this.texts[key].value !== value) this.texts[key].value = value;
    }
    if (f.service && !this.services.includes(f.service)) this.services = [f.service, ...this.services];
    this.renderServices();
    for (const [select, key] of this.selects) if (select !== this.service) select.value = f[key] as string;
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

  /** A text field for `key`, reported a moment after typing stops. */
  protected text(key: TextKey, placeholder: string, className: string, type: 'text' | 'datetime-local' = 'text'): void {
    const field = h('vscode-textfield', { class: className, attrs: { placeholder, 'aria-label': placeholder } });
    field.type = type;
    field.addEventListener('input', () => {
      (this.filters as Record<TextKey, string>)[key] = field.value;
      this.typed();
    });
    this.texts[key] = field;
  }

  /** Binds a select to `key`: a choice is reported at once. */
  protected select(select: Select, key: keyof F & string): void {
    this.selects.push([select, key]);
    select.addEventListener('change', () => {
      (this.filters as Record<string, unknown>)[key] = select.value;
      this.emit();
    });
  }

  /** A removable chip; `remove` changes the filters, which are then reported. */
  protected chip(label: string, title: string, remove: () => void): HTMLElement {
    return h('span', { class: 'chip', title },
      h('span', { class: 'chip-label' }, label),
      h('button', { class: 'chip-remove', title: `Remove ${title}`, on: { click: () => { remove(); this.emit(); } } }, '×'));
  }

  /** Chips before the attribute chips (none by default). */
  protected leadingChips(_f: F): (HTMLElement | null)[] {
    return [];
  }

  protected emit(): void {
    this.render();
    if (this.rules.problems(this.filters).length) return;
    this.changed(copy(this.filters));
  }

  protected render(): void {
    const f = this.filters;
    replaceChildren(this.chips, ...this.leadingChips(f),
      ...f.attrs.map((a) => this.chip(oneLine(a), oneLine(a), () => { this.filters.attrs = this.filters.attrs.filter((x) => x !== a); })));
    this.custom.hidden = f.range !== 'custom';
    replaceChildren(this.custom, this.texts['from' as TextKey], '–', this.texts['to' as TextKey]);
    this.problems.textContent = this.rules.problems(f).join(' · ');
    this.clearButton.hidden = !this.rules.active(f);
  }

  private renderServices(): void {
    options(this.service, [['', 'All services'], ...this.services.map((s): [string, string] => [s, oneLine(s)])], this.filters.service);
  }
}

function copy<F extends ListFilters>(f: F): F {
  return { ...f, attrs: [...f.attrs] };
}
