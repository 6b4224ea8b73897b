// Provisioning of the llama.cpp test target: llama-cpp-python[server] at a
// pinned version, installed the ordinary way (pip, from PyPI; pip builds
// llama.cpp with cmake, with only what the tests need: build-options.ts) into a
// venv cached outside the clone, keyed by version and build options, like the
// k6 build (lib/cli/k6/provision.ts):
//
//   <cacheRoot>/llama-cpp-python-<version>-<buildKey>/
//     sdist/llama_cpp_python-<version>.tar.gz   what pip installs from (pip download)
//     venv/                                     python -m llama_cpp.server runs here
//     vocab/ggml-vocab-llama-spm.gguf           the vocab-only GGUF the sdist ships
//     install.log                               every step's output (a `== <step>` line before each)
//     complete.json                             written last: the folder is whole
//
// A folder without complete.json is half-built (a killed install) and is
// deleted and built again; a second concurrent install waits on the lock
// <installDir>.lock, then finds the finished folder.
// Python is a test peer only: the product never runs it.

import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { withLock } from '../../../lib/cli/k6/lock.ts';
import { runCommand, type CommandResult } from '../../../lib/cli/k6/run-command.ts';
import { buildKey, cmakeArgs, COMMON_OFF_CMAKE, COMMON_OFF_FILE } from './build-options.ts';

export const LLAMA_CPP_PYTHON_VERSION = '0.3.36';
/** SentencePiece Llama-2 vocab, 32,000 tokens: small enough for a small model file */
export const VOCAB_FILE = 'ggml-vocab-llama-spm.gguf';
export const COMPLETE_FILE = 'complete.json';
export const LOG_FILE = 'install.log';
/** install.log marks the start of each step with a line starting with this */
export const STEP_MARK = '== ';

export interface LlamaCppInstall {
  version: string;
  dir: string;
  python: string;
  vocabPath: string;
  /** true when the cached install was reused */
  cached: boolean;
}

export type Step = (
  cmd: string,
  args: readonly string[],
  opts: { env: NodeJS.ProcessEnv; timeoutMs: number; logPath: string; cwd: string },
) => Promise<CommandResult>;

export interface ProvisionOptions {
  cacheRoot: string;
  version?: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** runs one command; tests pass a fake */
  step?: Step;
  lockTimeoutMs?: number;
  lockPollMs?: number;
}

/** The install folder; key defaults to the build key of this recipe (build-options.ts). */
export function installDir(cacheRoot: string, version: string, key: string = buildKey(version)): string {
  return join(cacheRoot, `llama-cpp-python-${version}-${key}`);
}

/** The finished install in dir, or undefined when complete.json is missing, unreadable, of another version, or names missing files. */
export function readComplete(dir: string, version: string): Omit<LlamaCppInstall, 'cached'> | undefined {
  try {
    const c = JSON.parse(readFileSync(join(dir, COMPLETE_FILE), 'utf8')) as Partial<LlamaCppInstall>;
    if (c.version !== version || typeof c.python !== 'string' || typeof c.vocabPath !== 'string') return undefined;
    if (!existsSync(c.python) || !existsSync(c.vocabPath)) return undefined;
    return { version, dir, python: c.python, vocabPath: c.vocabPath };
  } catch {
    return undefined;
  }
}

export async function ensureLlamaCpp(opts: ProvisionOptions): Promise<LlamaCppInstall> {
  const version = opts.version ?? LLAMA_CPP_PYTHON_VERSION;
  const log = opts.log ?? ((line: string) => process.stderr.write(`llama-cpp: ${line}\n`));
  const dir = installDir(opts.cacheRoot, version);
  const done = readComplete(dir, version);
  if (done) return { ...done, cached: true };
  mkdirSync(opts.cacheRoot, { recursive: true });
  return withLock(
    `${dir}.lock`,
    async () => {
      const other = readComplete(dir, version); // another run finished it while we waited
      if (other) return { ...other, cached: true };
      return { ...(await install(dir, version, opts, log)), cached: false };
    },
    {
      timeoutMs: opts.lockTimeoutMs ?? 45 * 60_000,
      pollMs: opts.lockPollMs ?? 2_000,
      staleMs: 90 * 60_000,
      onWait: (holder) =>
        log(`another run is installing llama-cpp-python ${version} (lock held by ${holder}); waiting for it`),
    },
  );
}

