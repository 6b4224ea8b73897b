// Throughput at saturation through HTTP (the real server process, closed-loop
// node:http client) vs the same worker configuration calling ONNX Runtime
// directly (bench/server-ort/direct.ts: one whole request after another per
// worker, no batching), images/s and tokens/s, plus the server's event-loop lag
// over each HTTP window (read from /metrics). Three arms, their order rotated
// every round; medians of the rounds and of the per-round ratios are reported:
//   http        the server with its default scheduler (batching 8 / 2 ms), --concurrency clients
//   http-nice0  the same with onnx.workerNice 0 (default 10): the event-loop lag it buys
//   http-b1     the server with batching off (maxBatchSize 1), one client per worker: the
//               same work per model call as the direct loop, so the ratio is the HTTP + scheduler cost
//   direct      bench/server-ort/direct.ts, the denominator, in a detached child process: the
//               server is one too, and with the kernel's autogroup scheduling each session
//               gets its own CPU share against the other jobs on the machine
//   node --import tsx bench/server-http/http-vs-direct.ts [--seconds 6 --rounds 3 --concurrency 4]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleWorkers } from '../../lib/cli/bundle/bundle.ts';
import { startManagedServer } from '../../lib/cli/run/managed-server.ts';
import { openDirectIsolated } from '../server-ort/direct.ts';
import { machineInfo, median, round, table, writeResult } from '../server-ort/record.ts';
import { httpClosedLoop, ortSeconds, scrapeMetrics, type Workload } from './client.ts';

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
const logDir = mkdtempSync(join(tmpdir(), 'genload-bench-'));
const serverArgs = (maxBatchSize: number, workerNice = 10) => [
  '--onnx.worker-nice',
  String(workerNice),
  '--onnx.preset',
  o.preset,
  '--onnx.precisions',
  'fp32',
  '--workers',
  String(o.workers),
  '--onnx.threads-per-worker',
  String(o.threads),
  '--batching.max-batch-size',
  String(maxBatchSize),
  '--batching.max-queue-delay-ms',
  String(o.maxQueueDelayMs),
  '--queue.max-waiting-per-model',
  '10000',
];
const servers = {
  http: await startManagedServer({
    engine: 'onnx',
    logPath: join(logDir, 'server-batched.log'),
    extraArgs: serverArgs(o.maxBatchSize),
    readyTimeoutMs: 180_000,
  }),
  'http-nice0': await startManagedServer({
    engine: 'onnx',
    logPath: join(logDir, 'server-nice0.log'),
    extraArgs: serverArgs(o.maxBatchSize, 0),
    readyTimeoutMs: 180_000,
  }),
  'http-b1': await startManagedServer({
    engine: 'onnx',
    logPath: join(logDir, 'server-b1.log'),
    extraArgs: serverArgs(1),
    readyTimeoutMs: 180_000,
  }),
};
const concurrencyOf = { http: o.concurrency, 'http-nice0': o.concurrency, 'http-b1': o.workers };
const direct = await openDirectIsolated({
  preset: o.preset,
  precision: 'fp32',
  workers: o.workers,
  threads: o.threads,
  steps: o.steps,
  sizePx: o.sizePx,
  maxTokens: o.maxTokens,
});

const workloads: Workload[] = [
  { kind: 'image', model: 'tiny-sd-fp32', sizePx: o.sizePx, steps: o.steps },
  { kind: 'text', model: 'tiny-llm-fp32', maxTokens: o.maxTokens },
];
const arms = ['http', 'http-b1', 'direct', 'http-nice0'] as const;
type Arm = (typeof arms)[number];
interface Run {
  kind: string;
  arm: Arm;
  round: number;
  position: number;
  perSecond: number;
  lagP99Ms?: number;
  lagMaxMs?: number;
  p99LatencyMs?: number;
  errors?: number;
  idleServerLagP99Ms?: number;
  ortBusyShare: number;
}
const runs: Run[] = [];
async function measure(arm: Arm, w: Workload, r: number, position: number): Promise<Run> {
  const lagP99 = (m: Map<string, number>) =>
    round((m.get('genload_event_loop_lag_seconds{quantile="0.99"}') ?? NaN) * 1000, 2);
  if (arm === 'direct') {
    // the control: the lag of the idle server while the direct loop keeps the cores busy
    await scrapeMetrics(servers.http.url);
    const d = await direct.measure(w.kind, o.seconds);
    return {
      kind: w.kind,
      arm,
      round: r,
      position,
      perSecond: round(d.perSecond),
      ortBusyShare: round(d.ortBusyShare),
      idleServerLagP99Ms: lagP99(await scrapeMetrics(servers.http.url)),
    };
  }
  const url = servers[arm].url;
  const m0 = await scrapeMetrics(url); // also starts a fresh event-loop lag window
  const res = await httpClosedLoop(url, w, { concurrency: concurrencyOf[arm], seconds: o.seconds });
  const m = await scrapeMetrics(url);
  const ortBusyShare = round((ortSeconds(m) - ortSeconds(m0)) / (res.elapsedS * o.workers));
  const lag = (q: string) => round((m.get(`genload_event_loop_lag_seconds{quantile="${q}"}`) ?? NaN) * 1000, 2);
  return {
    kind: w.kind,
    arm,
    round: r,
    position,
    perSecond: round(res.perSecond),
    lagP99Ms: lag('0.99'),
    lagMaxMs: lag('1'),
    p99LatencyMs: round(res.p99LatencyMs, 1),
    errors: res.errors,
    ortBusyShare,
  };
}
try {
  for (let r = 0; r < o.rounds; r++) {
    for (const w of workloads) {
      const order = arms.map((_, i) => arms[(i + r) % arms.length]!);
      for (const [position, arm] of order.entries()) {
        runs.push(await measure(arm, w, r, position));
        console.error(JSON.stringify(runs.at(-1)));
      }
    }
  }
} finally {
  await Promise.all([...Object.values(servers).map((s) => s.stop()), direct.close()]);
}

