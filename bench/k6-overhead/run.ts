// k6 overhead benchmark (issue 4):
//  1. rate: iterations/s a genload scenario (smoke, openai-chat, not streamed)
//     sustains against a zero-cost endpoint vs a bare k6 script (bare.js)
//     posting the same bodies (read from the workload.jsonl genload built for
//     the run); same VUs and duration, k6 pinned to core 0 and
//     the endpoint to core 1; rounds alternate which goes first; medians. Once
//     with the default (mixed) prompts, once with short prompts only.
//     Goal: genload / bare >= 0.9. Beside them floor.js: bare plus request tags,
//     a timeout and one tagged Trend.add per request, the least any measuring
//     script does (floor / bare shows what is unavoidable); and lean.js: bare
//     with exec.scenario read once per VU, the tightest plain k6 script
//     (genload / lean is reported too).
//  2. accuracy: at low load (mixed scenario, 2 requests/s for 30 s, reference server on
//     the sim engine) the median of client latency minus the server's own
//     Server-Timing total (genload_client_overhead_ms), per class; once with
//     streamed LLM answers and once not streamed (both through k6/x/genload's
//     client). Goal < 2 ms.
//   node --import tsx bench/k6-overhead/run.ts [--rounds 3] [--seconds 8] [--before <smoke.js>]
// --before: the smoke bundle of another tree (e.g. the last commit, exported
// to /tmp and bundled there) run as a fourth variant in the same rounds, so a
// change is compared side by side on the same noisy machine.
// Prints a table, writes bench/k6-overhead/results.json; exit 0 when both goals hold.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleScenarios } from '../../lib/cli/bundle/bundle.ts';
import { repoRoot } from '../../lib/cli/paths.ts';
import { resolveK6 } from '../../lib/cli/k6/provision.ts';
import { startManagedServer } from '../../lib/cli/run/managed-server.ts';
import { TREND } from '../../lib/shared/metrics.ts';
import { RUN_CONFIG_ENV, type LoadConfig, type RunConfig, type TargetApi } from '../../lib/shared/run-config.ts';
import type { Summary } from '../../lib/shared/summary.ts';
import { genloadConfig, workloadBodies } from './genload-config.ts';
import { median, runProcess, startPinned } from './process.ts';

const GOAL_RATIO = 0.9;
const GOAL_OVERHEAD_MS = 2;
const VUS = 2; // smoke runs at most 2 closed-model VUs
const SEED = 1;
const WORKLOAD = { stream: false, maxTokens: 64 };
/** the default prompt mix, and short prompts only (prompt synthesis is a large part of genload's per-iteration work) */
const PROMPT_SETS = ['mixed', 'short'] as const;

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '8' },
    before: { type: 'string' },
  },
});
const beforeBundle = values.before;
const rounds = Math.max(1, Math.min(7, Number(values.rounds) || 3));
const seconds = Math.max(3, Math.min(30, Number(values.seconds) || 8));
const here = join(repoRoot, 'bench/k6-overhead');
const work = mkdtempSync(join(tmpdir(), 'genload-k6-overhead-'));

/** The run config genload's CLI would pass to k6, with its workload.jsonl built in runDir as the CLI builds it. */
function runConfig(
  scenario: string,
  url: string,
  api: TargetApi,
  load: Partial<LoadConfig>,
  workload: Record<string, string | number | boolean>,
  runDir: string,
): Promise<RunConfig> {
  return genloadConfig({
    scenario,
    url,
    api,
    runDir,
    load: {
      rateRps: 2,
      maxRateRps: 4,
      durationSeconds: seconds,
      warmupSeconds: 0,
      vus: VUS,
      maxVus: 16,
      arrival: 'constant',
      seed: SEED,
      ...load,
    },
    workload,
  });
}

/**
 * iterations/s of one k6 run (k6's own count over the test duration, from
 * --summary-export), and k6's CPU time (user + system, from bash's `times`
 * for its children) per iteration in µs: less noisy than the rate on a shared
 * machine, since time another process takes from k6's core is not counted.
 */
