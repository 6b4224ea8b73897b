// Make variables reach the CLI as data, never as shell or Make text: every
// variable of load, config, capacity, report, compare, gate and package-operator
// is given a value with quotes, $, backquotes, $(...), $(shell ...), ; and #, on
// the command line and from the environment. The recipe printed by `make -n`
// carries none of it; the CLI receives the exact bytes (GENLOAD_FLAG_<VAR>);
// a Make variable wins over GENLOAD_<VAR> in the environment; nothing runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../lib/shared/exit-codes.ts';
import { runMake, runProcess } from './harness.ts';

const markers = mkdtempSync(join(tmpdir(), 'genload-make-vars-'));
/** a value that runs `touch <marker>` if anything (a shell, Make) re-reads it */
const hostile = (tag: string): string =>
  `${tag} a'b "c" $HOME \`touch ${markers}/bq-${tag}\` $(touch ${markers}/sub-${tag}) $(shell touch ${markers}/make-${tag}) '; touch ${markers}/q-${tag}; ' ; echo INJECTED-${tag} # end`;

const LOAD = [
  'SCENARIO',
  'TARGET',
  'API',
  'MODEL',
  'READY_PATH',
  'SLO',
  'RATE',
  'MAX_RATE',
  'DURATION',
  'WARMUP',
  'VUS',
  'MAX_VUS',
  'ARRIVAL',
  'SEED',
  'ENGINE',
  'PROMPTS',
  'MAX_TOKENS',
  'STEPS',
  'SIZE',
  'STREAM',
  'RESULTS',
  'NAME',
  'ALLOW_REMOTE',
  'WORKLOAD',
  'INSTANCES',
  'PROMETHEUS_RW',
  'CONCURRENCY',
  'LOAD_MODEL',
];
const CAPACITY = [
  'MIN_RATE',
  'TOLERANCE',
  'MAX_STEPS',
  'TIME_BUDGET',
  'CONFIRM',
  'PROBE_CONCURRENCY',
  'PEAK_RPS',
  'HEADROOM',
  'PRICE_PER_HOUR',
  'GPUS_PER_REPLICA',
  'CURRENCY',
];
const TARGETS: Record<string, string[]> = {
  load: LOAD,
  config: LOAD,
  capacity: [...LOAD, ...CAPACITY],
  report: ['RUN', 'RESULTS'],
  compare: ['BASE', 'CAND', 'RESULTS'],
  gate: ['BASELINE', 'CAND', 'RESULTS'],
  'package-operator': [...LOAD, 'PARALLELISM', 'IMAGE', 'NAMESPACE'],
};

const assignments = (vars: string[]): string[] => vars.map((v) => `${v}=${hostile(v)}`);
const nothingRan = (): void => assert.deepEqual(readdirSync(markers), [], 'a value was executed');

test('make -n prints recipes that carry no value (nothing for a shell to re-read)', async () => {
  for (const [target, vars] of [...Object.entries(TARGETS), ['server', ['ENGINE', 'PORT']] as const]) {
    const run = await runMake(['-n', target, ...assignments([...vars])]);
    assert.equal(run.code, 0, `${target}: ${run.stderr}`);
    assert.ok(!run.stdout.includes('INJECTED'), `make -n ${target} pastes a value into its recipe:\n${run.stdout}`);
    assert.ok(!run.stdout.includes("a'b"), `make -n ${target}:\n${run.stdout}`);
  }
  nothingRan();
});

test('every variable of every target reaches the CLI byte for byte, from the command line and from the environment', async () => {
  const fake = 'GENLOAD=node --import tsx test/e2e/print-cli-input.ts';
  for (const [target, vars] of Object.entries(TARGETS)) {
    // half of them from the environment (Make imports those unexpanded, as $(value) reads them)
    const fromEnv = Object.fromEntries(vars.filter((_, i) => i % 2 === 1).map((v) => [v, hostile(v)]));
    const run = await runMake([target, fake, ...assignments(vars.filter((_, i) => i % 2 === 0))], { env: fromEnv });
    assert.equal(run.code, 0, `${target}: ${run.stderr}`);
    const got = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
      argv: string[];
      flags: Record<string, string>;
    };
    assert.deepEqual(got.argv, [target], `${target}: values travel in the environment, not the arguments`);
    assert.deepEqual(got.flags, Object.fromEntries(vars.map((v) => [`GENLOAD_FLAG_${v}`, hostile(v)])), target);
  }
  // a variable that is not set (or empty) is not forwarded at all
  const run = await runMake(['report', fake, 'RUN=']);
  assert.deepEqual((JSON.parse(run.stdout.trim()) as { flags: unknown }).flags, {});
  nothingRan();
});

test('the real CLI: exact bytes in the resolved config and in validation errors; a Make variable beats GENLOAD_<VAR>', async () => {
  const model = hostile('MODEL');
  const target = `http://127.0.0.1:1/${hostile('TARGET')}`;
  const ok = await runMake(['config', 'SCENARIO=smoke', 'RATE=7', `MODEL=${model}`, `TARGET=${target}`], {
    env: { GENLOAD_RATE: '3', GENLOAD_MODEL: 'from-env', READY_PATH: hostile('READY_PATH') },
  });
  assert.equal(ok.code, 0, ok.stderr);
  const config = JSON.parse(ok.stdout) as { values: Record<string, unknown>; sources: Record<string, string> };
  assert.equal(config.values['model'], model);
  assert.equal(config.values['target'], target);
  assert.equal(config.values['readyPath'], hostile('READY_PATH'));
  assert.equal(config.values['rateRps'], 7);
  assert.equal(config.sources['rateRps'], 'flag');
  const bad = await runMake([
    'config',
    'SCENARIO=smoke',
    `NAME=${hostile('NAME')}`,
    `RATE=${hostile('RATE')}`,
    `WORKLOAD=${hostile('WORKLOAD')}`,
  ]);
  assert.notEqual(bad.code, 0);
  for (const v of ['NAME', 'RATE', 'WORKLOAD'])
    assert.ok(
      bad.stderr.includes(`${v}: must be`) && bad.stderr.includes(`but is '${hostile(v)}'`),
      `${v}:\n${bad.stderr}`,
    );
  nothingRan();
});

test('a forwarded variable this CLI does not know is refused by name (exit 2), not dropped', async () => {
  const run = await runProcess(
    process.execPath,
    ['--import', 'tsx', 'lib/cli/main.ts', 'config', '--scenario', 'smoke'],
    { env: { GENLOAD_FLAG_NO_SUCH_KNOB: 'x' } },
  );
  assert.equal(run.code, ExitCode.ConfigInvalid);
  assert.match(run.stderr, /NO_SUCH_KNOB: must be a variable this genload knows \(.*RATE.*\), but is set to 'x'/);
});
