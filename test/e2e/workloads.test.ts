// Workloads as data, end to end: the CLI builds workload.jsonl before k6
// starts, real k6 sends its lines through k6/x/genload, and a plain
// OpenAI-shaped endpoint on loopback records what arrived and when. A
// dataset's prompts arrive in the file's order; a trace's arrival times are
// kept; a reused workload file sends the very same requests (and compare says
// so); answers shorter than requested are reported; a bad file is refused
// before any request with one message per problem and its line number.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleScenarios } from '../../lib/cli/bundle/bundle.ts';
import { resolveK6 } from '../../lib/cli/k6/provision.ts';
import { loadRun, runCli, startJsonServer, type JsonServer, type LoadRun } from './harness.ts';

const work = mkdtempSync(join(tmpdir(), 'genload-e2e-workloads-'));
const results = join(work, 'results');

before(async () => {
  await resolveK6({ log: () => {} });
  await bundleScenarios();
});
after(() => rmSync(work, { recursive: true, force: true }));

interface Received {
  atMs: number;
  body: Record<string, unknown>;
}

/**
 * An OpenAI chat endpoint that answers at once (streamed when asked: one
 * chunk per token, then usage and [DONE]), records each request's body and
 * arrival time, and answers `shortBy` × max_tokens tokens (1 = the full length).
 */
