// Capacity accuracy benchmark: runs the full capacity search (real k6, real
// reference server on the sim engine with known capacity) and prints how far
// the discovered sustainable rate is from the known SLO-bounded maximum, and
// how long the search took. Goal: within ±5 % in at most 5 minutes.
//   node --import tsx bench/capacity/accuracy.ts [--runs N]
// Exit 0 when every run met both goals, 1 otherwise.

import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCapacity } from '../../lib/cli/commands/capacity.ts';
import type { CapacityReport } from '../../lib/cli/capacity/report.ts';
import { resultLevels } from '../../lib/cli/capacity/stepper.ts';
import { KNOWN_CAPACITY_RPS, SIM, simWorkloadFlags, startSimServer } from './sim-fixture.ts';

const GOAL_ERROR_RATIO = 0.05;
const GOAL_WALL_SECONDS = 300;
/** the benchmark configuration: 2 s warm-up + 6 s measured per step, 3 % tolerance */
const SEARCH_FLAGS = { rate: '5', duration: '6', warmup: '2', tolerance: '3%', 'time-budget': '290s', name: 'bench' };

const { values } = parseArgs({ options: { runs: { type: 'string', default: '1' } } });
const runs = Math.max(1, Math.min(5, Number(values.runs) || 1));

const results = mkdtempSync(join(tmpdir(), 'genload-capacity-bench-'));
const server = await startSimServer(join(mkdtempSync(join(tmpdir(), 'genload-sim-')), 'server.log'));
const rows: string[] = [];
let ok = true;
try {
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const exitCode = await runCapacity(
      { ...simWorkloadFlags(server.url), ...SEARCH_FLAGS, results },
      process.env,
      () => {},
    );
    const wallS = (performance.now() - started) / 1000;
    const folder =
      readdirSync(results)
        .filter((f) => f.includes('capacity-diffusion'))
        .sort()
        .pop() ?? '';
    const report = JSON.parse(readFileSync(join(results, folder, 'capacity.json'), 'utf8')) as CapacityReport;
    const res = report.result === null ? null : resultLevels(report.result);
    const found = res?.sustainable ?? NaN;
    const errorRatio = (found - KNOWN_CAPACITY_RPS) / KNOWN_CAPACITY_RPS;
    const met = exitCode === 0 && Math.abs(errorRatio) <= GOAL_ERROR_RATIO && wallS <= GOAL_WALL_SECONDS;
    ok &&= met;
    rows.push(
      `| ${i + 1} | ${KNOWN_CAPACITY_RPS} | ${found} | [${res?.low}, ${res?.high}] | ${(errorRatio * 100).toFixed(1)} % | ${report.steps.length} | ${wallS.toFixed(0)} s | ${met ? 'yes' : 'NO'} |`,
    );
    process.stderr.write(
      `run ${i + 1}: ${report.message} (${wallS.toFixed(0)} s, ${report.steps.length} steps) in ${join(results, folder)}\n`,
    );
  }
} finally {
  await server.stop();
}

process.stdout.write(
  [
    `capacity accuracy: sim engine, ${SIM.slots} slots × ${SIM.steps} steps × ${SIM.stepMs} ms, image e2e p90 < 650 ms; goal ±${GOAL_ERROR_RATIO * 100} % in ≤ ${GOAL_WALL_SECONDS} s`,
    '',
    '| run | known rps | found rps | interval | error | steps | wall | goal met |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n'),
);
process.exitCode = ok ? 0 : 1;
