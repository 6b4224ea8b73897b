import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError } from '../http/errors.ts';
import { checkWebhookUrl, deliverWebhook, parseWebhookPrefix } from './webhook.ts';

const allow = ['http://127.0.0.1:9000', 'https://localhost:443/hook', 'http://[::1]:8080/'];

test('allowlist: scheme, host, port and path prefix must all match; anything else is a 400 naming webhook_url', () => {
  for (const ok of [
    'http://127.0.0.1:9000/x',
    'http://127.0.0.1:9000',
    'https://localhost/hook',
    'https://localhost:443/hook/a?b=1',
    'http://[::1]:8080/',
  ])
    assert.ok(checkWebhookUrl(ok, allow), ok);
  for (const bad of [
    'http://127.0.0.1:22/', // an allowed host on another port
    'http://127.0.0.1/', // port 80
    'http://[::1]:22/',
    'http://localhost:443/hook', // http, not https
    'https://localhost/hookx', // outside the path prefix
    'https://localhost/hook/../admin',
    'https://localhost/other',
    'http://u:p@127.0.0.1:9000/',
    'http://example.com/',
    'http://127.0.0.2:9000/',
    'file:///etc/passwd',
    'not a url',
    'http://localhost.evil.com:9000/',
  ]) {
    assert.throws(
      () => checkWebhookUrl(bad, allow),
      (e) => e instanceof HttpError && e.status === 400 && e.param === 'webhook_url',
      bad,
    );
  }
  assert.throws(
    () => checkWebhookUrl('http://127.0.0.1:22/', allow),
    /^HttpError: webhook_url: must start with an allowlisted URL prefix \(http:\/\/127\.0\.0\.1:9000, .*\), but is "http:\/\/127\.0\.0\.1:22\/"$/,
  );
  assert.throws(() => checkWebhookUrl('http://127.0.0.1:9000/', []), /allowlist, which is empty \(webhooks are off/);
});

test('allowlist entries: a bare host or a URL without its port would allow any port, and is not an entry', () => {
  for (const entry of [
    '127.0.0.1',
    'localhost',
    'http://127.0.0.1',
    'https://hooks.example',
    'http://h:1/?q=1',
    'ftp://h:1',
  ])
    assert.ok('rule' in parseWebhookPrefix(entry), entry);
  assert.deepEqual(parseWebhookPrefix('http://[::1]:8080/hooks'), {
    protocol: 'http:',
    host: '::1',
    port: '8080',
    pathPrefix: '/hooks',
    text: 'http://[::1]:8080/hooks',
  });
});

test('delivery: POSTs JSON, retries 5xx a bounded number of times, does not follow redirects', async () => {
  const seen: { path: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += String(d)));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', body });
      if (req.url === '/fail') res.writeHead(500).end();
      else if (req.url === '/redirect') res.writeHead(302, { location: 'http://example.com/' }).end();
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    assert.deepEqual(await deliverWebhook(`${base}/ok`, { id: 'j' }), { delivered: true, attempts: 1, status: 204 });
    assert.deepEqual(JSON.parse(seen[0]!.body), { id: 'j' });
    assert.deepEqual(await deliverWebhook(`${base}/fail`, {}, { attempts: 2, backoffMs: 1 }), {
      delivered: false,
      attempts: 2,
      status: 500,
    });
    const redirected = await deliverWebhook(`${base}/redirect`, {});
    assert.equal(redirected.delivered, false);
    assert.equal(seen.filter((s) => s.path === '/redirect').length, 1);
    const refused = await deliverWebhook('http://127.0.0.1:1/', {}, { attempts: 2, backoffMs: 1 });
    assert.equal(refused.delivered, false);
    assert.equal(refused.attempts, 2);
  } finally {
    server.close();
  }
});
