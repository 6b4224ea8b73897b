// Streamed ceiling on one core (issue 15): how many streamed 64-token chat
// requests per second each load tool completes when it has one core (core 0,
// its whole process tree) against a zero-cost streaming server on core 1
// (stream-server/, Go). Closed model: `--vus` concurrent requests, back to
// back, for `--seconds`. Variants, interleaved in `--rounds` (the order
// rotates each round), medians of the per-round ratios:
//   genload      genload's CLI, `concurrency` scenario (one closed step, streamed)
//   llm-stream   genload's CLI, `llm-stream` at an arrival rate above the ceiling, max VUs = --vus
//   sse-parse    bare k6 + k6/x/sse, JSON.parse of every event, TTFT and ITL Trends (same bodies)
//   sse-noparse  bare k6 + k6/x/sse, the handler only counts events (same bodies)
//   aiperf       AIPerf (PyPI, venv in the cache), --concurrency, --streaming
//   locust       Locust (PyPI, venv in the cache), locustfile.py, FastHttpUser
// Goals: genload >= 1.0 x sse-parse; genload >= 2 x each peer.
//   node --import tsx bench/protocol/run.ts [--rounds 5] [--seconds 8] [--vus 8] [--tokens 64] [--skip aiperf,locust]
// Writes bench/protocol/results.json (the memory figures, memory.ts, are kept).

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../../lib/cli/paths.ts';
import { cacheRoot } from '../../lib/cli/k6/cache-key.ts';
import { resolveK6 } from '../../lib/cli/k6/provision.ts';
import { ensureLlamaCpp } from '../../test/targets/llama-cpp/provision.ts';
import { genloadConfig, workloadBodies } from '../k6-overhead/genload-config.ts';
import { median, startPinned } from '../k6-overhead/process.ts';
import { writeHfTokenizer } from '../peers/hf-tokenizer.ts';
import { aiperf, bareK6, genloadCli, locust, type ToolResult, type ToolRun } from './tools.ts';

const AIPERF_VERSION = '0.13.0';
const LOCUST_VERSION = '2.47.0';
const GOAL_BARE = 1.0;
const GOAL_PEER = 2.0;

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '8' },
    vus: { type: 'string', default: '8' },
    tokens: { type: 'string', default: '64' },
    skip: { type: 'string', default: '' },
    // the key of results.json this run is written under: another key keeps the published ceiling figures
    key: { type: 'string', default: 'ceiling' },
  },
});
const rounds = Math.max(1, Math.min(9, Number(values.rounds) || 5));
const seconds = Math.max(3, Math.min(60, Number(values.seconds) || 8));
const vus = Math.max(1, Math.min(64, Number(values.vus) || 8));
const tokens = Math.max(1, Math.min(1024, Number(values.tokens) || 64));
const skip = new Set((values.skip ?? '').split(',').filter((x) => x !== ''));
const here = join(repoRoot, 'bench/protocol');
const work = mkdtempSync(join(tmpdir(), 'genload-protocol-'));
const root = cacheRoot(process.env);
const loadAtStart = loadavg().map((x) => Math.round(x * 100) / 100);

/** A pip-installed tool in its own venv under the cache (installed on first use). */
function ensureVenvTool(name: string, spec: string, bin: string): string {
  const venv = join(root, 'peers', name);
  const path = join(venv, 'bin', bin);
  if (existsSync(path)) return path;
  mkdirSync(dirname(venv), { recursive: true });
  for (const [cmd, args] of [
    ['python3', ['-m', 'venv', venv]],
    [join(venv, 'bin', 'pip'), ['install', '-q', spec]],
  ] as const) {
    const r = spawnSync(cmd, args, { stdio: 'inherit', timeout: 30 * 60_000 });
    if (r.status !== 0) throw new Error(`installing ${spec} failed; reason: ${cmd} exited ${r.status}`);
  }
  return path;
}

