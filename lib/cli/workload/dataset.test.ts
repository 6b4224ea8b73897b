import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDataset, readDataset } from './dataset.ts';
import { MAX_PROBLEMS, WorkloadInputError } from './errors.ts';
import { builtinTokenizer } from './tokenizer.ts';

const tok = builtinTokenizer();
const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof WorkloadInputError, String(err));
    return [...err.problems];
  }
  assert.fail('expected WorkloadInputError');
};

test('JSONL: prompt, messages, max_tokens and image fields', () => {
  const text = [
    JSON.stringify({ prompt: 'Hello there.', max_tokens: 12 }),
    '',
    JSON.stringify({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Why?' },
      ],
    }),
    JSON.stringify({ prompt: 'A red fox', size: '256x256', steps: 4 }),
    JSON.stringify({ prompt: 'A blue owl', size: 128 }),
  ].join('\n');
  const d = parseDataset(text, tok);
  assert.equal(d.format, 'jsonl');
  assert.deepEqual(d.entries, [
    { class: 'llm', messages: [{ role: 'user', content: 'Hello there.' }], outputTokens: 12 },
    {
      class: 'llm',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Why?' },
      ],
      outputTokens: undefined,
    },
    { class: 'image', prompt: 'A red fox', sizePx: 256, steps: 4 },
    { class: 'image', prompt: 'A blue owl', sizePx: 128, steps: undefined },
  ]);
});

test('JSONL: every bad line at once, with its line number', () => {
  const text = [
    JSON.stringify({ prompt: 'fine' }),
    '{oops',
    JSON.stringify({ prompt: 5 }),
    JSON.stringify({ messages: [{ role: 'robot', content: 'x' }] }),
    JSON.stringify({ prompt: 'x', max_tokens: 0 }),
    JSON.stringify({ prompt: 'x', size: '256x128' }),
    JSON.stringify({ prompt: 'x', steps: 1.5 }),
    JSON.stringify({ nothing: true }),
    '[1]',
  ].join('\n');
  const p = problemsOf(() => parseDataset(text, tok, 'data.jsonl'));
  assert.equal(p.length, 8, p.join('\n'));
  assert.match(p[0]!, /^data\.jsonl:2: must be a JSON object, but is not JSON/);
  assert.equal(p[1], 'data.jsonl:3: prompt must be a non-empty string, but is 5');
  assert.match(p[2]!, /^data\.jsonl:4: messages\[0\] must be \{role: system\|user\|assistant, content: string\}/);
  assert.equal(p[3], 'data.jsonl:5: max_tokens must be a whole number >= 1, but is 0');
  assert.equal(p[4], `data.jsonl:6: size must be a whole number >= 1 or "NxN" (square), but is '256x128'`);
  assert.equal(p[5], 'data.jsonl:7: steps must be a whole number >= 1, but is 1.5');
  assert.equal(p[6], 'data.jsonl:8: must have prompt (string) or messages (array), but has neither');
  assert.match(p[7]!, /^data\.jsonl:9: must be a JSON object, but is \[1\]/);
});

test('problems are capped with "and N more"', () => {
  const text = Array.from({ length: 50 }, () => '{}').join('\n');
  const p = problemsOf(() => parseDataset(text, tok));
  assert.equal(p.length, MAX_PROBLEMS + 1);
  assert.equal(p.at(-1), `and ${50 - MAX_PROBLEMS} more`);
});

test('ShareGPT: first human turn and the gpt reply after it; others skipped and counted', () => {
  const reply = 'The quiet engineer repaired the bridge.';
  const data = [
    {
      conversations: [
        { from: 'system', value: 'You help.' },
        { from: 'human', value: 'Fix it?' },
        { from: 'gpt', value: reply },
        { from: 'human', value: 'More?' },
      ],
    },
    { conversations: [{ from: 'gpt', value: 'Hi' }] },
    { conversations: [{ from: 'human', value: 'Alone' }] },
    { conversations: [] },
  ];
  const d = parseDataset(JSON.stringify(data), tok);
  assert.equal(d.format, 'sharegpt');
  assert.equal(d.skipped, 3);
  assert.deepEqual(d.entries, [
    { class: 'llm', messages: [{ role: 'user', content: 'Fix it?' }], outputTokens: tok.encode(reply).length },
  ]);
});

test('ShareGPT: bad entries by index; no usable pair is an error', () => {
  const p = problemsOf(() =>
    parseDataset(
      JSON.stringify([
        {
          conversations: [
            { from: 'human', value: 'a' },
            { from: 'gpt', value: 'b' },
          ],
        },
        5,
        { conversations: [{ from: 'human' }] },
      ]),
      tok,
      'sg.json',
    ),
  );
  assert.deepEqual(
    p.map((x) => x.split(':').slice(0, 2).join(':')),
    ['sg.json: entry 1', 'sg.json: entry 2'],
  );
  assert.match(p[1]!, /conversations\[0\] must be \{from: string, value: string\}/);
  assert.match(problemsOf(() => parseDataset('[{"conversations": []}]', tok))[0]!, /none of 1 entries does/);
  assert.match(
    problemsOf(() => parseDataset('[{"conversations": ', tok))[0]!,
    /must be JSONL or a ShareGPT JSON array, but is not JSON/,
  );
});

test('empty and missing files are errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'genload-ds-'));
  writeFileSync(join(dir, 'empty.jsonl'), '\n  \n');
  assert.match(
    problemsOf(() => readDataset(join(dir, 'empty.jsonl'), tok))[0]!,
    /empty\.jsonl: must hold at least one request, but the file is empty/,
  );
  assert.match(
    problemsOf(() => readDataset(join(dir, 'nope.jsonl'), tok))[0]!,
    /^DATASET: must be a readable file, but .*nope\.jsonl: ENOENT/,
  );
  writeFileSync(join(dir, 'ok.jsonl'), '{"prompt":"hi"}\n');
  assert.equal(readDataset(join(dir, 'ok.jsonl'), tok).entries.length, 1);
});
