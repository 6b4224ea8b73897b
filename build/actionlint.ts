// Find or build the pinned actionlint (the GitHub Actions workflow linter) from
// the Go module proxy, cached outside the clone like k6:
//   <cache root>/actionlint/<version>/actionlint
// `go install module@version` is avoided: it reads the module's version list,
// which some proxies refuse. A throw-away module that requires the pinned
// version and builds the command by package path needs only that version.
// As a script it prints the binary's path:  node --import tsx build/actionlint.ts

import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot } from '../lib/cli/k6/cache-key.ts';
import { runCommand } from '../lib/cli/k6/run-command.ts';

export const ACTIONLINT_VERSION = 'v1.7.7';
const MODULE = 'github.com/rhysd/actionlint';
const goStepTimeoutMs = 5 * 60_000;

export interface ActionlintOptions {
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export async function resolveActionlint(opts: ActionlintOptions = {}): Promise<string> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => process.stderr.write(`genload: ${line}\n`));
  if (env['ACTIONLINT_BIN'] && existsSync(env['ACTIONLINT_BIN'])) return env['ACTIONLINT_BIN'];
  const dir = join(cacheRoot(env), 'actionlint', ACTIONLINT_VERSION);
  const bin = join(dir, 'actionlint');
  if (existsSync(bin)) return bin;

  const work = join(cacheRoot(env), 'actionlint', `${ACTIONLINT_VERSION}.tmp-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const logPath = join(cacheRoot(env), 'actionlint', `${ACTIONLINT_VERSION}.build.log`);
  writeFileSync(
    join(work, 'go.mod'),
    `module genload.local/actionlint-build\n\ngo 1.22\n\nrequire ${MODULE} ${ACTIONLINT_VERSION}\n`,
  );
  writeFileSync(join(work, 'tools.go'), `//go:build tools\n\npackage tools\n\nimport _ "${MODULE}/cmd/actionlint"\n`);
  log(`building actionlint ${ACTIONLINT_VERSION} from the Go module proxy (once per cache; log: ${logPath})`);
  try {
    for (const args of [
      ['mod', 'tidy'],
      ['build', '-o', join(work, 'actionlint'), `${MODULE}/cmd/actionlint`],
    ]) {
      let res;
      try {
        res = await runCommand('go', args, { cwd: work, env, logPath, timeoutMs: goStepTimeoutMs });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT')
          throw new Error('actionlint build failed; reason: go is not on PATH (install Go 1.22 or newer)');
        throw err;
      }
      if (res.exitCode !== 0)
        throw new Error(
          `actionlint build failed; reason: go ${args[0]} exited ${res.exitCode}; see ${logPath}\n${res.output.slice(-2000)}`,
        );
    }
    mkdirSync(dir, { recursive: true });
    renameSync(join(work, 'actionlint'), bin);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return bin;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    process.stdout.write(`${await resolveActionlint()}\n`);
  } catch (err) {
    process.stderr.write(`genload: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
