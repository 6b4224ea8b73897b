import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackHost } from './loopback.ts';

test('isLoopbackHost: 127.0.0.0/8, ::1 and localhost only', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'LocalHost', '::1', '[::1]'])
    assert.equal(isLoopbackHost(h), true, h);
  for (const h of [
    '0.0.0.0',
    '10.0.0.1',
    '128.0.0.1',
    '127.0.0.1.example.com',
    'example.com',
    '::',
    '[::]',
    '1270.0.0.1',
  ])
    assert.equal(isLoopbackHost(h), false, h);
});

test('isLoopbackHost agrees with the URL parser, which the CLI hands the hostname', () => {
  for (const [url, want] of [
    ['http://127.0.0.1:8000/v1', true],
    ['http://LOCALHOST:8000', true],
    ['http://[::1]:8000', true],
    ['http://127.000.000.001:8000', true],
    ['http://0x7f.0.0.1:8000', true],
    ['http://192.168.1.2:8000', false],
  ] as const)
    assert.equal(isLoopbackHost(new URL(url).hostname), want, url);
});
