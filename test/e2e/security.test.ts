// Security end to end, by behaviour on real sockets: the reference server binds
// loopback unless told otherwise and refuses a non-loopback bind without an API
// key; an API key, when set, is required on every route but the probes;
// secrets (GENLOAD_API_KEY, user:password in TARGET or PROMETHEUS_RW) appear in
// no file of a run folder or of the k6-operator manifests and in no output; job
// webhooks go only to allowlisted URL prefixes (host and port; redirects are not
// followed off the list); run and scenario names cannot leave results/; body and
// header limits answer 413 and 431.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { repoRoot } from '../../lib/cli/paths.ts';
import { startManagedServer, type ManagedServer } from '../../lib/cli/run/managed-server.ts';
import { ExitCode } from '../../lib/shared/exit-codes.ts';
import { json, runCli, runProcess, startJsonServer, type JsonServer } from './harness.ts';

const tmp = mkdtempSync(join(tmpdir(), 'genload-security-'));
const API_KEY = 'sk-genload-e2e-9f3c2a7d1b';
const PASSWORD = 'pw-e2e-71c9aa';

let server: ManagedServer;
/** the one webhook receiver on the server's allowlist (http://127.0.0.1:<its port>) */
let hook: JsonServer;
const hookReceived: unknown[] = [];
before(async () => {
  hook = await startJsonServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hookReceived.push(JSON.parse(body));
      if (req.url === '/redirect') {
        res.writeHead(307, { location: redirectTarget });
        res.end();
      } else json(res, 200, {});
    });
  });
  server = await startManagedServer({
    engine: 'sim',
    logPath: join(tmp, 'server.log'),
    extraArgs: [
      '--api-key',
      API_KEY,
      '--body-limit-bytes',
      '4096',
      '--sim.step-ms',
      '1',
      '--sim.token-ms',
      '1',
      '--jobs.ttl-ms',
      '60000',
      '--webhook-allowlist',
      hook.url,
    ],
    readyTimeoutMs: 60_000,
  });
});
after(async () => {
  await server.stop();
  await hook.close();
});
let redirectTarget = 'http://127.0.0.2:9/';

const auth = { authorization: `Bearer ${API_KEY}` };

/** every file under dir as text (gzip files decompressed; a truncated gzip gives what decompresses) */
function allText(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      out.push(...allText(path));
      continue;
    }
    let data = readFileSync(path);
    if (name.endsWith('.gz')) data = gunzipSync(data, { finishFlush: 2 /* Z_SYNC_FLUSH: tolerate a truncated end */ });
    out.push({ file: path, text: data.toString('utf8') });
  }
  return out;
}

test('the server binds loopback when no host is given', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'lib/server/main.ts'), '--engine', 'sim', '--port', '0'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const url = await new Promise<string>((resolveUrl, reject) => {
      let buf = '';
      const timer = setTimeout(() => reject(new Error(`no listening line: ${buf}`)), 30_000);
      child.stdout.on('data', (c: Buffer) => {
        buf += c.toString();
        for (const line of buf.split('\n')) {
          if (!line.includes('"listening"')) continue;
          clearTimeout(timer);
          resolveUrl((JSON.parse(line) as { url: string }).url);
        }
      });
    });
    const u = new URL(url);
    assert.equal(u.hostname, '127.0.0.1');
    assert.equal((await fetch(`${url}/health`)).status, 200);
    // the same port on a non-loopback address of this machine refuses the connection
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i !== undefined && i.family === 'IPv4' && !i.internal);
    if (external !== undefined) {
      const refused = await new Promise<string>((r) => {
        const s = connect({ host: external.address, port: Number(u.port) }, () => (s.destroy(), r('connected')));
        s.on('error', (e: NodeJS.ErrnoException) => r(e.code ?? 'error'));
      });
      assert.equal(refused, 'ECONNREFUSED', `reachable on ${external.address}`);
    }
  } finally {
    child.kill('SIGKILL');
  }
});