async function install(
  dir: string,
  version: string,
  opts: ProvisionOptions,
  log: (line: string) => void,
): Promise<Omit<LlamaCppInstall, 'cached'>> {
  const env: NodeJS.ProcessEnv = {
    ...(opts.env ?? process.env),
    // every core: the build is the long pole of a cold `make test` (it runs at a low
    // priority beside the other tiers there: test/targets/llama-cpp/background.ts)
    CMAKE_BUILD_PARALLEL_LEVEL: String(availableParallelism()),
    // replaces any CMAKE_ARGS of the caller: the build must match its cache key
    CMAKE_ARGS: cmakeArgs(join(dir, COMMON_OFF_FILE)).join(' '),
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
  };
  const step = opts.step ?? ((cmd, args, o) => runCommand(cmd, args, o));
  if (existsSync(dir)) log(`removing the half-built ${dir} (no ${COMPLETE_FILE})`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'sdist'), { recursive: true });
  mkdirSync(join(dir, 'vocab'), { recursive: true });
  writeFileSync(join(dir, COMMON_OFF_FILE), COMMON_OFF_CMAKE);
  const logPath = join(dir, LOG_FILE);
  const started = performance.now();
  const run = async (what: string, cmd: string, args: string[], timeoutMs: number): Promise<CommandResult> => {
    log(what);
    appendFileSync(logPath, `${STEP_MARK}${what}\n`);
    let r: CommandResult;
    try {
      r = await step(cmd, args, { env, timeoutMs, logPath, cwd: dir });
    } catch (err) {
      throw new Error(`${what} failed; reason: cannot start ${cmd} (${(err as Error).message})`);
    }
    if (r.exitCode !== 0) {
      const tail = r.output.trim().split('\n').slice(-15).join('\n');
      throw new Error(
        `${what} failed; reason: ${cmd} exited ${r.exitCode}${r.timedOut ? ' (time limit)' : ''}; log ${logPath}:\n${tail}`,
      );
    }
    return r;
  };
  const python = env['GENLOAD_PYTHON'] ?? 'python3';
  await run(`creating a venv with ${python}`, python, ['-m', 'venv', join(dir, 'venv')], 120_000);
  const venvPython = join(dir, 'venv', 'bin', 'python');
  const sdist = join(dir, 'sdist', `llama_cpp_python-${version}.tar.gz`);
  await run(
    `downloading the llama-cpp-python ${version} sdist (PyPI)`,
    venvPython,
    [
      '-m',
      'pip',
      'download',
      '--no-deps',
      '--no-binary',
      ':all:',
      `llama-cpp-python==${version}`,
      '-d',
      join(dir, 'sdist'),
    ],
    10 * 60_000,
  );
  if (!existsSync(sdist))
    throw new Error(`downloading the sdist failed; reason: ${sdist} is missing after pip download`);
  await run(
    `installing llama-cpp-python[server] ${version} (builds llama.cpp: several minutes)`,
    venvPython,
    // -v streams cmake's and ninja's output into install.log ([n/m] lines: the progress)
    ['-m', 'pip', 'install', '-v', '--no-cache-dir', `${sdist}[server]`],
    40 * 60_000,
  );
  await run(
    `extracting ${VOCAB_FILE} from the sdist`,
    'tar',
    [
      '-xzf',
      sdist,
      '-C',
      join(dir, 'vocab'),
      '--strip-components=4',
      `llama_cpp_python-${version}/vendor/llama.cpp/models/${VOCAB_FILE}`,
    ],
    120_000,
  );
  const check = await run(
    'checking the install',
    venvPython,
    ['-c', 'import llama_cpp, llama_cpp.server.app; print(llama_cpp.__version__)'],
    120_000,
  );
  const got = check.stdout.trim();
  if (got !== version)
    throw new Error(
      `checking the install failed; reason: llama_cpp.__version__ is ${JSON.stringify(got)}, expected ${version}`,
    );
  const installSeconds = Math.round((performance.now() - started) / 1000);
  log(`installed in ${installSeconds} s (${logPath})`);
  return writeComplete(dir, version, venvPython, join(dir, 'vocab', VOCAB_FILE), {
    installSeconds,
    cmakeArgs: cmakeArgs(join(dir, COMMON_OFF_FILE)),
    buildParallelLevel: Number(env['CMAKE_BUILD_PARALLEL_LEVEL']),
  });
}

/** Marks dir as whole (atomically): the last step of an install. */
export function writeComplete(
  dir: string,
  version: string,
  python: string,
  vocabPath: string,
  /** how it was built, for the record (install time, options) */
  record: Record<string, unknown> = {},
): Omit<LlamaCppInstall, 'cached'> {
  if (!existsSync(vocabPath)) throw new Error(`installing llama-cpp-python failed; reason: ${vocabPath} is missing`);
  const tmp = join(dir, `${COMPLETE_FILE}.${process.pid}.tmp`);
  writeFileSync(
    tmp,
    `${JSON.stringify({ version, python, vocabPath, installedAt: new Date().toISOString(), ...record }, null, 2)}\n`,
  );
  renameSync(tmp, join(dir, COMPLETE_FILE));
  return { version, dir, python, vocabPath };
}
