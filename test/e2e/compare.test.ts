// The source texts' worked example, short: compare-plan against the reference
// server's onnx engine (test preset) with tiny-sd-fp32, tiny-sd-int8 (and fp32
// once more) and the LLM pair, 2 prompts × 1 warm-up + 3 measured each; every
// run saves its outputs; `genload compare` then gives per-metric verdicts and
// the quality drift: int8 changes images a little (finite PSNR), fp32 twice
// changes nothing (same prompts, same seeds). About 50 s on 2 cores.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Comparison } from '../../lib/cli/compare/compare-runs.ts';
import { runCli } from './harness.ts';

const results = mkdtempSync(join(tmpdir(), 'genload-e2e-compare-'));
after(() => rmSync(results, { recursive: true, force: true }));
const ENV = { GENLOAD_SERVER_ONNX_PRESET: 'test', GENLOAD_SERVER_WORKERS: '1' };
const PLAN = 'planPrompts=2,planWarmup=1,planMeasured=3';

async function planRun(model: string, name: string, workload: string): Promise<string> {
  const r = await runCli(
    [
      'load',
      '--scenario',
      'compare-plan',
      '--engine',
      'onnx',
      '--model',
      model,
      '--name',
      name,
      '--results',
      results,
      '--workload',
      `${PLAN},${workload}`,
      // this test is about the comparison, not a verdict: 2 × 3 measured requests are under the LLM default's
      // (interactive-chat) 10 a stage, so the run asks for errors only
      '--slo',
      'errors-only',
    ],
    { env: ENV, timeoutMs: 60_000 },
  );
  assert.equal(r.code, 0, `${name}: ${r.stderr.slice(-1500)}`);
  assert.match(r.stderr, /saved 2 of 2 outputs/);
  const dir = readdirSync(results).find((d) => d.endsWith(`-${name}`));
  assert.ok(dir !== undefined, `${name}: run folder`);
  return join(results, dir);
}

async function compare(base: string, cand: string): Promise<Comparison> {
  const r = await runCli(['compare', '--base', base, '--cand', cand, '--results', results], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stderr);
  const folder = /written to (\S+)/.exec(r.stdout)?.[1];
  assert.ok(folder !== undefined, r.stdout);
  return JSON.parse(readFileSync(join(folder, 'compare.json'), 'utf8')) as Comparison;
}

test(
  'fp32 vs int8 images: verdict per metric, warm-up excluded, small nonzero drift; fp32 twice is identical',
  { timeout: 90_000 },
  async () => {
    {
      const image = 'trafficClass=image,sizePx=32,steps=4';
      const fp32 = await planRun('tiny-sd-fp32', 'sd-fp32', image);
      const int8 = await planRun('tiny-sd-int8', 'sd-int8', image);
      const again = await planRun('tiny-sd-fp32', 'sd-fp32-again', image);
      const c = await compare(fp32, int8);
      const e2e = c.metrics.find((m) => m.metric === 'genload_e2e_ms');
      assert.ok(e2e !== undefined);
      assert.deepEqual([e2e.baseCount, e2e.candCount], [6, 6], 'measured requests only (2 prompts × 3)');
      for (const m of c.metrics)
        assert.match(m.verdict, /^(faster|slower|no significant change|not enough samples)$/, m.metric);
      assert.ok(e2e.stats.p99 !== undefined && Number.isFinite(e2e.stats.p99.base));
      const q = c.quality;
      assert.ok(q !== null && q.images.length === 2, 'both prompts compared');
      assert.equal(q.identicalImages, 0, 'int8 changes every image');
      assert.ok(
        q.meanPsnrDb !== null && Number.isFinite(q.meanPsnrDb) && q.meanPsnrDb > 15 && q.meanPsnrDb < 80,
        `PSNR ${q.meanPsnrDb} dB`,
      );
      assert.ok((q.meanAbsDiff ?? 0) > 0 && (q.meanAbsDiff ?? 99) < 20, `MAD ${q.meanAbsDiff}`);
      assert.match(c.summary, /dB PSNR/);
      const same = await compare(fp32, again);
      assert.equal(same.quality?.identicalImages, 2, 'same model, prompts and seeds give the same pixels');
    }
  },
);

test('fp32 vs int8 text: outputs compared by token and character agreement', { timeout: 60_000 }, async () => {
  const llm = 'trafficClass=llm,maxTokens=12,promptSet=short';
  const c = await compare(
    await planRun('tiny-llm-fp32', 'llm-fp32', llm),
    await planRun('tiny-llm-int8', 'llm-int8', llm),
  );
  assert.ok(c.metrics.some((m) => m.metric === 'genload_ttft_ms' && m.baseCount === 6));
  const q = c.quality;
  assert.ok(q !== null && q.texts.length === 2, 'both prompts compared');
  for (const t of q.texts)
    assert.ok(t.charAgreement >= 0 && t.charAgreement <= 1 && t.commonPrefixChars >= 0, JSON.stringify(t));
  assert.match(c.summary, /token agreement .* \(characters /);
});
