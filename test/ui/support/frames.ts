// Scrolling measured in the page: per animation frame, the interval between frames and
// the main thread's work for the frame. Shared by the scale tests and the benchmarks.

import type { Page } from 'playwright-core';

export interface FrameFigures { interval: string; work: string; longTasks: number }

/**
 * Scrolls `frames` animation frames by `step` pixels each. Per frame it records the
 * interval between frames and the main thread's work for the frame (from the start of
 * its animation callbacks to the next task, which runs once style, layout and paint are
 * done): the interval depends on the machine's load, the work on the UI.
 */
export async function scrollFrames(page: Page, selector: string, frames: number, step: number): Promise<FrameFigures> {
  return page.evaluate(async ([sel, n, px]) => {
    const el = document.querySelector(sel) as HTMLElement;
    const longTasks: number[] = [];
    const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration); });
    observer.observe({ type: 'longtask', buffered: false });
    const intervals: number[] = [];
    const work: number[] = [];
    await new Promise<void>((done) => {
      let last = 0;
      let i = 0;
      const frame = (t: number) => {
        if (last) intervals.push(t - last);
        last = t;
        if (i++ === n) return done();
        const begin = performance.now();
        setTimeout(() => work.push(performance.now() - begin), 0);
        el.scrollTop += px;
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    observer.disconnect();
    const summary = (values: number[]) => {
      values.sort((a, b) => a - b);
      const at = (q: number) => (values[Math.min(values.length - 1, Math.floor(q * values.length))] ?? 0).toFixed(1);
      return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms`;
    };
    return { interval: summary(intervals), work: summary(work), longTasks: longTasks.length };
  }, [selector, frames, step] as const);
}
