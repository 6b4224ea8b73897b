// Fuzzes the read and control routes of the reference server: GET and DELETE
// /v1/jobs/{id} with real, unknown and malformed ids, GET /v1/models, /health,
// /ready and /metrics with odd methods, headers, query strings and bodies,
// and paths that do not exist or are not valid URLs. Property: no 5xx, every
// error is the documented JSON body with a message.
// Run: node --import tsx --test test/fuzz/server-ops.test.ts
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assertWellFormed, fuzzApp, fuzzRuns, fuzzSeed } from './app-under-fuzz.ts';
import { oddHeaders, oddQuery, oddString, rawBody, shortOddString } from './inputs.ts';

const { app } = fuzzApp();
after(() => app.close());

/** ids of jobs that exist (finished or not): the fuzz mixes them with ids that do not */
const jobIds: string[] = [];
/** (re)creates the real jobs: the fuzz app's job TTL is 1 s, so ids made earlier in the file may have expired */
async function freshJobs(): Promise<void> {
  jobIds.length = 0;
  for (let i = 0; i < 20; i++) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/jobs',
      payload: { kind: i % 2 === 0 ? 'image' : 'completion', request: { prompt: `p${i}`, max_tokens: 4, steps: 2 } },
    });
    assert.equal(res.statusCode, 202, res.body);
    jobIds.push((res.json() as { id: string }).id);
  }
}
before(freshJobs);

const method = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('GET') },
  { weight: 1, arbitrary: fc.constantFrom('HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') },
);
/** percent-encodes text; a lone surrogate becomes its WTF-8 bytes (%ED%A0%80), which are not valid UTF-8 */
function encodeSegment(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[^]/gu, (ch) => {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff)
      return `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`.toUpperCase();
    return encodeURIComponent(ch);
  });
}

/** path segments as a client might send them: encoded odd text, or raw broken escapes */
const segment = fc.oneof(
  { weight: 3, arbitrary: shortOddString.map(encodeSegment) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '%',
      '%zz',
      '%E0%A4%A',
      '..%2F..%2Fetc',
      '%00',
      '..',
      '.',
      '%2e%2e',
      'a;b',
      '~',
      'x'.repeat(120),
      'x'.repeat(3000),
    ),
  },
);
const jobId = fc.oneof(
  { weight: 2, arbitrary: fc.nat().map((i) => jobIds[i % jobIds.length]!) },
  { weight: 1, arbitrary: fc.uuid().map((u) => `job-${u}`) },
  { weight: 2, arbitrary: segment },
);
const maybeBody = fc.option(rawBody(oddString), { freq: 5 });

async function check(
  m: string,
  url: string,
  headers: Record<string, string>,
  body: { payload: string; contentType: string | undefined } | null,
) {
  const res = await app.inject({
    method: m as 'GET',
    url,
    headers: { ...headers, ...(body?.contentType === undefined ? {} : { 'content-type': body.contentType }) },
    ...(body === null ? {} : { payload: body.payload }),
  });
  assertWellFormed(res, `${m} ${url.slice(0, 200)}${body === null ? '' : ` body ${body.payload.slice(0, 100)}`}`, m);
  return res;
}

const fixedRoutes = ['/v1/models', '/health', '/ready', '/metrics'];
for (const path of fixedRoutes) {
  test(`${path}: ${fuzzRuns} requests with odd methods, headers, queries and bodies; no 5xx, errors JSON`, async () => {
    let ok = 0;
    await fc.assert(
      fc.asyncProperty(method, oddQuery, oddHeaders, maybeBody, async (m, query, headers, body) => {
        const res = await check(m, `${path}${query}`, headers, body);
        if (m === 'GET' && res.statusCode === 200) ok++;
      }),
      { numRuns: fuzzRuns, ...(fuzzSeed === undefined ? {} : { seed: fuzzSeed }) },
    );
    assert.ok(ok > fuzzRuns * 0.3, `only ${ok} GETs answered 200`);
  });
}

for (const m of ['GET', 'DELETE'] as const) {
  test(`${m} /v1/jobs/{id}: ${fuzzRuns} real, unknown and malformed ids; no 5xx, errors JSON`, async () => {
    const statuses = new Map<number, number>();
    await freshJobs();
    await fc.assert(
      fc.asyncProperty(jobId, oddQuery, oddHeaders, async (id, query, headers) => {
        const res = await check(m, `/v1/jobs/${id}${query}`, headers, null);
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode === 200) assert.equal((res.json() as { object: string }).object, 'genload.job');
      }),
      { numRuns: fuzzRuns, ...(fuzzSeed === undefined ? {} : { seed: fuzzSeed }) },
    );
    // real ids answer 200 (GET) or 200/409 (DELETE of a finished job); the rest 404 or 400
    assert.ok((statuses.get(200) ?? 0) + (statuses.get(409) ?? 0) > 0, JSON.stringify([...statuses]));
    assert.ok((statuses.get(404) ?? 0) > fuzzRuns * 0.2, JSON.stringify([...statuses]));
  });
}

test(`paths that do not exist or are not valid URLs: ${fuzzRuns} requests, 404/400 JSON`, async () => {
  const prefix = fc.constantFrom('/', '/v1/', '/v1/jobs/', '/v1/images/', '//', '/v2/', '/ready/', '/metrics/');
  await fc.assert(
    fc.asyncProperty(method, prefix, fc.array(segment, { maxLength: 3 }), oddQuery, async (m, p, segs, query) => {
      await check(m, `${p}${segs.join('/')}${query}`, {}, null);
    }),
    { numRuns: fuzzRuns, ...(fuzzSeed === undefined ? {} : { seed: fuzzSeed }) },
  );
});
