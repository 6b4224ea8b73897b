import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { comparePlan } from '../../shared/plan/shapes.ts';
import { buildRunContext, llmShareFor } from '../../k6/run/context.ts';
import { runIteration } from '../../k6/run/iteration.ts';
import type { RequestSpec, Transport } from '../../k6/transport/types.ts';
import { RUN_CONFIG_SCHEMA_VERSION, type RunConfig, type TargetApi } from '../../shared/run-config.ts';
import { withWorkloadDefaults } from '../../shared/workload/defaults.ts';
import { captureOutputs } from './capture.ts';
import { plannedPrompts } from './plan.ts';
import { captureRequest, outputOf } from './request.ts';

const config = (api: TargetApi, workload: Record<string, unknown>, seed = 7): RunConfig => ({
  schemaVersion: RUN_CONFIG_SCHEMA_VERSION,
  scenario: 'compare-plan',
  runId: 'r',
  runDir: '/tmp/r',
  target: { url: 'http://h', api, model: 'm', managed: false, readyPath: '/ready' },
  load: { rateRps: 1, maxRateRps: 2, durationSeconds: 1, warmupSeconds: 0, vus: 1, maxVus: 1, arrival: 'constant', seed },
  sloPath: null,
  slo: null,
  workload,
});

/** What the k6 side sends for a compare-plan run, through the real iteration code and a recording transport. */
function k6Bodies(cfg: RunConfig): { url: string; body: Record<string, unknown> }[] {
  const sent: RequestSpec[] = [];
  const t: Transport = {
    request: (spec) => (sent.push(spec), { status: 500, body: '', headers: {}, durationMs: 1, errorCode: 1500, error: '' }),
    stream: (spec) => (sent.push(spec), { status: 500, headers: {}, totalMs: 1, errorCode: 1500, error: '' }),
    sleepMs: () => {},
    nowMs: () => 0,
  };
  const probe = buildRunContext(cfg, { phases: [], abortable: false }, undefined, t);
  const plan = comparePlan({ load: cfg.load, workload: probe.workload, llmShare: llmShareFor(probe.target, 'auto', probe.workload) });
  const ctx = buildRunContext(cfg, plan, undefined, t);
  const w = withWorkloadDefaults(cfg.workload);
  const n = w.planPrompts * (w.planWarmup + w.planMeasured);
  for (let i = 0; i < n; i++) runIteration(ctx, { scenario: 'compare', scenarioStartMs: 0, iteration: i }, () => {}, () => {});
  return sent.map((s) => ({ url: s.url, body: JSON.parse(s.body ?? '{}') as Record<string, unknown> }));
}

const withoutStream = ({ stream: _s, stream_options: _o, ...rest }: Record<string, unknown>) => rest;

test('plannedPrompts: prompt i is what k6 sends in every repeat of prompt i (same text, seed, body)', () => {
  const cases: Array<[TargetApi, Record<string, unknown>]> = [
    ['reference', { planPrompts: 3, planWarmup: 1, planMeasured: 2, trafficClass: 'image', sizeMix: '32,64', stepsMix: '2,4' }],
    ['reference', { planPrompts: 3, planWarmup: 2, planMeasured: 1, promptSet: 'mixed', maxPromptChars: 120, stream: true }],
    ['openai-completions', { planPrompts: 2, planWarmup: 0, planMeasured: 2, maxTokensDist: 'uniform', stream: false }],
    ['openai-images', { planPrompts: 2, planWarmup: 1, planMeasured: 1 }],
  ];
  for (const [api, workload] of cases) {
    const cfg = config(api, workload);
    const sent = k6Bodies(cfg);
    const planned = plannedPrompts(api, cfg.load.seed, workload);
    const w = withWorkloadDefaults(workload);
    const per = w.planWarmup + w.planMeasured;
    assert.equal(sent.length, planned.length * per, `${api}: one request per iteration`);
    sent.forEach((s, i) => {
      const p = planned[Math.floor(i / per)]!;
      const req = captureRequest(api, 'm', p.work);
      assert.equal(s.url, `http://h${req.path}`, `${api} iteration ${i}`);
      assert.deepEqual(withoutStream(s.body), withoutStream(req.body), `${api} iteration ${i}`);
    });
    assert.equal(new Set(planned.map((p) => p.work.seed)).size, planned.length, 'prompts differ from each other');
  }
});

test('plannedPrompts: an API that cannot carry the class is refused with the choices', () => {
  assert.throws(() => plannedPrompts('openai-images', 1, { trafficClass: 'llm' }), /target\.api: output capture supports reference, openai-chat/);
  assert.throws(() => plannedPrompts('tgi', 1, {}), /but is 'tgi'/);
});

test('outputOf: image, chat, completion and malformed answers', () => {
  const image = { class: 'image', prompt: 'p', sizePx: 32, steps: 2, seed: 1 } as const;
  const llm = { class: 'llm', prompt: 'p', promptWords: 1, maxTokens: 2, stream: false, seed: 1 } as const;
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
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { content: `seed ${String(body['seed'])}` } }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const runDir = mkdtempSync(join(tmpdir(), 'genload-cap-'));
    const cfg = config('reference', { planPrompts: 3, stream: true });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await captureOutputs({ runDir, targetUrl: url, config: cfg, headers: { authorization: 'Bearer k' } });
    assert.deepEqual([r.saved, r.failed], [2, 1]);
    assert.ok(bodies.every((b) => b['stream'] === false), 'captured answers are never streamed');
    assert.equal(readFileSync(join(runDir, 'outputs', '0.txt'), 'utf8'), `seed ${String(bodies[0]?.['seed'])}`);
    assert.ok(!existsSync(join(runDir, 'outputs', '1.txt')));
    const manifest = JSON.parse(readFileSync(join(runDir, 'outputs.json'), 'utf8')) as { entries: { file: string | null; error?: string }[] };
    assert.match(manifest.entries[1]?.error ?? '', /status 500: boom/);
    assert.equal(manifest.entries[2]?.file, '2.txt');
  } finally {
    server.close();
  }
});
