import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KNOBS } from './knobs.ts';
import { flagsFromMakeVars, MAKE_VAR_PREFIX } from './make-vars.ts';
import { resolveKnobs } from './resolve.ts';

const HOSTILE = `a'b "c" $HOME \`id\` $(shell echo x) ; echo INJECTED # d`;

test('GENLOAD_FLAG_<VAR> becomes the flag, byte for byte; empty counts as not given', () => {
  const got = flagsFromMakeVars(
    { GENLOAD_FLAG_NAME: HOSTILE, GENLOAD_FLAG_MAX_RATE: '9', GENLOAD_FLAG_SEED: '', GENLOAD_RATE: '3', PATH: '/bin' },
    ['name', 'max-rate', 'seed', 'rate'],
  );
  assert.deepEqual(got.flags, { name: HOSTILE, 'max-rate': '9' });
  assert.deepEqual(got.consumed.sort(), ['GENLOAD_FLAG_MAX_RATE', 'GENLOAD_FLAG_NAME', 'GENLOAD_FLAG_SEED']);
  assert.deepEqual(got.problems, []);
});

test('a forwarded variable the CLI does not know is a problem naming it and its value', () => {
  const got = flagsFromMakeVars({ GENLOAD_FLAG_CONCURRENCY: '4', GENLOAD_FLAG_max_rate: '1' }, ['rate', 'max-rate']);
  assert.deepEqual(got.flags, {});
  assert.equal(got.problems.length, 2);
  assert.match(
    got.problems.find((p) => p.startsWith('CONCURRENCY')) ?? '',
    /^CONCURRENCY: must be a variable this genload knows \(MAX_RATE, RATE\), but is set to '4'$/,
  );
});

test('a Make variable outranks GENLOAD_<VAR> from the environment (flag precedence)', () => {
  const env = { GENLOAD_RATE: '3', GENLOAD_FLAG_RATE: '7', GENLOAD_SCENARIO: 'smoke' };
  const { flags } = flagsFromMakeVars(
    env,
    KNOBS.map((k) => k.flag),
  );
  const resolved = resolveKnobs({ flags, env, scenarios: ['smoke'], sloProfiles: [], fileExists: () => false });
  assert.equal(resolved.values['rateRps'], 7);
  assert.equal(resolved.sources['rateRps'], 'flag');
});

test('no knob is named so that its environment variable looks like the Make channel', () => {
  for (const k of KNOBS) assert.ok(!k.env.startsWith(MAKE_VAR_PREFIX), k.env);
});
