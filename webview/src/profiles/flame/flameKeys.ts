// Keyboard moves in a flame graph: up and down the stack (towards the root or the
// widest child, whichever way the chart is drawn), left and right along a row.

import { firstStartingFrom, type FlameLayout } from '../model/flameLayout.ts';
import type { RowPlacement } from './flameViewport.ts';

/** The box an arrow key moves the selection to (the same box when there is nowhere to go); -1 for another key. */
export function boxForArrow(l: FlameLayout, selected: number, key: string, placement: RowPlacement): number {
  if (!['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'].includes(key)) return -1;
  if (selected < 0) return l.rows[placement.firstDepth]?.[0] ?? -1;
  const towardsRoot = placement.orientation === 'icicle' ? 'ArrowUp' : 'ArrowDown';
  if (key === 'ArrowUp' || key === 'ArrowDown') {
    if (key !== towardsRoot) return widestChild(l, selected);
    const parent = l.parent[selected];
    return parent >= 0 && l.depth[parent] >= placement.firstDepth ? parent : selected;
  }
  const row = l.rows[l.depth[selected]];
  const at = firstStartingFrom(l, row, l.start[selected]);
  return row[Math.max(0, Math.min(row.length - 1, at + (key === 'ArrowLeft' ? -1 : 1)))] ?? selected;
}

function widestChild(l: FlameLayout, box: number): number {
  const row = l.rows[l.depth[box] + 1];
  if (!row) return box;
  const c = row[firstStartingFrom(l, row, l.start[box])];
  return c !== undefined && l.parent[c] === box ? c : box;
}
