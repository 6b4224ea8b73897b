import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadPins, parsePins } from './pins.ts';

const good = {
  k6: 'v1.8.1',
  xk6: 'v1.4.11',
  goMin: '1.25',
  extension: {
    module: 'github.com/genload/xk6-genload',
    dir: 'build/xk6-genload',
    imports: ['k6/x/sse', 'k6/x/genload'],
  },
};

test('the committed pins file is valid and points at the extension folder', () => {
  const pins = loadPins();
  assert.equal(pins.k6, 'v1.8.1');
  assert.match(pins.extensionDir, /build\/xk6-genload$/);
});

test('parsePins resolves the folder and lists every problem at once', () => {
  assert.equal(parsePins(good, '/repo').extensionDir, '/repo/build/xk6-genload');
  assert.throws(
    () =>
      parsePins(
        {
          ...good,
          k6: '1.8.1',
          goMin: 'new',
          extra: 1,
          extension: { ...good.extension, imports: ['k6/x/sse', 'sse'] },
        },
        '/repo',
      ),
    (err: Error) =>
      ['k6 must look like v1.2.3', 'goMin must look like 1.25', 'extension.imports.1', 'extra'].every((p) =>
        err.message.includes(p),
      ),
  );
});
