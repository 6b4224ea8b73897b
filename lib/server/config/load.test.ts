import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig, redactConfig } from './load.ts';
import { defaults } from './schema.ts';
import { leaves } from './sources.ts';

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('expected a ConfigError');
}

test('no input gives the defaults, frozen', () => {
  const config = loadConfig();
  assert.deepEqual(config, defaults);
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.sim) && Object.isFrozen(config.sim.imageSizes));
});

test('precedence: defaults < file < env < flags', () => {
  const file = JSON.stringify({ port: 1, workers: 3, sim: { slots: 7 } });
  const config = loadConfig({
    argv: ['--config', 'x.json', '--port', '3'],
    env: { GENLOAD_SERVER_PORT: '2', GENLOAD_SERVER_WORKERS: '5', HOME: '/root' },
    readFile: () => file,
  });
  assert.equal(config.port, 3);
  assert.equal(config.workers, 5);
  assert.equal(config.sim.slots, 7);
  assert.equal(config.sim.stepMs, defaults.sim.stepMs);
});

const valid: {
  name: string;
  argv: string[];
  env?: Record<string, string>;
  check: (c: ReturnType<typeof loadConfig>) => unknown;
  expected: unknown;
}[] = [
  { name: 'nested flag', argv: ['--sim.step-ms', '2.5'], check: (c) => c.sim.stepMs, expected: 2.5 },
  { name: 'flag with =', argv: ['--engine=sim'], check: (c) => c.engine, expected: 'sim' },
  { name: 'list flag', argv: ['--sim.image-sizes', '32, 64'], check: (c) => c.sim.imageSizes, expected: [32, 64] },
  { name: 'shed 503', argv: ['--queue.shed-status', '503'], check: (c) => c.queue.shedStatus, expected: 503 },
  {
    name: 'env nested',
    argv: [],
    env: { GENLOAD_SERVER_FAULTS_ERROR_RATE: '0.25' },
    check: (c) => c.faults.errorRate,
    expected: 0.25,
  },
  { name: 'empty allowlist', argv: ['--webhook-allowlist', ''], check: (c) => c.webhookAllowlist, expected: [] },
  { name: 'precisions: default [] = by provider', argv: [], check: (c) => c.onnx.precisions, expected: [] },
  {
    name: 'precisions with fp16',
    argv: ['--onnx.precisions', 'fp32,fp16'],
    env: { GENLOAD_SERVER_PROVIDER: 'cpu' },
    check: (c) => c.onnx.precisions,
    expected: ['fp32', 'fp16'],
  },
  {
    name: 'precisions from env',
    argv: [],
    env: { GENLOAD_SERVER_ONNX_PRECISIONS: 'fp16' },
    check: (c) => c.onnx.precisions,
    expected: ['fp16'],
  },
];
for (const row of valid) {
  test(`valid: ${row.name}`, () =>
    assert.deepEqual(row.check(loadConfig({ argv: row.argv, env: row.env ?? {} })), row.expected));
}

test('every problem is reported at once, naming field, rule and value', () => {
  const problems = problemsOf(() =>
    loadConfig({
      argv: ['--port', '70000', '--engine', 'gpu', '--sim.slots', 'many', '--nope', '1', '--faults.error-rate', '2'],
      env: { GENLOAD_SERVER_WORKES: '2', GENLOAD_SERVER_QUEUE_SHED_STATUS: '500' },
    }),
  );
  const expectations: [RegExp, string][] = [
    [/^port: .*65535.*but is 70000$/, 'port range'],
    [/^engine: .*"sim".*"onnx".*but is "gpu"$/, 'engine enum'],
    [/^sim\.slots: .*number.*but is "many"$/, 'slots type'],
    [/^flag --nope: unknown flag$/, 'unknown flag'],
    [/^faults\.errorRate: .*1.*but is 2$/, 'probability'],
    [/^env GENLOAD_SERVER_WORKES: unknown variable$/, 'unknown env'],
    [/^queue\.shedStatus: .*but is 500$/, 'shed status'],
  ];
  for (const [pattern, what] of expectations)
    assert.ok(
      problems.some((p) => pattern.test(p)),
      `${what} missing in ${JSON.stringify(problems)}`,
    );
  assert.equal(problems.length, expectations.length);
});

test('an unknown precision names the field, the choices and the value', () => {
  assert.deepEqual(
    problemsOf(() => loadConfig({ argv: ['--onnx.precisions', 'fp32,bf16'] })),
    ['onnx.precisions.1: invalid option: expected one of "fp32"|"int8"|"fp16", but is "bf16"'],
  );
});

test('unknown keys in the file are rejected', () => {
  const problems = problemsOf(() =>
    loadConfig({ argv: ['--config', 'f'], readFile: () => '{"sim":{"slotz":1},"extra":true}' }),
  );
  assert.equal(problems.length, 2);
  assert.ok(problems.some((p) => p.startsWith('sim: ') && p.includes('slotz')));
  assert.ok(problems.some((p) => p.startsWith('(root): ') && p.includes('extra')));
});

