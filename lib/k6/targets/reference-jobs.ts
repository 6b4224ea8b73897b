// The reference server's asynchronous job API: POST /v1/jobs {kind, request}
// answers 202 with an id; GET /v1/jobs/{id} until the status is final.
// End-to-end latency runs from submission to the poll that saw the job finished,
// so it includes queueing (and up to one poll interval of detection delay).

import type { WorkItem } from '../../shared/workload/sample.ts';
import { parseTimingsJson } from '../server-timing/parse.ts';
import { isObject, tryJson } from '../stream/chunk.ts';
import { classifyFailure } from './errors.ts';
import type { Outcome, TargetContext } from './types.ts';

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

export function jobBody(work: WorkItem, model: string | undefined): unknown {
  const m = model === undefined ? {} : { model };
  if (work.class === 'llm') return { kind: 'completion', request: { ...m, prompt: work.prompt, max_tokens: work.maxTokens, seed: work.seed } };
  return { kind: 'image', request: { ...m, prompt: work.prompt, n: 1, size: `${work.sizePx}x${work.sizePx}`, steps: work.steps, seed: work.seed } };
}

export function submitAndPoll(work: WorkItem, ctx: TargetContext): Outcome {
  const t = ctx.transport;
  const startMs = t.nowMs();
  const fail = (status: number, errorCode: number, error: string): Outcome => ({
    class: work.class,
    ok: false,
    status,
    errorClass: classifyFailure(status, errorCode) ?? 'protocol',
    error,
    e2eMs: t.nowMs() - startMs,
    server: {},
  });
  const submit = t.request({ method: 'POST', url: `${ctx.baseUrl}/v1/jobs`, body: JSON.stringify(jobBody(work, ctx.model)), headers: ctx.headers, tags: { ...ctx.tags, name: 'jobs-submit' }, timeoutMs: ctx.timeoutMs });
  const job = tryJson(submit.body);
  if (submit.status !== 202 || !isObject(job) || typeof job['id'] !== 'string') return fail(submit.status, submit.errorCode, `submit: status ${submit.status}: ${submit.error || submit.body.slice(0, 160)}`);
  const id = job['id'];
  // Bounded: at most timeout / interval polls.
  const maxPolls = Math.ceil(ctx.timeoutMs / ctx.workload.pollIntervalMs) + 1;
  for (let i = 0; i < maxPolls; i++) {
    t.sleepMs(ctx.workload.pollIntervalMs);
    const poll = t.request({ method: 'GET', url: `${ctx.baseUrl}/v1/jobs/${id}`, headers: ctx.headers, tags: { ...ctx.tags, name: 'jobs-poll' }, timeoutMs: ctx.timeoutMs });
    const view = tryJson(poll.body);
    if (poll.status !== 200 || !isObject(view)) return fail(poll.status, poll.errorCode, `poll: status ${poll.status}: ${poll.error || poll.body.slice(0, 160)}`);
    const status = String(view['status']);
    if (!FINAL.has(status)) continue;
    const e2eMs = t.nowMs() - startMs;
    const result = view['result'];
    const server = isObject(result) ? parseTimingsJson(result['timings']) : {};
    if (status !== 'succeeded') return { ...fail(500, 0, `job ${status}: ${JSON.stringify(view['error']).slice(0, 160)}`), errorClass: '5xx', e2eMs, server };
    if (work.class === 'image') return { class: 'image', ok: true, status: 200, e2eMs, server, images: isObject(result) && Array.isArray(result['data']) ? result['data'].length : 0, steps: work.steps };
    const usage = isObject(result) ? result['usage'] : undefined;
    const tokens = isObject(usage) && typeof usage['completion_tokens'] === 'number' ? usage['completion_tokens'] : 0;
    return { class: 'llm', ok: true, status: 200, e2eMs, server, outputTokens: tokens, usageCompletionTokens: tokens };
  }
  return { ...fail(0, 1050, `job ${id} not finished after ${ctx.timeoutMs} ms`), errorClass: 'timeout' };
}
