import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitCredentials } from './credentials.ts';

test('credentials leave the URL and become a Basic value', () => {
  const s = splitCredentials('http://user:p%40ss@127.0.0.1:8000/base');
  assert.equal(s.url, 'http://127.0.0.1:8000/base');
  assert.equal(Buffer.from(s.basicAuth ?? '', 'base64').toString(), 'user:p@ss');
  assert.ok(!s.url.includes('p%40ss') && !s.url.includes('user'));
});

test('a URL without credentials is unchanged', () => {
  assert.deepEqual(splitCredentials('http://127.0.0.1:8000'), { url: 'http://127.0.0.1:8000' });
});
