// Runs profile.k6.js (per-part cost of a genload iteration inside k6) against
// the zero-cost endpoint and prints microseconds per call, per prompt set.
//   node --import tsx bench/k6-overhead/profile.ts [--n 1000] [--rounds 5]
// k6 on core 0, the endpoint on core 1; per part the fastest of the rounds
// (interleaved inside one k6 run) is shown, the least disturbed estimate.

import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { k6BuildOptions } from '../../build/bundle.ts';
import { repoRoot } from '../../build/paths.ts';
import { resolveK6 } from '../../lib/cli/k6/provision.ts';
import { runProcess, startPinned } from './process.ts';

const { values } = parseArgs({ options: { n: { type: 'string', default: '1000' }, rounds: { type: 'string', default: '5' } } });
const n = Math.max(10, Math.min(100_000, Number(values.n) || 1000));
const rounds = Math.max(1, Math.min(20, Number(values.rounds) || 5));
const here = join(repoRoot, 'bench/k6-overhead');
const work = mkdtempSync(join(tmpdir(), 'genload-k6-profile-'));
const script = join(work, 'profile.js');
await build({ ...k6BuildOptions, entryPoints: [join(here, 'profile.k6.js')], outfile: script });
const k6 = (await resolveK6({ log: () => {} })).path;
const zero = await startPinned('1', process.execPath, ['--import', 'tsx', join(here, 'zero-server.ts')], repoRoot);

type Row = Record<string, number>;
const byPrompts: Record<string, Row[]> = {};
try {
  for (const prompts of ['short', 'mixed']) {
    {
      const consolePath = join(work, `console-${prompts}.log`);
      const res = await runProcess('taskset', ['-c', '0', k6, 'run', '--quiet', '--no-color', '--no-usage-report', '--summary-mode=disabled', '--console-output', consolePath, script], { ...process.env, PROFILE_URL: zero.url, PROFILE_N: String(n), PROFILE_ROUNDS: String(rounds), PROFILE_PROMPTS: prompts }, 600_000);
      if (res.code !== 0) throw new Error(`profile (${prompts}): k6 exited ${res.code}: ${res.stderr.slice(-800)}`);
      // k6 writes console lines as logfmt: msg="<the JSON, escaped>"
      const msg = readFileSync(consolePath, 'utf8').split('\n').map((l) => /msg="((?:[^"\\]|\\.)*)"/.exec(l)?.[1]).find((m) => m?.startsWith('{\\"profile'));
      if (msg === undefined) throw new Error(`profile (${prompts}): no result line in the console output`);
      const json = JSON.parse(`"${msg}"`) as string;
      (byPrompts[prompts] ??= []).push((JSON.parse(json) as { profile: { usPerCall: Row } }).profile.usPerCall);
    }
  }
} finally {
  await zero.stop();
  rmSync(work, { recursive: true, force: true });
}

const parts = Object.keys(byPrompts['short']?.[0] ?? {});
process.stdout.write(`\n| part (µs per call, fastest of ${rounds} rounds of ${n}) | short prompts | mixed prompts |\n| --- | --- | --- |\n`);
for (const part of parts) {
  const cell = (p: string) => (byPrompts[p]?.[0]?.[part] ?? Number.NaN).toFixed(1);
  process.stdout.write(`| ${part} | ${cell('short')} | ${cell('mixed')} |\n`);
}