test('API key: 401 without it or with a wrong one (any length), 200 with it; /health and /ready stay open', async () => {
  const cases: [Record<string, string>, number][] = [
    [{}, 401],
    [{ authorization: 'Bearer' }, 401],
    [{ authorization: `Bearer ${API_KEY.slice(0, -1)}x` }, 401],
    [{ authorization: `Bearer ${API_KEY}${API_KEY}` }, 401],
    [{ authorization: `Basic ${Buffer.from(`u:${API_KEY}`).toString('base64')}` }, 401],
    [{ authorization: API_KEY }, 401],
    [auth, 200],
  ];
  for (const [headers, status] of cases) {
    const res = await fetch(`${server.url}/v1/models`, { headers });
    assert.equal(res.status, status, JSON.stringify(headers));
    if (status === 401) {
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'invalid_api_key');
      assert.equal(res.headers.get('www-authenticate'), 'Bearer');
      assert.ok(!body.error.message.includes(API_KEY), 'the key is not echoed');
    } else await res.arrayBuffer();
  }
  const post = await fetch(`${server.url}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"prompt":"x"}',
  });
  assert.equal(post.status, 401);
  assert.equal((await fetch(`${server.url}/health`)).status, 200);
  assert.equal((await fetch(`${server.url}/ready`)).status, 200);
});

test('GENLOAD_API_KEY and user:password in TARGET or PROMETHEUS_RW appear in no file of a run folder or k6-operator folder and in no output', async () => {
  const results = join(tmp, 'results-secrets');
  const target = new URL(server.url);
  const withCredentials = `http://e2euser:${PASSWORD}@${target.host}`;
  const rwWithCredentials = `http://rwuser:${PASSWORD}@127.0.0.1:9`;
  const runs = [
    await runCli(['load', '--scenario', 'smoke', '--target', server.url, '--duration', '3s', '--results', results], {
      env: { GENLOAD_API_KEY: API_KEY },
      timeoutMs: 90_000,
    }),
    await runCli(
      [
        'load',
        '--scenario',
        'smoke',
        '--target',
        withCredentials,
        '--duration',
        '3s',
        '--results',
        results,
        '--name',
        'creds',
      ],
      { env: { GENLOAD_API_KEY: API_KEY }, timeoutMs: 90_000 },
    ),
    // the k6-operator manifests: the credentials become Secret references
    await runCli(
      [
        'package-operator',
        '--scenario',
        'ramp',
        '--target',
        withCredentials,
        '--prometheus-rw',
        rwWithCredentials,
        '--parallelism',
        '2',
        '--results',
        results,
      ],
      { env: { GENLOAD_API_KEY: API_KEY } },
    ),
  ];
  assert.equal(runs[0]!.code, ExitCode.Passed, runs[0]!.stderr);
  // credentials in the URL are taken out of it and sent as a header: the run works (the Bearer key wins)
  assert.equal(runs[1]!.code, ExitCode.Passed, runs[1]!.stderr);
  assert.equal(runs[2]!.code, ExitCode.Passed, runs[2]!.stderr);
  assert.match(runs[2]!.stdout, /kubectl create secret generic genload-target-auth/);
  const manifests = readdirSync(results).find((d) => d.endsWith('-k6-operator'));
  assert.ok(
    manifests !== undefined && existsSync(join(results, manifests, 'k6-operator.yaml')),
    'manifests were written',
  );
  const summary = JSON.parse(
    readFileSync(
      join(
        results,
        readdirSync(results).find((d) => !d.endsWith('-creds') && !d.endsWith('-k6-operator'))!,
        'summary.json',
      ),
      'utf8',
    ),
  ) as { stages: { requests: number }[] };
  assert.ok(summary.stages.reduce((n, s) => n + s.requests, 0) > 0, 'the authenticated run sent requests');
  const files = existsSync(results) ? allText(results) : [];
  assert.ok(files.length > 5, `run folders were written: ${files.map((f) => f.file).join(', ')}`);
  // the Basic header value (base64 of user:password) is a secret too
  for (const secret of [
    API_KEY,
    PASSWORD,
    Buffer.from(`e2euser:${PASSWORD}`).toString('base64'),
    Buffer.from(`rwuser:${PASSWORD}`).toString('base64'),
  ]) {
    for (const { file, text } of files) assert.ok(!text.includes(secret), `${secret} found in ${file}`);
    for (const [i, r] of runs.entries()) {
      assert.ok(!r.stdout.includes(secret), `${secret} in stdout of run ${i}`);
      assert.ok(!r.stderr.includes(secret), `${secret} in stderr of run ${i}`);
    }
  }
  assert.ok(!readFileSync(join(tmp, 'server.log'), 'utf8').includes(API_KEY), 'the server log holds the key');
});