const k6 = (await resolveK6({ log: () => {} })).path;
const serverBin = join(work, 'stream-server');
execFileSync('go', ['build', '-o', serverBin, '.'], { cwd: join(here, 'stream-server'), stdio: 'inherit' });
const server = await startPinned('1', serverBin, [String(tokens)], here);

// the bodies genload sends: the workload.jsonl of the same run (scenario, seed, knobs), built as the CLI builds it
const probe = await genloadConfig({
  scenario: 'concurrency',
  url: server.url,
  api: 'openai-chat',
  runDir: join(work, 'bodies'),
  load: { durationSeconds: seconds, warmupSeconds: 0, vus, maxVus: vus, concurrency: [vus] },
  workload: { promptSet: 'short', maxTokens: tokens, stream: true },
});
const bodies = workloadBodies(probe.workloadFile.path);
const bodiesPath = join(work, 'bodies.json');
writeFileSync(bodiesPath, JSON.stringify(bodies));

type Variant = 'genload' | 'llm-stream' | 'sse-parse' | 'sse-noparse' | 'aiperf' | 'locust';
const commands: Record<string, string> = {};
const runners: Partial<Record<Variant, (r: ToolRun) => Promise<ToolResult>>> = {
  genload: async (r) => {
    const g = await genloadCli(r, 'concurrency');
    sameBodies(g.runDir);
    return g;
  },
  'llm-stream': async (r) => genloadCli(r, 'llm-stream', { rateRps: 8000 }),
  'sse-parse': (r) => bareK6(r, k6, join(here, 'sse-parse.js'), bodiesPath),
  'sse-noparse': (r) => bareK6(r, k6, join(here, 'sse-noparse.js'), bodiesPath),
};
if (!skip.has('aiperf')) {
  const bin = ensureVenvTool(`aiperf-${AIPERF_VERSION}`, `aiperf==${AIPERF_VERSION}`, 'aiperf');
  // AIPerf must have a tokenizer to make prompts and cannot download one: the llama.cpp vocab's, as bench/peers does
  const lcp = await ensureLlamaCpp({ cacheRoot: root });
  const tokenizer = writeHfTokenizer(lcp.vocabPath, join(work, 'tokenizer'));
  runners.aiperf = async (r) => {
    const a = await aiperf(r, bin, tokenizer);
    commands['aiperf'] = a.command;
    return a;
  };
}
if (!skip.has('locust')) {
  const bin = ensureVenvTool('locust-2.47', `locust==${LOCUST_VERSION}`, 'locust');
  runners.locust = async (r) => {
    const l = await locust(r, bin, bodiesPath);
    commands['locust'] = l.command;
    return l;
  };
}

/** genload's own run sent the bodies the bare scripts post (its workload.jsonl, line by line). */
function sameBodies(runDir: string): void {
  const own = workloadBodies(join(runDir, 'workload.jsonl'));
  if (own.length !== bodies.length || own.some((b, k) => b !== bodies[k]))
    throw new Error(`genload's ${runDir}/workload.jsonl differs from the bodies the bare scripts post`);
}

const variants = Object.keys(runners) as Variant[];
const rows: {
  round: number;
  order: string;
  rps: Record<string, number>;
  requests: Record<string, number>;
  notes: Record<string, unknown>;
}[] = [];
try {
  for (let round = 1; round <= rounds; round++) {
    const order = variants.map((_, k) => variants[(k + round - 1) % variants.length]!);
    const rps: Record<string, number> = {};
    const requests: Record<string, number> = {};
    const notes: Record<string, unknown> = {};
    for (const name of order) {
      const dir = join(work, `${name}-${round}`);
      mkdirSync(dir);
      const res = await runners[name]!({ url: server.url, vus, seconds, tokens, dir });
      rps[name] = res.rps;
      requests[name] = res.requests;
      if (res.note !== undefined) notes[name] = res.note;
    }
    rows.push({ round, order: order.join(', '), rps, requests, notes });
    process.stdout.write(`round ${round}: ${order.map((n) => `${n} ${rps[n]!.toFixed(0)}`).join(', ')} req/s\n`);
  }
} finally {
  await server.stop();
}

