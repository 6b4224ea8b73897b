// What the configuration table (knobs.ts) tells people: `genload --help`, the
// variable lists of `make help`, and the README's knob list (generated between
// markers; help.test.ts fails when the README differs, `node --import tsx
// build/knob-docs.ts` rewrites it). Pure.

import { KNOB_TABLES, type Knob, type KnobGroup } from './knobs.ts';

const GROUP_TITLES: Readonly<Record<KnobGroup, string>> = {
  load: 'load knobs (make load, config, capacity, package-operator)',
  capacity: 'capacity knobs (make capacity)',
  operator: 'k6-operator knobs (make package-operator)',
};

const rowsOf = (group: KnobGroup): ReadonlyArray<Knob<unknown>> => Object.values(KNOB_TABLES[group]);
const GROUPS: readonly KnobGroup[] = ['load', 'capacity', 'operator'];

function shown(row: Knob<unknown>, value: unknown): string {
  if (row.show !== undefined) return row.show(value);
  return row.unit === undefined || typeof value !== 'number' ? String(value) : `${value} ${row.unit}`;
}

/** The default a row gives, with its per-scenario defaults, or what applies when it stays unset. */
export function defaultText(row: Knob<unknown>): string {
  const own = Object.entries(row.byScenario ?? {}).map(([scenario, v]) => `${scenario}: ${shown(row, v)}`);
  const base = row.default !== undefined ? shown(row, row.default) : (row.unsetMeans ?? 'none');
  return own.length === 0 ? base : `${base} (${own.join(', ')})`;
}

const unitText = (row: Knob<unknown>): string => (row.unit === undefined ? '' : ` [${row.unit}]`);

/** `genload --help`: every knob with its Make variable, environment name, unit and default. */
export function knobUsage(): string[] {
  return GROUPS.flatMap((group) => [
    `${GROUP_TITLES[group]}: --flag, Make variable, environment variable`,
    ...rowsOf(group).map(
      (k) =>
        `  --${k.flag.padEnd(17)} ${k.makeVar.padEnd(17)} ${k.env.padEnd(25)} ${k.help}${unitText(k)}; default ${defaultText(k)}`,
    ),
    '',
  ]);
}

/** `make help`: the Make variables of each target group. */
export function makeVariablesHelp(): string[] {
  return GROUPS.flatMap((group) => [`${GROUP_TITLES[group]}:`, ...wrapped(makeVarsOf(group), 98)]);
}

/** words in lines of at most `width` characters, each indented by two spaces */
function wrapped(words: readonly string[], width: number): string[] {
  const lines: string[] = [];
  for (const w of words) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + w.length <= width) lines[lines.length - 1] = `${last} ${w}`;
    else lines.push(`  ${w}`);
  }
  return lines;
}

/** The Make variables a group forwards, in table order (the Makefile's LOAD_VARS, CAPACITY_VARS, OPERATOR_VARS). */
export function makeVarsOf(group: KnobGroup): string[] {
  return rowsOf(group).map((k) => k.makeVar);
}

export const README_BEGIN = '<!-- knobs: generated from lib/cli/config/knobs.ts by build/knob-docs.ts; do not edit -->';
export const README_END = '<!-- knobs: end -->';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The README's knob list: one table per group, one row per knob. */
export function readmeKnobList(): string {
  const tables = GROUPS.map((group) =>
    [
      `**${GROUP_TITLES[group]}**`,
      '',
      '| Make variable | environment | meaning | unit | default |',
      '|---|---|---|---|---|',
      ...rowsOf(group).map(
        (k) => `| \`${k.makeVar}\` | \`${k.env}\` | ${cell(k.help)} | ${k.unit ?? ''} | ${cell(defaultText(k))} |`,
      ),
    ].join('\n'),
  );
  return [README_BEGIN, '', tables.join('\n\n'), '', README_END].join('\n');
}

/** README text with its knob list replaced by the generated one; undefined when the markers are missing. */
export function withKnobList(readme: string): string | undefined {
  const from = readme.indexOf(README_BEGIN);
  const to = readme.indexOf(README_END);
  if (from < 0 || to < from) return undefined;
  return readme.slice(0, from) + readmeKnobList() + readme.slice(to + README_END.length);
}
