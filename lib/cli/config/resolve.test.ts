import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../errors.ts';
import { ExitCode } from '../../shared/exit-codes.ts';
import { checkTargetUrl, resolveKnobs, type ResolveInputs } from './resolve.ts';
import { parseDurationSeconds } from './duration.ts';

const base = (flags: Record<string, string>, env: Record<string, string> = {}): ResolveInputs => ({
  flags,
  env,
  scenarios: ['smoke', 'ramp'],
  sloProfiles: ['ci-smoke', 'interactive-chat'],
  fileExists: (p) => p === 'my-slo.json',
});

function problems(inputs: ResolveInputs): string[] {
  try {
    resolveKnobs(inputs);
    return [];
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.exitCode, ExitCode.ConfigInvalid);
    return [...err.problems];
  }
}

test('defaults, scenario defaults, env and flags layer in that order', () => {
  const r = resolveKnobs(base({ scenario: 'smoke', rate: '7' }, { GENLOAD_RATE: '3', GENLOAD_VUS: '4' }));
  assert.equal(r.values['rateRps'], 7);
  assert.equal(r.sources['rateRps'], 'flag');
  assert.equal(r.values['vus'], 4);
  assert.equal(r.sources['vus'], 'env');
  assert.equal(r.values['durationSeconds'], 5);
  assert.equal(r.sources['durationSeconds'], 'scenario');
  assert.equal(r.values['arrival'], 'constant');
  assert.equal(r.sources['arrival'], 'default');
  assert.ok(Object.isFrozen(r.values));
});

test('request-list knobs are stored parsed, with the text they came from', () => {
  const r = resolveKnobs(
    base({ scenario: 'ramp', 'input-tokens': '20..40', concurrency: '1,2,4' }, { GENLOAD_TURNS: '3' }),
  );
  assert.deepEqual(r.values.inputTokens, { kind: 'uniform', min: 20, max: 40 });
  assert.deepEqual(r.values.concurrency, [1, 2, 4]);
  assert.equal(r.values.turns, 3);
  assert.equal(r.texts.inputTokens, '20..40');
  assert.equal(r.sources.turns, 'env');
});

const bad: Array<[string, Record<string, string>, RegExp[]]> = [
  [
    'unknown scenario lists the choices',
    { scenario: 'nope' },
    [/^SCENARIO: must be one of smoke, ramp, but is 'nope'$/],
  ],
  ['missing scenario', {}, [/^SCENARIO: is required; available scenarios: smoke, ramp$/]],
  ['zero rate', { scenario: 'ramp', rate: '0' }, [/^RATE: must be a number greater than 0, but is '0'$/]],
  ['negative duration', { scenario: 'ramp', duration: '-5s' }, [/^DURATION: must be a duration like/]],
  ['zero duration', { scenario: 'ramp', duration: '0' }, [/^DURATION: must be a duration greater than 0, but is '0'$/]],
  [
    'malformed target',
    { scenario: 'ramp', target: 'not a url' },
    [/^target: must be an http:\/\/ or https:\/\/ URL with a host, but is 'not a url'$/],
  ],
  [
    'unknown slo',
    { scenario: 'ramp', slo: 'missing' },
    [/^SLO: must be a profile \(ci-smoke, interactive-chat\) or an existing JSON file, but is 'missing'$/],
  ],
  [
    'max rate below rate',
    { scenario: 'ramp', rate: '10', 'max-rate': '5' },
    [/^MAX_RATE: must be at least RATE \(10\), but is 5$/],
  ],
  ['run name escaping results', { scenario: 'ramp', name: '../etc' }, [/^NAME: must be 1-40 characters/]],
  [
    'token lengths and pairs, parsed by the table',
    { scenario: 'ramp', 'input-tokens': 'ten', 'output-tokens': '0', 'token-pairs': '10:2,x' },
    [/^INPUT_TOKENS: must be N, A\.\.B or N~S/, /^OUTPUT_TOKENS: /, /^TOKEN_PAIRS: pair 2 must be in:out/],
  ],
  [
    'every problem at once',
    { scenario: 'nope', rate: '-1', duration: 'abc', target: 'ftp://x', slo: 'missing' },
    [/^RATE:/, /^DURATION:/, /^SCENARIO:/, /^target: must use http or https/, /^SLO:/],
  ],
];

for (const [name, flags, expected] of bad) {
  test(`invalid config: ${name}`, () => {
    const got = problems(base(flags));
    assert.equal(got.length, expected.length, got.join('\n'));
    for (const re of expected)
      assert.ok(
        got.some((p) => re.test(p)),
        `${re} not in:\n${got.join('\n')}`,
      );
  });
}

test('slo resolves a profile name or an existing file', () => {
  assert.equal(resolveKnobs(base({ scenario: 'smoke', slo: 'ci-smoke' })).sloFile, 'thresholds/ci-smoke.json');
  assert.equal(resolveKnobs(base({ scenario: 'smoke', slo: 'my-slo.json' })).sloFile, 'my-slo.json');
  assert.equal(resolveKnobs(base({ scenario: 'smoke' })).sloFile, null);
});

test('targets must be loopback unless remote is allowed', () => {
  assert.deepEqual(checkTargetUrl('http://127.0.0.1:8000', false), []);
  assert.deepEqual(checkTargetUrl('http://[::1]:8000/v1', false), []);
  assert.deepEqual(checkTargetUrl('http://localhost:1', false), []);
  assert.match(checkTargetUrl('http://example.com', false)[0] ?? '', /must be on loopback.*'example.com'/);
  assert.deepEqual(checkTargetUrl('https://example.com', true), []);
});

test('durations', () => {
  const cases: Array<[string, number | undefined]> = [
    ['30s', 30],
    ['2m', 120],
    ['1h30m', 5400],
    ['500ms', 0.5],
    ['12', 12],
    ['1.5', 1.5],
    ['abc', undefined],
    ['5x', undefined],
  ];
  for (const [text, want] of cases) assert.equal(parseDurationSeconds(text), want, text);
});
