import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workloadItems } from './build.ts';
import { WorkloadInputError } from './errors.ts';
import { readWorkloadFile, writeWorkloadFile, type WriteOptions } from './file.ts';
import type { WorkloadItem } from './items.ts';
import { parseLengthDist } from './lengths.ts';
import { builtinTokenizer } from './tokenizer.ts';

const dir = mkdtempSync(join(tmpdir(), 'genload-file-'));
const header = {
  api: 'openai-chat',
  source: 'synthetic' as const,
  tokenizer: 'o200k_base',
  count: 3,
  phases: [
    { name: 'warmup', from: 0, count: 1 },
    { name: 'step-01', from: 1, count: 2 },
  ],
  trace: false,
};
const items: WorkloadItem[] = [
  {
    class: 'llm',
    messages: [{ role: 'user', content: 'Hi "there"\nfriend' }],
    inputTokens: 5,
    outputTokens: 7,
    prefix: 1,
  },
  { class: 'image', prompt: 'A fox', sizePx: 64, steps: 8 },
  {
    class: 'llm',
    messages: [{ role: 'user', content: 'Again' }],
    inputTokens: 1,
    outputTokens: 2,
    conversation: 0,
    turn: 2,
  },
];
const options: WriteOptions = {
  bodyOf: (item) =>
    JSON.stringify(
      item.class === 'llm' ? { messages: item.messages, max_tokens: item.outputTokens } : { prompt: item.prompt },
    ),
  fieldsOf: (item) => (item.class === 'llm' ? { stream: true } : {}),
};
const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof WorkloadInputError, String(err));
    return [...err.problems];
  }
  assert.fail('expected WorkloadInputError');
};

test('write then read: the contract layout, hash and size agree', () => {
  const path = join(dir, 'w.jsonl');
  const w = writeWorkloadFile(path, header, items, options);
  const bytes = readFileSync(path);
  assert.equal(w.count, 3);
  assert.equal(w.bytes, bytes.length);
  assert.equal(w.sha256, createHash('sha256').update(bytes).digest('hex'));
  assert.equal(
    w.requestsSha256,
    createHash('sha256')
      .update(bytes.subarray(bytes.indexOf(10) + 1))
      .digest('hex'),
  );
  const lines = bytes.toString('utf8').split('\n');
  assert.equal(lines.length, 5);
  assert.equal(lines[4], '');
  assert.deepEqual(JSON.parse(lines[0]!), { genload: 'workload', version: 1, ...header });
  assert.equal(
    lines[1],
    `{"i":0,"class":"llm","stream":true,"inputTokens":5,"outputTokens":7,"prefix":1,"body":${JSON.stringify(options.bodyOf(items[0]!, 0))}}`,
  );
  assert.equal(lines[2], '{"i":1,"class":"image","sizePx":64,"steps":8,"body":"{\\"prompt\\":\\"A fox\\"}"}');
  assert.deepEqual(Object.keys(JSON.parse(lines[3]!)), [
    'i',
    'class',
    'stream',
    'inputTokens',
    'outputTokens',
    'conversation',
    'turn',
    'body',
  ]);
  const r = readWorkloadFile(path);
  assert.deepEqual(r, {
    header: JSON.parse(lines[0]!),
    count: 3,
    sha256: w.sha256,
    requestsSha256: w.requestsSha256,
    bytes: w.bytes,
  });
  const other = writeWorkloadFile(
    join(dir, 'w2.jsonl'),
    { ...header, phases: [{ name: 'all', from: 0, count: 3 }] },
    items,
    options,
  );
  assert.equal(other.requestsSha256, w.requestsSha256, 'same requests, same request hash under another header');
  assert.notEqual(other.sha256, w.sha256);
  assert.equal(readWorkloadFile(join(dir, 'w2.jsonl')).lastAtMs, undefined, 'not a trace: no last arrival');
});

