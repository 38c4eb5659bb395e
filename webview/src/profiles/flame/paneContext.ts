// What the panes of a profile page share: the model, the tooltip, and the two ways out
// of a box (its source, its sandwich); and how a box is described in the tooltip.

import type { SampleType } from '../../../../src/protocol/profile.ts';
import type { FlameLayout } from '../model/flameLayout.ts';
import type { FunctionTable } from '../model/functions.ts';
import type { ProfileModel } from '../model/profileModel.ts';
import { formatShare, formatValue } from '../valueFormat.ts';
import { functionColour } from './palette.ts';
import type { Activation } from './flameCanvas.ts';
import type { Tooltip, TooltipContent } from './tooltip.ts';

export interface PaneContext {
  model: ProfileModel;
  tooltip: Tooltip;
  openSource(func: number): void;
  sandwich(func: number): void;
}

export const HINT = 'Click: zoom · Shift-click: callers/callees · Ctrl/Cmd-click: source';

export function describeBox(layout: FlameLayout, box: number, fns: FunctionTable, type: SampleType | undefined): TooltipContent {
  const f = layout.func[box];
  const whole = layout.grandTotal;
  const rows: [string, string][] = [
    ['Self', `${formatValue(layout.self[box], type)} (${formatShare(layout.self[box], whole)})`],
    ['Total', `${formatValue(layout.total[box], type)} (${formatShare(layout.total[box], whole)})`],
  ];
  if (layout.baseTotal && layout.baseSelf) {
    const before = layout.baseTotal[box], after = layout.total[box];
    rows.splice(0, 2,
      ['Base total', formatValue(before, type)],
      ['New total', formatValue(after, type)],
      ['Change', before > 0 ? `${after >= before ? '+' : '−'}${formatShare(Math.abs(after - before), before)}` : after > 0 ? 'new' : '—'],
      ['Base self', formatValue(layout.baseSelf[box], type)],
      ['New self', formatValue(layout.self[box], type)]);
  }
  return {
    title: f < 0 ? 'all' : fns.name[f],
    source: f >= 0 && fns.file[f] ? `${fns.file[f]}${fns.line[f] ? `:${fns.line[f]}` : ''}` : undefined,
    rows,
    hint: HINT,
  };
}

/** A colour per function, computed once. */
export function colourTable(fns: FunctionTable): string[] {
  return fns.name.map((name, f) => functionColour(name, fns.kind[f]));
}

/** Runs what a click on a box asks for; `zoom` is the pane's own. */
export function activate(pane: PaneContext, layout: FlameLayout, box: number, how: Activation, zoom: (box: number) => void): void {
  const f = layout.func[box];
  if (how === 'source') pane.openSource(f);
  else if (how === 'sandwich' && f >= 0) pane.sandwich(f);
  else zoom(box);
}
