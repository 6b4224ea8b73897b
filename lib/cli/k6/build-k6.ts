// The three build steps behind resolveK6, each writing into the cache through a
// temporary path and a rename, so a half-built file is never taken for a binary:
//  1. check Go;  2. build xk6 itself;  3. `xk6 build` k6 with our extension.

import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { K6Pins } from './pins.ts';
import { buildFailure, checkGoVersion, goMissingError, K6ProvisionError } from './provision-error.ts';
import { runCommand } from './run-command.ts';
import { mismatch, parseVersionJson } from './version-check.ts';

export interface BuildContext {
  pins: K6Pins;
  env: NodeJS.ProcessEnv;
  /** the cache root (see cache-key.ts) */
  root: string;
  log: (line: string) => void;
}

const goStepTimeoutMs = 10 * 60_000;
const k6BuildTimeoutMs = 30 * 60_000;
const heartbeatMs = 30_000;

/** Fails with a K6ProvisionError naming what to install when Go is absent or too old. */
export async function checkGo(ctx: BuildContext): Promise<string> {
  let out;
  try {
    out = await runCommand('go', ['version'], { cwd: ctx.root, env: ctx.env, timeoutMs: 30_000 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw goMissingError(ctx.pins.goMin);
    throw err;
  }
  const tooOld = checkGoVersion(out.stdout, ctx.pins.goMin);
  if (tooOld) throw tooOld;
  const goproxy = await runCommand('go', ['env', 'GOPROXY'], { cwd: ctx.root, env: ctx.env, timeoutMs: 30_000 });
  return goproxy.stdout.trim();
}

/**
 * Builds xk6 into <root>/xk6/<version>/xk6 unless it is there. `go install
 * go.k6.io/xk6@<v>` cannot be used: it reads the module's version list for a
 * deprecation check, which some proxies refuse (403). A throw-away module that
 * requires xk6 and builds it by package path needs only the pinned version.
 */
export async function ensureXk6(ctx: BuildContext, goproxy: string): Promise<string> {
  const finalDir = join(ctx.root, 'xk6', ctx.pins.xk6);
  const finalBin = join(finalDir, 'xk6');
  if (existsSync(finalBin)) return finalBin;
  const work = join(ctx.root, 'xk6', `${ctx.pins.xk6}.tmp-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const logPath = join(ctx.root, 'xk6', `${ctx.pins.xk6}.build.log`);
  rmSync(logPath, { force: true });
  writeFileSync(
    join(work, 'go.mod'),
    `module genload.local/xk6-build\n\ngo ${ctx.pins.goMin}\n\nrequire go.k6.io/xk6 ${ctx.pins.xk6}\n`,
  );
  writeFileSync(join(work, 'tools.go'), '//go:build tools\n\npackage tools\n\nimport _ "go.k6.io/xk6"\n');
  ctx.log(`building xk6 ${ctx.pins.xk6} (once per cache; log: ${logPath})`);
  try {
    for (const [step, args] of [
      ['go mod tidy (xk6)', ['mod', 'tidy']],
      ['go build (xk6)', ['build', '-o', join(work, 'xk6'), 'go.k6.io/xk6']],
    ] as const) {
      const res = await runCommand('go', args, { cwd: work, env: ctx.env, logPath, timeoutMs: goStepTimeoutMs });
      if (res.exitCode !== 0) throw buildFailure(step, res.output, logPath, goproxy);
    }
    mkdirSync(finalDir, { recursive: true });
    renameSync(join(work, 'xk6'), finalBin);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return finalBin;
}

/** `xk6 build` into a temporary file, checks `version --json`, then renames it to binPath. */
export async function buildK6(ctx: BuildContext, xk6: string, binPath: string, goproxy: string): Promise<void> {
  const dir = join(binPath, '..');
  mkdirSync(dir, { recursive: true });
  const tmpBin = `${binPath}.tmp-${process.pid}`;
  const logPath = join(dir, 'build.log');
  rmSync(logPath, { force: true });
  const { k6, extension } = ctx.pins;
  const startedMs = Date.now();
  ctx.log(`building k6 ${k6} with ${extension.imports.join(' and ')} (a few minutes on 2 cores; log: ${logPath})`);
  const heartbeat = setInterval(
    () => ctx.log(`still building k6 (${Math.round((Date.now() - startedMs) / 1000)} s)`),
    heartbeatMs,
  );
  let res;
  try {
    res = await runCommand(
      xk6,
      ['build', k6, '--with', `${extension.module}=${ctx.pins.extensionDir}`, '--output', tmpBin],
      {
        cwd: dir,
        env: ctx.env,
        logPath,
        timeoutMs: k6BuildTimeoutMs,
        // xk6 logs a handful of "INF <what it does>" lines: relay them as progress.
        onLine: (line) => {
          const m = / INF (.+)$/.exec(line);
          if (m?.[1] && /^(Building|Build complete|adding dependency|importing)/.test(m[1])) ctx.log(`xk6: ${m[1]}`);
        },
      },
    );
  } finally {
    clearInterval(heartbeat);
  }
  if (res.exitCode !== 0 || !existsSync(tmpBin)) {
    rmSync(tmpBin, { force: true });
    const why = res.timedOut ? `xk6 build (killed after ${k6BuildTimeoutMs / 60_000} min)` : 'xk6 build';
    throw buildFailure(why, res.output, logPath, goproxy);
  }
  const version = await runCommand(tmpBin, ['version', '--json'], { cwd: dir, env: ctx.env, timeoutMs: 30_000 });
  const wrong = mismatch(parseVersionJson(version.stdout), ctx.pins);
  if (wrong !== null) {
    rmSync(tmpBin, { force: true });
    throw new K6ProvisionError('build_failed', `xk6 build produced a k6 that does not fit the pins: ${wrong}`, logPath);
  }
  renameSync(tmpBin, binPath);
  ctx.log(`k6 ${k6} built in ${Math.round((Date.now() - startedMs) / 1000)} s: ${binPath}`);
}
