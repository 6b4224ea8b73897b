import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../paths.ts';
import { prometheusConfigYaml } from './prometheus-config.ts';
import { remoteWriteExtras, writeEndpoint } from './remote-write.ts';

test('writeEndpoint appends /api/v1/write once and refuses non-http URLs', () => {
  const table: Array<[string, string]> = [
    ['http://127.0.0.1:9090', 'http://127.0.0.1:9090/api/v1/write'],
    ['http://127.0.0.1:9090/', 'http://127.0.0.1:9090/api/v1/write'],
    ['http://127.0.0.1:9090/api/v1/write', 'http://127.0.0.1:9090/api/v1/write'],
    ['https://prom.example/sub/', 'https://prom.example/sub/api/v1/write'],
  ];
  for (const [input, want] of table) assert.equal(writeEndpoint(input), want, input);
  assert.throws(
    () => writeEndpoint('127.0.0.1:9090'),
    /prometheus-rw: must be an http\(s\) URL .* but is '127.0.0.1:9090'/,
  );
  assert.throws(() => writeEndpoint('ftp://x/'), /prometheus-rw: must use http or https/);
});

test('remoteWriteExtras: the rw output, a testid tag, trend stats or native histograms', () => {
  const plain = remoteWriteExtras({ url: 'http://127.0.0.1:9090', runId: 'r1' });
  assert.deepEqual(plain.args, ['--out', 'experimental-prometheus-rw', '--tag', 'testid=r1']);
  assert.equal(plain.env['K6_PROMETHEUS_RW_SERVER_URL'], 'http://127.0.0.1:9090/api/v1/write');
  assert.equal(plain.env['K6_PROMETHEUS_RW_TREND_STATS'], 'p(50),p(90),p(95),p(99),max,count');
  assert.equal(plain.env['K6_PROMETHEUS_RW_PUSH_INTERVAL'], '5s');
  const native = remoteWriteExtras({
    url: 'http://127.0.0.1:9090',
    runId: 'r1',
    nativeHistograms: true,
    pushIntervalS: 1,
  });
  assert.equal(native.env['K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM'], 'true');
  assert.equal(native.env['K6_PROMETHEUS_RW_TREND_STATS'], undefined);
  assert.equal(native.env['K6_PROMETHEUS_RW_PUSH_INTERVAL'], '1s');
});

test("remoteWriteExtras: user:password leaves the URL and travels as k6's username and password variables", () => {
  const rw = remoteWriteExtras({ url: 'https://ops%40x:p%3Ass@prom.example:9090/', runId: 'r1' });
  assert.equal(rw.env['K6_PROMETHEUS_RW_SERVER_URL'], 'https://prom.example:9090/api/v1/write');
  assert.ok(!JSON.stringify(rw.env).includes('p:ss') && !JSON.stringify(rw.env).includes('p%3Ass'));
  assert.deepEqual(rw.secretEnv, { K6_PROMETHEUS_RW_USERNAME: 'ops@x', K6_PROMETHEUS_RW_PASSWORD: 'p:ss' });
  assert.deepEqual(remoteWriteExtras({ url: 'http://127.0.0.1:9090', runId: 'r1' }).secretEnv, {});
});

test('deploy/prometheus/prometheus.yml is the generated config for make server (port 8000)', () => {
  const committed = readFileSync(join(repoRoot, 'deploy/prometheus/prometheus.yml'), 'utf8');
  const body = committed
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');
  assert.equal(body, prometheusConfigYaml({ scrapeTargets: ['127.0.0.1:8000'] }));
});
