// fp32 vs a candidate precision (int8: dynamic quantisation; fp16: float16
// weights and activations, which the CPU provider runs through inserted casts)
// of the same models in one engine, side by side (A/B/B/A... per round):
// latency of a lone request (closed loop of 1) and throughput at saturation
// (closed loop of --concurrency), images and tokens.
//   node --import tsx bench/server-ort/precision.ts [--candidate int8|fp16 --seconds 3 --rounds 3 --concurrency 8]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleWorkers } from '../../lib/cli/bundle/bundle.ts';
import type { SizePreset } from '../../lib/server/models/presets.ts';
import { createOnnxEngine } from '../../lib/server/onnx/engine.ts';
import { closedLoop } from './closed-loop.ts';
import { machineInfo, median, round, table, writeResult } from './record.ts';

const { values: v } = parseArgs({
  options: {
    preset: { type: 'string', default: 'small' },
    workers: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    steps: { type: 'string', default: '10' },
    size: { type: 'string', default: '128' },
    tokens: { type: 'string', default: '64' },
    concurrency: { type: 'string', default: '8' },
    candidate: { type: 'string', default: 'int8' },
    out: { type: 'string' },
  },
});
if (v.candidate !== 'int8' && v.candidate !== 'fp16')
  throw new Error(`--candidate must be int8 or fp16, but is ${v.candidate}`);
const candidate: 'int8' | 'fp16' = v.candidate;
// int8 keeps the historical file name; other candidates get their own
const out =
  v.out ??
  fileURLToPath(
    new URL(
      candidate === 'int8' ? './precision.results.json' : `./precision-${candidate}.results.json`,
      import.meta.url,
    ),
  );
const o = {
  candidate,
  preset: v.preset as SizePreset,
  workers: Number(v.workers),
  seconds: Number(v.seconds),
  rounds: Number(v.rounds),
  steps: Number(v.steps),
  sizePx: Number(v.size),
  maxTokens: Number(v.tokens),
  concurrency: Number(v.concurrency),
};
const machine = machineInfo();
await bundleWorkers();
// the server's default scheduler settings
const engine = createOnnxEngine({
  provider: 'cpu',
  workers: o.workers,
  threadsPerWorker: 1,
  maxBatchSize: 8,
  maxQueueDelayMs: 2,
  preset: o.preset,
  precisions: ['fp32', candidate],
});
await engine.start();

interface Run {
  kind: string;
  precision: string;
  concurrency: number;
  perSecond: number;
  medianLatencyMs: number;
}
const runs: Run[] = [];
const precisions = ['fp32', candidate] as const;
for (let r = 0; r < o.rounds; r++) {
  for (const kind of ['image', 'text'] as const) {
    for (const concurrency of [1, o.concurrency]) {
      for (const precision of r % 2 === 0 ? precisions : [...precisions].reverse()) {
        const model = `${kind === 'image' ? 'tiny-sd' : 'tiny-llm'}-${precision}`;
        const res = await closedLoop(engine, kind, {
          model,
          concurrency,
          seconds: o.seconds,
          steps: o.steps,
          sizePx: o.sizePx,
          maxTokens: o.maxTokens,
        });
        runs.push({
          kind,
          precision,
          concurrency,
          perSecond: round(res.perSecond),
          medianLatencyMs: round(res.medianLatencyMs, 1),
        });
        console.error(JSON.stringify(runs.at(-1)));
      }
    }
  }
}
await engine.close(1000);

const pick = (kind: string, precision: string, concurrency: number) =>
  runs.filter((x) => x.kind === kind && x.precision === precision && x.concurrency === concurrency);
const summary = (['image', 'text'] as const).map((kind) => {
  const lone = (p: string) => median(pick(kind, p, 1).map((x) => x.medianLatencyMs));
  const sat = (p: string) => median(pick(kind, p, o.concurrency).map((x) => x.perSecond));
  const satRatios = pick(kind, candidate, o.concurrency).map(
    (x, i) => x.perSecond / pick(kind, 'fp32', o.concurrency)[i]!.perSecond,
  );
  return {
    kind,
    unit: kind === 'image' ? 'images/s' : 'tokens/s',
    fp32LoneLatencyMs: round(lone('fp32'), 1),
    candidateLoneLatencyMs: round(lone(candidate), 1),
    fp32Throughput: round(sat('fp32')),
    candidateThroughput: round(sat(candidate)),
    candidateOverFp32ThroughputMedian: round(median(satRatios)),
  };
});
console.log(
  `fp32 vs ${candidate}: preset ${o.preset}, ${o.workers} workers × 1 thread, batching 8 / 2 ms, ${o.sizePx}px × ${o.steps} steps, ${o.maxTokens} tokens, ${o.rounds} rounds × ${o.seconds} s`,
);
console.log(
  table(
    [
      'workload',
      `lone request latency ms fp32 / ${candidate}`,
      `throughput at ${o.concurrency} fp32`,
      candidate,
      `${candidate} / fp32 (median)`,
    ],
    summary.map((s) => [
      s.unit,
      `${s.fp32LoneLatencyMs} / ${s.candidateLoneLatencyMs}`,
      s.fp32Throughput,
      s.candidateThroughput,
      s.candidateOverFp32ThroughputMedian,
    ]),
  ),
);
writeResult(out, machine, { bench: 'server-ort/precision', options: o, summary, runs });
console.log(
  `load average start ${machine.loadAvgStart.join(' ')}, end ${machine.loadAvgEnd?.join(' ')}; written ${out}`,
);
