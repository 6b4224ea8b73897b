// Entry of `make build`: bundles every scenario and worker entry (lib/cli/bundle)
// and prints the output paths, relative to the checkout; the timing goes to stderr.
import { relative } from 'node:path';
import { bundleScenarios, bundleWorkers } from '../lib/cli/bundle/bundle.ts';
import { repoRoot } from '../lib/cli/paths.ts';

const started = performance.now();
const scenarios = await bundleScenarios();
const workers = await bundleWorkers();
const ms = Math.round(performance.now() - started);
for (const p of [...scenarios, ...workers]) process.stdout.write(`${relative(repoRoot, p)}\n`);
process.stderr.write(`bundled ${scenarios.length} scenarios and ${workers.length} workers in ${ms} ms\n`);
