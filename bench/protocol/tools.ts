// The load tools the protocol benchmark runs, one function each, all pinned to
// core 0 (taskset; children inherit it, so a tool's whole process tree shares
// the core) against the zero-cost streaming server on core 1. Each returns the
// streamed requests/s it completed over its measured window, as the tool
// itself counts them.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../lib/cli/paths.ts';
import type { Summary } from '../../lib/shared/summary.ts';
import { runProcess } from '../k6-overhead/process.ts';

export interface ToolRun {
  url: string;
  vus: number;
  seconds: number;
  /** output tokens per request (the server sends this many) */
  tokens: number;
  /** a fresh folder for this run's files */
  dir: string;
}

export interface ToolResult {
  rps: number;
  requests: number;
  /** anything worth keeping beside the rate (exit code, validity) */
  note?: Record<string, unknown>;
}

const timeoutMs = (r: ToolRun): number => (r.seconds + 120) * 1000;

/**
 * genload's CLI (`genload load`), the whole process tree on core 0: the
 * closed-model `concurrency` scenario (one step of `vus` VUs, streamed), or
 * `llm-stream` at an arrival rate above the ceiling with at most `vus` VUs
 * (every VU busy: the saturated open model, k6 drops what it cannot start).
 */
export async function genloadCli(
  r: ToolRun,
  scenario: 'concurrency' | 'llm-stream',
  extra: { rateRps?: number; itlSamples?: string } = {},
): Promise<ToolResult & { runDir: string }> {
  const shape =
    scenario === 'concurrency'
      ? ['--concurrency', String(r.vus), '--stream', 'true']
      : [
          '--rate',
          String(extra.rateRps ?? 8000),
          '--max-rate',
          String(extra.rateRps ?? 8000),
          '--vus',
          String(r.vus),
          '--max-vus',
          String(r.vus),
        ];
  const args = [
    '-c',
    '0',
    process.execPath,
    '--import',
    'tsx',
    'lib/cli/main.ts',
    'load',
    '--scenario',
    scenario,
    ...shape,
    '--target',
    r.url,
    '--api',
    'openai-chat',
    '--duration',
    String(r.seconds),
    '--warmup',
    '0',
    '--max-tokens',
    String(r.tokens),
    '--prompts',
    'short',
    '--itl-samples',
    extra.itlSamples ?? 'token',
    '--results',
    join(r.dir, 'results'),
    '--name',
    scenario,
  ];
  const p = await runProcess('taskset', args, { ...process.env, FORCE_COLOR: '0' }, timeoutMs(r));
  const runDir = /results in (\S+)/.exec(p.stderr)?.[1];
  if (runDir === undefined)
    throw new Error(`genload ${scenario}: exited ${p.code} without a run folder: ${p.stderr.slice(-1500)}`);
  const s = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as Summary;
  const stage = s.stages.find((x) => x.stage === (scenario === 'concurrency' ? 'step-01' : 'measure'));
  const llm = stage?.classes['llm'];
  if (stage === undefined || llm === undefined)
    throw new Error(`genload ${scenario}: no llm stage in ${runDir}/summary.json`);
  const failed = llm.requests * llm.errorRate;
  if (failed > 0) throw new Error(`genload ${scenario}: ${failed} of ${llm.requests} requests failed (${runDir})`);
  return {
    rps: llm.requests / stage.durationS,
    requests: llm.requests,
    runDir,
    note: {
      exitCode: p.code,
      valid: s.validity.valid,
      validityReasons: s.validity.reasons,
      // the generator check's figures for the measured stage (k6's CPU share of its core, the share it waited)
      generator: s.generator?.stages.find((g) => g.stage === stage.stage) ?? null,
    },
  };
}

/** A bare k6 script (sse-parse.js, sse-noparse.js): k6's own iterations count and rate (--summary-export). */
export async function bareK6(r: ToolRun, k6: string, script: string, bodiesPath: string): Promise<ToolResult> {
  const exportPath = join(r.dir, 'summary-export.json');
  const env = {
    ...process.env,
    BARE_URL: r.url,
    BARE_BODIES: bodiesPath,
    BARE_VUS: String(r.vus),
    BARE_DURATION_S: String(r.seconds),
  };
  const p = await runProcess(
    'taskset',
    ['-c', '0', k6, 'run', '--quiet', '--no-color', '--no-usage-report', '--summary-export', exportPath, script],
    env,
    timeoutMs(r),
  );
  if (p.code !== 0) throw new Error(`${script}: k6 exited ${p.code}: ${p.stderr.slice(-800)}`);
  const it = (
    JSON.parse(readFileSync(exportPath, 'utf8')) as { metrics: Record<string, { count?: number; rate?: number }> }
  ).metrics['iterations'];
  if (it?.rate === undefined || it.count === undefined)
    throw new Error(`${script}: no iterations metric in the summary export`);
  return { rps: it.rate, requests: it.count };
}

