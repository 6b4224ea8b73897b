// The reference server as the fuzz tests drive it: the real fastify app over a
// sim engine with zero costs (every request finishes at once), tiny image
// sizes, a small body limit (so oversize bodies are cheap to make), and
// webhook delivery stubbed (a fuzzed webhook URL on loopback must not reach
// whatever listens there). Nothing listens: requests go through app.inject.
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../lib/server/app.ts';
import { loadConfig } from '../../lib/server/config/load.ts';
import { Lifecycle } from '../../lib/server/http/lifecycle.ts';
import { createMetrics } from '../../lib/server/metrics/metrics.ts';
import { createSimEngine } from '../../lib/server/sim/engine.ts';

/** body limit of the app under fuzz; the generators make bodies on both sides of it */
export const fuzzBodyLimitBytes = 8192;
/** webhook URL prefixes of the app under fuzz (scheme, host and port) */
export const fuzzWebhookAllowlist = ['http://127.0.0.1:9/hook', 'http://localhost:80/x'];
/** prompt limit of the app under fuzz (chars) */
export const fuzzMaxPromptChars = 2048;

export interface FuzzApp {
  readonly app: FastifyInstance;
  /** webhook URLs the job runner tried to deliver to (never sent) */
  readonly webhooks: string[];
}

export function fuzzApp(extraArgv: readonly string[] = []): FuzzApp {
  const config = loadConfig({
    argv: [
      '--engine',
      'sim',
      '--sim.step-ms',
      '0',
      '--sim.token-ms',
      '0',
      '--sim.prefill-fixed-ms',
      '0',
      '--sim.image-sizes',
      '8,16',
      '--body-limit-bytes',
      String(fuzzBodyLimitBytes),
      '--limits.max-prompt-chars',
      String(fuzzMaxPromptChars),
      '--limits.max-tokens',
      '512',
      '--sim.context-tokens',
      '4096',
      '--jobs.max-jobs',
      '200',
      '--jobs.ttl-ms',
      '1000',
      '--webhook-allowlist',
      fuzzWebhookAllowlist.join(','),
      ...extraArgv,
    ],
  });
  const lifecycle = new Lifecycle();
  lifecycle.markReady();
  const metrics = createMetrics({ gpuBinary: '' });
  const webhooks: string[] = [];
  const app = buildApp(config, createSimEngine(config.sim, config.faults, metrics.observer), {
    lifecycle,
    metrics,
    jobs: { deliver: async (url) => (webhooks.push(url), { delivered: true, attempts: 1, status: 204 }) },
  });
  return { app, webhooks };
}

/**
 * The property every response must have: no 5xx, and every 4xx is the
 * documented JSON error body with a non-empty error.message.
 * `what` describes the request, so a failure shows the shrunk counterexample.
 */
export function assertWellFormed(res: LightMyRequestResponse, what: string, method = 'GET'): void {
  assert.ok(res.statusCode < 500, `${what} -> ${res.statusCode} ${res.body.slice(0, 300)}`);
  if (res.statusCode < 400 || method === 'HEAD') return;
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    assert.fail(`${what} -> ${res.statusCode} with a body that is not JSON: ${JSON.stringify(res.body.slice(0, 200))}`);
  }
  const error = (body as { error?: { message?: unknown } }).error;
  assert.equal(
    typeof error?.message,
    'string',
    `${what} -> ${res.statusCode} without error.message: ${res.body.slice(0, 200)}`,
  );
  assert.ok((error?.message as string).length > 0, `${what} -> ${res.statusCode} with an empty error.message`);
}

/** cases per property; FUZZ_RUNS=10000 for a long run */
export const fuzzRuns = Number(process.env['FUZZ_RUNS'] ?? 1000);
/** FUZZ_SEED reproduces a run (fast-check prints the seed of a failure) */
export const fuzzSeed = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);
