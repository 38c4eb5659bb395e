import type { Transport } from '../transport/transport.ts';
import { h } from './dom.ts';

/** A small button that copies `text` and says so. */
export function copyButton(transport: Transport, text: string, title: string): HTMLElement {
  const button = h('button', { class: 'icon-button copy-button', title, attrs: { 'aria-label': title } }, 'copy');
  button.addEventListener('click', (e) => {
    e.stopPropagation();
    void transport.copy(text).then(() => {
      button.textContent = 'copied';
      setTimeout(() => { button.textContent = 'copy'; }, 1200);
    });
  });
  return button;
}
