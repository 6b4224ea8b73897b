// Interrupted runs end to end. SIGTERM to `bin/genload load` behaves as Ctrl-C:
// k6 stops gracefully, exit 130, the partial summary and the reports are
// written and marked interrupted. kill -9 of the CLI and of k6 (its own
// process group): the raw samples up to that moment stay readable on disk, and
// the next run writes a new folder instead of overwriting them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../lib/cli/paths.ts';
import { readSamples } from '../../lib/cli/run-folder/samples.ts';
import { ExitCode } from '../../lib/shared/exit-codes.ts';
import { json, runCli, startJsonServer, type JsonServer } from './harness.ts';

/** bin/genload load against a JSON endpoint, in its own process group */
function startLoad(
  server: JsonServer,
  results: string,
  extra: string[] = [],
): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(
    join(repoRoot, 'bin/genload'),
    [
      'load',
      '--scenario',
      'smoke',
      '--api',
      'generic-json',
      '--target',
      server.url,
      '--ready-path',
      '/',
      '--duration',
      '60s',
      '--results',
      results,
      ...extra,
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout?.resume();
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return { child, exited, stderr: () => stderr };
}

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** the pid of the k6 child of a process, from /proc (Linux) */
function k6ChildOf(pid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return children.find((c) => {
      try {
        return readFileSync(`/proc/${c}/comm`, 'utf8').trim() === 'k6';
      } catch {
        return false;
      }
    });
  } catch {
    return undefined;
  }
}

/** run folders only (results/ also holds index.json and index.md) */
const runFolders = (results: string): string[] =>
  readdirSync(results)
    .filter((f) => statSync(join(results, f)).isDirectory())
    .sort();

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('SIGTERM to bin/genload load: k6 stops gracefully, exit 130, partial summary and reports marked interrupted', async () => {
  const server = await startJsonServer((_req, res) => json(res, 200, { ok: true }));
  const results = mkdtempSync(join(tmpdir(), 'genload-sigterm-'));
  try {
    const run = startLoad(server, results);
    await until('k6 sending load', () => server.requests >= 20);
    process.kill(run.child.pid!, 'SIGTERM');
    const code = await run.exited;
    assert.equal(code, ExitCode.Interrupted, run.stderr());
    assert.match(run.stderr(), /SIGTERM received: stopping k6 gracefully/);
    const [folder, ...more] = runFolders(results);
    assert.equal(more.length, 0);
    const dir = join(results, folder!);
    const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as {
      verdict: string;
      interrupted: boolean;
      exitCode: number;
    };
    assert.deepEqual(
      [record.verdict, record.interrupted, record.exitCode],
      ['interrupted', true, ExitCode.Interrupted],
    );
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { stages: { requests: number }[] };
    assert.ok(
      summary.stages.reduce((n, s) => n + s.requests, 0) >= 20,
      'the partial summary holds the requests sent so far',
    );
    for (const f of ['report.md', 'report.html', 'junit.xml']) assert.ok(existsSync(join(dir, f)), `${f} missing`);
    assert.match(readFileSync(join(dir, 'report.md'), 'utf8'), /interrupted/i);
    const table = await readSamples(join(dir, 'samples.json.gz'));
    assert.ok((table.metrics.get('http_reqs')?.values.length ?? 0) >= 20);
  } finally {
    await server.close();
  }
});

test('kill -9 of the CLI and k6: samples up to that moment stay readable; the next run takes a new folder', async () => {
  const server = await startJsonServer((_req, res) => json(res, 200, { ok: true }));
  const results = mkdtempSync(join(tmpdir(), 'genload-kill9-'));
  try {
    const run = startLoad(server, results, ['--name', 'killed']);
    let samplesPath = '';
    await until('a run folder with samples on disk', () => {
      const [folder] = existsSync(results) ? runFolders(results) : [];
      if (folder === undefined) return false;
      samplesPath = join(results, folder, 'samples.json.gz');
      // k6 writes its gzip stream in blocks: wait until some have reached the disk
      return existsSync(samplesPath) && statSync(samplesPath).size > 16 * 1024;
    });
    const k6 = k6ChildOf(run.child.pid!);
    assert.ok(k6 !== undefined, 'k6 runs as a child of the CLI');
    const sentBeforeKill = server.requests;
    process.kill(run.child.pid!, 'SIGKILL');
    process.kill(-k6, 'SIGKILL'); // k6 leads its own process group
    await run.exited;
    await until('k6 gone', () => !alive(k6), 10_000);

    const before = readFileSync(samplesPath);
    const table = await readSamples(samplesPath);
    const reqs = table.metrics.get('http_reqs')?.values.length ?? 0;
    assert.ok(reqs > 0, 'samples up to the kill are readable');
    assert.ok(reqs <= sentBeforeKill + 50, `no more samples than requests sent (${reqs} vs ${sentBeforeKill})`);
    assert.ok(!existsSync(join(samplesPath, '..', 'run.json')), 'no verdict was written for the killed run');

    // the next run with the same name: a new folder, the killed run's samples untouched
    const next = await runCli(
      [
        'load',
        '--scenario',
        'smoke',
        '--api',
        'generic-json',
        '--target',
        server.url,
        '--ready-path',
        '/',
        '--duration',
        '1s',
        '--results',
        results,
        '--name',
        'killed',
      ],
      { timeoutMs: 60_000 },
    );
    assert.equal(next.code, ExitCode.Passed, next.stderr);
    const folders = runFolders(results);
    assert.equal(folders.length, 2, folders.join(', '));
    const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    assert.equal(digest(readFileSync(samplesPath)), digest(before), 'the killed run’s samples were not touched');
  } finally {
    await server.close();
  }
});