test('an unreadable or non-object file is a problem, not a crash', () => {
  assert.match(
    problemsOf(() => loadConfig({ argv: ['--config', 'f'], readFile: () => '[1]' }))[0]!,
    /must hold a JSON object/,
  );
  assert.match(
    problemsOf(() => loadConfig({ argv: ['--config', 'f'], readFile: () => '{' }))[0]!,
    /reading failed; reason: /,
  );
});

test('cross-field rule: default steps within max steps', () => {
  assert.match(
    problemsOf(() => loadConfig({ argv: ['--sim.default-steps', '50', '--sim.max-steps', '10'] }))[0]!,
    /sim\.defaultSteps: must be <= sim\.maxSteps/,
  );
});

test('cross-field rule: retryAfterSeconds within retryAfterMaxSeconds, checked only when both are valid', () => {
  assert.deepEqual(
    problemsOf(() =>
      loadConfig({ argv: ['--queue.retry-after-seconds', '90', '--queue.retry-after-max-seconds', '30'] }),
    ),
    ['queue.retryAfterSeconds: must be <= --queue.retry-after-max-seconds (30), but is 90'],
  );
  assert.equal(problemsOf(() => loadConfig({ argv: ['--queue.retry-after-max-seconds', '0'] })).length, 1);
  assert.equal(
    loadConfig({ argv: ['--queue.retry-after-seconds', '30', '--queue.retry-after-max-seconds', '30'] }).queue
      .retryAfterMaxSeconds,
    30,
  );
});

test('every leaf has a distinct flag and env name', () => {
  assert.equal(new Set(leaves.map((l) => l.flag)).size, leaves.length);
  assert.equal(new Set(leaves.map((l) => l.env)).size, leaves.length);
});

test('the API key is redacted for printing', () => {
  const config = loadConfig({ argv: ['--api-key', 's3cret'] });
  assert.equal(config.apiKey, 's3cret');
  assert.equal(redactConfig(config).apiKey, '<redacted>');
  assert.ok(!JSON.stringify(redactConfig(config)).includes('s3cret'));
});

test('host rule: a non-loopback bind needs --api-key or an explicit --allow-unauthenticated-remote true', () => {
  for (const host of ['0.0.0.0', '::', '[::]', '10.0.0.5', 'my-host.example']) {
    assert.deepEqual(
      problemsOf(() => loadConfig({ argv: ['--host', host] })),
      [
        `host: must be a loopback address (127.0.0.1, ::1, localhost) when no --api-key is set, but is ${JSON.stringify(host)}; set --api-key, or --allow-unauthenticated-remote true to serve the network without one`,
      ],
      host,
    );
  }
  assert.equal(loadConfig({ argv: ['--host', '0.0.0.0', '--api-key', 'k'] }).host, '0.0.0.0');
  assert.equal(
    loadConfig({ argv: ['--host', '0.0.0.0', '--allow-unauthenticated-remote', 'true'] }).allowUnauthenticatedRemote,
    true,
  );
  assert.equal(
    loadConfig({
      argv: [],
      env: { GENLOAD_SERVER_HOST: '0.0.0.0', GENLOAD_SERVER_ALLOW_UNAUTHENTICATED_REMOTE: 'true' },
    }).host,
    '0.0.0.0',
  );
  for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]'])
    assert.equal(loadConfig({ argv: ['--host', host] }).host, host);
  assert.match(
    problemsOf(() => loadConfig({ argv: ['--allow-unauthenticated-remote', 'yes'] }))[0]!,
    /^allowUnauthenticatedRemote: .*boolean.*but is "yes"$/,
  );
});

test('webhook allowlist: URL prefixes with host and port; empty by default; a bare host (any port) is refused', () => {
  assert.deepEqual(loadConfig({}).webhookAllowlist, []);
  assert.deepEqual(
    loadConfig({ argv: ['--webhook-allowlist', 'http://127.0.0.1:9000/hooks, https://hooks.example:443'] })
      .webhookAllowlist,
    ['http://127.0.0.1:9000/hooks', 'https://hooks.example:443'],
  );
  const problems = problemsOf(() =>
    loadConfig({ argv: ['--webhook-allowlist', '127.0.0.1,http://localhost/x,http://u:p@h:1/'] }),
  );
  assert.equal(problems.length, 3, JSON.stringify(problems));
  assert.match(
    problems[0]!,
    /^webhookAllowlist\.0: must be an http\(s\) url prefix naming host and port, e\.g\. http:\/\/127\.0\.0\.1:9000\/hooks, but is "127\.0\.0\.1"$/,
  );
  assert.match(problems[1]!, /^webhookAllowlist\.1: .*write the port.*but is "http:\/\/localhost\/x"$/);
  assert.match(problems[2]!, /^webhookAllowlist\.2: .*no user info.*$/);
});