async function chatServer(shortBy = 1): Promise<JsonServer & { received: Received[] }> {
  const received: Received[] = [];
  const server = await startJsonServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: [{ id: 'm' }] }));
      return;
    }
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const atMs = performance.now();
      const body = JSON.parse(raw) as Record<string, unknown>;
      received.push({ atMs, body });
      const max = Number(body['max_tokens'] ?? 1);
      const tokens = Math.max(1, Math.round(max * shortBy));
      const usage = { prompt_tokens: 10, completion_tokens: tokens, total_tokens: 10 + tokens };
      if (body['stream'] === true) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (let k = 0; k < tokens; k++)
          res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'x' } }] })}\n\n`);
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'length' }] })}\n\n`);
        res.end(`data: ${JSON.stringify({ choices: [], usage })}\n\ndata: [DONE]\n\n`);
        return;
      }
      const answer = { choices: [{ message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  return Object.assign(server, { received });
}

// These runs are about which requests are sent, not a verdict: errors-only, since a 2 s llm-stream run at 5 rps
// sits right at the LLM default's (interactive-chat) 10 requests a stage
function load(target: string, name: string, flags: Record<string, string>): Promise<LoadRun> {
  return loadRun({ target, api: 'openai-chat', results, name, stream: 'false', slo: 'errors-only', ...flags });
}

const contentOf = (b: Record<string, unknown>): string => {
  const messages = b['messages'] as Array<{ content: string }>;
  return messages[messages.length - 1]?.content ?? '';
};

test("DATASET: the file's prompts arrive in its order (one VU), with their own max_tokens; workload.jsonl is in the run folder", async () => {
  const server = await chatServer();
  try {
    const dataset = join(work, 'prompts.jsonl');
    const rows = Array.from({ length: 12 }, (_, k) =>
      JSON.stringify(
        k % 3 === 0
          ? { messages: [{ role: 'user', content: `question ${k}: how far is the moon?` }], max_tokens: 5 + k }
          : { prompt: `question ${k}: why is the sky blue?`, max_tokens: 5 + k },
      ),
    );
    writeFileSync(dataset, `${rows.join('\n')}\n`);
    const r = await load(server.url, 'dataset', { scenario: 'smoke', vus: '1', duration: '3s', dataset });
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    const got = server.received.map((x) => contentOf(x.body));
    assert.ok(got.length >= 24, `sent ${got.length}`);
    for (let k = 0; k < 24; k++) assert.match(got[k] ?? '', new RegExp(`^question ${k % 12}: `), `request ${k}`);
    assert.deepEqual(
      server.received.slice(0, 12).map((x) => x.body['max_tokens']),
      Array.from({ length: 12 }, (_, k) => 5 + k),
    );
    const lines = readFileSync(join(r.dir, 'workload.jsonl'), 'utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0] ?? '{}') as { source: string; api: string; count: number };
    // smoke is one closed-model phase: a block of at least 100 requests, the 12 prompts cycled through it
    assert.deepEqual([header.source, header.api, lines.length - 1], ['dataset', 'openai-chat', header.count]);
    assert.equal(header.count, r.summary.workloadFile?.count);
    assert.ok(header.count >= 100, `block of ${header.count}`);
    assert.equal(r.summary.workloadFile?.source, 'dataset');
  } finally {
    await server.close();
  }
});

test('TRACE: arrival times are replayed on their own schedule, TRACE_SPEED=2 twice as fast, within a few ms', async () => {
  const server = await chatServer();
  try {
    const trace = join(work, 'trace.jsonl');
    // irregular gaps (0 to 450 ms), Mooncake columns
    const stamps = Array.from({ length: 24 }, (_, k) => 5000 + Math.round(((k * k * 37) % 450) + k * 150));
    stamps.sort((a, b) => a - b);
    writeFileSync(
      trace,
      `${stamps.map((t, k) => JSON.stringify({ timestamp: t, input_length: 20 + k, output_length: 4 })).join('\n')}\n`,
    );
    const r = await load(server.url, 'trace', { scenario: 'trace', trace, 'trace-speed': '2', 'max-vus': '8' });
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    assert.equal(server.received.length, stamps.length);
    const t0 = server.received[0]!.atMs;
    const errors = server.received.map((x, k) => Math.abs(x.atMs - t0 - ((stamps[k] ?? 0) - (stamps[0] ?? 0)) / 2));
    errors.sort((a, b) => a - b);
    const median = errors[Math.floor(errors.length / 2)] ?? Infinity;
    assert.ok(
      median < 5,
      `median arrival error ${median.toFixed(2)} ms (all: ${errors.map((e) => e.toFixed(1)).join(', ')})`,
    );
    assert.ok(
      (errors[errors.length - 1] ?? Infinity) < 25,
      `worst arrival error ${(errors[errors.length - 1] ?? 0).toFixed(1)} ms`,
    );
    assert.deepEqual(
      server.received.map((x) => x.body['max_tokens']),
      stamps.map(() => 4),
    );
    assert.equal(r.summary.stages.find((s) => s.stage === 'measure')?.requests, stamps.length);
    assert.ok(r.summary.validity.valid, `the schedule was kept: ${r.summary.validity.reasons.join('; ')}`);
  } finally {
    await server.close();
  }
});

test('WORKLOAD_FILE: a second run sends the same requests, and compare proves it; another seed does not', async () => {
  const server = await chatServer();
  try {
    const base = await load(server.url, 'same-base', {
      scenario: 'llm-stream',
      rate: '5',
      duration: '2s',
      warmup: '0s',
      'input-tokens': '40..80',
      'output-tokens': '8',
      seed: '4',
    });
    assert.equal(base.code, 0, base.stderr.slice(-2000));
    const sentBase = server.received
      .splice(0)
      .map((x) => JSON.stringify(x.body))
      .sort();
    const cand = await load(server.url, 'same-cand', {
      scenario: 'llm-stream',
      rate: '5',
      duration: '2s',
      warmup: '0s',
      'workload-file': join(base.dir, 'workload.jsonl'),
    });
    assert.equal(cand.code, 0, cand.stderr.slice(-2000));
    const sentCand = server.received
      .splice(0)
      .map((x) => JSON.stringify(x.body))
      .sort();
    // k6 may start one more iteration exactly at the end of a phase (line 11 of the block): one run can send
    // one request more than the other; every request of the shorter run is one of the longer run's, byte for byte
    const [shorter, longer] = sentCand.length <= sentBase.length ? [sentCand, sentBase] : [sentBase, sentCand];
    assert.ok(
      longer.length - shorter.length <= 1 && shorter.length >= 10,
      `sent ${sentBase.length} and ${sentCand.length}`,
    );
    assert.equal(new Set(longer).size, longer.length, 'no request sent twice: the block has a line for each iteration');
    assert.deepEqual(
      shorter.filter((b) => !longer.includes(b)),
      [],
      'the same bodies, byte for byte',
    );
    const other = await load(server.url, 'same-other', {
      scenario: 'llm-stream',
      rate: '5',
      duration: '2s',
      warmup: '0s',
      'input-tokens': '40..80',
      'output-tokens': '8',
      seed: '5',
    });
    assert.equal(other.code, 0, other.stderr.slice(-2000));

    const same = await runCli(['compare', '--base', base.dir, '--cand', cand.dir, '--results', results], {
      timeoutMs: 60_000,
    });
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /both runs sent the same request list \(11 requests/);
    const differ = await runCli(['compare', '--base', base.dir, '--cand', other.dir, '--results', results], {
      timeoutMs: 60_000,
    });
    assert.equal(differ.code, 0, differ.stderr);
    assert.match(differ.stdout, /the runs sent different requests/);
  } finally {
    await server.close();
  }
});

test('requested vs actual tokens: answers at half the asked length are reported per stage, with a warning in summary.txt and report.md', async () => {
  const server = await chatServer(0.5);
  try {
    const r = await load(server.url, 'short', {
      scenario: 'llm-stream',
      rate: '5',
      duration: '2s',
      warmup: '0s',
      'input-tokens': '32',
      'output-tokens': '16',
    });
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    const tokens = r.summary.stages.find((s) => s.stage === 'measure')?.classes.llm?.tokens;
    assert.ok(tokens !== undefined, 'token accuracy in summary.json');
    assert.equal(tokens.outputShortShare, 1);
    assert.ok(Math.abs(tokens.outputErrorMedian + 0.5) < 0.01, `median output error ${tokens.outputErrorMedian}`);
    assert.ok(
      Math.abs((tokens.inputErrorMedian ?? 0) - (10 - 32) / 32) < 0.01,
      "input error against the server's prompt_tokens",
    );
    assert.match(
      readFileSync(join(r.dir, 'summary.txt'), 'utf8'),
      /warning: measure llm: 100\.0 % of answers were shorter than the output length they asked for/,
    );
    assert.match(readFileSync(join(r.dir, 'report.md'), 'utf8'), /### Requested vs actual tokens/);
  } finally {
    await server.close();
  }
});

test('bad files are refused before any request: one message per problem with its line number (exit 2)', async () => {
  const server = await chatServer();
  const folders = (): string[] => (existsSync(results) ? readdirSync(results).sort() : []);
  const before = folders();
  try {
    const dataset = join(work, 'bad.jsonl');
    writeFileSync(
      dataset,
      [
        '{"prompt": "fine"}',
        '{"prompt": 3}',
        'not json',
        '{"messages": [{"role": "robot", "content": "x"}]}',
        '{"prompt": "ok", "max_tokens": 0}',
      ].join('\n') + '\n',
    );
    const trace = join(work, 'bad-trace.jsonl');
    writeFileSync(
      trace,
      [
        '{"timestamp": 10, "input_length": 5, "output_length": 2}',
        '{"timestamp": 5, "input_length": 5, "output_length": 2}',
      ].join('\n') + '\n',
    );
    const bad = await runCli(
      [
        'load',
        '--scenario',
        'smoke',
        '--target',
        server.url,
        '--api',
        'openai-chat',
        '--results',
        results,
        '--dataset',
        dataset,
        '--input-tokens',
        '0..x',
      ],
      { timeoutMs: 60_000 },
    );
    assert.equal(bad.code, 2, bad.stderr);
    for (const line of [2, 3, 4, 5])
      assert.match(
        bad.stderr,
        new RegExp(`${dataset.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}\\b`),
        `line ${line} named`,
      );
    assert.match(bad.stderr, /INPUT_TOKENS: must be N, A\.\.B or N~S/);
    const badTrace = await runCli(
      [
        'load',
        '--scenario',
        'trace',
        '--target',
        server.url,
        '--api',
        'openai-chat',
        '--results',
        results,
        '--trace',
        trace,
      ],
      { timeoutMs: 60_000 },
    );
    assert.equal(badTrace.code, 2, badTrace.stderr);
    assert.match(badTrace.stderr, /:2\b.*(order|earlier|before)/);
    assert.equal(server.requests, 0, 'no request reached the target');
    assert.deepEqual(folders(), before, 'a refused run leaves no run folder');
  } finally {
    await server.close();
  }
});
