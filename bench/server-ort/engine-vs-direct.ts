// Engine (scheduler + batching + sampling + PNG, no HTTP) vs the direct loop on
// the same worker configuration, images/s and tokens/s, measured side by side.
//   node --import tsx bench/server-ort/engine-vs-direct.ts [--preset small --workers 2 --threads 1 --seconds 8]
import { createOnnxEngine } from '../../lib/server/onnx/engine.ts';
import { benchOptions, closedLoop, fmt } from './closed-loop.ts';
import { directThroughput } from './direct.ts';

const o = await benchOptions();
const engine = createOnnxEngine({
  provider: 'cpu',
  workers: o.workers,
  threadsPerWorker: o.threads,
  maxBatchSize: 1,
  maxQueueDelayMs: 0,
  preset: o.preset,
  precisions: ['fp32'],
});
await engine.start();
const concurrency = o.workers; // one request per worker: the direct loop's load
const img = await closedLoop(engine, 'image', { model: 'tiny-sd-fp32', ...o, concurrency });
const txt = await closedLoop(engine, 'text', { model: 'tiny-llm-fp32', ...o, concurrency });
await engine.close(1000);
const dImg = await directThroughput({ kind: 'image', precision: 'fp32', ...o });
const dTxt = await directThroughput({ kind: 'text', precision: 'fp32', ...o });
console.log(
  `preset ${o.preset}, ${o.workers} workers × ${o.threads} threads, ${o.seconds} s each, batching off, concurrency ${concurrency}`,
);
console.log(
  `images ${o.sizePx}px ${o.steps} steps: engine ${fmt(img.perSecond, 2)}/s  direct ${fmt(dImg, 2)}/s  ratio ${fmt(img.perSecond / dImg, 3)}`,
);
console.log(
  `tokens (${o.maxTokens}/request): engine ${fmt(txt.perSecond)}/s  direct ${fmt(dTxt)}/s  ratio ${fmt(txt.perSecond / dTxt, 3)}`,
);
