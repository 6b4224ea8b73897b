// k6 memory per streamed request: ITL_SAMPLES=token (one ITL sample per
// token, exact percentiles) vs request (one per request, the exact gaps in
// itl.jsonl). k6 keeps every Trend sample until the end of the test, so its
// RSS grows with the samples a run records; the slope between a short and a
// long run is the cost per request, free of k6's fixed start-up memory.
// Each run: genload's bundled `concurrency` scenario (one closed step of --vus
// VUs, streamed 64-token answers from stream-server/ on core 1), its run config
// and workload.jsonl built as the CLI builds them, the interactive-chat SLO
// (TTFT, ITL, TPOT and e2e thresholds, so k6 also keeps the thresholded
// sub-metrics' samples, as a judged run does), k6 on core 0 under
// /usr/bin/time (max RSS).
//   node --import tsx bench/protocol/memory.ts [--short 5] [--long 20] [--vus 8]
// Writes the `memory` entry of bench/protocol/results.json (other entries kept).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleScenarios } from '../../lib/cli/bundle/bundle.ts';
import { repoRoot } from '../../lib/cli/paths.ts';
import { loadSloFile } from '../../lib/cli/config/slo-file.ts';
import { resolveK6 } from '../../lib/cli/k6/provision.ts';
import { RUN_CONFIG_ENV } from '../../lib/shared/run-config.ts';
import { parseSlo } from '../../lib/shared/slo/index.ts';
import type { Summary } from '../../lib/shared/summary.ts';
import { genloadConfig } from '../k6-overhead/genload-config.ts';
import { runProcess, startPinned } from '../k6-overhead/process.ts';

const SLO_FILE = 'thresholds/interactive-chat.json';
const TOKENS = 64;
const { values } = parseArgs({
  options: {
    short: { type: 'string', default: '5' },
    long: { type: 'string', default: '20' },
    vus: { type: 'string', default: '8' },
  },
});
const shortS = Math.max(2, Math.min(60, Number(values.short) || 5));
const longS = Math.max(shortS + 2, Math.min(120, Number(values.long) || 20));
const vus = Math.max(1, Math.min(64, Number(values.vus) || 8));
const here = join(repoRoot, 'bench/protocol');
const work = mkdtempSync(join(tmpdir(), 'genload-protocol-mem-'));

const loaded = loadSloFile(join(repoRoot, SLO_FILE));
if (loaded.problems.length > 0) throw new Error(loaded.problems.join('; '));
const slo = { path: SLO_FILE, value: parseSlo(loaded.slo, SLO_FILE) };
const k6 = (await resolveK6({ log: () => {} })).path;
const [script] = (await bundleScenarios(['concurrency'])) as [string];
const serverBin = join(work, 'stream-server');
execFileSync('go', ['build', '-o', serverBin, '.'], { cwd: join(here, 'stream-server'), stdio: 'inherit' });
const server = await startPinned('1', serverBin, [String(TOKENS)], here);

/** One run: k6's max RSS (MB) and the streamed requests it completed. */
async function run(
  itlSamples: 'token' | 'request',
  seconds: number,
): Promise<{ seconds: number; requests: number; maxRssMb: number }> {
  const runDir = join(work, `${itlSamples}-${seconds}`);
  const config = await genloadConfig({
    scenario: 'concurrency',
    url: server.url,
    api: 'openai-chat',
    runDir,
    load: { durationSeconds: seconds, warmupSeconds: 0, vus, maxVus: vus, concurrency: [vus] },
    workload: { promptSet: 'short', maxTokens: TOKENS, stream: true, itlSamples },
    slo,
  });
  const p = await runProcess(
    'taskset',
    ['-c', '0', '/usr/bin/time', '-f', 'maxrss_kb=%M', k6, 'run', '--quiet', '--no-color', '--no-usage-report', script],
    { ...process.env, [RUN_CONFIG_ENV]: JSON.stringify(config) },
    (seconds + 120) * 1000,
  );
  const kb = /maxrss_kb=(\d+)/.exec(p.stderr)?.[1];
  if (p.code !== 0 || kb === undefined)
    throw new Error(`k6 (${itlSamples}, ${seconds} s) exited ${p.code}: ${p.stderr.slice(-1500)}`);
  const s = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as Summary;
  const llm = s.stages.find((x) => x.stage === 'step-01')?.classes['llm'];
  if (llm === undefined || llm.errorRate > 0)
    throw new Error(`k6 (${itlSamples}, ${seconds} s): no clean llm stage in ${runDir}/summary.json`);
  return { seconds, requests: llm.requests, maxRssMb: Number(kb) / 1024 };
}

const memory: Record<string, unknown> = {
  createdAt: new Date().toISOString(),
  vus,
  tokensPerRequest: TOKENS,
  slo: SLO_FILE,
  scenario: 'concurrency (bundled, k6 run directly)',
  command: `node --import tsx bench/protocol/memory.ts --short ${shortS} --long ${longS} --vus ${vus}`,
};
try {
  for (const mode of ['token', 'request'] as const) {
    const a = await run(mode, shortS);
    const b = await run(mode, longS);
    const perThousandMb = ((b.maxRssMb - a.maxRssMb) / (b.requests - a.requests)) * 1000;
    memory[mode] = { runs: [a, b], mbPer1000Requests: Math.round(perThousandMb * 1000) / 1000 };
    process.stdout.write(
      `itlSamples=${mode}: ${a.requests} requests ${a.maxRssMb.toFixed(1)} MB, ${b.requests} requests ${b.maxRssMb.toFixed(1)} MB: ${perThousandMb.toFixed(3)} MB per 1,000 requests\n`,
    );
  }
} finally {
  await server.stop();
}
const resultsPath = join(here, 'results.json');
const previous = existsSync(resultsPath)
  ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as Record<string, unknown>)
  : {};
writeFileSync(resultsPath, `${JSON.stringify({ ...previous, memory }, null, 2)}\n`);
rmSync(work, { recursive: true, force: true });