async function k6Rate(
  k6: string,
  script: string,
  env: Record<string, string>,
  tag: string,
): Promise<{ rate: number; cpuUs: number }> {
  const exportPath = join(work, `${tag}.summary-export.json`);
  const r = await runProcess(
    'bash',
    [
      '-c',
      'taskset -c 0 "$@"; code=$?; times >&2; exit $code',
      'bash',
      k6,
      'run',
      '--quiet',
      '--no-color',
      '--no-usage-report',
      '--summary-export',
      exportPath,
      script,
    ],
    { ...process.env, ...env },
    (seconds + 60) * 1000,
  );
  if (r.code !== 0) throw new Error(`${tag}: k6 exited ${r.code}: ${r.stderr.slice(-800)}`);
  const m = (
    JSON.parse(readFileSync(exportPath, 'utf8')) as { metrics: Record<string, { count?: number; rate?: number }> }
  ).metrics;
  const rate = m['iterations']?.rate;
  const count = m['iterations']?.count;
  if (rate === undefined || count === undefined) throw new Error(`${tag}: no iterations metric in the summary export`);
  // `times` prints the shell's own times, then its children's: "0m1.234s 0m0.567s"
  const children = r.stderr.trim().split('\n').pop() ?? '';
  const secs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((x) => Number(x[1]) * 60 + Number(x[2]));
  if (secs.length !== 2) throw new Error(`${tag}: no CPU times in '${children}'`);
  return { rate, cpuUs: ((secs[0]! + secs[1]!) * 1e6) / count };
}

