// The install cache with a fake step runner: nothing is downloaded or built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandResult } from '../../../lib/cli/k6/run-command.ts';
import { buildKey, cmakeArgs, COMMON_OFF_CMAKE, COMMON_OFF_FILE } from './build-options.ts';
import { COMPLETE_FILE, ensureLlamaCpp, installDir, LOG_FILE, STEP_MARK, VOCAB_FILE, type Step } from './provision.ts';

const V = '9.9.9';
const ok = (stdout = ''): CommandResult => ({ exitCode: 0, stdout, output: stdout, timedOut: false });

/** Acts like python/pip/tar would on disk; records each command; `fail` makes the step whose text matches exit 1. */
function fakeStep(calls: string[], fail?: RegExp): Step {
  return async (cmd, args) => {
    const line = `${basename(cmd)} ${args.join(' ')}`;
    calls.push(line);
    await sleep(20);
    if (fail?.test(line))
      return { exitCode: 1, stdout: '', output: 'cmake: error: something broke\n', timedOut: false };
    if (args[0] === '-m' && args[1] === 'venv') {
      mkdirSync(join(args[2]!, 'bin'), { recursive: true });
      writeFileSync(join(args[2]!, 'bin', 'python'), '');
    }
    if (args.includes('download')) writeFileSync(join(args[args.length - 1]!, `llama_cpp_python-${V}.tar.gz`), 'sdist');
    if (cmd === 'tar') writeFileSync(join(args[args.indexOf('-C') + 1]!, VOCAB_FILE), 'vocab');
    if (args[0] === '-c') return ok(`${V}\n`);
    return ok();
  };
}

function withRoot(fn: (root: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const root = mkdtempSync(join(tmpdir(), 'genload-lcp-'));
    try {
      await fn(root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
}

const quiet = () => {};

test(
  'a fresh install runs venv, pip download, pip install of the sdist with [server], tar, the check; then complete.json',
  withRoot(async (root) => {
    const calls: string[] = [];
    const r = await ensureLlamaCpp({ cacheRoot: root, version: V, step: fakeStep(calls), log: quiet });
    assert.equal(r.cached, false);
    assert.equal(calls.length, 5, calls.join('\n'));
    assert.match(calls[0]!, /-m venv .*llama-cpp-python-9\.9\.9-[0-9a-f]{12}\/venv$/);
    assert.match(calls[1]!, /pip download --no-deps --no-binary :all: llama-cpp-python==9\.9\.9 -d /);
    assert.match(calls[2]!, /pip install -v --no-cache-dir \/.*llama_cpp_python-9\.9\.9\.tar\.gz\[server\]$/);
    assert.match(
      calls[3]!,
      /^tar -xzf .* llama_cpp_python-9\.9\.9\/vendor\/llama\.cpp\/models\/ggml-vocab-llama-spm\.gguf$/,
    );
    assert.ok(existsSync(join(installDir(root, V), COMPLETE_FILE)));
    assert.equal(r.vocabPath, join(installDir(root, V), 'vocab', VOCAB_FILE));
    const again = await ensureLlamaCpp({ cacheRoot: root, version: V, step: fakeStep(calls), log: quiet });
    assert.equal(again.cached, true);
    assert.equal(calls.length, 5, 'reused: no step ran');
  }),
);

test(
  'a half-built folder (no complete.json) is removed and built again',
  withRoot(async (root) => {
    const dir = installDir(root, V);
    mkdirSync(join(dir, 'venv'), { recursive: true });
    writeFileSync(join(dir, 'venv', 'left-over'), 'x');
    const calls: string[] = [];
    const lines: string[] = [];
    const r = await ensureLlamaCpp({ cacheRoot: root, version: V, step: fakeStep(calls), log: (l) => lines.push(l) });
    assert.equal(r.cached, false);
    assert.ok(!existsSync(join(dir, 'venv', 'left-over')));
    assert.ok(
      lines.some((l) => l.startsWith('removing the half-built')),
      lines.join('\n'),
    );
  }),
);

test(
  'a failing step names the step, the exit status and the log; nothing is marked complete',
  withRoot(async (root) => {
    const calls: string[] = [];
    await assert.rejects(
      ensureLlamaCpp({ cacheRoot: root, version: V, step: fakeStep(calls, /pip install/), log: quiet }),
      /installing llama-cpp-python\[server\] 9\.9\.9 .* failed; reason: \S*python exited 1; log .*install\.log:\ncmake: error: something broke/,
    );
    assert.ok(!existsSync(join(installDir(root, V), COMPLETE_FILE)));
    assert.equal(calls.length, 3, 'stopped at the failing step');
  }),
);

test(
  'two concurrent installs: the second waits on the lock and reuses the first one’s folder',
  withRoot(async (root) => {
    const calls: string[] = [];
    const waits: string[] = [];
    const opts = { cacheRoot: root, version: V, step: fakeStep(calls), lockPollMs: 10 };
    const [a, b] = await Promise.all([
      ensureLlamaCpp({ ...opts, log: quiet }),
      ensureLlamaCpp({ ...opts, log: (l) => waits.push(l) }),
    ]);
    assert.equal(calls.length, 5, `one install only:\n${calls.join('\n')}`);
    assert.deepEqual([a.cached, b.cached].sort(), [false, true]);
    assert.equal(a.python, b.python);
  }),
);

test(
  'pip builds with the recipe’s CMAKE_ARGS (whatever the caller had) on every core; install.log marks each step; complete.json records the time',
  withRoot(async (root) => {
    const envs: Record<string, string | undefined>[] = [];
    const calls: string[] = [];
    const fake = fakeStep(calls);
    const step: Step = async (cmd, args, o) => {
      envs.push({ CMAKE_ARGS: o.env['CMAKE_ARGS'], LEVEL: o.env['CMAKE_BUILD_PARALLEL_LEVEL'] });
      return fake(cmd, args, o);
    };
    const env = { ...process.env, CMAKE_ARGS: '-DGGML_CUDA=ON' };
    await ensureLlamaCpp({ cacheRoot: root, version: V, step, env, log: quiet });
    const pip = envs[2]!;
    const dir = installDir(root, V);
    assert.equal(pip.CMAKE_ARGS, cmakeArgs(join(dir, COMMON_OFF_FILE)).join(' '));
    assert.match(pip.CMAKE_ARGS!, /-DLLAVA_BUILD=OFF .*-DCMAKE_PROJECT_llama\.cpp_INCLUDE=\/\S+\/no-common\.cmake$/);
    assert.equal(readFileSync(join(dir, COMMON_OFF_FILE), 'utf8'), COMMON_OFF_CMAKE);
    assert.equal(pip.LEVEL, String(availableParallelism()));
    assert.equal(dir, installDir(root, V, buildKey(V)));
    const marks = readFileSync(join(dir, LOG_FILE), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith(STEP_MARK));
    assert.equal(marks.length, 5, marks.join('\n'));
    const complete = JSON.parse(readFileSync(join(dir, COMPLETE_FILE), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(complete['cmakeArgs'], cmakeArgs(join(dir, COMMON_OFF_FILE)));
    assert.equal(typeof complete['installSeconds'], 'number');
  }),
);