/**
 * AIPerf (profile, streamed chat, closed model at `vus` concurrent requests for
 * `seconds`), its synthetic prompts of the same length as genload's short
 * prompts, output tokens from the server's usage. Rate: its request_throughput.
 */
export async function aiperf(r: ToolRun, bin: string, tokenizerDir: string): Promise<ToolResult & { command: string }> {
  const artifacts = join(r.dir, 'aiperf');
  const args = [
    'profile',
    '-m',
    'zero',
    '--url',
    r.url,
    '--endpoint-type',
    'chat',
    '--streaming',
    '--concurrency',
    String(r.vus),
    '--benchmark-duration',
    String(r.seconds),
    '--benchmark-grace-period',
    '5',
    '--tokenizer',
    tokenizerDir,
    '--synthetic-input-tokens-mean',
    '24',
    '--synthetic-input-tokens-stddev',
    '0',
    '--output-tokens-mean',
    String(r.tokens),
    '--use-server-token-count',
    '--random-seed',
    '1',
    '--artifact-dir',
    artifacts,
    '--ui-type',
    'none',
  ];
  const p = await runProcess('taskset', ['-c', '0', bin, ...args], process.env, timeoutMs(r) + 120_000);
  if (p.code !== 0) throw new Error(`aiperf exited ${p.code}: ${p.stderr.slice(-1500)}${p.stdout.slice(-1500)}`);
  const file = readdirSync(artifacts, { recursive: true, encoding: 'utf8' }).find((f) =>
    f.endsWith('profile_export_aiperf.json'),
  );
  if (file === undefined) throw new Error(`aiperf: no profile_export_aiperf.json under ${artifacts}`);
  const m = JSON.parse(readFileSync(join(artifacts, file), 'utf8')) as Record<string, { avg?: number } | undefined>;
  const rps = m['request_throughput']?.avg;
  const requests = m['request_count']?.avg;
  if (rps === undefined || requests === undefined) throw new Error(`aiperf: no request_throughput in ${file}`);
  return { rps, requests, command: `taskset -c 0 aiperf ${args.join(' ')}` };
}

/**
 * Locust, headless, `vus` users of locustfile.py (FastHttpUser reading the SSE
 * stream) for `seconds`. Rate: Locust's own requests/s of the POST entry
 * (requests / (last request − first request), from --json).
 */
export async function locust(r: ToolRun, bin: string, bodiesPath: string): Promise<ToolResult & { command: string }> {
  const args = [
    '-f',
    join(repoRoot, 'bench/protocol/locustfile.py'),
    '--headless',
    '-u',
    String(r.vus),
    '-r',
    String(r.vus * 100),
    '-t',
    `${r.seconds}s`,
    '--host',
    r.url,
    '--json',
    '--loglevel',
    'WARNING',
    '--stop-timeout',
    '10',
  ];
  const p = await runProcess(
    'taskset',
    ['-c', '0', bin, ...args],
    { ...process.env, BARE_BODIES: bodiesPath },
    timeoutMs(r),
  );
  if (p.code !== 0) throw new Error(`locust exited ${p.code}: ${p.stderr.slice(-1500)}`);
  const rows = JSON.parse(p.stdout) as {
    name: string;
    num_requests: number;
    num_failures: number;
    start_time: number;
    last_request_timestamp: number;
  }[];
  const row = rows.find((x) => x.name === '/v1/chat/completions');
  if (row === undefined) throw new Error('locust: no /v1/chat/completions entry in its --json output');
  if (row.num_failures > 0) throw new Error(`locust: ${row.num_failures} failures`);
  return {
    rps: row.num_requests / (row.last_request_timestamp - row.start_time),
    requests: row.num_requests,
    command: `taskset -c 0 locust ${args.join(' ')}`,
  };
}