const summary = workloads.map((w) => {
  const of = (arm: Arm) => runs.filter((x) => x.kind === w.kind && x.arm === arm);
  const ratio = (arm: Arm) => of(arm).map((x, i) => x.perSecond / of('direct')[i]!.perSecond);
  const http = of('http');
  return {
    kind: w.kind,
    unit: w.kind === 'image' ? 'images/s' : 'tokens/s',
    direct: round(median(of('direct').map((x) => x.perSecond))),
    http: round(median(http.map((x) => x.perSecond))),
    httpB1: round(median(of('http-b1').map((x) => x.perSecond))),
    httpOverDirect: round(median(ratio('http'))),
    httpB1OverDirect: round(median(ratio('http-b1'))),
    httpB1OverDirectMin: round(Math.min(...ratio('http-b1'))),
    lagP99MsMedian: round(median(http.map((x) => x.lagP99Ms!)), 2),
    lagP99MsMax: round(Math.max(...http.map((x) => x.lagP99Ms!)), 2),
    nice0: round(median(of('http-nice0').map((x) => x.perSecond))),
    nice0LagP99MsMedian: round(median(of('http-nice0').map((x) => x.lagP99Ms!)), 2),
    nice0LagP99MsMax: round(Math.max(...of('http-nice0').map((x) => x.lagP99Ms!)), 2),
    ortBusyShare: Object.fromEntries(arms.map((a) => [a, round(median(of(a).map((x) => x.ortBusyShare)), 2)])),
    httpB1LagP99MsMedian: round(median(of('http-b1').map((x) => x.lagP99Ms!)), 2),
    idleServerLagP99MsMedian: round(median(of('direct').map((x) => x.idleServerLagP99Ms!)), 2),
  };
});
console.log(
  `HTTP vs direct ONNX Runtime: preset ${o.preset}, ${o.workers} workers × ${o.threads} thread(s), fp32, ${o.sizePx}px × ${o.steps} steps, ${o.maxTokens} tokens/request; http: batching ${o.maxBatchSize} / ${o.maxQueueDelayMs} ms, ${o.concurrency} clients; http-b1: batching off, ${o.workers} clients; ${o.rounds} rounds × ${o.seconds} s, arm order rotated`,
);
console.log(
  table(
    ['workload', 'direct', 'http-b1', 'http-b1 / direct (median, min)', 'http (batching)', 'http / direct'],
    summary.map((s) => [
      s.unit,
      s.direct,
      s.httpB1,
      `${s.httpB1OverDirect}, ${s.httpB1OverDirectMin}`,
      s.http,
      s.httpOverDirect,
    ]),
  ),
);
console.log('\nShare of the window the workers spent inside ORT (median):');
console.log(
  table(
    ['workload', ...arms],
    summary.map((s) => [s.unit, ...arms.map((a) => s.ortBusyShare[a]!)]),
  ),
);
console.log('\nEvent-loop lag p99 of the server process, ms (median of the windows, max):');
console.log(
  table(
    ['workload', 'http (workerNice 10)', 'http-nice0 (workerNice 0)', 'http-b1', 'idle server while direct runs'],
    summary.map((s) => [
      s.unit,
      `${s.lagP99MsMedian}, ${s.lagP99MsMax}`,
      `${s.nice0LagP99MsMedian}, ${s.nice0LagP99MsMax}`,
      s.httpB1LagP99MsMedian,
      s.idleServerLagP99MsMedian,
    ]),
  ),
);
writeResult(v.out!, machine, { bench: 'server-http/http-vs-direct', options: o, summary, runs });
console.log(
  `load average start ${machine.loadAvgStart.join(' ')}, end ${machine.loadAvgEnd?.join(' ')}; written ${v.out}`,
);
