// Overload benchmark: the reference server on the sim engine (known capacity)
// is offered FACTOR × its capacity for OVERLOAD seconds by an open-loop
// client, between a baseline and a recovery phase at 0.8 × capacity.
// Checks: excess is shed with 429 + Retry-After; accepted requests' P95 stays
// within the queue bound; server RSS grows by less than 50 MiB; success
// throughput is back to the baseline within 10 s after the overload ends.
//   node --import tsx bench/overload/run.ts [--overload-seconds 60] [--factor 5]
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { repoRoot } from '../../lib/cli/paths.ts';
import { startManagedServer } from '../../lib/cli/run/managed-server.ts';
import { analyse, type Verdict } from './analyse.ts';
import { runOpenLoop } from './open-loop.ts';
import { mib, sampleRss } from './rss.ts';

const { values } = parseArgs({
  options: {
    'overload-seconds': { type: 'string', default: '60' },
    factor: { type: 'string', default: '5' },
    out: { type: 'string' },
  },
});
const overloadSeconds = Number(values['overload-seconds']);
const factor = Number(values.factor);

/** the sim fixture: every completion holds one of `slots` for prefillMs + tokens × tokenMs */
export const fixture = {
  slots: 4,
  prefillMs: 20,
  tokens: 20,
  tokenMs: 4,
  maxWaiting: 16,
  retryAfterSeconds: 1,
} as const;
const costMs = fixture.prefillMs + fixture.tokens * fixture.tokenMs;
const capacityRps = (fixture.slots * 1000) / costMs;
/** worst wait of an admitted request: the full queue ahead drains `slots` at a time, then its own cost */
const queueBoundMs = (Math.ceil(fixture.maxWaiting / fixture.slots) + 1) * costMs;

const server = await startManagedServer({
  engine: 'sim',
  logPath: join(tmpdir(), `genload-overload-server-${process.pid}.log`),
  extraArgs: [
    '--sim.slots',
    String(fixture.slots),
    '--sim.prefill-fixed-ms',
    String(fixture.prefillMs),
    '--sim.token-ms',
    String(fixture.tokenMs),
    '--queue.max-waiting-per-model',
    String(fixture.maxWaiting),
    '--queue.retry-after-seconds',
    String(fixture.retryAfterSeconds),
  ],
  readyTimeoutMs: 60_000,
});
const origin = performance.now();
const rss = sampleRss(() => server.pid, 500, origin);
const baseRate = 0.8 * capacityRps;
process.stderr.write(
  `overload: sim capacity ${capacityRps} req/s (${fixture.slots} slots × ${costMs} ms), queue bound ${queueBoundMs} ms; offering ${factor}× for ${overloadSeconds} s\n`,
);
let result;
try {
  result = await runOpenLoop({
    url: `${server.url}/v1/completions`,
    body: JSON.stringify({ prompt: 'overload', max_tokens: fixture.tokens, seed: 1 }),
    originMs: origin,
    phases: [
      { name: 'warmup', rateRps: 10, durationSeconds: 3 },
      { name: 'baseline', rateRps: baseRate, durationSeconds: 15 },
      { name: 'overload', rateRps: factor * capacityRps, durationSeconds: overloadSeconds },
      { name: 'recovery', rateRps: baseRate, durationSeconds: 20 },
    ],
    onSecond: (phase, s) => s % 10 === 0 && process.stderr.write(`  ${phase} ${s} s\n`),
  });
} finally {
  rss.stop();
  await server.stop();
}

const report = analyse({ result, rss: rss.samples, capacityRps, queueBoundMs, costMs });
const rows: [string, string, Verdict | ''][] = [
  ['capacity (slots / cost)', `${capacityRps} req/s (${fixture.slots} × ${costMs} ms)`, ''],
  ['offered in overload', `${report.overload.offeredRps.toFixed(0)} req/s for ${overloadSeconds} s`, ''],
  ['accepted throughput in overload', `${report.overload.okRps.toFixed(1)} req/s`, ''],
  ['shed (429) share in overload', `${(report.overload.shedShare * 100).toFixed(1)} %`, report.checks.shed],
  [
    '429s with Retry-After',
    `${report.overload.retryAfterShare === null ? 'n/a' : (report.overload.retryAfterShare * 100).toFixed(1)} %`,
    report.checks.shed,
  ],
  [
    'other errors in overload',
    String(report.overload.otherErrors),
    report.overload.otherErrors === 0 ? 'pass' : 'FAIL',
  ],
  [
    'accepted P50 / P95 / P99 / max',
    `${report.overload.p50Ms.toFixed(0)} / ${report.overload.p95Ms.toFixed(0)} / ${report.overload.p99Ms.toFixed(0)} / ${report.overload.maxMs.toFixed(0)} ms (bound ${queueBoundMs} ms + 10 % overhead allowance)`,
    report.checks.p95,
  ],
  [
    'server RSS baseline / peak / end',
    `${mib(report.rss.baselineBytes).toFixed(1)} / ${mib(report.rss.peakBytes).toFixed(1)} / ${mib(report.rss.endBytes).toFixed(1)} MiB (growth ${mib(report.rss.growthBytes).toFixed(1)} MiB)`,
    report.checks.memory,
  ],
  ['baseline throughput', `${report.recovery.baselineOkRps.toFixed(1)} req/s`, ''],
  [
    'back to baseline after overload',
    report.recovery.seconds === null ? 'never' : `${report.recovery.seconds} s`,
    report.checks.recovery,
  ],
  [
    'client start lateness p99 / max',
    `${result.lateP99Ms.toFixed(1)} / ${result.lateMaxMs.toFixed(1)} ms`,
    report.checks.client,
  ],
];
const width = Math.max(...rows.map((r) => r[0].length));
process.stdout.write(
  `\n${rows.map(([k, v, ok]) => `${k.padEnd(width)}  ${v}${ok === '' ? '' : `  [${ok}]`}`).join('\n')}\n`,
);

const out =
  values.out ??
  join(
    repoRoot,
    'results',
    'bench',
    `overload-${new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}.json`,
  );
mkdirSync(join(out, '..'), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ schemaVersion: 1, bench: 'overload', fixture, capacityRps, queueBoundMs, factor, overloadSeconds, ...report, perSecond: report.perSecond }, null, 2)}\n`,
);
process.stdout.write(`results: ${out}\n`);
process.exitCode = Object.values(report.checks).every((c) => c === 'pass') ? 0 : 1;
