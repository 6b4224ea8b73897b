// CPU profile (Go pprof) of k6 running the genload smoke scenario, or bare.js,
// against the zero-cost endpoint: where k6's time goes per iteration.
//   node --import tsx bench/k6-overhead/pprof.ts [--variant genload|bare|floor] [--prompts mixed|short] [--seconds 8] [--out <file.pb.gz>]
// k6 on core 0 with --profiling-enabled, the endpoint on core 1; the profile
// covers the middle of the run; prints `go tool pprof -top` of it.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleScenarios } from '../../lib/cli/bundle/bundle.ts';
import { repoRoot } from '../../lib/cli/paths.ts';
import { resolveK6 } from '../../lib/cli/k6/provision.ts';
import { RUN_CONFIG_ENV } from '../../lib/shared/run-config.ts';
import { genloadConfig, workloadBodies } from './genload-config.ts';
import { startPinned } from './process.ts';

const { values } = parseArgs({
  options: {
    variant: { type: 'string', default: 'genload' },
    prompts: { type: 'string', default: 'mixed' },
    seconds: { type: 'string', default: '8' },
    out: { type: 'string' },
  },
});
const seconds = Math.max(4, Math.min(60, Number(values.seconds) || 8));
const variant = values.variant ?? 'genload';
if (!['genload', 'bare', 'floor'].includes(variant))
  throw new Error(`--variant: must be genload, bare or floor, but is '${variant}'`);
const prompts = values.prompts ?? 'mixed';
const here = join(repoRoot, 'bench/k6-overhead');
const work = mkdtempSync(join(tmpdir(), 'genload-k6-pprof-'));
const out = values.out ?? join(work, `${variant}.pb.gz`);
const workload = { stream: false, maxTokens: 64, promptSet: prompts };
const k6 = (await resolveK6({ log: () => {} })).path;
const zero = await startPinned('1', process.execPath, ['--import', 'tsx', join(here, 'zero-server.ts')], repoRoot);
try {
  // genload's run config and workload.jsonl, built as the CLI builds them; the bare variants post its bodies
  const config = await genloadConfig({
    scenario: 'smoke',
    url: zero.url,
    api: 'openai-chat',
    runDir: join(work, 'run'),
    load: { durationSeconds: seconds, vus: 2 },
    workload,
  });
  let script: string;
  const env: Record<string, string> = {};
  if (variant === 'genload') {
    [script] = (await bundleScenarios(['smoke'])) as [string];
    env[RUN_CONFIG_ENV] = JSON.stringify(config);
  } else {
    script = join(here, `${variant}.js`);
    const bodies = join(work, 'bodies.json');
    writeFileSync(bodies, JSON.stringify(workloadBodies(config.workloadFile.path)));
    Object.assign(env, { BARE_URL: zero.url, BARE_BODIES: bodies, BARE_VUS: '2', BARE_DURATION_S: String(seconds) });
  }
  const child = spawn(
    'taskset',
    [
      '-c',
      '0',
      k6,
      'run',
      '--quiet',
      '--no-color',
      '--no-usage-report',
      '--profiling-enabled',
      '--address',
      '127.0.0.1:6565',
      script,
    ],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise<number>((r) => child.once('exit', (c) => r(c ?? -1)));
  await new Promise((r) => setTimeout(r, 2000));
  const profSeconds = Math.max(2, seconds - 4);
  const res = await fetch(`http://127.0.0.1:6565/debug/pprof/profile?seconds=${profSeconds}`);
  writeFileSync(out, Buffer.from(await res.arrayBuffer()));
  const code = await exited;
  if (code !== 0) throw new Error(`k6 exited ${code}`);
  process.stdout.write(execFileSync('go', ['tool', 'pprof', '-top', '-nodecount=45', out], { encoding: 'utf8' }));
  process.stdout.write(`profile: ${out}\n`);
} finally {
  await zero.stop();
}
