// A closed-loop driver for the onnx engine (no HTTP): `concurrency` clients
// each send the next request as soon as the previous one ends, for `seconds`.
// Also the common bench options of engine-vs-direct.ts.
import { parseArgs } from 'node:util';
import type { Engine } from '../../lib/server/engine/types.ts';
import { bundleWorkers } from '../../lib/cli/bundle/bundle.ts';
import { median } from './record.ts';

export interface LoadResult {
  /** images/s or completion tokens/s over the window */
  readonly perSecond: number;
  readonly requests: number;
  readonly medianLatencyMs: number;
  readonly meanBatchSize: number;
}

export async function closedLoop(
  engine: Engine,
  kind: 'image' | 'text',
  o: { model: string; concurrency: number; seconds: number; steps: number; sizePx: number; maxTokens: number },
): Promise<LoadResult> {
  const never = new AbortController().signal;
  const endAt = performance.now() + o.seconds * 1000;
  let units = 0;
  const latencies: number[] = [];
  const batch: number[] = [];
  let seed = 1;
  const client = async () => {
    while (performance.now() < endAt) {
      const t0 = performance.now();
      if (kind === 'image') {
        const r = await engine.generateImages(
          {
            model: o.model,
            prompt: 'a lighthouse at dawn',
            n: 1,
            widthPx: o.sizePx,
            heightPx: o.sizePx,
            steps: o.steps,
            guidanceScale: 7.5,
            seed: seed++,
          },
          never,
        );
        units += r.images.length;
        batch.push(r.timings.meanBatchSize);
      } else {
        const r = await engine.generateText(
          {
            model: o.model,
            prompt: 'Once upon a time',
            maxTokens: o.maxTokens,
            temperature: 0.8,
            topP: 0.95,
            seed: seed++,
            stop: [],
          },
          never,
          () => {},
        );
        units += r.completionTokens;
        batch.push(r.timings.meanBatchSize);
      }
      latencies.push(performance.now() - t0);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: o.concurrency }, client));
  const elapsedS = (performance.now() - started) / 1000;
  return {
    perSecond: units / elapsedS,
    requests: latencies.length,
    medianLatencyMs: median(latencies),
    meanBatchSize: batch.reduce((a, b) => a + b, 0) / Math.max(1, batch.length),
  };
}

/** common CLI options of the benches; bounded by --seconds per measurement */
export async function benchOptions() {
  const { values } = parseArgs({
    options: {
      preset: { type: 'string', default: 'small' },
      workers: { type: 'string', default: '2' },
      threads: { type: 'string', default: '1' },
      seconds: { type: 'string', default: '8' },
      steps: { type: 'string', default: '10' },
      size: { type: 'string', default: '128' },
      tokens: { type: 'string', default: '64' },
      concurrency: { type: 'string', default: '8' },
    },
  });
  await bundleWorkers();
  return {
    preset: values.preset as 'test' | 'small' | 'realistic',
    workers: Number(values.workers),
    threads: Number(values.threads),
    seconds: Number(values.seconds),
    steps: Number(values.steps),
    sizePx: Number(values.size),
    maxTokens: Number(values.tokens),
    concurrency: Number(values.concurrency),
  };
}

export const fmt = (x: number, digits = 1) => x.toFixed(digits);
