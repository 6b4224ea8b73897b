// `make models`: builds (first time) or reuses the cached ONNX models of the
// reference server and prints their paths and SHA-256 hashes.
// Options: --preset test|small|realistic|all (default all), --cache-dir <dir>.
import { parseArgs } from 'node:util';
import { families, buildPrecisions, modelSpec } from '../lib/server/models/catalog.ts';
import { defaultCacheDir, ensureModel } from '../lib/server/models/cache.ts';
import { presets, type SizePreset } from '../lib/server/models/presets.ts';

const { values } = parseArgs({
  options: { preset: { type: 'string', default: 'all' }, 'cache-dir': { type: 'string' } },
});
const all = Object.keys(presets) as SizePreset[];
if (values.preset !== 'all' && !all.includes(values.preset as SizePreset)) {
  process.stderr.write(
    `preset: must be one of ${[...all, 'all'].join(', ')}, but is ${JSON.stringify(values.preset)}\n`,
  );
  process.exit(2);
}
const chosen = values.preset === 'all' ? all : [values.preset as SizePreset];
const cacheDir = values['cache-dir'] ?? defaultCacheDir();
for (const preset of chosen) {
  for (const family of families) {
    for (const precision of buildPrecisions) {
      const started = performance.now();
      const graphs = ensureModel(modelSpec(family, precision, preset), cacheDir);
      const ms = Math.round(performance.now() - started);
      for (const g of graphs) {
        process.stdout.write(
          `${g.sha256}  ${(g.bytes / 1e6).toFixed(2).padStart(7)} MB  ${g.cached ? 'cached' : 'built '}  ${g.path}\n`,
        );
      }
      process.stderr.write(`${family}-${precision} (${preset}): ${ms} ms\n`);
    }
  }
}
