// OTLP/JSON senders may write uint64 and int64 fields as bare numbers (the proto3 JSON
// mapping accepts both), and JSON.parse would round 1700000000123456789 to
// 1700000000123456800. Node 20 has no access to a number's source text in JSON.parse,
// so a pre-pass quotes every integer token that might not fit in a double. Used by the
// engine's decoder and by the extension's file import, which re-writes requests.

/** Integers of at most this many digits are below 2^53 and survive JSON.parse. */
const SAFE_DIGITS = 15;

/**
 * Something that may be a long integer token: more than SAFE_DIGITS digits right after
 * `:`, `,` or `[`. Most payloads (times written as strings, as the spec says) have none,
 * and this native scan is about twice as fast as the exact one below.
 */
const MAYBE_LONG_INTEGER = new RegExp(`[:,[]\\s*-?\\d{${SAFE_DIGITS + 1}}`);

/** Wraps integer number tokens longer than SAFE_DIGITS digits (outside strings) in quotes. */
export function quoteLongIntegers(text: string): string {
  if (!MAYBE_LONG_INTEGER.test(text)) return text;
  const n = text.length;
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = stringEnd(text, i + 1);
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      if (c === 0x2d) i++;
      const digitsStart = i;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      const digits = i - digitsStart;
      const next = i < n ? text.charCodeAt(i) : 0;
      if (next === 0x2e /* . */ || next === 0x65 /* e */ || next === 0x45 /* E */) {
        // A fraction or exponent: a double, left to JSON.parse.
        while (i < n && isNumberChar(text.charCodeAt(i))) i++;
      } else if (digits > SAFE_DIGITS && text.charCodeAt(digitsStart) !== 0x30) {
        // (A leading zero is invalid JSON: left alone so that JSON.parse rejects it.)
        out += text.slice(copied, start) + '"' + text.slice(start, i) + '"';
        copied = i;
      }
    } else {
      i++;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** The index just past the closing quote of the string whose contents start at `i`. */
function stringEnd(text: string, i: number): number {
  let from = i;
  while (true) {
    const q = text.indexOf('"', from);
    if (q < 0) return text.length; // unterminated: JSON.parse reports it
    let backslashes = 0;
    for (let j = q - 1; j >= i && text.charCodeAt(j) === 0x5c; j--) backslashes++;
    if ((backslashes & 1) === 0) return q + 1;
    from = q + 1;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isNumberChar(c: number): boolean {
  return isDigit(c) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}
