// A closed-loop HTTP client for the reference server: `concurrency` clients on
// keep-alive connections, each sending its next request as soon as the previous
// answer has been read, for `seconds`. node:http rather than fetch: it costs
// less CPU in the client process, which shares the 2 cores with the server.
import http from 'node:http';
import { median, quantile } from '../server-ort/record.ts';

export type Workload =
  | { readonly kind: 'image'; readonly model: string; readonly sizePx: number; readonly steps: number }
  | { readonly kind: 'text'; readonly model: string; readonly maxTokens: number };

export interface HttpLoadResult {
  /** images/s or completion tokens/s over the window */
  readonly perSecond: number;
  readonly requests: number;
  readonly errors: number;
  readonly medianLatencyMs: number;
  readonly p99LatencyMs: number;
  /** the window: from the first request to the last answer */
  readonly elapsedS: number;
}

/** the same prompt as bench/server-ort/direct.ts */
export const PROMPT = 'Once upon a time';

function body(w: Workload, seed: number): string {
  if (w.kind === 'image')
    return JSON.stringify({
      model: w.model,
      prompt: PROMPT,
      n: 1,
      size: `${w.sizePx}x${w.sizePx}`,
      steps: w.steps,
      seed,
      response_format: 'b64_json',
    });
  return JSON.stringify({
    model: w.model,
    prompt: PROMPT,
    max_tokens: w.maxTokens,
    temperature: 0.8,
    top_p: 0.95,
    seed,
  });
}

function post(agent: http.Agent, url: URL, path: string, payload: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** units of work in one successful answer: images, or completion tokens */
function units(w: Workload, text: string): number {
  const j = JSON.parse(text) as { data?: unknown[]; usage?: { completion_tokens: number } };
  return w.kind === 'image' ? (j.data?.length ?? 0) : (j.usage?.completion_tokens ?? 0);
}

export async function httpClosedLoop(
  baseUrl: string,
  w: Workload,
  o: { concurrency: number; seconds: number },
): Promise<HttpLoadResult> {
  const url = new URL(baseUrl);
  const path = w.kind === 'image' ? '/v1/images/generations' : '/v1/completions';
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  const endAt = performance.now() + o.seconds * 1000;
  const latencies: number[] = [];
  let done = 0;
  let errors = 0;
  let seed = 1;
  const client = async () => {
    while (performance.now() < endAt) {
      const t0 = performance.now();
      const r = await post(agent, url, path, body(w, seed++));
      if (r.status !== 200) {
        errors++;
        if (errors > 100)
          throw new Error(`${path}: more than 100 errors; last: HTTP ${r.status} ${r.text.slice(0, 200)}`);
        continue;
      }
      done += units(w, r.text);
      latencies.push(performance.now() - t0);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: o.concurrency }, client));
  const elapsedS = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    perSecond: done / elapsedS,
    requests: latencies.length,
    errors,
    medianLatencyMs: median(latencies),
    p99LatencyMs: quantile(latencies, 0.99),
    elapsedS,
  };
}

/** every sample of the server's /metrics text, keyed by `name{labels}` (one scrape: the lag gauges reset per scrape) */
export async function scrapeMetrics(baseUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

/** seconds the workers spent inside ORT: the sum of genload_step_latency_seconds over every model and stage */
export function ortSeconds(metrics: Map<string, number>): number {
  let sum = 0;
  for (const [k, v] of metrics) if (k.startsWith('genload_step_latency_seconds_sum')) sum += v;
  return sum;
}
