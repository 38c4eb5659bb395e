// Telemetry text is written by whatever app sent it. It is only ever shown through
// textContent, so markup stays text; this module also makes invisible and
// display-altering characters visible (NUL, ANSI escapes, right-to-left overrides) and
// keeps huge values short, so one hostile attribute cannot garble or freeze the page.

/** Characters shown before a value is cut (the full value is one click away). */
export const SHORT_LIMIT = 300;

// CSI (colours, cursor moves) and OSC (titles, hyperlinks) terminal sequences.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;
// C0 controls except tab and newline, DEL, C1 controls, and bidirectional controls.
const HIDDEN = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code); // ␀ … ␟ (control pictures)
  if (code === 0x7f) return '\u2421'; // ␡
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** The text with escapes removed and hidden characters made visible. */
export function inertText(text: string, singleLine = false): string {
  let out = text.replace(ANSI, '').replace(HIDDEN, visible);
  if (singleLine) out = out.replace(/\r?\n/g, ' \u21b5 ');
  return out;
}

export interface ShortText {
  text: string;
  /** Characters of the original value, when it was cut to fit. */
  cutFrom?: number;
}

/** The start of a long value, made inert: the cost stays small however big the value. */
export function shortText(text: string, limit = SHORT_LIMIT, singleLine = true): ShortText {
  if (text.length <= limit) return { text: inertText(text, singleLine) };
  let end = limit;
  // Never split a surrogate pair.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return { text: inertText(text.slice(0, end), singleLine) + '…', cutFrom: text.length };
}

/** An attribute or log value as text: strings as they are, anything else as JSON. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value) ?? String(value);
}

/** One line of telemetry text for a label or title: inert, at most `limit` characters. */
export function oneLine(text: string, limit = SHORT_LIMIT): string {
  return shortText(text, limit, true).text;
}
