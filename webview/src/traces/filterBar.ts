// The trace list's filter controls: the shared list filters (`ListFilterBar`) plus the
// operation, status and duration range.

import { ListFilterBar } from '../ui/listFilterBar.ts';
import { options } from '../ui/selectOptions.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { EMPTY_FILTERS, filterProblems, hasFilters, type TraceFilters } from './traceFilters.ts';

type TextKey = 'operation' | 'minDurationMs' | 'maxDurationMs' | 'q' | 'from' | 'to';

export class FilterBar extends ListFilterBar<TraceFilters, TextKey> {
  private readonly status = h('vscode-single-select', { class: 'filter-status', attrs: { 'aria-label': 'Status' } });

  constructor(changed: (f: TraceFilters) => void) {
    super('filter-bar', EMPTY_FILTERS, { problems: filterProblems, active: hasFilters, cleared: () => ({ ...EMPTY_FILTERS, attrs: [] }) }, changed);
    this.text('q', 'Search names and values', 'filter-q');
    this.text('operation', 'Operation (exact)', 'filter-operation');
    this.text('minDurationMs', 'min ms', 'filter-min');
    this.text('maxDurationMs', 'max ms', 'filter-max');
    options(this.status, [['', 'Any status'], ['error', 'Error'], ['ok', 'OK'], ['unset', 'Unset']]);
    this.select(this.status, 'status');
    replaceChildren(this.element,
      this.texts.q, this.service, this.texts.operation, this.status,
      h('span', { class: 'duration-range', title: 'Trace duration in milliseconds' }, this.texts.minDurationMs, '–', this.texts.maxDurationMs),
      this.range, this.custom, this.attrInput, this.chips, this.clearButton, this.problems);
  }
}