test('streams 20,000 generated requests and the header count must match', () => {
  const spec = {
    seed: 1,
    count: 20_000,
    llmShare: 0.9,
    input: parseLengthDist('INPUT_TOKENS', '8..32'),
    output: parseLengthDist('OUTPUT_TOKENS', '16'),
    tokenizer: builtinTokenizer(),
    sizeMixPx: [64],
    stepsMix: [4],
  };
  const path = join(dir, 'big.jsonl');
  const w = writeWorkloadFile(
    path,
    { ...header, count: 20_000, phases: [{ name: 'all', from: 0, count: 20_000 }] },
    workloadItems(spec),
    options,
  );
  assert.equal(readWorkloadFile(path).sha256, w.sha256);
  assert.throws(
    () => writeWorkloadFile(join(dir, 'short.jsonl'), { ...header, count: 4 }, items, options),
    /header says 4 requests, but 3 were written/,
  );
});

test('trace files need atMs on every line', () => {
  const path = join(dir, 't.jsonl');
  writeWorkloadFile(
    path,
    { ...header, source: 'trace', trace: true },
    items.map((item, k) => ({ ...item, atMs: k * 10 })),
    options,
  );
  assert.equal(readWorkloadFile(path).header.trace, true);
  writeWorkloadFile(path, { ...header, source: 'trace', trace: true }, items, options);
  assert.equal(problemsOf(() => readWorkloadFile(path)).length, 3);
});

test('a corrupted file: every problem with its line number', () => {
  const path = join(dir, 'bad.jsonl');
  writeWorkloadFile(path, header, items, options);
  const lines = readFileSync(path, 'utf8').split('\n');
  const l1 = JSON.parse(lines[1]!);
  delete l1.body;
  l1.inputTokens = 0;
  const l2 = JSON.parse(lines[2]!);
  l2.i = 7;
  l2.class = 'video';
  writeFileSync(path, [lines[0], JSON.stringify(l1), JSON.stringify(l2), '{truncated'].join('\n') + '\n');
  const where = `WORKLOAD_FILE ${path}`;
  assert.deepEqual(
    problemsOf(() => readWorkloadFile(path)),
    [
      `${where}:2: body must be a string, but is missing`,
      `${where}:2: inputTokens must be a whole number >= 1, but is 0`,
      `${where}:3: i must be 1 (line number - 2), but is 7`,
      `${where}:3: class must be llm or image, but is 'video'`,
      problemsOf(() => readWorkloadFile(path))[4]!,
    ],
  );
  assert.match(problemsOf(() => readWorkloadFile(path))[4]!, /:4: must be a JSON object, but is not/);
});

test('header problems, a wrong line count, a missing last line end, empty and missing files', () => {
  const path = join(dir, 'h.jsonl');
  writeFileSync(
    path,
    `${JSON.stringify({ genload: 'other', version: 2, api: '', source: 'disk', count: 5, phases: [{ name: 'p', from: 4, count: 3 }], trace: 'no' })}\n`,
  );
  const p = problemsOf(() => readWorkloadFile(path));
  for (const re of [
    /:1 \(header\): genload must be 'workload'/,
    /version must be 1, but is 2/,
    /api must be a non-empty string/,
    /source must be 'synthetic', 'dataset', 'trace' or 'file', but is 'disk'/,
    /tokenizer must be a string, but is missing/,
    /trace must be true or false/,
    /phases\[0\] must lie within the 5 requests, but ends at 7/,
  ])
    assert.ok(
      p.some((x) => re.test(x)),
      `${re}: ${p.join('\n')}`,
    );
  writeWorkloadFile(path, header, items, options);
  const text = readFileSync(path, 'utf8');
  writeFileSync(path, text.split('\n').slice(0, 3).join('\n') + '\n');
  assert.deepEqual(
    problemsOf(() => readWorkloadFile(path)),
    [`WORKLOAD_FILE ${path}: must hold the header's count of 3 requests, but holds 2`],
  );
  writeFileSync(path, text.slice(0, -1));
  assert.deepEqual(
    problemsOf(() => readWorkloadFile(path)),
    [`WORKLOAD_FILE ${path}: must end every line with "\\n", but the last line has none`],
  );
  writeFileSync(path, '');
  assert.match(problemsOf(() => readWorkloadFile(path))[0]!, /must start with a header line, but the file is empty/);
  assert.match(problemsOf(() => readWorkloadFile(join(dir, 'none.jsonl')))[0]!, /must be a readable file, but ENOENT/);
});
