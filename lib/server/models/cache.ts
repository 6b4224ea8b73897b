// On-disk cache of built models, keyed by a hash of everything the bytes depend
// on (spec, preset sizes, and the builder's own source code), so a change to
// either rebuilds and an unchanged config is reused. Each model folder holds a
// manifest.json with the size and SHA-256 of its graphs, checked on reuse, so
// a truncated or corrupted file is rebuilt rather than loaded. Default
// location outside the clone: $GENLOAD_CACHE/models, else ~/.cache/genload/models.
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
    for (const f of readdirSync(dir)
      .filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))
      .sort())
      h.update(f).update(readFileSync(join(dir, f)));
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
  /** reused from the cache after its size and SHA-256 matched the manifest */
  readonly cached: boolean;
  /** set when a cached file was replaced: why it could not be trusted */
  readonly rebuiltReason?: string;
}

/** what a model folder's manifest.json records of each graph when it is built */
interface Manifest {
  readonly version: 1;
  readonly graphs: Partial<Record<GraphName, { readonly sha256: string; readonly bytes: number }>>;
}

export const MANIFEST_FILE = 'manifest.json';

function readManifest(dir: string): Manifest | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Partial<Manifest>;
    return m.version === 1 && typeof m.graphs === 'object' && m.graphs !== null ? (m as Manifest) : undefined;
  } catch {
    return undefined;
  }
}

/** atomic: a concurrent reader sees the old file or the new one, never half a file */
function writeAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** why a cached graph cannot be trusted, or undefined when it matches its manifest entry */
function distrust(bytes: Uint8Array, manifest: Manifest | undefined, graph: GraphName): string | undefined {
  if (manifest === undefined) return `${MANIFEST_FILE} missing or unreadable`;
  const entry = manifest.graphs[graph];
  if (entry === undefined) return `${MANIFEST_FILE} has no entry for ${graph}`;
  if (entry.bytes !== bytes.length)
    return `size mismatch: ${MANIFEST_FILE} says ${entry.bytes} bytes, the file has ${bytes.length}`;
  const actual = sha256(bytes);
  if (entry.sha256 !== actual) return `sha256 mismatch: ${MANIFEST_FILE} says ${entry.sha256}, the file has ${actual}`;
  return undefined;
}

/** told about each cached graph that had to be rebuilt; the default prints a process warning (stderr) */
export type RebuiltListener = (e: { readonly path: string; readonly reason: string }) => void;

const warnRebuilt: RebuiltListener = ({ path, reason }) =>
  process.emitWarning(`model cache: ${path} rebuilt; reason: ${reason}`, { code: 'GENLOAD_MODEL_REBUILT' });

/**
 * builds (or reuses) every graph of a model; returns their paths. A cached
 * graph is reused only when its size and SHA-256 match the folder's manifest
 * (written when the graphs are built); otherwise it is rebuilt (the bytes are
 * deterministic) and `onRebuilt` is told why.
 */
export function ensureModel(
  spec: ModelSpec,
  cacheDir = defaultCacheDir(),
  onRebuilt: RebuiltListener = warnRebuilt,
): BuiltGraph[] {
  const dir = join(cacheDir, `${spec.id}-${spec.preset}-${specHash(spec)}`);
  mkdirSync(dir, { recursive: true });
  const manifest = readManifest(dir);
  const built = graphNames[spec.family].map((graph): BuiltGraph => {
    const path = join(dir, `${graph}.onnx`);
    let rebuiltReason: string | undefined;
    if (existsSync(path)) {
      const bytes = readFileSync(path);
      rebuiltReason = distrust(bytes, manifest, graph);
      if (rebuiltReason === undefined)
        return { graph, path, sha256: manifest!.graphs[graph]!.sha256, bytes: bytes.length, cached: true };
    }
    const bytes = buildGraph(spec, graph);
    writeAtomic(path, bytes);
    if (rebuiltReason !== undefined) onRebuilt({ path, reason: rebuiltReason });
    return {
      graph,
      path,
      sha256: sha256(bytes),
      bytes: bytes.length,
      cached: false,
      ...(rebuiltReason === undefined ? {} : { rebuiltReason }),
    };
  });
  if (built.some((g) => !g.cached)) {
    const graphs = Object.fromEntries(built.map((g) => [g.graph, { sha256: g.sha256, bytes: g.bytes }]));
    writeAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify({ version: 1, graphs } satisfies Manifest, null, 2)}\n`);
  }
  return built;
}
