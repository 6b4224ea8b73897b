// Throughput at saturation through HTTP (the real server process, closed-loop
// node:http client) vs the same worker configuration calling ONNX Runtime
// directly (bench/server-ort/direct.ts), images/s and tokens/s, plus the server's
// event-loop lag p99 over each HTTP window (read from /metrics). Windows
// alternate A/B/B/A... per round; medians of the rounds and of the per-round
// ratios are reported.
//   node --import tsx bench/server-http/http-vs-direct.ts [--seconds 6 --rounds 3 --concurrency 4]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleWorkers } from '../../build/bundle.ts';
import { startManagedServer } from '../../lib/cli/run/managed-server.ts';
import { directThroughput } from '../server-ort/direct.ts';
import { machineInfo, median, round, table, writeResult } from '../server-ort/record.ts';
import { httpClosedLoop, scrapeMetrics, type Workload } from './client.ts';

const { values: v } = parseArgs({
  options: {
    preset: { type: 'string', default: 'small' },
    workers: { type: 'string', default: '2' },
    threads: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '6' },
    rounds: { type: 'string', default: '3' },
    steps: { type: 'string', default: '10' },
    size: { type: 'string', default: '128' },
    tokens: { type: 'string', default: '64' },
    concurrency: { type: 'string', default: '4' },
    'max-batch-size': { type: 'string', default: '8' },
    'max-queue-delay-ms': { type: 'string', default: '2' },
    out: { type: 'string', default: fileURLToPath(new URL('./results.json', import.meta.url)) },
  },
});
const o = {
  preset: v.preset as 'test' | 'small' | 'realistic',
  workers: Number(v.workers),
  threads: Number(v.threads),
  seconds: Number(v.seconds),
  rounds: Number(v.rounds),
  steps: Number(v.steps),
  sizePx: Number(v.size),
  maxTokens: Number(v.tokens),
  concurrency: Number(v.concurrency),
  maxBatchSize: Number(v['max-batch-size']),
  maxQueueDelayMs: Number(v['max-queue-delay-ms']),
};

const machine = machineInfo();
await bundleWorkers();
const logPath = join(mkdtempSync(join(tmpdir(), 'genload-bench-')), 'server.log');
const server = await startManagedServer({
  engine: 'onnx',
  logPath,
  extraArgs: [
    '--onnx.preset', o.preset, '--onnx.precisions', 'fp32', '--workers', String(o.workers), '--onnx.threads-per-worker', String(o.threads),
    '--batching.max-batch-size', String(o.maxBatchSize), '--batching.max-queue-delay-ms', String(o.maxQueueDelayMs),
    '--queue.max-waiting-per-model', '10000',
  ],
  readyTimeoutMs: 180_000,
});

const workloads: Workload[] = [
  { kind: 'image', model: 'tiny-sd-fp32', sizePx: o.sizePx, steps: o.steps },
  { kind: 'text', model: 'tiny-llm-fp32', maxTokens: o.maxTokens },
];
interface Round { kind: string; order: string; http: number; direct: number; ratio: number; lagP99Ms: number; lagMaxMs: number; httpP99LatencyMs: number; httpErrors: number }
const rounds: Round[] = [];
try {
  for (let r = 0; r < o.rounds; r++) {
    for (const w of workloads) {
      const httpFirst = r % 2 === 0;
      let http = 0;
      let direct = 0;
      let lag = { p99: 0, max: 0 };
      let p99 = 0;
      let errors = 0;
      const runHttp = async () => {
        await scrapeMetrics(server.url); // starts a fresh event-loop lag window
        const res = await httpClosedLoop(server.url, w, { concurrency: o.concurrency, seconds: o.seconds });
        const m = await scrapeMetrics(server.url);
        lag = { p99: (m.get('genload_event_loop_lag_seconds{quantile="0.99"}') ?? NaN) * 1000, max: (m.get('genload_event_loop_lag_seconds{quantile="1"}') ?? NaN) * 1000 };
        [http, p99, errors] = [res.perSecond, res.p99LatencyMs, res.errors];
      };
      const runDirect = async () => {
        direct = await directThroughput({ kind: w.kind, preset: o.preset, precision: 'fp32', workers: o.workers, threads: o.threads, seconds: o.seconds, steps: o.steps, sizePx: o.sizePx, maxTokens: o.maxTokens });
      };
      if (httpFirst) await runHttp().then(runDirect);
      else await runDirect().then(runHttp);
      rounds.push({ kind: w.kind, order: httpFirst ? 'http,direct' : 'direct,http', http: round(http), direct: round(direct), ratio: round(http / direct), lagP99Ms: round(lag.p99), lagMaxMs: round(lag.max), httpP99LatencyMs: round(p99, 1), httpErrors: errors });
      console.error(JSON.stringify(rounds.at(-1)));
    }
  }
} finally {
  await server.stop();
}

const summary = workloads.map((w) => {
  const rs = rounds.filter((r) => r.kind === w.kind);
  return {
    kind: w.kind,
    unit: w.kind === 'image' ? 'images/s' : 'tokens/s',
    httpMedian: round(median(rs.map((r) => r.http))),
    directMedian: round(median(rs.map((r) => r.direct))),
    ratioMedian: round(median(rs.map((r) => r.ratio))),
    ratioMin: round(Math.min(...rs.map((r) => r.ratio))),
    lagP99MsMedian: round(median(rs.map((r) => r.lagP99Ms))),
    lagP99MsMax: round(Math.max(...rs.map((r) => r.lagP99Ms))),
  };
});
console.log(`HTTP vs direct ONNX Runtime: preset ${o.preset}, ${o.workers} workers × ${o.threads} threads, fp32, ${o.sizePx}px × ${o.steps} steps, ${o.maxTokens} tokens/request, HTTP concurrency ${o.concurrency}, batching ${o.maxBatchSize}/${o.maxQueueDelayMs} ms, ${o.rounds} rounds × ${o.seconds} s`);
console.log(table(['workload', 'HTTP', 'direct', 'ratio (median)', 'ratio (min)', 'event-loop lag p99 ms (median / max)'], summary.map((s) => [s.unit, s.httpMedian, s.directMedian, s.ratioMedian, s.ratioMin, `${s.lagP99MsMedian} / ${s.lagP99MsMax}`])));
writeResult(v.out!, machine, { bench: 'server-http/http-vs-direct', options: o, summary, rounds });
console.log(`load average start ${machine.loadAvgStart.join(' ')}, end ${machine.loadAvgEnd?.join(' ')}; written ${v.out}`);
