// Batched vs unbatched (maxBatchSize 8 vs 1) engine throughput at saturation,
// side by side (A/B/B/A... per round), and the reason it pays or not: the cost
// of one model call per item as the batch grows (denoiser, LLM decode step).
//   node --import tsx bench/server-ort/batching.ts [--seconds 4 --rounds 3 --concurrency 8]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleWorkers } from '../../lib/cli/bundle/bundle.ts';
import type { SizePreset } from '../../lib/server/models/presets.ts';
import { createOnnxEngine, type OnnxEngine } from '../../lib/server/onnx/engine.ts';
import { closedLoop } from './closed-loop.ts';
import { medianMs, openModelCalls } from './model-calls.ts';
import { machineInfo, median, round, table, writeResult } from './record.ts';

const { values: v } = parseArgs({
  options: {
    preset: { type: 'string', default: 'small' },
    workers: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
    steps: { type: 'string', default: '10' },
    size: { type: 'string', default: '128' },
    tokens: { type: 'string', default: '64' },
    concurrency: { type: 'string', default: '8' },
    'max-queue-delay-ms': { type: 'string', default: '2' },
    out: { type: 'string', default: fileURLToPath(new URL('./batching.results.json', import.meta.url)) },
  },
});
const o = {
  preset: v.preset as SizePreset,
  workers: Number(v.workers),
  seconds: Number(v.seconds),
  rounds: Number(v.rounds),
  steps: Number(v.steps),
  sizePx: Number(v.size),
  maxTokens: Number(v.tokens),
  concurrency: Number(v.concurrency),
  maxQueueDelayMs: Number(v['max-queue-delay-ms']),
};
const machine = machineInfo();
await bundleWorkers();

// 1. per-item cost vs batch size, one worker × 1 thread, run time inside the worker
const calls = await openModelCalls(o.preset, 'fp32', 1);
const perItem: {
  batch: number;
  denoiseMs: number;
  denoisePerImageMs: number;
  decodeMs: number;
  decodePerSeqMs: number;
}[] = [];
for (const batch of [1, 2, 4, 8]) {
  const denoiseMs = await medianMs(() => calls.denoise(batch, o.sizePx), 20, 2000);
  const decodeMs = await medianMs(() => calls.decode(batch, 32), 20, 2000);
  perItem.push({
    batch,
    denoiseMs: round(denoiseMs),
    denoisePerImageMs: round(denoiseMs / batch),
    decodeMs: round(decodeMs),
    decodePerSeqMs: round(decodeMs / batch),
  });
}
await calls.close();

// 2. engine throughput, maxBatchSize 1 vs 8, the same closed-loop load
const engines: Record<string, OnnxEngine> = {};
for (const maxBatchSize of [1, 8]) {
  const e = createOnnxEngine({
    provider: 'cpu',
    workers: o.workers,
    threadsPerWorker: 1,
    maxBatchSize,
    maxQueueDelayMs: o.maxQueueDelayMs,
    preset: o.preset,
    precisions: ['fp32'],
  });
  await e.start();
  engines[maxBatchSize] = e;
}
interface Run {
  kind: string;
  maxBatchSize: number;
  round: number;
  perSecond: number;
  medianLatencyMs: number;
  meanBatchSize: number;
}
const runs: Run[] = [];
for (let r = 0; r < o.rounds; r++) {
  for (const kind of ['image', 'text'] as const) {
    const order = r % 2 === 0 ? [1, 8] : [8, 1];
    for (const maxBatchSize of order) {
      const res = await closedLoop(engines[maxBatchSize]!, kind, {
        model: kind === 'image' ? 'tiny-sd-fp32' : 'tiny-llm-fp32',
        concurrency: o.concurrency,
        seconds: o.seconds,
        steps: o.steps,
        sizePx: o.sizePx,
        maxTokens: o.maxTokens,
      });
      runs.push({
        kind,
        maxBatchSize,
        round: r,
        perSecond: round(res.perSecond),
        medianLatencyMs: round(res.medianLatencyMs, 1),
        meanBatchSize: round(res.meanBatchSize, 2),
      });
      console.error(JSON.stringify(runs.at(-1)));
    }
  }
}
for (const e of Object.values(engines)) await e.close(1000);

const summary = (['image', 'text'] as const).map((kind) => {
  const of = (b: number) => runs.filter((x) => x.kind === kind && x.maxBatchSize === b);
  const ratios = Array.from({ length: o.rounds }, (_, r) => of(8)[r]!.perSecond / of(1)[r]!.perSecond);
  return {
    kind,
    unit: kind === 'image' ? 'images/s' : 'tokens/s',
    unbatched: round(median(of(1).map((x) => x.perSecond))),
    batched: round(median(of(8).map((x) => x.perSecond))),
    ratioMedian: round(median(ratios)),
    unbatchedLatencyMs: round(median(of(1).map((x) => x.medianLatencyMs)), 1),
    batchedLatencyMs: round(median(of(8).map((x) => x.medianLatencyMs)), 1),
    batchedMeanBatch: round(median(of(8).map((x) => x.meanBatchSize)), 2),
  };
});
console.log(
  `Batching: preset ${o.preset}, ${o.workers} workers × 1 thread, fp32, ${o.sizePx}px × ${o.steps} steps, ${o.maxTokens} tokens, closed loop of ${o.concurrency}, max queue delay ${o.maxQueueDelayMs} ms, ${o.rounds} rounds × ${o.seconds} s`,
);
console.log(
  table(
    ['workload', 'maxBatchSize 1', 'maxBatchSize 8', 'ratio (median)', 'median latency ms 1 / 8', 'mean batch at 8'],
    summary.map((s) => [
      s.unit,
      s.unbatched,
      s.batched,
      s.ratioMedian,
      `${s.unbatchedLatencyMs} / ${s.batchedLatencyMs}`,
      s.batchedMeanBatch,
    ]),
  ),
);
console.log('\nPer-item cost of one model call (1 worker × 1 thread, median run time in the worker):');
console.log(
  table(
    [
      'batch',
      `denoiser ms (${o.sizePx}px, ×2 CFG rows)`,
      'ms per image',
      'decode step ms (past 32)',
      'ms per sequence',
    ],
    perItem.map((p) => [p.batch, p.denoiseMs, p.denoisePerImageMs, p.decodeMs, p.decodePerSeqMs]),
  ),
);
writeResult(v.out!, machine, { bench: 'server-ort/batching', options: o, summary, perItem, runs });
console.log(
  `load average start ${machine.loadAvgStart.join(' ')}, end ${machine.loadAvgEnd?.join(' ')}; written ${v.out}`,
);
