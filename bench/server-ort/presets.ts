// Per-call latency per model size preset (test, small, realistic) and
// precision: text encoder, one denoiser step (1 image = 2 CFG rows) at the
// smallest and largest image size, the VAE, one LLM decode step; and the image
// latency they add up to at the preset's default steps. One worker × 1 thread,
// median run time inside the worker.
//   node --import tsx bench/server-ort/presets.ts [--presets test,small,realistic]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleWorkers } from '../../lib/cli/bundle/bundle.ts';
import { presets, type SizePreset } from '../../lib/server/models/presets.ts';
import { medianMs, openModelCalls } from './model-calls.ts';
import { machineInfo, round, table, writeResult } from './record.ts';

const { values: v } = parseArgs({
  options: {
    presets: { type: 'string', default: 'test,small,realistic' },
    precisions: { type: 'string', default: 'fp32,int8' },
    out: { type: 'string', default: fileURLToPath(new URL('./presets.results.json', import.meta.url)) },
  },
});
const machine = machineInfo();
await bundleWorkers();

interface Row {
  preset: string;
  precision: string;
  encoderMs: number;
  stepSmallMs: number;
  smallPx: number;
  stepLargeMs: number;
  largePx: number;
  vaeSmallMs: number;
  defaultSteps: number;
  imageSmallMs: number;
  decodeStepMs: number;
}
const rows: Row[] = [];
for (const preset of v.presets!.split(',') as SizePreset[]) {
  for (const precision of v.precisions!.split(',') as ('fp32' | 'int8')[]) {
    const d = presets[preset].diffusion;
    const smallPx = d.imageSizes[0]!;
    const largePx = d.imageSizes.at(-1)!;
    const calls = await openModelCalls(preset, precision, 1);
    const encoderMs = await medianMs(() => calls.textEncoder(), 20, 1500);
    const stepSmallMs = await medianMs(() => calls.denoise(1, smallPx), 20, 1500);
    const stepLargeMs = await medianMs(() => calls.denoise(1, largePx), 10, 2500);
    const vaeSmallMs = await medianMs(() => calls.vae(smallPx), 10, 1500);
    const decodeStepMs = await medianMs(() => calls.decode(1, 32), 20, 1500);
    await calls.close();
    const imageSmallMs = encoderMs + d.defaultSteps * stepSmallMs + vaeSmallMs;
    rows.push({
      preset,
      precision,
      encoderMs: round(encoderMs, 2),
      stepSmallMs: round(stepSmallMs, 2),
      smallPx,
      stepLargeMs: round(stepLargeMs, 2),
      largePx,
      vaeSmallMs: round(vaeSmallMs, 2),
      defaultSteps: d.defaultSteps,
      imageSmallMs: round(imageSmallMs, 1),
      decodeStepMs: round(decodeStepMs, 2),
    });
    console.error(JSON.stringify(rows.at(-1)));
  }
}
console.log('Per-call latency per preset (1 worker × 1 thread, median ms inside the worker)');
console.log(
  table(
    [
      'preset',
      'precision',
      'text encoder',
      'denoiser step, smallest size',
      'denoiser step, largest size',
      'VAE, smallest size',
      'image at default steps, smallest size',
      'LLM decode step (past 32)',
    ],
    rows.map((r) => [
      r.preset,
      r.precision,
      r.encoderMs,
      `${r.stepSmallMs} (${r.smallPx}px)`,
      `${r.stepLargeMs} (${r.largePx}px)`,
      r.vaeSmallMs,
      `${r.imageSmallMs} (${r.defaultSteps} steps)`,
      r.decodeStepMs,
    ]),
  ),
);
writeResult(v.out!, machine, { bench: 'server-ort/presets', rows });
console.log(
  `load average start ${machine.loadAvgStart.join(' ')}, end ${machine.loadAvgEnd?.join(' ')}; written ${v.out}`,
);
