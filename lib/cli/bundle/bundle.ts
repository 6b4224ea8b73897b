// Bundles every k6 entry point (scenarios/*.ts) into one ESM file per scenario
// under .build/scenarios/, and every Node worker entry (lib/**/*.worker.ts) into
// .build/workers/, because tsx cannot load TypeScript inside worker_threads.
//
// k6 scripts: ESM, `k6`, `k6/*` (incl. the k6/x/sse extension) left external for
// k6 to resolve, inline source maps so k6 stack traces point at the .ts lines,
// es2021 syntax (what k6's sobek runtime parses), platform "browser" so nothing
// from Node can slip in through a dependency.

import { build, type BuildOptions } from 'esbuild';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { repoRoot } from '../paths.ts';

export const SCENARIOS_DIR = join(repoRoot, 'scenarios');
export const BUILD_DIR = join(repoRoot, '.build');

/** Scenario names: scenarios/<name>.ts, excluding tests and declarations. */
export function listScenarios(dir: string = SCENARIOS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -'.ts'.length))
    .sort();
}

function findWorkers(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findWorkers(path));
    else if (entry.name.endsWith('.worker.ts')) out.push(path);
  }
  return out;
}

export const k6BuildOptions: BuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2021',
  external: ['k6', 'k6/*'],
  sourcemap: 'inline',
  logLevel: 'warning',
};

/** Bundle the named scenarios (default: all); returns the output paths. */
export async function bundleScenarios(names: string[] = listScenarios()): Promise<string[]> {
  const outputs = names.map((name) => join(BUILD_DIR, 'scenarios', `${name}.js`));
  await build({
    ...k6BuildOptions,
    entryPoints: names.map((name) => ({ in: join(SCENARIOS_DIR, `${name}.ts`), out: name })),
    outdir: join(BUILD_DIR, 'scenarios'),
  });
  return outputs;
}

/** Bundle worker_threads entries for Node. */
export async function bundleWorkers(): Promise<string[]> {
  const entries = findWorkers(join(repoRoot, 'lib'));
  if (entries.length === 0) return [];
  await build({
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
    entryPoints: entries.map((e) => ({ in: e, out: basename(e, '.ts') })),
    outdir: join(BUILD_DIR, 'workers'),
  });
  return entries.map((e) => join(BUILD_DIR, 'workers', `${basename(e, '.ts')}.js`));
}
