// Rewrites the README's knob list from the configuration table
// (lib/cli/config/knobs.ts): `node --import tsx build/knob-docs.ts`.
// lib/cli/config/help.test.ts fails while the README differs from it.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withKnobList } from '../lib/cli/config/help.ts';
import { repoRoot } from '../lib/cli/paths.ts';

const path = join(repoRoot, 'README.md');
const next = withKnobList(readFileSync(path, 'utf8'));
if (next === undefined) {
  process.stderr.write(
    'knob-docs: README.md: must hold the knob list markers (lib/cli/config/help.ts), but has none\n',
  );
  process.exitCode = 1;
} else writeFileSync(path, next);
