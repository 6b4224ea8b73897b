// `make check-boundaries`: fails (exit 1) listing every import that crosses a
// runtime boundary (rules in build/boundaries.ts) or breaks the levels of lib/cli
// (rules in build/layers.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkFile } from './boundaries.ts';
import { checkLayers } from './layers.ts';
import { repoRoot } from '../lib/cli/paths.ts';

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const files = [...tsFiles(join(repoRoot, 'scenarios')), ...tsFiles(join(repoRoot, 'lib'))];
const sources = files.map((f) => ({
  file: relative(repoRoot, f).split('\\').join('/'),
  source: readFileSync(f, 'utf8'),
}));
const violations = [...sources.flatMap((s) => checkFile(s.file, s.source)), ...checkLayers(sources)];
for (const v of violations)
  process.stderr.write(`${v.file}: ${v.specifier === '' ? '' : `imports '${v.specifier}': `}${v.rule}\n`);
if (violations.length > 0) {
  process.stderr.write(`boundary check failed: ${violations.length} violation(s) in ${files.length} files\n`);
  process.exit(1);
}
process.stdout.write(`boundary check passed: ${files.length} files\n`);
