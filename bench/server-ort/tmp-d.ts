import { directThroughput } from '/work/main/bench/server-ort/direct.ts';
for (let i = 0; i < 2; i++) console.log(await directThroughput({ kind: 'text', precision: 'fp32', preset: 'small', workers: 2, threads: 1, seconds: 4, steps: 10, sizePx: 128, maxTokens: 64 }));
console.log(await directThroughput({ kind: 'text', precision: 'fp32', preset: 'small', workers: 1, threads: 1, seconds: 4, steps: 10, sizePx: 128, maxTokens: 64 }));
