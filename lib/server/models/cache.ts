// On-disk cache of built models, keyed by a hash of everything the bytes depend
// on (spec, preset sizes, and the builder's own source code), so a change to
// either rebuilds and an unchanged config is reused. Default location outside
// the clone: $GENLOAD_CACHE/models, else ~/.cache/genload/models.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGraph, graphNames, type GraphName, type ModelSpec } from './catalog.ts';
import { presets } from './presets.ts';

export function defaultCacheDir(): string {
  const root = process.env.GENLOAD_CACHE || join(homedir(), '.cache', 'genload');
  return join(root, 'models');
}

let fingerprint: string | undefined;
/** hash of this folder's builder sources (tests and READMEs excluded) */
function builderFingerprint(): string {
  if (fingerprint) return fingerprint;
  const here = dirname(fileURLToPath(import.meta.url));
  const dirs = [here, join(here, '..', 'pipelines')];
  const h = createHash('sha256');
  for (const dir of dirs) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts')).sort()) h.update(f).update(readFileSync(join(dir, f)));
  }
  return (fingerprint = h.digest('hex').slice(0, 12));
}

export function specHash(spec: ModelSpec): string {
  const sizes = spec.family === 'tiny-llm' ? presets[spec.preset].llm : presets[spec.preset].diffusion;
  const key = JSON.stringify({ spec, sizes, builder: builderFingerprint() });
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export interface BuiltGraph {
  readonly graph: GraphName;
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly cached: boolean;
}

/** builds (or reuses) every graph of a model; returns their paths */
export function ensureModel(spec: ModelSpec, cacheDir = defaultCacheDir()): BuiltGraph[] {
  const dir = join(cacheDir, `${spec.id}-${spec.preset}-${specHash(spec)}`);
  mkdirSync(dir, { recursive: true });
  return graphNames[spec.family].map((graph) => {
    const path = join(dir, `${graph}.onnx`);
    const cached = existsSync(path);
    let bytes: Uint8Array;
    if (cached) bytes = readFileSync(path);
    else {
      bytes = buildGraph(spec, graph);
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, bytes);
      renameSync(tmp, path); // atomic: a concurrent reader never sees half a file
    }
    return { graph, path, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, cached };
  });
}
