import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ExitCode } from '../../shared/exit-codes.ts';
import { runConfigSchema } from '../../shared/run-config.ts';
import { ConfigError } from '../errors.ts';
import { runPackageOperator } from './package-operator.ts';

test('package-operator bundles the scenario into a ConfigMap and a TestRun with parallelism, arguments and config', async () => {
  const results = mkdtempSync(join(tmpdir(), 'genload-operator-'));
  let printed = '';
  const code = await runPackageOperator(
    {
      scenario: 'ramp',
      target: 'http://my-llm.perf.svc:8000',
      'allow-remote': 'true',
      api: 'openai-chat',
      rate: '2',
      'max-rate': '12',
      parallelism: '4',
      namespace: 'perf',
      'prometheus-rw': 'http://prometheus.monitoring.svc:9090',
      results,
    },
    { env: { GENLOAD_API_KEY: 'secret-value' }, now: new Date('2026-11-22T05:30:35Z'), out: (t) => (printed += t) },
  );
  assert.equal(code, ExitCode.Passed);
  const [folder] = readdirSync(results).filter((f) => f.includes('k6-operator'));
  assert.equal(folder, '20261122T053035Z-ramp-k6-operator');
  const text = readFileSync(join(results, folder ?? '', 'k6-operator.yaml'), 'utf8');
  assert.ok(!text.includes('secret-value'), 'the API key must never be written');
  assert.match(printed, /kubectl apply -f/);
  const [cm, tr] = parseAllDocuments(text).map((d) => d.toJS() as Record<string, any>);
  assert.equal(tr?.spec.parallelism, 4);
  assert.equal(tr?.metadata.namespace, 'perf');
  const file = tr?.spec.script.configMap.file as string;
  assert.equal(tr?.spec.script.configMap.name, cm?.metadata.name);
  assert.match(cm?.data[file], /handleSummary/);
  assert.match(tr?.spec.arguments, /--tag testid=20261122T053035Z-ramp-k6-operator .*--out experimental-prometheus-rw/);
  const env = Object.fromEntries(
    (tr?.spec.runner.env as Array<{ name: string; value?: string }>).map((e) => [e.name, e.value ?? 'secret-ref']),
  );
  assert.equal(env['K6_PROMETHEUS_RW_SERVER_URL'], 'http://prometheus.monitoring.svc:9090/api/v1/write');
  assert.equal(env['GENLOAD_API_KEY'], 'secret-ref');
  const config = runConfigSchema.parse(JSON.parse(env['GENLOAD_CONFIG'] ?? '{}'));
  assert.equal(config.scenario, 'ramp');
  assert.equal(config.target.url, 'http://my-llm.perf.svc:8000');
  assert.equal(config.target.managed, false);
  assert.equal(config.load.rateRps, 2);
  assert.equal(config.load.maxRateRps, 12);
  assert.equal(config.runDir, '/tmp');
});

test('package-operator: user:password in TARGET and PROMETHEUS_RW and the API key become Secret references, in no file and no output', async () => {
  const results = mkdtempSync(join(tmpdir(), 'genload-operator-secrets-'));
  const secrets = ['tgt-user-3f1', 'tgt-pw-9c2e', 'rw-user-77a', 'rw-pw-5d0b', 'api-key-e41c'];
  const basic = Buffer.from('tgt-user-3f1:tgt-pw-9c2e').toString('base64');
  let printed = '';
  const code = await runPackageOperator(
    {
      scenario: 'smoke',
      target: 'http://tgt-user-3f1:tgt-pw-9c2e@my-llm.perf.svc:8000/',
      'allow-remote': 'true',
      'prometheus-rw': 'https://rw-user-77a:rw-pw-5d0b@prom.monitoring.svc:9090',
      namespace: 'perf',
      results,
    },
    { env: { GENLOAD_API_KEY: 'api-key-e41c' }, now: new Date('2026-11-22T05:30:35Z'), out: (t) => (printed += t) },
  );
  assert.equal(code, ExitCode.Passed);
  const [folder] = readdirSync(results);
  const dir = join(results, folder ?? '');
  for (const file of readdirSync(dir)) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const s of [...secrets, basic]) assert.ok(!text.includes(s), `${s} written into ${file}`);
  }
  for (const s of [...secrets, basic]) assert.ok(!printed.includes(s), `${s} printed`);
  const [, tr] = parseAllDocuments(readFileSync(join(dir, 'k6-operator.yaml'), 'utf8')).map(
    (d) => d.toJS() as Record<string, any>,
  );
  const env = tr?.spec.runner.env as Array<{
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef: { name: string; key: string } };
  }>;
  const refs = Object.fromEntries(
    env.filter((e) => e.valueFrom !== undefined).map((e) => [e.name, e.valueFrom?.secretKeyRef]),
  );
  assert.deepEqual(refs, {
    GENLOAD_API_KEY: { name: 'genload-api-key', key: 'token' },
    GENLOAD_BASIC_AUTH: { name: 'genload-target-auth', key: 'basic-auth' },
    K6_PROMETHEUS_RW_USERNAME: { name: 'genload-prometheus-rw', key: 'username' },
    K6_PROMETHEUS_RW_PASSWORD: { name: 'genload-prometheus-rw', key: 'password' },
  });
  const plain = Object.fromEntries(env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
  assert.equal(plain['K6_PROMETHEUS_RW_SERVER_URL'], 'https://prom.monitoring.svc:9090/api/v1/write');
  assert.equal(
    runConfigSchema.parse(JSON.parse(plain['GENLOAD_CONFIG'] ?? '{}')).target.url,
    'http://my-llm.perf.svc:8000',
  );
  // the printed instructions name every Secret and key to create
  for (const line of [
    'kubectl create secret generic genload-api-key -n perf --from-literal=token=',
    'genload-target-auth -n perf --from-literal=basic-auth=',
    'genload-prometheus-rw -n perf --from-literal=username=<user> --from-literal=password=<password>',
  ]) {
    assert.ok(printed.includes(line), `${line} not in:\n${printed}`);
  }
});

test('package-operator without a target or with a bad parallelism lists every problem', async () => {
  await assert.rejects(
    runPackageOperator({ scenario: 'ramp', parallelism: 'many' }, { env: {} }),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.problems.some((p) => /^PARALLELISM: .* but is 'many'/.test(p)) &&
      err.problems.some((p) => /^target: k6-operator runs need TARGET/.test(p)),
  );
});
