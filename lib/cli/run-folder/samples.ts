// Reads k6's JSON output (samples.json.gz: one JSON object per line, gzip) into
// per-metric columns. Streams the file, so a long run does not need its whole
// text in memory; unreadable lines are counted, not fatal (a run killed with -9
// leaves a truncated last line).

import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { STAGE, TAG } from '../../shared/metrics.ts';

export type K6MetricType = 'trend' | 'counter' | 'rate' | 'gauge';

export interface MetricSamples {
  type: K6MetricType | 'unknown';
  /** sample times, epoch milliseconds */
  tMs: number[];
  values: number[];
  tags: Readonly<Record<string, string>>[];
}

export interface SampleTable {
  metrics: Map<string, MetricSamples>;
  /** lines that were not valid JSON points (a truncated last line after a crash, for example) */
  badLines: number;
}

interface K6Line {
  type?: string;
  metric?: string;
  data?: { time?: string; value?: number; tags?: Record<string, string> | null; type?: string };
}

function columnFor(table: SampleTable, name: string): MetricSamples {
  let col = table.metrics.get(name);
  if (col === undefined) {
    col = { type: 'unknown', tMs: [], values: [], tags: [] };
    table.metrics.set(name, col);
  }
  return col;
}

/** Adds one line of k6 JSON output to the table. Exported for tests. */
export function addLine(table: SampleTable, line: string): void {
  if (line.trim() === '') return;
  let parsed: K6Line;
  try {
    parsed = JSON.parse(line) as K6Line;
  } catch {
    table.badLines++;
    return;
  }
  if (typeof parsed.metric !== 'string' || parsed.data === undefined) {
    table.badLines++;
    return;
  }
  const col = columnFor(table, parsed.metric);
  if (parsed.type === 'Metric') {
    const t = parsed.data.type;
    if (t === 'trend' || t === 'counter' || t === 'rate' || t === 'gauge') col.type = t;
    return;
  }
  const tMs = Date.parse(parsed.data.time ?? '');
  const value = parsed.data.value;
  if (parsed.type !== 'Point' || !Number.isFinite(tMs) || typeof value !== 'number') {
    table.badLines++;
    return;
  }
  col.tMs.push(tMs);
  col.values.push(value);
  col.tags.push(parsed.data.tags ?? {});
}

export function emptyTable(): SampleTable {
  return { metrics: new Map(), badLines: 0 };
}

/** Reads a samples.json.gz (or plain .json) file; a missing file gives an empty table. */
export async function readSamples(path: string): Promise<SampleTable> {
  const table = emptyTable();
  if (!existsSync(path)) return table;
  const raw = createReadStream(path);
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  // a truncated gzip stream (crash mid-write) ends with an error: keep what was read
  const done = new Promise<void>((resolveDone) => input.on('error', () => resolveDone()));
  const lines = createInterface({ input, crlfDelay: Infinity });
  await Promise.race([
    (async () => {
      for await (const line of lines) addLine(table, line);
    })(),
    done.then(() => lines.close()),
  ]);
  return table;
}

/** Whether a sample counts as measured: every stage except warm-up. */
export function isMeasured(tags: Readonly<Record<string, string>>): boolean {
  return tags[TAG.stage] !== STAGE.warmup;
}

/** Values of one metric from the measured stages (warm-up excluded), optionally filtered by a tag predicate. */
export function measuredValues(
  table: SampleTable,
  metric: string,
  where: (tags: Readonly<Record<string, string>>) => boolean = () => true,
): number[] {
  const col = table.metrics.get(metric);
  if (col === undefined) return [];
  const out: number[] = [];
  for (let i = 0; i < col.values.length; i++) {
    const tags = col.tags[i] ?? {};
    if (isMeasured(tags) && where(tags)) out.push(col.values[i] ?? 0);
  }
  return out;
}

/** Tag predicate: samples of one traffic class, or every sample when cls is null. */
export function ofClass(cls: string | null): (tags: Readonly<Record<string, string>>) => boolean {
  return (tags) => cls === null || tags[TAG.class] === cls;
}

/** Traffic classes (tag `class`) among the measured samples of the metrics named (all metrics when none), sorted. */
export function measuredClasses(table: SampleTable, metrics?: readonly string[]): string[] {
  const found = new Set<string>();
  for (const name of metrics ?? [...table.metrics.keys()]) {
    const col = table.metrics.get(name);
    if (col === undefined) continue;
    for (const tags of col.tags) {
      const cls = tags[TAG.class];
      if (cls !== undefined && isMeasured(tags)) found.add(cls);
    }
  }
  return [...found].sort();
}

/**
 * How one metric is split by traffic class: one entry per class when its
 * measured samples carry more than one (llm and image latencies are never
 * pooled), else one entry with class null (every sample).
 */
export function classSplit(tables: readonly SampleTable[], metric: string): (string | null)[] {
  const classes = [...new Set(tables.flatMap((t) => measuredClasses(t, [metric])))].sort();
  return classes.length > 1 ? classes : [null];
}

/** metric{class:llm} for a class, the bare metric name for null (k6's sub-metric spelling). */
export function classLabel(metric: string, cls: string | null): string {
  return cls === null ? metric : `${metric}{${TAG.class}:${cls}}`;
}

export interface StageSpan {
  stage: string;
  startMs: number;
  endMs: number;
}

/** First and last sample time of each stage tag value, in order of start. */
export function stageSpans(table: SampleTable): StageSpan[] {
  const spans = new Map<string, StageSpan>();
  for (const col of table.metrics.values()) {
    for (let i = 0; i < col.tMs.length; i++) {
      const stage = col.tags[i]?.[TAG.stage];
      if (stage === undefined) continue;
      const t = col.tMs[i] ?? 0;
      const s = spans.get(stage);
      if (s === undefined) spans.set(stage, { stage, startMs: t, endMs: t });
      else {
        s.startMs = Math.min(s.startMs, t);
        s.endMs = Math.max(s.endMs, t);
      }
    }
  }
  return [...spans.values()].sort((a, b) => a.startMs - b.startMs);
}

/** Earliest sample time of the run, or NaN when there are no samples. */
export function firstSampleMs(table: SampleTable): number {
  let first = Number.POSITIVE_INFINITY;
  for (const col of table.metrics.values()) for (const t of col.tMs) if (t < first) first = t;
  return Number.isFinite(first) ? first : Number.NaN;
}
