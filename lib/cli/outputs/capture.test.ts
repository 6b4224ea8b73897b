import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_CONFIG_SCHEMA_VERSION, type RunConfig, type TargetApi } from '../../shared/run-config.ts';
import { withWorkloadDefaults } from '../../shared/workload/defaults.ts';
import { buildRunWorkload } from '../workload/from-plan.ts';
import { parseLengthDist } from '../workload/lengths.ts';
import { captureOutputs } from './capture.ts';
import { outputOf, planRequests } from './request.ts';

async function config(api: TargetApi, workload: Record<string, unknown>, seed = 7): Promise<RunConfig> {
  const load = {
    rateRps: 1,
    maxRateRps: 2,
    durationSeconds: 1,
    warmupSeconds: 0,
    vus: 1,
    maxVus: 1,
    arrival: 'constant' as const,
    seed,
  };
  const runDir = mkdtempSync(join(tmpdir(), 'genload-cap-w-'));
  const built = await buildRunWorkload({
    runDir,
    scenario: 'compare-plan',
    api,
    model: 'm',
    load,
    workload: withWorkloadDefaults(workload),
    knobs: { inputTokens: parseLengthDist('INPUT_TOKENS', '12'), outputTokens: parseLengthDist('OUTPUT_TOKENS', '5') },
  });
  return {
    schemaVersion: RUN_CONFIG_SCHEMA_VERSION,
    scenario: 'compare-plan',
    runId: 'r',
    runDir,
    target: { url: 'http://h', api, model: 'm', managed: false, readyPath: '/ready' },
    load,
    sloPath: null,
    slo: { schemaVersion: 1, name: 'errors-only', classes: { llm: { errorRate: 0.05 }, image: { errorRate: 0.05 } } },
    workload,
    workloadFile: built.ref,
  };
}

test("planRequests: prompt i is the compare block's line i, the body k6 sends, not streamed", async () => {
  const cases: Array<[TargetApi, Record<string, unknown>, string]> = [
    [
      'reference',
      { planPrompts: 3, planWarmup: 1, planMeasured: 2, trafficClass: 'image', sizeMix: '32,64', stepsMix: '2,4' },
      '/v1/images/generations',
    ],
    ['reference', { planPrompts: 3, planWarmup: 2, planMeasured: 1, stream: true }, '/v1/chat/completions'],
    ['openai-completions', { planPrompts: 2, planWarmup: 0, planMeasured: 2, stream: false }, '/v1/completions'],
    ['openai-images', { planPrompts: 2, planWarmup: 1, planMeasured: 1 }, '/v1/images/generations'],
  ];
  for (const [api, workload, path] of cases) {
    const cfg = await config(api, workload);
    const lines = readFileSync(cfg.workloadFile.path, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => JSON.parse(l) as { body: string });
    const planned = planRequests(cfg.workloadFile.path, api);
    assert.equal(planned.length, Number(workload['planPrompts']), api);
    planned.forEach((p, i) => {
      const sent = JSON.parse(lines[i]?.body ?? '{}') as Record<string, unknown>;
      const { stream: _s, stream_options: _o, ...rest } = sent;
      const again = JSON.parse(p.body) as Record<string, unknown>;
      assert.equal(p.path, path, api);
      assert.equal(again['stream'], sent['stream'] === undefined ? undefined : false, `${api}: never streamed`);
      assert.equal(again['stream_options'], undefined);
      const { stream: _s2, ...againRest } = again;
      assert.deepEqual(againRest, rest, `${api} prompt ${i}`);
    });
    assert.equal(new Set(planned.map((p) => p.prompt)).size, planned.length, 'prompts differ from each other');
  }
  const cfg = await config('reference', { planPrompts: 1 });
  assert.throws(
    () => planRequests(cfg.workloadFile.path, 'tgi'),
    /output capture supports reference, openai-chat, openai-completions, openai-images, but is 'tgi'/,
  );
});

test('outputOf: image, chat, completion and malformed answers', () => {
  const image = 'image' as const;
  const llm = 'llm' as const;
  const png = outputOf(image, { data: [{ b64_json: Buffer.from('PNGDATA').toString('base64') }] });
  assert.ok(typeof png !== 'string' && png.ext === 'png' && Buffer.from(png.content).toString() === 'PNGDATA');
  assert.deepEqual(outputOf(llm, { choices: [{ message: { content: 'hi' } }] }), { ext: 'txt', content: 'hi' });
  assert.deepEqual(outputOf(llm, { choices: [{ text: 'yo' }] }), { ext: 'txt', content: 'yo' });
  assert.match(String(outputOf(image, { data: [] })), /no data\[0\]\.b64_json/);
  assert.match(String(outputOf(llm, [])), /not a JSON object/);
});

test('captureOutputs: one file per prompt, a failed prompt is listed, not fatal', async () => {
  const bodies: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      bodies.push(body);
      if (bodies.length === 2) return void res.writeHead(500).end('boom');
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ choices: [{ message: { content: `seed ${String(body['seed'])}` } }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const runDir = mkdtempSync(join(tmpdir(), 'genload-cap-'));
    const cfg = await config('reference', { planPrompts: 3, stream: true });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await captureOutputs({ runDir, targetUrl: url, config: cfg, headers: { authorization: 'Bearer k' } });
    assert.deepEqual([r.saved, r.failed], [2, 1]);
    assert.ok(
      bodies.every((b) => b['stream'] === false),
      'captured answers are never streamed',
    );
    assert.equal(readFileSync(join(runDir, 'outputs', '0.txt'), 'utf8'), `seed ${String(bodies[0]?.['seed'])}`);
    assert.ok(!existsSync(join(runDir, 'outputs', '1.txt')));
    const manifest = JSON.parse(readFileSync(join(runDir, 'outputs.json'), 'utf8')) as {
      entries: { file: string | null; error?: string }[];
    };
    assert.match(manifest.entries[1]?.error ?? '', /status 500: boom/);
    assert.equal(manifest.entries[2]?.file, '2.txt');
  } finally {
    server.close();
  }
});
