// Soak benchmark: the real suite (bin/genload's `soak` scenario, real k6)
// against the reference server on the sim engine at SHARE (default 70 %) of
// its known capacity for MINUTES (default 30). Samples the server's and k6's
// resident memory every 5 s and the e2e latency P95 per window, and reports
// growth and slope, so a leak or a latency drift shows as a trend.
//   node --import tsx bench/soak/run.ts [--minutes 30] [--share 0.7]
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { linearRegression } from 'simple-statistics';
import { repoRoot } from '../../lib/cli/paths.ts';
import { readSamples } from '../../lib/cli/run-folder/samples.ts';
import { startManagedServer } from '../../lib/cli/run/managed-server.ts';
import { TREND } from '../../lib/shared/metrics.ts';
import { percentileSorted } from '../../lib/shared/stats/summary.ts';
import { mib, sampleRss, type RssSample } from '../overload/rss.ts';

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '30' }, share: { type: 'string', default: '0.7' } },
});
const minutes = Number(values.minutes);
const share = Number(values.share);
/** sim fixture (as bench/overload): 4 slots × (20 ms prefill + 20 tokens × 4 ms) = 40 completions/s */
const fixture = { slots: 4, prefillMs: 20, tokens: 20, tokenMs: 4 } as const;
const capacityRps = (fixture.slots * 1000) / (fixture.prefillMs + fixture.tokens * fixture.tokenMs);
const rateRps = Math.round(share * capacityRps * 10) / 10;
const warmupSeconds = 15;
const stamp = new Date()
  .toISOString()
  .replace(/[-:]/g, '')
  .replace(/\.\d+Z$/, 'Z');
const results = join(repoRoot, 'results', 'bench', `soak-${stamp}`);
mkdirSync(results, { recursive: true });

const server = await startManagedServer({
  engine: 'sim',
  logPath: join(tmpdir(), `genload-soak-server-${process.pid}.log`),
  extraArgs: [
    '--sim.slots',
    String(fixture.slots),
    '--sim.prefill-fixed-ms',
    String(fixture.prefillMs),
    '--sim.token-ms',
    String(fixture.tokenMs),
  ],
  readyTimeoutMs: 60_000,
});
process.stderr.write(
  `soak: ${rateRps} req/s (${share * 100} % of ${capacityRps}) for ${minutes} min against ${server.url}\n`,
);

