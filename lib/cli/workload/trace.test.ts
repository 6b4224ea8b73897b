import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkloadInputError } from './errors.ts';
import { parseTrace, timeMs } from './trace.ts';

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n');
const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof WorkloadInputError, String(err));
    return [...err.problems];
  }
  assert.fail('expected WorkloadInputError');
};

test('Mooncake rows: times from the first row, scaled by TRACE_SPEED, hash ids kept', () => {
  const text = jsonl([
    { timestamp: 5000, input_length: 600, output_length: 10, hash_ids: [1, 2] },
    { timestamp: 5000, input_length: 20, output_length: 5, hash_ids: [] },
    { timestamp: 9000, input_length: 30, output_length: 6 },
  ]);
  assert.deepEqual(parseTrace(text), [
    { atMs: 0, inputTokens: 600, outputTokens: 10, hashIds: [1, 2] },
    { atMs: 0, inputTokens: 20, outputTokens: 5 },
    { atMs: 4000, inputTokens: 30, outputTokens: 6 },
  ]);
  assert.deepEqual(
    parseTrace(text, 4).map((r) => r.atMs),
    [0, 0, 1000],
  );
  assert.deepEqual(
    parseTrace(text, 0.5).map((r) => r.atMs),
    [0, 0, 8000],
  );
});

test('Azure rows: TIMESTAMP as ms or ISO date-time (7 fraction digits, no zone = UTC)', () => {
  const rows = parseTrace(
    jsonl([
      { TIMESTAMP: '2023-11-16 18:15:46.6805900', ContextTokens: 374, GeneratedTokens: 44 },
      { TIMESTAMP: '2023-11-16T18:15:47.1805900Z', ContextTokens: 396, GeneratedTokens: 109 },
      { TIMESTAMP: '2023-11-16T19:15:48+01:00', ContextTokens: 5, GeneratedTokens: 1 },
    ]),
  );
  assert.deepEqual(
    rows.map((r) => Math.round(r.atMs * 1000) / 1000),
    [0, 500, 1319.41],
  );
  assert.deepEqual(rows[0], { atMs: 0, inputTokens: 374, outputTokens: 44 });
  assert.deepEqual(
    parseTrace(
      jsonl([
        { TIMESTAMP: 10, ContextTokens: 1, GeneratedTokens: 1 },
        { TIMESTAMP: 30, ContextTokens: 1, GeneratedTokens: 1 },
      ]),
    ).map((r) => r.atMs),
    [0, 20],
  );
  assert.equal(timeMs('2024-01-01T00:00:00Z'), Date.UTC(2024, 0, 1));
  assert.equal(timeMs('yesterday'), undefined);
});

test('rows out of time order name the line', () => {
  const p = problemsOf(() =>
    parseTrace(
      jsonl([
        { timestamp: 10, input_length: 1, output_length: 1 },
        { timestamp: 30, input_length: 1, output_length: 1 },
        { timestamp: 20, input_length: 1, output_length: 1 },
      ]),
      1,
      't.jsonl',
    ),
  );
  assert.deepEqual(p, [
    't.jsonl:3: timestamp must not be earlier than the line before (rows in time order), but 20 ms < 30 ms at line 2',
  ]);
});

test('bad rows: every problem with its line number; bad speed; empty file', () => {
  const text = [
    '{"timestamp": -1, "input_length": 0, "output_length": "x"}',
    'nope',
    '{"timestamp": 1, "input_length": 1, "output_length": 1, "hash_ids": [1, "a"]}',
    '{"TIMESTAMP": "soon", "ContextTokens": 2, "GeneratedTokens": 2}',
  ].join('\n');
  const p = problemsOf(() => parseTrace(text, 1, 't.jsonl'));
  assert.deepEqual(p, [
    't.jsonl:1: timestamp must be ms (a number >= 0), but is -1',
    't.jsonl:1: input_length must be a whole number >= 1, but is 0',
    "t.jsonl:1: output_length must be a whole number >= 1, but is 'x'",
    p[3]!,
    't.jsonl:3: hash_ids must be an array of integers, but is [1,"a"]',
    "t.jsonl:4: TIMESTAMP must be ms (a number >= 0) or an ISO date-time, but is 'soon'",
  ]);
  assert.match(p[3]!, /^t\.jsonl:2: must be a JSON object, but is not JSON/);
  assert.deepEqual(
    problemsOf(() => parseTrace('{"timestamp":1,"input_length":1,"output_length":1}', 0)),
    ['TRACE_SPEED: must be a number > 0, but is 0'],
  );
  assert.match(problemsOf(() => parseTrace('\n\n'))[0]!, /must hold at least one request/);
});