test('job webhooks: only the allowlisted host AND port are called; another port of that host, an off-list host and a redirect off the list are not', async () => {
  let offListHits = 0;
  const count = (_req: unknown, res: { end(): void }) => {
    offListHits++;
    res.end();
  };
  // 127.0.0.2 is loopback too, but not on the allowlist; a second port on 127.0.0.1 stands for any other service there (ssh on 22, ...)
  const offListServer = createServer(count);
  const samehostServer = createServer(count);
  await new Promise<void>((r) => offListServer.listen(0, '127.0.0.2', r));
  await new Promise<void>((r) => samehostServer.listen(0, '127.0.0.1', r));
  const offListPort = (offListServer.address() as AddressInfo).port;
  const samehostPort = (samehostServer.address() as AddressInfo).port;
  redirectTarget = `http://127.0.0.1:${samehostPort}/stolen`;
  try {
    const submit = (webhook_url: string) =>
      fetch(`${server.url}/v1/jobs`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'completion', request: { prompt: 'w', max_tokens: 2 }, webhook_url }),
      });
    for (const bad of [
      `http://127.0.0.1:${samehostPort}/`,
      'http://127.0.0.1:22/',
      'http://127.0.0.1/',
      `http://127.0.0.2:${offListPort}/`,
      'http://example.com/',
      'http://169.254.169.254/latest/meta-data',
      `ftp://127.0.0.1:${offListPort}/`,
    ]) {
      const res = await submit(bad);
      assert.equal(res.status, 400, bad);
      const error = ((await res.json()) as { error: { code: string; message: string } }).error;
      assert.match(error.code, /webhook/);
      if (bad.startsWith('http://127.0.0.1'))
        assert.match(error.message, /^webhook_url: must start with an allowlisted URL prefix/);
    }
    for (const path of ['/ok', '/redirect']) {
      const res = await submit(`${hook.url}${path}`);
      assert.equal(res.status, 202);
    }
    for (let i = 0; i < 100 && hookReceived.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(hookReceived.length, 2, 'both allowlisted webhooks were called');
    assert.equal((hookReceived[0] as { status: string }).status, 'succeeded');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(offListHits, 0, 'a redirect or an off-list URL reached another port or host');
  } finally {
    offListServer.close();
    samehostServer.close();
  }
});

test('the server refuses a non-loopback bind without an API key (exit 2, naming host), unless told so explicitly', async () => {
  const main = join(repoRoot, 'lib/server/main.ts');
  const refused = await runProcess(
    process.execPath,
    ['--import', 'tsx', main, '--engine', 'sim', '--host', '0.0.0.0', '--port', '0'],
    { timeoutMs: 30_000 },
  );
  assert.equal(refused.code, ExitCode.ConfigInvalid);
  assert.match(
    refused.stderr,
    /host: must be a loopback address \(127\.0\.0\.1, ::1, localhost\) when no --api-key is set, but is "0\.0\.0\.0"/,
  );
  assert.ok(!refused.stdout.includes('"listening"'), 'it listened');
});

test('run and scenario names cannot leave results/: refused with exit 2, nothing written', async () => {
  const base = mkdtempSync(join(tmpdir(), 'genload-names-'));
  const results = join(base, 'results');
  for (const args of [
    ['--name', '../x'],
    ['--name', '..'],
    ['--name', 'a/b'],
    ['--name', '/tmp/x'],
    ['--scenario', '../../x'],
    ['--name', 'X'],
    ['--name', '.hidden'],
  ]) {
    const flags = ['--scenario', 'smoke', '--target', server.url, '--duration', '1s', '--results', results];
    const i = flags.indexOf(args[0]!);
    if (i >= 0) flags.splice(i, 2);
    const run = await runCli(['load', ...flags, ...args]);
    assert.equal(run.code, ExitCode.ConfigInvalid, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, args[0] === '--name' ? /NAME: must be/ : /SCENARIO: must be one of/);
  }
  assert.deepEqual(
    readdirSync(base).filter((f) => f !== 'results'),
    [],
    'nothing next to results/',
  );
  assert.ok(!existsSync(results) || readdirSync(results).length === 0, 'no run folder');
});

/** one raw HTTP/1.1 exchange; resolves with the status and body text */
function rawRequest(port: number, head: string, body = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolveRes, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => s.end(`${head}\r\n\r\n${body}`));
    let data = '';
    s.on('data', (c: Buffer) => (data += c.toString('latin1')));
    s.on('close', () =>
      resolveRes({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0),
        body: data.split('\r\n\r\n').slice(1).join('\r\n\r\n'),
      }),
    );
    s.on('error', reject);
    s.setTimeout(10_000, () => s.destroy(new Error('timeout')));
  });
}

test('body over the limit: 413 in the documented error shape', async () => {
  const port = Number(new URL(server.url).port);
  const body = JSON.stringify({ prompt: 'x'.repeat(8000) });
  const res = await rawRequest(
    port,
    `POST /v1/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}`,
    body,
  );
  assert.equal(res.status, 413);
  assert.equal((JSON.parse(res.body) as { error: { code: string } }).error.code, 'body_too_large');
});

test('headers over the limit (16 KiB): 431, and the server keeps serving', async () => {
  const port = Number(new URL(server.url).port);
  const res = await rawRequest(
    port,
    `GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: ${'h'.repeat(20_000)}`,
  );
  assert.equal(res.status, 431);
  assert.equal((await fetch(`${server.url}/health`)).status, 200);
});

test('headers over the limit: the 431 body is the documented {"error":{"message",...}} shape', async () => {
  const port = Number(new URL(server.url).port);
  const res = await rawRequest(
    port,
    `GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: ${'h'.repeat(20_000)}`,
  );
  assert.equal(res.status, 431);
  const error = (JSON.parse(res.body) as { error: unknown }).error;
  assert.equal(typeof (error as { message?: unknown }).message, 'string', `431 body: ${res.body}`);
});
