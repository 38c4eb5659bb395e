// The Prometheus text exposition format (version 0.0.4, as prom-client and most client
// libraries serve it; OpenMetrics' `_total`/`# EOF` forms are read too): samples grouped
// into families by their `# TYPE`. Lines it cannot read are counted and skipped, so one
// odd line does not lose a whole scrape.

export type PromType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface PromSample {
  /** The sample's own name (e.g. `x_bucket`, `x_sum`). */
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch, when the line gave one. */
  timestampMs?: number;
}

export interface PromFamily {
  name: string;
  type: PromType;
  help: string;
  samples: PromSample[];
}

export interface PromParseResult {
  families: PromFamily[];
  /** Lines that could not be read, with the first problem, for the target's status. */
  badLines: number;
  firstProblem?: string;
}

const TYPES = new Set<PromType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created'];

export function parsePromText(text: string): PromParseResult {
  const families = new Map<string, PromFamily>();
  const result: PromParseResult = { families: [], badLines: 0 };
  const familyOf = (name: string): PromFamily => {
    let f = families.get(name);
    if (!f) {
      f = { name, type: 'untyped', help: '', samples: [] };
      families.set(name, f);
    }
    return f;
  };
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = /^#\s*(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(.*)$/.exec(line);
      if (!m) continue; // other comments, # EOF
      const family = familyOf(m[2]);
      if (m[1] === 'HELP') family.help = unescapeHelp(m[3]);
      else if (TYPES.has(m[3].trim() as PromType)) family.type = m[3].trim() as PromType;
      continue;
    }
    try {
      const sample = parseSample(line);
      familyOf(familyName(sample.name, families)).samples.push(sample);
    } catch (err) {
      result.badLines++;
      result.firstProblem ??= `line ${n + 1}: ${(err as Error).message}`;
    }
  }
  result.families = [...families.values()].filter((f) => f.samples.length > 0);
  return result;
}

/** `x_bucket` belongs to family `x` when `x` was declared a histogram, and so on. */
function familyName(sample: string, families: Map<string, PromFamily>): string {
  if (families.has(sample)) return sample;
  for (const suffix of SUFFIXES) {
    if (!sample.endsWith(suffix)) continue;
    const base = sample.slice(0, -suffix.length);
    if (families.has(base)) return base;
  }
  return sample;
}

function parseSample(line: string): PromSample {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) throw new Error(`expected a metric name, got "${line.slice(0, 40)}"`);
  const name = nameMatch[0];
  let pos = name.length;
  const labels: Record<string, string> = {};
  if (line[pos] === '{') {
    pos++;
    for (;;) {
      while (line[pos] === ' ' || line[pos] === ',') pos++;
      if (line[pos] === '}') { pos++; break; }
      const key = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(pos));
      if (!key) throw new Error(`bad label name in "${line.slice(0, 60)}"`);
      pos += key[0].length;
      while (line[pos] === ' ') pos++;
      if (line[pos] !== '=' || line[pos + 1] !== '"') throw new Error(`expected ="value" after label ${key[0]}`);
      pos += 2;
      let value = '';
      for (;;) {
        const c = line[pos++];
        if (c === undefined) throw new Error(`unterminated value of label ${key[0]}`);
        if (c === '"') break;
        if (c === '\\') {
          const e = line[pos++];
          value += e === 'n' ? '\n' : e;
        } else value += c;
      }
      labels[key[0]] = value;
    }
  }
  const rest = line.slice(pos).trim().split(/\s+/);
  if (rest.length < 1 || rest[0] === '') throw new Error(`no value for ${name}`);
  const value = parseValue(rest[0]);
  const sample: PromSample = { name, labels, value };
  if (rest[1] !== undefined) {
    const ts = Number(rest[1]);
    if (!Number.isFinite(ts)) throw new Error(`bad timestamp "${rest[1]}" for ${name}`);
    sample.timestampMs = ts;
  }
  return sample;
}

export function parseValue(text: string): number {
  // Spelled in any case, as Go's ParseFloat reads them (prom-client writes "Nan").
  switch (text.toLowerCase()) {
    case '+inf': case 'inf': return Infinity;
    case '-inf': return -Infinity;
    case 'nan': return NaN;
  }
  const v = Number(text);
  if (Number.isNaN(v)) throw new Error(`bad value "${text.slice(0, 40)}"`);
  return v;
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}
