// resolveK6: find or build the pinned k6 (build/k6-versions.json).
// Order: K6_BIN, then `k6` on PATH (each only if `k6 version --json` shows the
// pinned version and our extension), then the cache, then a build under a lock.

import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { buildK6, checkGo, ensureXk6, type BuildContext } from './build-k6.ts';
import { cacheKey, cacheRoot, hashExtensionDir } from './cache-key.ts';
import { LockTimeoutError, withLock } from './lock.ts';
import { loadPins, type K6Pins } from './pins.ts';
import { K6ProvisionError } from './provision-error.ts';
import { runCommand } from './run-command.ts';
import { mismatch, parseVersionJson } from './version-check.ts';

export { K6ProvisionError } from './provision-error.ts';

export interface ResolveK6Options {
  env?: NodeJS.ProcessEnv;
  /** progress notes and one-line reasons for ignoring a k6; default: stderr */
  log?: (line: string) => void;
  pins?: K6Pins;
}

export interface ResolvedK6 {
  path: string;
  /** the pinned k6 version, e.g. "v1.8.1" */
  version: string;
  /** true when nothing had to be built: an existing binary fit the pins */
  fromCache: boolean;
  source: 'K6_BIN' | 'PATH' | 'cache' | 'built';
}

// A build takes 2-5 minutes on 2 cores; a waiter gives up well after that.
const lockTimeoutMs = 40 * 60_000;
const lockPollMs = 2_000;
const lockStaleMs = 60 * 60_000;

export async function resolveK6(opts: ResolveK6Options = {}): Promise<ResolvedK6> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => process.stderr.write(`genload: ${line}\n`));
  const pins = opts.pins ?? loadPins();

  const existing = await findExisting(env, pins, log);
  if (existing) return existing;

  const root = cacheRoot(env);
  const binPath = join(root, 'k6', cacheKey(pins, hashExtensionDir(pins.extensionDir)), 'k6');
  const cached = (source: ResolvedK6['source']): ResolvedK6 => ({
    path: binPath,
    version: pins.k6,
    fromCache: source === 'cache',
    source,
  });
  if (isExecutable(binPath)) return cached('cache');

  mkdirSync(join(root, 'k6'), { recursive: true });
  const ctx: BuildContext = { pins, env, root, log };
  try {
    return await withLock(
      join(root, 'k6', 'build.lock'),
      async () => {
        if (isExecutable(binPath)) return cached('cache'); // another run built it while we waited
        const goproxy = await checkGo(ctx);
        const xk6 = await ensureXk6(ctx, goproxy);
        await buildK6(ctx, xk6, binPath, goproxy);
        return cached('built');
      },
      {
        timeoutMs: lockTimeoutMs,
        pollMs: lockPollMs,
        staleMs: lockStaleMs,
        onWait: (holder) => log(`another genload is building k6 (lock held by pid ${holder}); waiting for it`),
      },
    );
  } catch (err) {
    if (err instanceof LockTimeoutError) throw new K6ProvisionError('lock_timeout', err.message);
    throw err;
  }
}

/** K6_BIN, else the first `k6` on PATH; used only when it fits the pins. */
async function findExisting(
  env: NodeJS.ProcessEnv,
  pins: K6Pins,
  log: (line: string) => void,
): Promise<ResolvedK6 | null> {
  const fromEnv = env['K6_BIN'];
  const candidate = fromEnv ? { path: fromEnv, source: 'K6_BIN' as const } : onPath('k6', env['PATH']);
  if (candidate === null) return null;
  if (!isExecutable(candidate.path)) {
    log(`ignoring ${candidate.source} k6 ${candidate.path}: it is not an executable file`);
    return null;
  }
  let why: string | null;
  try {
    const res = await runCommand(candidate.path, ['version', '--json'], { cwd: process.cwd(), env, timeoutMs: 15_000 });
    why = mismatch(parseVersionJson(res.stdout), pins);
  } catch (err) {
    why = `running it failed (${(err as Error).message})`;
  }
  if (why === null) return { path: candidate.path, version: pins.k6, fromCache: true, source: candidate.source };
  log(`ignoring ${candidate.source} k6 ${candidate.path}: ${why}; using the cached build`);
  return null;
}

function onPath(name: string, pathVar: string | undefined): { path: string; source: 'PATH' } | null {
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (dir === '') continue;
    const p = join(dir, name);
    if (existsSync(p) && isExecutable(p)) return { path: p, source: 'PATH' };
  }
  return null;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
