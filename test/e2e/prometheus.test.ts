// The metrics pipeline end to end: a real Prometheus (Debian's package, installed
// by deploy/prometheus/install.sh = `make prometheus` when missing) on loopback
// with the remote-write receiver on and a temporary data dir, scraping the sim
// reference server; a short k6 run streams its metrics with
// experimental-prometheus-rw; the HTTP API then returns both kinds of series.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleScenarios } from '../../lib/cli/bundle/bundle.ts';
import { repoRoot } from '../../lib/cli/paths.ts';
import { resolveK6 } from '../../lib/cli/k6/provision.ts';
import { prometheusConfigYaml, SERVER_JOB } from '../../lib/cli/remote-write/prometheus-config.ts';
import { remoteWriteExtras } from '../../lib/cli/remote-write/remote-write.ts';
import { startK6 } from '../../lib/cli/k6/k6-process.ts';
import { startManagedServer } from '../../lib/cli/run/managed-server.ts';
import { directRunConfig, k6Env } from './direct-run.ts';

function ensurePrometheus(): string {
  const res = spawnSync(join(repoRoot, 'deploy/prometheus/install.sh'), { encoding: 'utf8', timeout: 300_000 });
  assert.equal(res.status, 0, `deploy/prometheus/install.sh failed: ${res.stderr}`);
  return res.stdout.trim().split('\n').at(-1) ?? 'prometheus';
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Polls fn every 250 ms until it returns a value or deadlineMs passes. */
async function until<T>(what: string, deadlineMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + deadlineMs;
  let last: unknown;
  for (let i = 0; i < 1000 && Date.now() < end; i++) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `${what} not reached within ${deadlineMs / 1000} s${last === undefined ? '' : `; last error: ${String(last)}`}`,
  );
}

interface PromResult {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(base: string, promql: string): Promise<PromResult[]> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { status: string; data?: { result: PromResult[] } };
  if (body.status !== 'success') throw new Error(`query ${promql}: ${JSON.stringify(body)}`);
  return body.data?.result ?? [];
}

test(
  'k6 remote-writes into a local Prometheus that also scrapes the reference server',
  { timeout: 120_000 },
  async () => {
    const prometheusBin = ensurePrometheus();
    const dir = mkdtempSync(join(tmpdir(), 'genload-prom-'));
    const k6 = await resolveK6({ log: () => {} });
    const [script] = await bundleScenarios(['llm-stream']);
    assert.ok(script !== undefined);
    const server = await startManagedServer({ engine: 'sim', logPath: join(dir, 'server.log') });
    let prom: ChildProcess | undefined;
    try {
      const serverHostPort = new URL(server.url).host;
      writeFileSync(
        join(dir, 'prometheus.yml'),
        prometheusConfigYaml({ scrapeTargets: [serverHostPort], scrapeIntervalS: 1 }),
      );
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      prom = spawn(
        prometheusBin,
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--web.enable-remote-write-receiver',
          '--log.level=warn',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let promLog = '';
      prom.stderr?.on('data', (c: Buffer) => (promLog += c.toString()));
      const exited = new Promise<number | null>((r) => prom?.once('exit', (code) => r(code)));
      await Promise.race([
        until('prometheus /-/ready', 30_000, async () => ((await fetch(`${base}/-/ready`)).ok ? true : undefined)),
        exited.then((code) => Promise.reject(new Error(`prometheus exited ${code}: ${promLog}`))),
      ]);

      const runDir = join(dir, 'run');
      mkdirSync(runDir);
      const config = await directRunConfig({
        scenario: 'llm-stream',
        runDir,
        targetUrl: server.url,
        rateRps: 4,
        durationSeconds: 3,
        warmupSeconds: 0,
      });
      const rw = remoteWriteExtras({ url: base, runId: 'e2e-prom', pushIntervalS: 1 });
      const k6Run = startK6({
        k6Path: k6.path,
        args: ['run', '--no-color', '--quiet', '--address', '', ...rw.args, script],
        env: k6Env(config, rw.env),
        cwd: runDir,
        logPath: join(runDir, 'k6.log'),
        echo: false,
      });
      const k6Exit = await k6Run.exited;
      assert.ok(k6Exit === 0 || k6Exit === 99, `k6 exited ${k6Exit}; see ${runDir}/k6.log`);

      // k6's own counter and genload's custom counter, labelled with the run's testid
      const requests = await until('k6_genload_requests_total in prometheus', 20_000, async () => {
        const r = await query(base, 'sum(k6_genload_requests_total{testid="e2e-prom"})');
        return r.length > 0 && Number(r[0]?.value[1]) > 0 ? Number(r[0]?.value[1]) : undefined;
      });
      assert.ok(requests >= 8 && requests <= 14, `requests ${requests}`);
      const iterations = await query(base, 'k6_iterations_total{testid="e2e-prom"}');
      assert.ok(iterations.length > 0, 'k6_iterations_total missing');
      const e2eP95 = await query(base, 'k6_genload_e2e_ms_p95{testid="e2e-prom"}');
      assert.ok(e2eP95.length > 0, 'k6_genload_e2e_ms_p95 missing');
      // the server side of the same traffic, scraped from /metrics
      const served = await until('scraped genload_http_requests_total', 20_000, async () => {
        const r = await query(base, `sum(genload_http_requests_total{job="${SERVER_JOB}"})`);
        return r.length > 0 && Number(r[0]?.value[1]) >= requests ? Number(r[0]?.value[1]) : undefined;
      });
      assert.ok(served >= requests, `server counted ${served}, k6 ${requests}`);
      // rates need two scrapes; Prometheus applies new targets after a 5 s settling delay
      await until('three scrapes of the server', 20_000, async () => {
        const r = await query(base, `count_over_time(up{job="${SERVER_JOB}"}[1m])`);
        return Number(r[0]?.value[1] ?? 0) >= 3 ? true : undefined;
      });
      // every query of the Grafana dashboard is valid PromQL here, and most return data
      const dashboard = JSON.parse(readFileSync(join(repoRoot, 'deploy/grafana/genload-dashboard.json'), 'utf8')) as {
        panels: Array<{ targets?: Array<{ expr: string }> }>;
      };
      const exprs = dashboard.panels
        .flatMap((p) => p.targets ?? [])
        .map((t) => t.expr.replaceAll('$__rate_interval', '1m').replaceAll('$testid', 'e2e-prom'));
      let withData = 0;
      for (const e of exprs) if ((await query(base, e)).length > 0) withData++;
      assert.ok(withData >= exprs.length / 2, `${withData} of ${exprs.length} dashboard queries returned data`);
    } finally {
      if (prom !== undefined && prom.exitCode === null) {
        const gone = new Promise((r) => prom?.once('exit', r));
        prom.kill('SIGTERM');
        await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
        if (prom.exitCode === null) prom.kill('SIGKILL');
      }
      await server.stop();
    }
  },
);
