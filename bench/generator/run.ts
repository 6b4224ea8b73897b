// Where does genload call itself the limit? genload's CLI with k6 pinned to
// one core (K6_CPUS=0) streams 64-token answers from the zero-cost server
// (bench/protocol/stream-server, pinned to core 1) at a list of offered rates;
// per rate it records what the generator check saw (k6's CPU share of its
// core, the share it waited for the core, the probe's lag p95), what k6
// delivered (achieved rate, dropped arrivals) and genload's exit code. The
// figures set GENERATOR_BOUND_SHARE and the probe bound (README, "Validity").
//   node --import tsx bench/generator/run.ts --rates 100,300,600,900,1200,20000 --seconds 8 --rounds 1

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../../lib/cli/paths.ts';
import type { Summary } from '../../lib/shared/summary.ts';
import { runProcess, startPinned } from '../k6-overhead/process.ts';

const { values } = parseArgs({
  options: {
    rates: { type: 'string', default: '100,300,600,900,1200,20000' },
    seconds: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '1' },
    scenario: { type: 'string', default: 'llm-stream' },
    out: { type: 'string', default: join(repoRoot, 'bench/generator/results.json') },
  },
});
const rates = (values.rates ?? '')
  .split(',')
  .map(Number)
  .filter((r) => r > 0);
const seconds = Math.max(3, Math.min(60, Number(values.seconds) || 8));
const rounds = Math.max(1, Math.min(5, Number(values.rounds) || 1));
const work = mkdtempSync(join(tmpdir(), 'genload-generator-'));
const serverBin = join(work, 'stream-server');
execFileSync('go', ['build', '-o', serverBin, '.'], {
  cwd: join(repoRoot, 'bench/protocol/stream-server'),
  stdio: 'inherit',
});

interface Row {
  round: number;
  offeredRps: number;
  exitCode: number | null;
  achievedRps: number;
  droppedIterations: number;
  k6CpuShare: number | null;
  k6WaitShare: number | null;
  probeLagP95Ms: number | null;
  bound: boolean;
  reason: string | null;
  loadAverage1m: number;
  runDir: string;
}

const rows: Row[] = [];
for (let round = 1; round <= rounds; round++) {
  for (const rate of rates) {
    const server = await startPinned('1', serverBin, ['64'], work);
    try {
      const p = await runProcess(
        process.execPath,
        [
          '--import',
          'tsx',
          'lib/cli/main.ts',
          'load',
          '--scenario',
          values.scenario ?? 'llm-stream',
          '--rate',
          String(rate),
          '--max-rate',
          String(rate),
          '--target',
          server.url,
          '--api',
          'openai-chat',
          '--duration',
          String(seconds),
          '--warmup',
          '0',
          '--max-tokens',
          '64',
          '--prompts',
          'short',
          '--results',
          join(work, 'results'),
          '--name',
          `r${round}-${rate}`,
        ],
        { ...process.env, K6_CPUS: '0', FORCE_COLOR: '0' },
        (seconds + 180) * 1000,
      );
      const runDir = /results in (\S+)/.exec(p.stderr)?.[1];
      if (runDir === undefined) throw new Error(`rate ${rate}: no run folder: ${p.stderr.slice(-1500)}`);
      const s = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as Summary;
      const g = s.generator?.stages.find((x) => x.stage === 'measure');
      const st = s.stages.find((x) => x.stage === 'measure');
      const row: Row = {
        round,
        offeredRps: rate,
        exitCode: p.code,
        achievedRps: Math.round((st?.achievedRps ?? 0) * 10) / 10,
        droppedIterations: s.validity.droppedIterations,
        k6CpuShare: g?.k6CpuShare ?? null,
        k6WaitShare: g?.k6WaitCores !== undefined && g.allowedCores ? g.k6WaitCores / g.allowedCores : null,
        probeLagP95Ms: g?.probeLagP95Ms ?? null,
        bound: g?.bound === true,
        reason: g?.reason ?? null,
        loadAverage1m: loadavg()[0] ?? 0,
        runDir,
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    } finally {
      await server.stop();
    }
  }
}
const command = `node --import tsx bench/generator/run.ts --rates ${rates.join(',')} --seconds ${seconds} --rounds ${rounds}`;
writeFileSync(
  values.out ?? '',
  `${JSON.stringify({ command, date: new Date().toISOString(), scenario: values.scenario, rows }, null, 2)}\n`,
);
