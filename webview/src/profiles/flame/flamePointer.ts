// The mouse on a flame graph: hover, click (with Ctrl/Cmd or Shift for the other
// actions), drag to pan and scroll, the wheel to scroll, Ctrl/Cmd-wheel to zoom and
// Shift-wheel or a horizontal wheel to pan.

import { ROW_PX, type FlameViewport } from './flameViewport.ts';

export type Activation = 'zoom' | 'source' | 'sandwich';

export function activationOf(e: MouseEvent | KeyboardEvent): Activation {
  return e.ctrlKey || e.metaKey ? 'source' : e.shiftKey ? 'sandwich' : 'zoom';
}

export interface PointerTarget {
  readonly view: FlameViewport;
  readonly icicle: boolean;
  boxAtPoint(x: number, y: number): number;
  hover(box: number, clientX: number, clientY: number): void;
  activate(box: number, how: Activation): void;
  /** The view changed: draw on the next frame. */
  changed(): void;
}

/** Listens on `canvas`; returns what to call to stop. */
export function listenPointer(canvas: HTMLCanvasElement, t: PointerTarget): () => void {
  let drag: { x: number; y: number; x0: number; scroll: number; moved: boolean } | undefined;
  const endDrag = () => { setTimeout(() => { drag = undefined; }, 0); };
  canvas.addEventListener('mousemove', (e) => {
    if (drag) {
      const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      if (drag.moved) {
        const v = t.view;
        v.panTo(drag.x0 - (dx / Math.max(1, v.cssWidth)) * (v.x1 - v.x0));
        v.scrollTo(drag.scroll + (t.icicle ? -dy : dy));
        t.changed();
        return;
      }
    }
    t.hover(t.boxAtPoint(e.offsetX, e.offsetY), e.clientX, e.clientY);
  });
  canvas.addEventListener('mouseleave', () => t.hover(-1, 0, 0));
  canvas.addEventListener('mousedown', (e) => {
    if (e.button === 0) drag = { x: e.clientX, y: e.clientY, x0: t.view.x0, scroll: t.view.scrollPx, moved: false };
  });
  window.addEventListener('mouseup', endDrag);
  canvas.addEventListener('click', (e) => {
    if (drag?.moved) return;
    const box = t.boxAtPoint(e.offsetX, e.offsetY);
    if (box >= 0) t.activate(box, activationOf(e));
  });
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    const v = t.view;
    const scale = e.deltaMode === 1 ? ROW_PX : e.deltaMode === 2 ? v.cssHeight : 1;
    if (e.ctrlKey || e.metaKey) v.zoomBy(Math.exp(e.deltaY * scale * 0.002), e.offsetX / Math.max(1, v.cssWidth));
    else if (e.shiftKey) v.panBy(e.deltaY * scale);
    else {
      if (e.deltaX) v.panBy(e.deltaX * scale);
      if (e.deltaY) v.scrollTo(v.scrollPx + (t.icicle ? 1 : -1) * e.deltaY * scale);
    }
    t.changed();
  }, { passive: false });
  return () => window.removeEventListener('mouseup', endDrag);
}
