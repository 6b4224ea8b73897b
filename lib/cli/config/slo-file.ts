// Loads the SLO file named by SLO=. Problems come back as ConfigError lines
// (field, rule, value), to be reported with every other configuration problem.

import { readFileSync } from 'node:fs';

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
    return { slo: null, problems: [`SLO: must be valid JSON, but '${path}' is not; reason: ${(err as Error).message}`] };
  }
}
