// Async jobs: POST /v1/jobs (202 + id + Location), GET /v1/jobs/:id,
// DELETE /v1/jobs/:id (cancel; 409 when already finished).
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../http/errors.ts';
import { jobView } from '../jobs/store.ts';
import type { JobRunner, JobWork } from '../jobs/runner.ts';
import { checkWebhookUrl } from '../jobs/webhook.ts';
import { toCompletionRequest, toImageRequest } from '../openai/requests.ts';
import { jobBodySchema, type CompletionBody, type ImageBody, type JobBody } from '../openai/schemas.ts';
import type { RouteDeps } from './deps.ts';

export function jobRoutes(app: FastifyInstance, deps: RouteDeps, jobs: JobRunner): void {
  app.post<{ Body: JobBody }>(
    '/v1/jobs',
    { schema: { body: jobBodySchema(deps.config.limits) } },
    async (request, reply) => {
      const body = request.body;
      const webhook =
        body.webhook_url === undefined
          ? undefined
          : checkWebhookUrl(body.webhook_url, deps.config.webhookAllowlist).href;
      const work: JobWork =
        body.kind === 'image'
          ? { kind: 'image', request: toImageRequest(deps.engine, body.request as ImageBody) }
          : { kind: 'completion', request: toCompletionRequest(deps.engine, body.request as CompletionBody) };
      if (work.kind === 'completion' && (body.request as CompletionBody).stream === true) {
        throw new HttpError(
          400,
          'unsupported_value',
          'request.stream: a job cannot stream; poll GET /v1/jobs/{id} instead',
          'request.stream',
        );
      }
      const job = jobs.submit(work, webhook);
      return reply.code(202).header('location', `/v1/jobs/${job.id}`).send(jobView(job));
    },
  );

  const find = (id: string) => {
    const job = jobs.store.get(id);
    if (!job)
      throw new HttpError(404, 'job_not_found', `job ${JSON.stringify(id)} does not exist or has expired`, 'id');
    return job;
  };

  app.get<{ Params: { id: string } }>('/v1/jobs/:id', async (request) => jobView(find(request.params.id)));

  app.delete<{ Params: { id: string } }>('/v1/jobs/:id', async (request) => {
    const job = find(request.params.id);
    if (!jobs.cancel(job))
      throw new HttpError(409, 'job_finished', `job ${job.id} already finished with status ${job.status}`, 'id');
    return jobView(job);
  });
}