const ratioRows = (of: Variant, to: Variant) => rows.map((r) => r.rps[of]! / r.rps[to]!);
const figure = (of: Variant, to: Variant, goal?: number) => {
  const per = ratioRows(of, to);
  const med = median(per);
  return {
    perRound: per.map((x) => Math.round(x * 1000) / 1000),
    median: med,
    leastFavourable: Math.min(...per),
    ...(goal === undefined ? {} : { goal, met: med >= goal, metEveryRound: Math.min(...per) >= goal }),
  };
};
const ratios: Record<string, ReturnType<typeof figure>> = {
  'genload/sse-parse': figure('genload', 'sse-parse', GOAL_BARE),
  'llm-stream/sse-parse': figure('llm-stream', 'sse-parse', GOAL_BARE),
  'genload/sse-noparse': figure('genload', 'sse-noparse'),
  'llm-stream/genload': figure('llm-stream', 'genload'),
};
for (const peer of ['aiperf', 'locust'] as const)
  if (runners[peer] !== undefined) ratios[`genload/${peer}`] = figure('genload', peer, GOAL_PEER);

const resultsPath = join(here, 'results.json');
const previous = existsSync(resultsPath)
  ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as Record<string, unknown>)
  : {};
const ceiling = {
  createdAt: new Date().toISOString(),
  machine: { cores: 2, toolCore: 0, serverCore: 1, loadAverageAtStart: loadAtStart },
  k6Path: k6,
  rounds,
  seconds,
  vus,
  tokensPerRequest: tokens,
  versions: { aiperf: runners.aiperf ? AIPERF_VERSION : null, locust: runners.locust ? LOCUST_VERSION : null },
  medianRps: Object.fromEntries(variants.map((v) => [v, median(rows.map((r) => r.rps[v]!))])),
  ratios,
  rows,
  commands: {
    this: `node --import tsx bench/protocol/run.ts --rounds ${rounds} --seconds ${seconds} --vus ${vus} --tokens ${tokens}${skip.size > 0 ? ` --skip ${[...skip].join(',')}` : ''}${values.key === 'ceiling' ? '' : ` --key ${values.key}`}`,
    genload: `taskset -c 0 node --import tsx lib/cli/main.ts load --scenario concurrency --concurrency ${vus} --stream true --target URL --api openai-chat --duration ${seconds} --warmup 0 --max-tokens ${tokens} --prompts short --itl-samples token`,
    'llm-stream': `taskset -c 0 node --import tsx lib/cli/main.ts load --scenario llm-stream --rate 8000 --max-rate 8000 --vus ${vus} --max-vus ${vus} --target URL --api openai-chat --duration ${seconds} --warmup 0 --max-tokens ${tokens} --prompts short`,
    bare: `BARE_URL=URL BARE_BODIES=bodies.json BARE_VUS=${vus} BARE_DURATION_S=${seconds} taskset -c 0 k6 run bench/protocol/sse-parse.js (or sse-noparse.js)`,
    ...commands,
  },
};
writeFileSync(resultsPath, `${JSON.stringify({ ...previous, [values.key ?? 'ceiling']: ceiling }, null, 2)}\n`);
process.stdout.write(
  `\n| figure | median of ${rounds} | least favourable round | goal | met |\n| --- | --- | --- | --- | --- |\n`,
);
for (const v of variants) process.stdout.write(`| ${v} req/s | ${ceiling.medianRps[v]!.toFixed(0)} | | | |\n`);
for (const [k, f] of Object.entries(ratios))
  process.stdout.write(
    `| ${k} | ${f.median.toFixed(3)} | ${f.leastFavourable.toFixed(3)} | ${f.goal === undefined ? '' : `≥ ${f.goal}`} | ${f.met === undefined ? '' : f.met ? 'yes' : 'NO'} |\n`,
  );
rmSync(work, { recursive: true, force: true });
