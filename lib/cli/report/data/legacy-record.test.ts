import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSlo } from '../../../shared/slo/compile.ts';
import { legacyRecord } from './legacy-record.ts';

test('an older verdict (no record) reads back to the record genload compiles today, for every kind of condition', () => {
  const { conditions } = compileSlo({
    slo: {
      schemaVersion: 1,
      name: 'x',
      classes: {
        llm: {
          ttftMs: { p50: 100, p95: 500, p99: 900 },
          itlMs: { max: 80 },
          errorRate: 0.01,
          minGoodput: 0.9,
          minRequests: 4,
        },
        image: { stepMs: { avg: 40 }, e2eMs: { p90: 2500 } },
      },
    },
    judgedStages: ['step-01'],
    classes: ['llm', 'image'],
    abortable: false,
  });
  assert.ok(conditions.length >= 12);
  for (const c of conditions)
    assert.deepEqual(
      legacyRecord({ stage: c.stage, class: c.class, metric: c.key, expression: c.expression }),
      c.record,
      `${c.key} ${c.expression}`,
    );
  assert.equal(legacyRecord({ stage: 's', class: 'llm', metric: 'http_req_duration', expression: 'p(95)<1' }), null);
  assert.equal(legacyRecord({ stage: 's', class: 'llm', metric: 'genload_e2e_ms', expression: 'p95 under 5' }), null);
});
