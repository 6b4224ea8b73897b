// The load generator named when it is the limit: k6 pinned to one core
// (K6_CPUS=0) against a fast local target (bench/protocol/stream-server, Go,
// on the other core), offered far past what one k6 core can send. The open
// model, a closed-model concurrency ramp and `make capacity` must each come
// back invalid (exit 5) naming the generator with its CPU figure, never an
// SLO verdict or a target limit.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../lib/cli/paths.ts';
import type { CapacityReport } from '../../lib/cli/capacity/report.ts';
import { ExitCode } from '../../lib/shared/exit-codes.ts';
import { startPinned } from '../../bench/k6-overhead/process.ts';
import { loadRun, runMake } from './harness.ts';

const work = mkdtempSync(join(tmpdir(), 'genload-e2e-generator-'));
const serverBin = join(work, 'stream-server');
execFileSync('go', ['build', '-o', serverBin, '.'], { cwd: join(repoRoot, 'bench/protocol/stream-server') });
const PINNED = { K6_CPUS: '0' };

async function withServer<T>(args: string[], body: (url: string) => Promise<T>): Promise<T> {
  const server = await startPinned('1', serverBin, args, work);
  try {
    return await body(server.url);
  } finally {
    await server.stop();
  }
}

test('open model: 20,000 streamed requests/s from one k6 core is invalid, exit 5, naming the generator', async () => {
  await withServer(['64'], async (url) => {
    const r = await loadRun(
      {
        scenario: 'llm-stream',
        target: url,
        api: 'openai-chat',
        rate: '20000',
        'max-rate': '20000',
        duration: '6',
        warmup: '0',
        'max-tokens': '64',
        prompts: 'short',
        results: join(work, 'results'),
        name: 'open',
      },
      180_000,
      PINNED,
    );
    assert.equal(r.code, ExitCode.RunInvalid, r.stderr.slice(-3000));
    assert.match(r.stderr, /run invalid: the load generator was the limit, not the target: measure: k6 used \d+ %/);
    const g = r.summary.generator;
    assert.equal(g?.firstBoundStage, 'measure');
    const st = g?.stages.find((s) => s.stage === 'measure');
    assert.equal(st?.allowedCores, 1, 'the affinity mask of the pinned k6: one core');
    assert.equal(g?.limitedBy, 'affinity 0');
    assert.ok((st?.k6CpuShare ?? 0) + (st?.k6WaitCores ?? 0) >= 0.9, JSON.stringify(st));
    // the drops are k6's, never the target's limit
    assert.deepEqual(r.summary.validity.targetLimits, []);
    assert.ok(r.summary.validity.droppedIterations > 0);
    const text = readFileSync(join(r.dir, 'summary.txt'), 'utf8');
    assert.match(text.split('\n')[0]!, /INVALID$/);
    assert.match(text, /BOUND measure: k6 \d+ % of 1 core/);
    assert.match(
      readFileSync(join(r.dir, 'report.md'), 'utf8'),
      /Generator-bound at 20000 requests\/s: measure: k6 used \d+ % of the 1 core it may use.*the generator, not the target, was the limit; add INSTANCES or cores/,
    );
  });
});

test('closed model: a concurrency ramp to 512 is invalid at its first generator-bound step, the steps before it answer', async () => {
  // 16 tokens 2 ms apart: about 30 ms a request, so 2 VUs leave k6 idle and 512 want ~16,000 requests/s
  await withServer(['16', '2'], async (url) => {
    const r = await loadRun(
      {
        scenario: 'concurrency',
        target: url,
        api: 'openai-chat',
        concurrency: '2,512',
        duration: '12',
        warmup: '0',
        'max-tokens': '16',
        prompts: 'short',
        stream: 'true',
        results: join(work, 'results'),
        name: 'closed',
      },
      180_000,
      PINNED,
    );
    assert.equal(r.code, ExitCode.RunInvalid, r.stderr.slice(-3000));
    const g = r.summary.generator;
    assert.equal(g?.firstBoundStage, 'step-02', JSON.stringify(g?.stages));
    assert.equal(g?.stages.find((s) => s.stage === 'step-01')?.bound, false);
    assert.equal(r.summary.slo.highestPassingConcurrency, 2);
    assert.match(r.stderr, /step-02: k6 used \d+ % of the 1 core it may use/);
    assert.match(
      readFileSync(join(r.dir, 'report.md'), 'utf8'),
      /Generator-bound at 512 concurrent requests: step-02: .*The answer is at least 2 concurrent requests\./,
    );
  });
});

test('make capacity against a target one k6 core cannot saturate: exit 5, "generator-bound", a lower bound', async () => {
  await withServer(['64'], async (url) => {
    const results = mkdtempSync(join(tmpdir(), 'genload-e2e-generator-cap-'));
    const run = await runMake(
      [
        'capacity',
        'SCENARIO=llm-stream',
        `TARGET=${url}`,
        'API=openai-chat',
        'RATE=100',
        'MAX_RATE=100000',
        'DURATION=3',
        'WARMUP=1',
        'MAX_TOKENS=64',
        'PROMPTS=short',
        'TIME_BUDGET=120s',
        `RESULTS=${results}`,
      ],
      { env: PINNED, timeoutMs: 240_000 },
    );
    // make reports a failed recipe as its own exit 2 and names the command's code: genload's is 5 (invalid)
    const out = `${run.stdout.slice(-2000)}\n${run.stderr.slice(-3000)}`;
    assert.equal(run.code, 2, out);
    assert.match(run.stderr, new RegExp(`\\[Makefile:\\d+: capacity\\] Error ${ExitCode.RunInvalid}$`, 'm'), out);
    assert.match(run.stderr, /\(exit 5\)/, out);
    const [folder] = readdirSync(results).filter((f) => !f.endsWith('.log'));
    const dir = join(results, folder ?? '');
    const report = JSON.parse(readFileSync(join(dir, 'capacity.json'), 'utf8')) as CapacityReport;
    assert.equal(report.status, 'generator-bound');
    assert.match(
      report.message,
      // the level k6 runs out at moves with what else holds its core: the answer is a lower bound, or none
      /^generator-bound at \d+ requests\/s \(k6 used \d+ % of its CPU[^)]*\): (the answer is at least \d+ requests\/s|no level passed before it)/,
    );
    assert.equal(report.steps[report.steps.length - 1]?.verdict, 'invalid');
    assert.match(readFileSync(join(dir, 'capacity.md'), 'utf8'), /Generator-bound at \d+ requests\/s/);
  });
});
