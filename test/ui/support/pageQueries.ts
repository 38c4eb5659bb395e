// Reading what the UI shows. Virtualized rows are reused in any DOM order, so rows are
// read in screen order.

import type { Page } from 'playwright-core';

export interface ShownRow {
  id: string;
  cells: string[];
  classes: string[];
}

/** Trace list rows on screen, top to bottom. */
export function shownTraces(page: Page): Promise<ShownRow[]> {
  return page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.trace-rows .trace-row:not([hidden])')]
    .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
    .map((r) => ({ id: r.dataset.traceId ?? '', cells: [...r.children].map((c) => (c as HTMLElement).innerText.trim()), classes: [...r.classList] })));
}

/** Waterfall rows on screen, top to bottom: span id, name cell text, classes. */
export function shownSpans(page: Page): Promise<ShownRow[]> {
  return page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.waterfall-rows .span-row:not([hidden])')]
    .filter((r) => r.getBoundingClientRect().bottom > r.parentElement!.getBoundingClientRect().top && r.getBoundingClientRect().top < r.parentElement!.getBoundingClientRect().bottom)
    .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
    .map((r) => ({ id: r.dataset.spanId ?? '', cells: [(r.querySelector('.span-name') as HTMLElement).innerText, (r.querySelector('.span-service') as HTMLElement).innerText, (r.querySelector('.span-badges') as HTMLElement).innerText, (r.querySelector('.span-duration') as HTMLElement).innerText], classes: [...r.classList] })));
}

/** Waits until `check` holds for what `read` returns (or fails with the last value). */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > until) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

/** Sets a vscode-elements control's value as a user's choice would. */
export async function choose(page: Page, selector: string, value: string): Promise<void> {
  await page.evaluate(([sel, v]) => {
    const el = document.querySelector(sel) as HTMLElement & { value: string };
    el.value = v;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, [selector, value] as const);
}

/** Types into a vscode-textfield (its inner input lives in a shadow root). */
export async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  const input = page.locator(`${selector} input`);
  await input.fill(text);
}
