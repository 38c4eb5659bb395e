// Driving the VS Code workbench in the browser the way a user does: the command
// palette, the side bar, the status bar, panels, and webviews (nested iframes).

import type { Browser, Frame, Locator, Page } from 'playwright-core';

export async function openWindow(browser: Browser, serverUrl: string, folder: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // The page loads the whole workbench: on a busy machine that takes more than the default 30 s.
  await page.goto(`${serverUrl}/?folder=${encodeURIComponent(folder)}`, { timeout: 90_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The workbench is interactive once the status bar has its editor entries.
  await page.locator('.statusbar').waitFor();
  return page;
}

export async function runCommand(page: Page, title: string): Promise<void> {
  // A closing dialog or notification can take the focus back from a just-opened palette: try twice.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 5000 });
      await input.fill(`>${title}`, { timeout: 5000 });
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      await row.waitFor({ timeout: 15_000 });
      await input.press('Enter');
      return;
    } catch (err) {
      if (attempt === 2) throw err;
      await page.waitForTimeout(500);
    }
  }
}

/**
 * Replaces the user settings as a user does, in the settings.json editor: a file written
 * behind the workbench's back is not always noticed by code-server's watcher. The suite's
 * settings turn auto-closing and auto-indent off, so the text arrives as inserted.
 */
export async function editUserSettings(page: Page, settings: Record<string, unknown>): Promise<void> {
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  const editor = page.locator('.part.editor .monaco-editor').first();
  await editor.waitFor();
  await editor.locator('.view-lines').first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(JSON.stringify(settings));
  await page.keyboard.press('Control+S');
  await page.locator('.part.editor .tab.active:not(.dirty)').first().waitFor({ timeout: 10_000 });
  await runCommand(page, 'View: Close All Editors');
}

export function loupeStatus(page: Page): Locator {
  return page.locator('.statusbar-item', { hasText: /Loupe/ }).first();
}

export async function statusText(page: Page): Promise<string> {
  const label = await loupeStatus(page).locator('[aria-label]').first().getAttribute('aria-label').catch(() => null);
  return label ?? (await loupeStatus(page).innerText());
}

/** The side bar's Loupe container, opened through its activity bar icon. */
export async function showLoupeSideBar(page: Page): Promise<Locator> {
  const container = page.locator('[id="workbench.view.extension.loupe"]');
  if (!(await container.isVisible().catch(() => false))) {
    await page.locator('.activitybar .action-item a[aria-label^="Loupe"], .activitybar .action-label[aria-label^="Loupe"]').first().click();
  }
  await container.waitFor();
  return container;
}

export function treeRow(container: Locator, text: string | RegExp): Locator {
  return container.locator('.monaco-list-row', { hasText: text }).first();
}

/** A webview frame whose document has the selector (webview content sits two iframes deep). */
export async function frameWith(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      try {
        if (await frame.$(selector)) return frame;
      } catch {
        // the frame navigated away while we asked
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no frame shows ${selector} within ${timeoutMs} ms`);
}

/** "Ln 22, Col 11" of the active editor, from the status bar. */
export async function cursorPosition(page: Page): Promise<{ line: number; column: number } | undefined> {
  const text = await page.locator('.statusbar-item', { hasText: /Ln \d+, Col \d+/ }).first().innerText().catch(() => '');
  const m = /Ln (\d+), Col (\d+)/.exec(text);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
}

/** The titles of each editor group's active tab. */
export async function activeEditorTitles(page: Page): Promise<string[]> {
  return page.locator('.tabs-container .tab.active').allInnerTexts();
}

export async function notificationTexts(page: Page): Promise<string[]> {
  return page.locator('.notifications-toasts .notification-list-item-message, .notifications-center .notification-list-item-message').allInnerTexts();
}

export async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000, page?: Page): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await (page ? page.waitForTimeout(300) : new Promise((r) => setTimeout(r, 300)));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
}