const cli = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    join(repoRoot, 'lib/cli/main.ts'),
    'load',
    '--scenario',
    'soak',
    '--target',
    server.url,
    '--rate',
    String(rateRps),
    '--max-rate',
    String(Math.ceil(rateRps * 2)),
    '--duration',
    `${minutes}m`,
    '--warmup',
    `${warmupSeconds}s`,
    '--max-tokens',
    String(fixture.tokens),
    '--workload',
    'trafficClass=llm',
    '--max-vus',
    '64',
    '--results',
    results,
  ],
  { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] },
);
/** k6 is the CLI's child named k6 (Linux /proc) */
const k6Pid = (): number | undefined => {
  try {
    const kids = readFileSync(`/proc/${cli.pid}/task/${cli.pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return kids.find((k) => readFileSync(`/proc/${k}/comm`, 'utf8').trim() === 'k6');
  } catch {
    return undefined;
  }
};
const origin = performance.now();
const serverRss = sampleRss(() => server.pid, 5000, origin);
const k6Rss = sampleRss(k6Pid, 5000, origin);
const cliExit = await new Promise<number | null>((r) => cli.on('close', (code) => r(code)));
serverRss.stop();
k6Rss.stop();
await server.stop();

/** memory trend after the warm-up: first and last minute medians, max, slope (MiB per minute) */
function memoryTrend(samples: readonly RssSample[]) {
  const steady = samples.filter((s) => s.tMs >= (warmupSeconds + 30) * 1000);
  const at = (from: number, to: number) => {
    const xs = steady
      .filter((s) => s.tMs >= from && s.tMs < to)
      .map((s) => mib(s.rssBytes))
      .sort((a, b) => a - b);
    return xs.length === 0 ? Number.NaN : percentileSorted(xs, 50);
  };
  const t0 = steady[0]?.tMs ?? 0;
  const t1 = steady[steady.length - 1]?.tMs ?? 0;
  const fit =
    steady.length >= 2 ? linearRegression(steady.map((s) => [s.tMs / 60_000, mib(s.rssBytes)])) : { m: Number.NaN };
  return {
    firstMiB: at(t0, t0 + 60_000),
    lastMiB: at(t1 - 60_000, t1 + 1),
    maxMiB: Math.max(...steady.map((s) => mib(s.rssBytes))),
    slopeMiBPerMin: fit.m,
    samples: steady.length,
  };
}

const runDir = join(results, readdirSync(results).find((f) => statSync(join(results, f)).isDirectory()) ?? '');
const table = await readSamples(join(runDir, 'samples.json.gz'));
const e2e = table.metrics.get(TREND.e2eMs);
const windowMs = (minutes >= 10 ? 120 : 30) * 1000;
const firstMs = Math.min(...(e2e?.tMs ?? [0]));
const windows = new Map<number, number[]>();
e2e?.values.forEach((v, i) => {
  if ((e2e.tags[i]?.['stage'] ?? '') === 'warmup') return;
  const w = Math.floor((e2e.tMs[i]! - firstMs) / windowMs);
  windows.set(w, [...(windows.get(w) ?? []), v]);
});
const p95s = [...windows.entries()]
  .sort((a, b) => a[0] - b[0])
  .filter(([, xs]) => xs.length >= 20)
  .map(([w, xs]) => ({
    minute: (w * windowMs) / 60_000,
    count: xs.length,
    p95Ms: percentileSorted(
      xs.sort((a, b) => a - b),
      95,
    ),
  }));
const p95Fit = p95s.length >= 2 ? linearRegression(p95s.map((p) => [p.minute, p.p95Ms])) : { m: Number.NaN };
const server_ = memoryTrend(serverRss.samples);
const k6 = memoryTrend(k6Rss.samples);
const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const lines = [
  `load                 ${rateRps} req/s (${share * 100} % of ${capacityRps}), ${minutes} min + ${warmupSeconds} s warm-up; genload exit ${cliExit}`,
  `server RSS           first min ${fmt(server_.firstMiB)} MiB, last min ${fmt(server_.lastMiB)} MiB, max ${fmt(server_.maxMiB)} MiB, slope ${fmt(server_.slopeMiBPerMin, 2)} MiB/min`,
  `k6 RSS               first min ${fmt(k6.firstMiB)} MiB, last min ${fmt(k6.lastMiB)} MiB, max ${fmt(k6.maxMiB)} MiB, slope ${fmt(k6.slopeMiBPerMin, 2)} MiB/min`,
  `e2e P95 per ${windowMs / 1000} s    ${p95s.map((p) => fmt(p.p95Ms, 0)).join(', ')} ms; slope ${fmt(p95Fit.m, 2)} ms/min`,
];
process.stdout.write(`\n${lines.join('\n')}\nrun folder: ${runDir}\n`);
const out = join(repoRoot, 'results', 'bench', `soak-${stamp}.json`);
writeFileSync(
  out,
  `${JSON.stringify({ schemaVersion: 1, bench: 'soak', fixture, capacityRps, rateRps, minutes, cliExit, server: server_, k6, p95Windows: p95s, p95SlopeMsPerMin: p95Fit.m, serverRss: serverRss.samples, k6Rss: k6Rss.samples, runDir }, null, 2)}\n`,
);
process.stdout.write(`results: ${out}\n`);
// a run that did not happen (config error, k6 missing) gives no figures: fail loudly
if (p95s.length === 0 || serverRss.samples.length === 0) process.exitCode = 1;
