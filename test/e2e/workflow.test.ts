// The scheduled performance workflow (.github/workflows/perf.yml) passes
// actionlint (built once from the Go module proxy, cached outside the clone by
// build/actionlint.ts), actionlint really rejects a broken copy, and the job
// does what the project promises: nightly and weekly schedules, genload's own
// exit codes, caches, artifact upload and the report as the job summary.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { resolveActionlint } from '../../build/actionlint.ts';
import { repoRoot } from '../../lib/cli/paths.ts';

const workflowPath = join(repoRoot, '.github/workflows/perf.yml');
const source = readFileSync(workflowPath, 'utf8');

function lint(path: string, cwd: string, bin: string): { code: number | null; out: string } {
  const res = spawnSync(bin, ['-no-color', path], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: res.status, out: `${res.stdout}${res.stderr}` };
}

test('actionlint accepts perf.yml and rejects a broken copy', { timeout: 360_000 }, async () => {
  const bin = await resolveActionlint({ log: () => {} });
  const ok = lint(workflowPath, repoRoot, bin);
  assert.equal(ok.code, 0, ok.out);

  const dir = mkdtempSync(join(tmpdir(), 'genload-actionlint-'));
  mkdirSync(join(dir, '.github/workflows'), { recursive: true });
  const broken = join(dir, '.github/workflows/perf.yml');
  writeFileSync(
    broken,
    source
      .replace('steps.ramp.outputs.run-dir', 'steps.ramp.outputs.run-dir ||| nope')
      .replace('timeout-minutes: 90', 'timeout-minutes: ninety'),
  );
  const bad = lint(broken, dir, bin);
  assert.equal(bad.code, 1, bad.out);
  assert.match(bad.out, /timeout-minutes/);
});

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  if?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: { schedule: Array<{ cron: string }>; workflow_dispatch: unknown };
  jobs: Record<string, { steps: Step[] }>;
}

test('perf.yml: schedules, caches, genload exit codes, artifact and job summary', () => {
  const wf = parse(source) as Workflow;
  const crons = wf.on.schedule.map((s) => s.cron);
  assert.equal(crons.length, 2);
  assert.ok(wf.on.workflow_dispatch !== undefined);
  const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
  const step = (id: string): Step => {
    const s = steps.find((x) => x.id === id);
    assert.ok(s !== undefined, `step ${id} missing`);
    return s;
  };
  // capacity runs only on the weekly schedule (or on demand): its condition names that exact cron
  const weekly = crons.find((c) => /\* \* [0-6]$/.test(c));
  assert.ok(weekly !== undefined, `no weekly cron in ${crons.join(', ')}`);
  assert.ok(step('capacity').if?.includes(`'${weekly}'`), 'capacity condition must name the weekly cron');
  // set-up through the README's make targets; runs through bin/genload for exact exit codes
  assert.ok(steps.some((s) => s.run?.includes('make setup')));
  for (const id of ['smoke', 'ramp', 'capacity'])
    assert.match(step(id).run ?? '', /bin\/genload (load|capacity) --scenario/);
  assert.match(step('smoke').run ?? '', /--engine sim/);
  assert.match(step('gate').run ?? '', /bin\/genload gate --baseline/);
  // report.md becomes the job summary
  for (const id of ['smoke', 'ramp']) assert.match(step(id).run ?? '', /report\.md.*GITHUB_STEP_SUMMARY/);
  // caches: npm through setup-node, the k6 build and models in ~/.cache/genload
  assert.equal(steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['cache'], 'npm');
  assert.ok(steps.some((s) => s.uses?.startsWith('actions/cache@') && s.with?.['path'] === '~/.cache/genload'));
  // the run folders are uploaded even when a step failed, and the verdict fails the job on any non-zero code
  assert.equal(steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))?.if, 'always()');
  const verdict = steps[steps.length - 1];
  assert.equal(verdict?.if, 'always()');
  assert.match(verdict?.run ?? '', /exit "\$failed"/);
});

test('the verdict step exits with the first failing genload code', () => {
  const wf = parse(source) as Workflow;
  const verdict = Object.values(wf.jobs)
    .flatMap((j) => j.steps)
    .at(-1);
  const script = verdict?.run ?? '';
  const cases: Array<[Record<string, string>, number]> = [
    [{ SMOKE: '0', RAMP: '0', GATE: '0', CAPACITY: '' }, 0],
    [{ SMOKE: '0', RAMP: '99', GATE: '7', CAPACITY: '' }, 99],
    [{ SMOKE: '0', RAMP: '0', GATE: '7', CAPACITY: '6' }, 7],
    [{ SMOKE: '', RAMP: '', GATE: '', CAPACITY: '' }, 0],
  ];
  for (const [env, want] of cases) {
    const res = spawnSync('bash', ['-e', '-c', script], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      encoding: 'utf8',
      timeout: 10_000,
    });
    assert.equal(res.status, want, `${JSON.stringify(env)}: ${res.stdout}${res.stderr}`);
  }
});
