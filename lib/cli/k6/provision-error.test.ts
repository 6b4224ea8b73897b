import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExitCode } from '../../shared/exit-codes.ts';
import {
  buildFailure,
  checkGoVersion,
  findProxyFailure,
  goMissingError,
  K6ProvisionError,
  parseGoVersion,
} from './provision-error.ts';

test('every provisioning error carries the stable code and the k6-unavailable exit code', () => {
  const err = goMissingError('1.25');
  assert.ok(err instanceof K6ProvisionError);
  assert.equal(err.code, 'k6_unavailable');
  assert.equal(err.reason, 'go_missing');
  assert.equal(err.exitCode, ExitCode.K6Unavailable);
  assert.match(err.message, /Go >= 1\.25.*apt-get install golang.*go\.dev/);
});

test('go version parsing and the minimum check', () => {
  assert.deepEqual(parseGoVersion('go version go1.26.8 linux/amd64'), [1, 26]);
  assert.deepEqual(parseGoVersion('go version go1.25rc1 linux/amd64'), [1, 25]);
  assert.equal(parseGoVersion('bash: go: not found'), null);
  const cases: Array<[string, boolean]> = [
    ['go version go1.26.8 linux/amd64', true],
    ['go version go1.25.0 linux/amd64', true],
    ['go version go1.24.4 linux/amd64', false],
    ['go version go2.0 linux/amd64', true],
    ['garbage', false],
  ];
  for (const [out, ok] of cases) assert.equal(checkGoVersion(out, '1.25') === null, ok, out);
  assert.match(
    checkGoVersion('go version go1.22.2 linux/amd64', '1.25')?.message ?? '',
    /needs Go >= 1\.25, but `go version` reports go1\.22/,
  );
});

// Lines as Go printed them on this machine's proxy.
const forbidden =
  'go: github.com/phymbert/xk6-sse@v0.1.12: reading https://proxy.golang.org/github.com/phymbert/xk6-sse/@v/v0.1.12.info: 403 Forbidden\n\tserver response: This module version is not available.';
const deprecation =
  'go: go.k6.io/xk6@v1.4.11: loading deprecation for go.k6.io/xk6: module go.k6.io/xk6: reading https://proxy.golang.org/go.k6.io/xk6/@v/list: 403 Forbidden';
const refused =
  'go: example.com/nothing@v1.0.0: Get "http://127.0.0.1:9/example.com/nothing/@v/v1.0.0.info": dial tcp 127.0.0.1:9: connect: connection refused';

test('findProxyFailure names the module the proxy refused', () => {
  assert.equal(findProxyFailure(forbidden)?.module, 'github.com/phymbert/xk6-sse@v0.1.12');
  assert.equal(findProxyFailure(deprecation)?.module, 'go.k6.io/xk6@v1.4.11');
  assert.equal(findProxyFailure(refused)?.module, 'example.com/nothing@v1.0.0');
  assert.equal(findProxyFailure('./open.go:12:2: undefined: foo\nFAIL'), null);
});

test('buildFailure: proxy problems name GOPROXY, others show the log tail', () => {
  const proxy = buildFailure(
    'xk6 build',
    `INF Building\n${forbidden}\n`,
    '/c/build.log',
    'https://proxy.golang.org,direct',
  );
  assert.equal(proxy.reason, 'proxy_unavailable');
  assert.match(
    proxy.message,
    /github\.com\/phymbert\/xk6-sse@v0\.1\.12 \(GOPROXY=https:\/\/proxy\.golang\.org,direct\)/,
  );
  const compile = buildFailure(
    'xk6 build',
    `${Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n')}\n./open.go:12:2: undefined: foo\n`,
    '/c/build.log',
    'x',
  );
  assert.equal(compile.reason, 'build_failed');
  assert.match(compile.message, /last lines of \/c\/build\.log:\n[\s\S]*undefined: foo$/);
  assert.doesNotMatch(compile.message, /line 5\n/);
  assert.equal(compile.logPath, '/c/build.log');
});
