// The mark on what an answer read from the engine's disk tier: memory had evicted it, so
// it came from the segment files, slower. Rows, the trace page and log details show it.

import { h } from './dom.ts';

export const FROM_DISK = 'From disk: evicted from memory, slower';

export function diskMark(title = FROM_DISK): HTMLElement {
  return h('span', { class: 'disk-mark', title, attrs: { role: 'img', 'aria-label': title } }, 'disk');
}
