// background.ts as make test runs it, as real processes, with a python that
// fails at once (GENLOAD_PYTHON=false): nothing is downloaded or built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { statePath } from './background.ts';
import { installDir, LLAMA_CPP_PYTHON_VERSION, writeComplete } from './provision.ts';

const script = fileURLToPath(new URL('./background.ts', import.meta.url));

function background(cmd: string, cache: string, extra: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, cmd], {
    env: { ...process.env, GENLOAD_CACHE: cache, ...extra },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stderr: r.stderr };
}

function withCache(fn: (cache: string) => void): () => void {
  return () => {
    const cache = mkdtempSync(join(tmpdir(), 'genload-bg-'));
    try {
      fn(cache);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  };
}

test(
  'a build that fails in the background: start returns at once, wait exits 1 with the failing step',
  withCache((cache) => {
    const started = background('start', cache, { GENLOAD_PYTHON: 'false' });
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stderr, /building in the background at nice 19 \(pid \d+; log .*install\.log\)/);
    const waited = background('wait', cache);
    assert.equal(waited.code, 1, waited.stderr);
    assert.match(
      waited.stderr,
      /the background build failed: creating a venv with false failed; reason: false exited 1/,
    );
    assert.ok(!existsSync(statePath(installDir(cache, LLAMA_CPP_PYTHON_VERSION))), 'state removed after the report');
  }),
);

test(
  'nothing started: wait returns 0 at once (make llama-cpp then installs in the foreground)',
  withCache((cache) => {
    const waited = background('wait', cache);
    assert.equal(waited.code, 0, waited.stderr);
    assert.equal(waited.stderr, '');
  }),
);

test(
  'a cached install: start starts nothing',
  withCache((cache) => {
    const dir = installDir(cache, LLAMA_CPP_PYTHON_VERSION);
    mkdirSync(dir, { recursive: true });
    for (const f of ['python', 'vocab.gguf']) writeFileSync(join(dir, f), '');
    writeComplete(dir, LLAMA_CPP_PYTHON_VERSION, join(dir, 'python'), join(dir, 'vocab.gguf'));
    const started = background('start', cache);
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stderr, /cached/);
    assert.ok(!existsSync(statePath(dir)));
  }),
);