const k6 = (await resolveK6({ log: () => {} })).path;
const [smoke, mixed] = await bundleScenarios(['smoke', 'mixed']);
const zero = await startPinned('1', process.execPath, ['--import', 'tsx', join(here, 'zero-server.ts')], repoRoot);
const out: Record<string, unknown> = {
  createdAt: new Date().toISOString(),
  k6Path: k6,
  rounds,
  seconds,
  vus: VUS,
  goals: { ratio: GOAL_RATIO, overheadMedianMs: GOAL_OVERHEAD_MS },
};
try {
  const rows: {
    round: number;
    prompts: string;
    order: string;
    bareRps: number;
    floorRps: number;
    leanRps: number;
    genloadRps: number;
    ratio: number;
    floorRatio: number;
    leanRatio: number;
    cpuUs: Record<string, number>;
    cpuRatio: number;
    beforeRps?: number;
    beforeRatio?: number;
  }[] = [];
  for (const prompts of PROMPT_SETS) {
    const workload = { ...WORKLOAD, promptSet: prompts };
    // the same requests, in iteration order: the bodies of the workload.jsonl genload builds for this run
    const bodiesPath = join(work, `bodies-${prompts}.json`);
    const probe = await runConfig('smoke', zero.url, 'openai-chat', {}, workload, join(work, `bodies-${prompts}`));
    writeFileSync(bodiesPath, JSON.stringify(workloadBodies(probe.workloadFile.path)));
    for (let round = 1; round <= rounds; round++) {
      const tag = `${prompts}-${round}`;
      const runGenload = async () =>
        k6Rate(
          k6,
          smoke!,
          {
            [RUN_CONFIG_ENV]: JSON.stringify(
              await runConfig('smoke', zero.url, 'openai-chat', {}, workload, join(work, `smoke-${tag}`)),
            ),
          },
          `genload-${tag}`,
        );
      const runBefore = async () =>
        k6Rate(
          k6,
          beforeBundle!,
          {
            [RUN_CONFIG_ENV]: JSON.stringify(
              await runConfig('smoke', zero.url, 'openai-chat', {}, workload, join(work, `before-${tag}`)),
            ),
          },
          `before-${tag}`,
        );
      const runBare = () =>
        k6Rate(
          k6,
          join(here, 'bare.js'),
          { BARE_URL: zero.url, BARE_BODIES: bodiesPath, BARE_VUS: String(VUS), BARE_DURATION_S: String(seconds) },
          `bare-${tag}`,
        );
      const runFloor = () =>
        k6Rate(
          k6,
          join(here, 'floor.js'),
          { BARE_URL: zero.url, BARE_BODIES: bodiesPath, BARE_VUS: String(VUS), BARE_DURATION_S: String(seconds) },
          `floor-${tag}`,
        );
      const runLean = () =>
        k6Rate(
          k6,
          join(here, 'lean.js'),
          { BARE_URL: zero.url, BARE_BODIES: bodiesPath, BARE_VUS: String(VUS), BARE_DURATION_S: String(seconds) },
          `lean-${tag}`,
        );
      // rotate the order so no variant always runs first (or last) in a round
      const variants =
        beforeBundle === undefined
          ? (['bare', 'genload', 'floor', 'lean'] as const)
          : (['bare', 'genload', 'floor', 'lean', 'before'] as const);
      const order = variants.map((_, k, all) => all[(k + round - 1) % all.length]!);
      const runs = { bare: runBare, genload: runGenload, floor: runFloor, lean: runLean, before: runBefore };
      const rps: Record<string, number> = {};
      const cpuUs: Record<string, number> = {};
      for (const name of order) ({ rate: rps[name], cpuUs: cpuUs[name] } = await runs[name]());
      const bareRps = rps['bare']!;
      const genloadRps = rps['genload']!;
      const floorRps = rps['floor']!;
      const leanRps = rps['lean']!;
      const beforeRps = rps['before'];
      rows.push({
        round,
        prompts,
        order: order.join(', '),
        bareRps,
        floorRps,
        leanRps,
        genloadRps,
        ratio: genloadRps / bareRps,
        floorRatio: floorRps / bareRps,
        leanRatio: genloadRps / leanRps,
        cpuUs,
        cpuRatio: cpuUs['bare']! / cpuUs['genload']!,
        ...(beforeRps === undefined ? {} : { beforeRps, beforeRatio: beforeRps / bareRps }),
      });
      const before =
        beforeRps === undefined
          ? ''
          : `, before ${beforeRps.toFixed(0)} it/s (ratio ${(beforeRps / bareRps).toFixed(3)})`;
      process.stdout.write(
        `${prompts} prompts, round ${round}: bare ${bareRps.toFixed(0)} it/s, floor ${floorRps.toFixed(0)} it/s, lean ${leanRps.toFixed(0)} it/s, genload ${genloadRps.toFixed(0)} it/s, ratio ${(genloadRps / bareRps).toFixed(3)} (to lean ${(genloadRps / leanRps).toFixed(3)}); k6 CPU µs/iteration ${Object.entries(
          cpuUs,
        )
          .map(([k, v]) => `${k} ${v.toFixed(0)}`)
          .join(', ')}${before}\n`,
      );
    }
  }
  const of = (prompts: string) => rows.filter((r) => r.prompts === prompts);
  out['rate'] = Object.fromEntries(
    PROMPT_SETS.map((p) => {
      const ratio = median(of(p).map((r) => r.ratio));
      const before =
        beforeBundle === undefined
          ? {}
          : {
              medianBeforeRps: median(of(p).map((r) => r.beforeRps ?? 0)),
              medianBeforeRatio: median(of(p).map((r) => r.beforeRatio ?? 0)),
            };
      return [
        p,
        {
          rows: of(p),
          medianBareRps: median(of(p).map((r) => r.bareRps)),
          medianFloorRps: median(of(p).map((r) => r.floorRps)),
          medianLeanRps: median(of(p).map((r) => r.leanRps)),
          medianGenloadRps: median(of(p).map((r) => r.genloadRps)),
          medianFloorRatio: median(of(p).map((r) => r.floorRatio)),
          medianLeanRatio: median(of(p).map((r) => r.leanRatio)),
          medianCpuUs: Object.fromEntries(
            Object.keys(of(p)[0]?.cpuUs ?? {}).map((k) => [k, median(of(p).map((r) => r.cpuUs[k] ?? Number.NaN))]),
          ),
          medianCpuRatio: median(of(p).map((r) => r.cpuRatio)),
          medianRatio: ratio,
          met: ratio >= GOAL_RATIO,
          ...before,
        },
      ];
    }),
  );
} finally {
  await zero.stop();
}
// the rate figures are kept even if the accuracy part below fails
writeFileSync(join(here, 'results.json'), `${JSON.stringify(out, null, 2)}\n`);

