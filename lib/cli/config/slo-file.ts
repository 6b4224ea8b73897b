// Loads the SLO file named by SLO= and lists the SLO profiles in thresholds/.
// Problems come back as ConfigError lines (field, rule, value), to be reported
// with every other configuration problem.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../paths.ts';

export function loadSloFile(path: string): { slo: unknown; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { slo: null, problems: [`SLO: cannot read '${path}'; reason: ${(err as Error).message}`] };
  }
  try {
    return { slo: JSON.parse(text) as unknown, problems: [] };
  } catch (err) {
    return {
      slo: null,
      problems: [`SLO: must be valid JSON, but '${path}' is not; reason: ${(err as Error).message}`],
    };
  }
}

/** SLO profile names: thresholds/<name>.json of the checkout (the JSON schema excluded). */
export function listSloProfiles(): string[] {
  const dir = join(repoRoot, 'thresholds');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}
