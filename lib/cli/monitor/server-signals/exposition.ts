// The Prometheus text exposition format (version 0.0.4, also what
// OpenMetrics servers send for text/plain), read into samples: metric name,
// labels, value. Comments (# HELP, # TYPE) are skipped; a histogram arrives as
// its _bucket, _sum and _count lines, a summary as its quantile lines. Values
// follow the format's rules: Go float syntax plus NaN, +Inf, -Inf; an
// optional timestamp after the value is ignored. Lines that do not parse are
// counted, not thrown: a scrape of a misbehaving server still yields the rest.

export interface ExpositionSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: ExpositionSample[];
  /** lines that were neither comments, blank, nor a sample */
  badLines: number;
}

const NAME_START = /[a-zA-Z_:]/;
const NAME_CHAR = /[a-zA-Z0-9_:]/;

function parseValue(text: string): number | undefined {
  switch (text) {
    case 'NaN':
      return Number.NaN;
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/** Label block starting at `{` at i; returns the labels and the index after `}`, or undefined. */
function parseLabels(line: string, i: number): { labels: Record<string, string>; end: number } | undefined {
  const labels: Record<string, string> = {};
  let p = i + 1;
  for (;;) {
    while (line[p] === ' ' || line[p] === '\t' || line[p] === ',') p++;
    if (line[p] === '}') return { labels, end: p + 1 };
    const nameStart = p;
    while (p < line.length && NAME_CHAR.test(line[p]!)) p++;
    const key = line.slice(nameStart, p);
    while (line[p] === ' ') p++;
    if (key === '' || line[p] !== '=') return undefined;
    p++;
    while (line[p] === ' ') p++;
    if (line[p] !== '"') return undefined;
    p++;
    let value = '';
    for (;;) {
      const c = line[p];
      if (c === undefined) return undefined;
      if (c === '"') break;
      if (c === '\\') {
        const next = line[p + 1];
        value += next === 'n' ? '\n' : (next ?? '');
        p += 2;
        continue;
      }
      value += c;
      p++;
    }
    labels[key] = value;
    p++;
  }
}

export function parseExposition(text: string): Exposition {
  const samples: ExpositionSample[] = [];
  let badLines = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (!NAME_START.test(line[0]!)) {
      badLines++;
      continue;
    }
    let p = 1;
    while (p < line.length && NAME_CHAR.test(line[p]!)) p++;
    const name = line.slice(0, p);
    let labels: Record<string, string> = {};
    if (line[p] === '{') {
      const parsed = parseLabels(line, p);
      if (parsed === undefined) {
        badLines++;
        continue;
      }
      labels = parsed.labels;
      p = parsed.end;
    }
    const value = parseValue(line.slice(p).trim().split(/\s+/)[0] ?? '');
    if (value === undefined) {
      badLines++;
      continue;
    }
    samples.push({ name, labels, value });
  }
  return { samples, badLines };
}