// accuracy at low load against the reference server's own Server-Timing:
// streamed LLM answers, then not streamed (both through k6/x/genload's client)
const sim = await startManagedServer({ engine: 'sim', logPath: join(work, 'sim.log') });
try {
  const runs: Record<string, unknown> = {};
  let worst = 0;
  for (const stream of [true, false]) {
    const name = stream ? 'streamed' : 'not streamed';
    const runDir = join(work, `accuracy-${stream ? 'stream' : 'json'}`);
    const cfg = await runConfig(
      'mixed',
      sim.url,
      'reference',
      { rateRps: 2, durationSeconds: 30, warmupSeconds: 2 },
      { promptSet: 'short', maxTokens: 16, steps: 4, sizePx: 64, stream },
      runDir,
    );
    const r = await runProcess(
      'taskset',
      ['-c', '0', k6, 'run', '--quiet', '--no-color', '--no-usage-report', mixed!],
      { ...process.env, [RUN_CONFIG_ENV]: JSON.stringify(cfg) },
      120_000,
    );
    if (r.code !== 0) throw new Error(`accuracy run (${name}): k6 exited ${r.code}: ${r.stderr.slice(-800)}`);
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as Summary;
    const measure = summary.stages.find((s) => s.stage === 'measure');
    const perClass = Object.fromEntries(
      Object.entries(measure?.classes ?? {}).map(([cls, c]) => [
        cls,
        {
          requests: c.requests,
          overheadP50Ms: c.latency[TREND.clientOverheadMs]?.p50 ?? null,
          overheadP95Ms: c.latency[TREND.clientOverheadMs]?.p95 ?? null,
          e2eP50Ms: c.latency[TREND.e2eMs]?.p50 ?? null,
        },
      ]),
    );
    worst = Math.max(worst, ...Object.values(perClass).map((c) => c.overheadP50Ms ?? Number.POSITIVE_INFINITY));
    runs[name] = perClass;
  }
  out['accuracy'] = { rateRps: 2, runs, worstMedianOverheadMs: worst, met: worst < GOAL_OVERHEAD_MS };
} finally {
  await sim.stop();
}

writeFileSync(join(here, 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
const rate = out['rate'] as Record<
  string,
  {
    medianBareRps: number;
    medianFloorRps: number;
    medianLeanRps: number;
    medianGenloadRps: number;
    medianFloorRatio: number;
    medianLeanRatio: number;
    medianCpuUs: Record<string, number>;
    medianCpuRatio: number;
    medianRatio: number;
    met: boolean;
    medianBeforeRatio?: number;
  }
>;
const acc = out['accuracy'] as {
  runs: Record<string, Record<string, { overheadP50Ms: number | null; overheadP95Ms: number | null }>>;
  met: boolean;
};
process.stdout.write(`\n| figure | value | goal | met |\n| --- | --- | --- | --- |\n`);
for (const [prompts, r] of Object.entries(rate)) {
  process.stdout.write(
    `| ${prompts} prompts: iterations/s bare k6 / floor / lean / genload smoke (medians of ${rounds}) | ${r.medianBareRps.toFixed(0)} / ${r.medianFloorRps.toFixed(0)} / ${r.medianLeanRps.toFixed(0)} / ${r.medianGenloadRps.toFixed(0)} | | |\n`,
  );
  process.stdout.write(
    `| ${prompts} prompts: floor / bare (median of per-round ratios) | ${r.medianFloorRatio.toFixed(3)} | | |\n`,
  );
  process.stdout.write(
    `| ${prompts} prompts: genload / bare (median of per-round ratios) | ${r.medianRatio.toFixed(3)} | ≥ ${GOAL_RATIO} | ${r.met ? 'yes' : 'NO'} |\n`,
  );
  process.stdout.write(
    `| ${prompts} prompts: genload / lean (median of per-round ratios) | ${r.medianLeanRatio.toFixed(3)} | | |\n`,
  );
  process.stdout.write(
    `| ${prompts} prompts: k6 CPU µs per iteration (medians): ${Object.keys(r.medianCpuUs).join(' / ')} | ${Object.values(
      r.medianCpuUs,
    )
      .map((v) => v.toFixed(0))
      .join(' / ')} | | |\n`,
  );
  process.stdout.write(
    `| ${prompts} prompts: bare CPU / genload CPU per iteration (median of per-round ratios) | ${r.medianCpuRatio.toFixed(3)} | | |\n`,
  );
  if (r.medianBeforeRatio !== undefined)
    process.stdout.write(
      `| ${prompts} prompts: --before / bare (median of per-round ratios) | ${r.medianBeforeRatio.toFixed(3)} | | |\n`,
    );
}
for (const [run, perClass] of Object.entries(acc.runs))
  for (const [cls, c] of Object.entries(perClass))
    process.stdout.write(
      `| client − Server-Timing total, ${cls} (${run}), P50 (P95) ms | ${c.overheadP50Ms?.toFixed(3)} (${c.overheadP95Ms?.toFixed(3)}) | < ${GOAL_OVERHEAD_MS} at P50 | ${(c.overheadP50Ms ?? 99) < GOAL_OVERHEAD_MS ? 'yes' : 'NO'} |\n`,
    );
rmSync(work, { recursive: true, force: true });
process.exitCode = Object.values(rate).every((r) => r.met) && acc.met ? 0 : 1;
