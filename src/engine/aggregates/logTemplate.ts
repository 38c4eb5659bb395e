// A log message's template: the message with its variable parts masked, so that
// "user 42 took 35ms from 10.0.0.7" and "user 7 took 120ms from 10.0.0.9" read alike.
// Masks, in order of precedence: quoted values, UUIDs, IP addresses (with port), hex
// (0x… or long hex runs), durations, long mixed letter-and-digit ids, numbers.
// Only words with a digit in them can hold any but the first, so the others are kept
// as they are without running the patterns over them: templating stays a few µs.

const QUOTED = /"(?:[^"\\\n]|\\.){0,200}"|'(?:[^'\\\n]|\\.){0,200}'/g;
const IN_WORD = new RegExp([
  '(?<uuid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})',
  '(?<ip>\\b\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d{1,5})?\\b)',
  '(?<hex>\\b0[xX][0-9a-fA-F]+\\b|\\b(?=[0-9a-fA-F]*\\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\\b)',
  '(?<duration>\\b\\d+(?:\\.\\d+)?(?:ns|µs|us|ms|s|sec|m|min|h)\\b)',
  '(?<id>\\b(?=[A-Za-z0-9_-]*\\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{16,}\\b)',
  '(?<num>(?<![\\d.])(?:(?<!\\w)-)?\\d+(?:\\.\\d+)?)',
].join('|'), 'g');

const TOKENS: Record<string, string> = { uuid: '<uuid>', ip: '<ip>', hex: '<hex>', duration: '<duration>', id: '<id>', num: '<num>' };
const UNITS = /^(?:ns|µs|us|ms|s|sec|m|min|h)$/;

/** Messages longer than this are templated by their start: the rest rarely tells them apart. */
const MAX_CHARS = 1000;

export function logTemplate(message: string): string {
  let text = message.length > MAX_CHARS ? message.slice(0, MAX_CHARS) : message;
  if (text.includes('"') || text.includes('\'')) text = text.replace(QUOTED, '"<*>"');
  const words = text.split(/\s+/);
  const out: string[] = [];
  for (const word of words) {
    if (word === '') continue;
    // "35 ms": a number then its unit reads as one duration.
    if (UNITS.test(word) && out[out.length - 1] === '<num>') {
      out[out.length - 1] = '<duration>';
      continue;
    }
    out.push(/\d/.test(word) ? word.replace(IN_WORD, maskOf) : word);
  }
  return out.join(' ');
}

function maskOf(...args: unknown[]): string {
  const groups = args[args.length - 1] as Record<string, string | undefined>;
  for (const name in groups) if (groups[name] !== undefined) return TOKENS[name];
  return String(args[0]);
}
