// The logs view's filter controls: the shared list filters (`ListFilterBar`) plus
// minimum severity, trace id, the chosen pattern (a chip), and the list/patterns switch.

import { h, replaceChildren } from '../ui/dom.ts';
import { ListFilterBar } from '../ui/listFilterBar.ts';
import { options } from '../ui/selectOptions.ts';
import { EMPTY_LOG_FILTERS, hasLogFilters, logFilterProblems, SEVERITIES, type LogFilters, type LogsMode } from './logFilters.ts';

type TextKey = 'q' | 'traceId' | 'from' | 'to';

export class LogFilterBar extends ListFilterBar<LogFilters, TextKey> {
  private readonly severity = h('vscode-single-select', { class: 'filter-severity', attrs: { 'aria-label': 'Minimum severity' } });
  private readonly modeButtons: Record<LogsMode, HTMLButtonElement>;

  constructor(changed: (f: LogFilters) => void) {
    super('filter-bar log-filter-bar', EMPTY_LOG_FILTERS, {
      problems: logFilterProblems,
      active: hasLogFilters,
      cleared: (f) => ({ ...EMPTY_LOG_FILTERS, attrs: [], mode: f.mode }),
    }, changed);
    this.text('q', 'Search bodies and attribute values', 'filter-q');
    this.text('traceId', 'Trace ID', 'filter-trace');
    options(this.severity, SEVERITIES);
    this.select(this.severity, 'minSeverity');
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

  protected override leadingChips(f: LogFilters): (HTMLElement | null)[] {
    return [f.pattern ? this.chip(`pattern #${f.pattern}`, 'the pattern filter', () => { this.filters.pattern = ''; }) : null];
  }

  protected override render(): void {
    super.render();
    for (const [mode, button] of Object.entries(this.modeButtons)) {
      button.setAttribute('aria-pressed', String(mode === this.filters.mode));
      button.classList.toggle('active', mode === this.filters.mode);
    }
  }
}
