import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError } from '../http/errors.ts';
import { checkWebhookUrl, deliverWebhook } from './webhook.ts';

const allow = ['127.0.0.1', '::1', 'localhost'];

test('allowlist: loopback passes, anything else is a 400 naming webhook_url', () => {
  for (const ok of ['http://127.0.0.1:9000/x', 'https://localhost/hook', 'http://[::1]:8080/']) assert.ok(checkWebhookUrl(ok, allow));
  for (const bad of ['http://example.com/', 'http://127.0.0.2/', 'file:///etc/passwd', 'not a url', 'http://localhost.evil.com/']) {
    assert.throws(() => checkWebhookUrl(bad, allow), (e) => e instanceof HttpError && e.status === 400 && e.param === 'webhook_url', bad);
  }
  assert.throws(() => checkWebhookUrl('http://127.0.0.1/', []), /not on the allowlist \(empty\)/);
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
    assert.deepEqual(await deliverWebhook(`${base}/fail`, {}, { attempts: 2, backoffMs: 1 }), { delivered: false, attempts: 2, status: 500 });
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
