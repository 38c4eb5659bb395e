// Box colours: warm hues for code (one per function name, stable across views and
// reloads), cool or neutral ones for what is not the program's own code, so native,
// idle, GC and runtime time are told apart at a glance.

import { FrameKind } from '../../../../src/protocol/profile.ts';

export function nameHash(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function functionColour(name: string, kind: number): string {
  const h = nameHash(name);
  switch (kind) {
    case FrameKind.Native: return `hsl(${200 + (h % 20)}, 35%, ${62 + ((h >>> 8) % 10)}%)`;
    case FrameKind.Idle: return 'hsl(0, 0%, 82%)';
    case FrameKind.Program: return 'hsl(40, 8%, 70%)';
    case FrameKind.GarbageCollector: return `hsl(${275 + (h % 15)}, 40%, ${68 + ((h >>> 8) % 8)}%)`;
    default: return `hsl(${(h % 45) + 5}, ${70 + ((h >>> 6) % 20)}%, ${58 + ((h >>> 12) % 12)}%)`;
  }
}

/** The colours of the drawing that follow the theme (read from the page's CSS variables). */
export interface ThemeColours {
  background: string;
  text: string;
  /** Text on a box (boxes are light in both themes). */
  boxText: string;
  dimmed: string;
  tiny: string;
  match: string;
  outline: string;
}

export function themeColours(el: Element): ThemeColours {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const dark = isDark(v('--vscode-editor-background', '#ffffff'));
  return {
    background: v('--vscode-editor-background', '#ffffff'),
    text: v('--vscode-foreground', '#3b3b3b'),
    boxText: '#1b1b1b',
    dimmed: dark ? '#3c3c3c' : '#e4e4e4',
    tiny: dark ? '#555555' : '#c8c8c8',
    match: '#e040c8',
    outline: v('--vscode-focusBorder', '#005fb8'),
  };
}

function isDark(colour: string): boolean {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(colour) ?? /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(colour);
  if (!m) return false;
  const [r, g, b] = m.slice(1, 4).map((x) => (x.length === 2 && /[a-f]/i.test(x)) || colour.startsWith('#') ? parseInt(x, 16) : Number(x));
  return 0.299 * r + 0.587 * g + 0.114 * b < 128;
}
