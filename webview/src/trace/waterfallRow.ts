// One row of the waterfall, reused as the list scrolls. A fast scroll refills every row
// in view each frame, so a refill is kept cheap: texts are Text nodes whose data is
// replaced (no node or layout object is made), every value written is remembered so
// that unchanged ones are compared in script rather than read back from the DOM, and
// the tooltips (titles) are written only when the pointer comes over the row.

import { h } from '../ui/dom.ts';

/** What a row shows; the waterfall fills one per refill. */
export interface SpanRowContent {
  spanId: string;
  depth: number;
  indentPx: number;
  /** The depth written in the indent when it is deeper than indentation shows. */
  indentText: string;
  toggle: string;
  service: string;
  name: string;
  badges: string;
  colorClass: string;
  /** Row classes as bits (RowFlag). */
  flags: number;
  expanded: boolean | undefined;
  selected: boolean;
  barLeft: string;
  barWidth: string;
  duration: string;
  durationPlace: 'after' | 'before' | 'inside';
  durationLeft: string;
  durationRight: string;
}

export const RowFlag = { selected: 1, focused: 2, error: 4, match: 8, critical: 16, orphan: 32 } as const;
const FLAG_CLASSES = Object.entries(RowFlag) as [string, number][];

/** The row's tooltips, made when the pointer comes over it. */
export interface RowTitles { toggle: string; name: string; badges: string }

export class SpanRow {
  readonly element: HTMLElement;
  /** The marks layer (critical-path segments and log ticks), drawn by the waterfall. */
  readonly marks: HTMLElement;
  marksKey = '';
  /** The span shown, or -1. */
  index = -1;
  private readonly indent = new Text();
  private readonly toggleText = new Text();
  private readonly serviceText = new Text();
  private readonly nameText = new Text();
  private readonly badgesText = new Text();
  private readonly durationText = new Text();
  private readonly indentEl: HTMLElement;
  private readonly toggleEl: HTMLElement;
  private readonly serviceEl: HTMLElement;
  private readonly nameEl: HTMLElement;
  private readonly badgesEl: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly durationEl: HTMLElement;
  private readonly was: Record<string, string | number | boolean | undefined> = {};
  private titled = false;

  constructor() {
    // Shown only for the depth written in it; otherwise the indent is the toggle's margin
    // and the row's flex line has one item fewer (as it has while there are no badges).
    this.indentEl = h('span', { class: 'indent', attrs: { hidden: '' } }, this.indent);
    this.toggleEl = h('span', { class: 'toggle', attrs: { 'aria-hidden': 'true' } }, this.toggleText);
    // The service's dot is its label's ::before (waterfall.css): one element fewer to lay out.
    this.serviceEl = h('span', { class: 'span-service' }, this.serviceText);
    this.nameEl = h('span', { class: 'span-name' }, this.nameText);
    this.badgesEl = h('span', { class: 'span-badges', attrs: { hidden: '' } }, this.badgesText);
    this.bar = h('div', { class: 'span-bar' });
    this.durationEl = h('span', { class: 'span-duration' }, this.durationText);
    this.marks = h('div', { class: 'span-marks', attrs: { hidden: '' } });
    this.element = h('div', { class: 'span-row', attrs: { role: 'treeitem' } },
      h('div', { class: 'span-name-cell' }, this.indentEl, this.toggleEl, this.serviceEl, this.nameEl, this.badgesEl),
      h('div', { class: 'span-bar-cell' }, this.bar, this.durationEl, this.marks));
  }

  fill(c: SpanRowContent): void {
    const row = this.element;
    if (this.titled) this.setTitles({ toggle: '', name: '', badges: '' });
    if (this.changed('spanId', c.spanId)) row.dataset.spanId = c.spanId;
    if (this.changed('depth', c.depth)) row.setAttribute('aria-level', String(c.depth + 1));
    if (this.changed('selected', c.selected)) row.setAttribute('aria-selected', String(c.selected));
    if (this.changed('expanded', c.expanded)) {
      if (c.expanded === undefined) row.removeAttribute('aria-expanded');
      else row.setAttribute('aria-expanded', String(c.expanded));
    }
    const flags = (this.was.flags as number | undefined) ?? 0;
    if (this.changed('flags', c.flags)) {
      for (const [name, bit] of FLAG_CLASSES) if ((flags ^ c.flags) & bit) row.classList.toggle(name, !!(c.flags & bit));
    }
    const deep = c.indentText !== '';
    if (this.changed('indentPx', deep ? -1 - c.indentPx : c.indentPx)) {
      if (this.indentEl.hidden === deep) this.indentEl.hidden = !deep;
      if (deep) this.indentEl.style.width = `${c.indentPx}px`;
      this.toggleEl.style.marginLeft = deep ? '' : `${c.indentPx}px`;
    }
    setData(this.indent, c.indentText);
    setData(this.toggleText, c.toggle);
    if (this.changed('color', c.colorClass)) {
      this.serviceEl.className = `span-service ${c.colorClass}`;
      this.bar.className = `span-bar ${c.colorClass}`;
    }
    setData(this.serviceText, c.service);
    setData(this.nameText, c.name);
    if (this.changed('badged', c.badges !== '')) this.badgesEl.hidden = c.badges === '';
    setData(this.badgesText, c.badges);
    if (this.changed('barLeft', c.barLeft)) this.bar.style.marginLeft = c.barLeft;
    if (this.changed('barWidth', c.barWidth)) this.bar.style.width = c.barWidth;
    setData(this.durationText, c.duration);
    if (this.changed('place', c.durationPlace)) this.durationEl.className = `span-duration ${c.durationPlace}`;
    if (this.changed('durationLeft', c.durationLeft)) this.durationEl.style.left = c.durationLeft;
    if (this.changed('durationRight', c.durationRight)) this.durationEl.style.right = c.durationRight;
  }

  get hasTitles(): boolean {
    return this.titled;
  }

  /** Writes the tooltips (the pointer came over the row); the next fill takes them off. */
  setTitles(t: RowTitles): void {
    this.toggleEl.title = t.toggle;
    this.nameEl.title = t.name;
    this.badgesEl.title = t.badges;
    this.titled = !!(t.toggle || t.name || t.badges);
  }

  private changed(key: string, value: string | number | boolean | undefined): boolean {
    if (key in this.was && this.was[key] === value) return false;
    this.was[key] = value;
    return true;
  }
}

function setData(node: Text, text: string): void {
  if (node.data !== text) node.data = text;
}
