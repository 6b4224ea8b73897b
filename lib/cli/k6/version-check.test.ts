import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mismatch, parseVersionJson } from './version-check.ts';

const wanted = {
  k6: 'v1.8.1',
  extension: { module: 'github.com/genload/xk6-genload', imports: ['k6/x/sse', 'k6/x/genload'] },
};

// Real outputs of `k6 version --json` (k6 v1.8.1 built by xk6 v1.4.11).
const ours =
  '{"extensions":[{"module":"github.com/genload/xk6-genload","version":"(devel)","imports":["k6/x/genload","k6/x/sse"]}],"go_arch":"amd64","go_os":"linux","go_version":"go1.26.8","version":"v1.8.1"}\n';
const plain = '{"go_arch":"amd64","go_os":"linux","go_version":"go1.26.8","version":"v1.8.1"}\n';

test('parseVersionJson reads the version and extensions, or gives null', () => {
  assert.deepEqual(parseVersionJson(ours), {
    version: 'v1.8.1',
    extensions: [
      { module: 'github.com/genload/xk6-genload', version: '(devel)', imports: ['k6/x/genload', 'k6/x/sse'] },
    ],
  });
  assert.deepEqual(parseVersionJson(plain), { version: 'v1.8.1', extensions: [] });
  assert.equal(parseVersionJson('{"version":"1.8.1"}')?.version, 'v1.8.1');
  for (const bad of ['', 'k6 v0.45.0 (go1.20, linux/amd64)', '{"go_os":"linux"}', '[1]'])
    assert.equal(parseVersionJson(bad), null, bad);
});

test('mismatch accepts only the pinned version with our extension', () => {
  const cases: Array<[string, string, RegExp | null]> = [
    ['ours', ours, null],
    ['no extension', plain, /lacks the extension github.com\/genload\/xk6-genload \(extensions: none\)/],
    ['other version', ours.replace('"version":"v1.8.1"', '"version":"v1.7.0"'), /is k6 v1.7.0, but v1.8.1 is pinned/],
    [
      'other sse extension',
      ours.replace('github.com/genload/xk6-genload', 'github.com/phymbert/xk6-sse'),
      /lacks the extension .*phymbert/,
    ],
    [
      'module without the imports',
      ours.replace('"imports":["k6/x/genload","k6/x/sse"]', '"imports":["k6/x/other"]'),
      /does not register k6\/x\/sse, k6\/x\/genload/,
    ],
    [
      'an older build of the extension',
      ours.replace('"imports":["k6/x/genload","k6/x/sse"]', '"imports":["k6/x/sse"]'),
      /does not register k6\/x\/genload \(an older build/,
    ],
    ['unreadable', 'k6 v1.8.1', /could not be read/],
  ];
  for (const [name, stdout, want] of cases) {
    const got = mismatch(parseVersionJson(stdout), wanted);
    if (want === null) assert.equal(got, null, name);
    else assert.match(got ?? '', want, name);
  }
});
