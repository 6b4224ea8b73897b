import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combineProfiles } from './defaults.ts';
import { parseSlo } from './parse.ts';
import { boundsWords, durationWords, sloRecords, sloWords } from './words.ts';

const chat = parseSlo(
  {
    schemaVersion: 1,
    name: 'interactive-chat',
    classes: { llm: { ttftMs: { p95: 500, p99: 1000 }, e2eMs: { p95: 8000, p99: 12000 }, errorRate: 0.01 } },
  },
  'chat',
);
const image = parseSlo(
  { schemaVersion: 1, name: 'batch-image', classes: { image: { e2eMs: { p95: 30000 }, stepMs: { p95: 500 } } } },
  'image',
);
const errorsOnly = parseSlo(
  { schemaVersion: 1, name: 'errors-only', classes: { llm: { errorRate: 0.05 }, image: { errorRate: 0.05 } } },
  'e',
);

test('an SLO in words names the profile and its p95 latency bounds', () => {
  assert.equal(sloWords(chat.name, sloRecords(chat, ['llm'])), 'interactive-chat (TTFT p95 < 500 ms, e2e p95 < 8 s)');
  const both = combineProfiles([chat, image]);
  assert.equal(
    sloWords(both.name, sloRecords(both, ['llm', 'image'])),
    'interactive-chat + batch-image (llm TTFT p95 < 500 ms, e2e p95 < 8 s; image step p95 < 500 ms, e2e p95 < 30 s)',
  );
  // a class the run does not send is not named
  assert.equal(
    sloWords(both.name, sloRecords(both, ['image'])),
    'interactive-chat + batch-image (step p95 < 500 ms, e2e p95 < 30 s)',
  );
});

test('a profile without latency bounds says so; bounds other than p95 are shown when there is no p95', () => {
  assert.equal(
    sloWords(errorsOnly.name, sloRecords(errorsOnly, ['llm'])),
    'errors-only (error rate ≤ 5 %, no latency bound)',
  );
  const p99 = parseSlo({ schemaVersion: 1, name: 'tail', classes: { llm: { itlMs: { p99: 250 } } } }, 't');
  assert.equal(boundsWords(sloRecords(p99, ['llm'])), 'ITL p99 < 250 ms');
  assert.equal(sloWords('old', []), 'old');
});

test('per-stage records name each bound once', () => {
  const twoStages = [...sloRecords(chat, ['llm']), ...sloRecords(chat, ['llm']).map((r) => ({ ...r, stage: 's2' }))];
  assert.equal(boundsWords(twoStages), 'TTFT p95 < 500 ms, e2e p95 < 8 s');
});

test('durations read as a person writes them', () => {
  assert.deepEqual([500, 999, 1000, 8000, 12500, 30000].map(durationWords), [
    '500 ms',
    '999 ms',
    '1 s',
    '8 s',
    '12.5 s',
    '30 s',
  ]);
});
