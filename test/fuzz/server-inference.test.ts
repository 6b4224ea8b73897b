// Fuzzes the inference routes of the reference server (images, completions,
// chat, job submission) with malformed and extreme bodies, headers and query
// strings. Property: no 5xx, every error is the documented JSON body with a
// message, successes are well-formed, and job webhooks only go to
// allowlisted hosts. Run: node --import tsx --test test/fuzz/server-inference.test.ts
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assertWellFormed, fuzzApp, fuzzRuns, fuzzSeed, fuzzWebhookAllowlist } from './app-under-fuzz.ts';
import {
  anyJson,
  field,
  objectOf,
  oddHeaders,
  oddNumber,
  oddQuery,
  oddString,
  rawBody,
  type RawBody,
} from './inputs.ts';

const { app, webhooks } = fuzzApp();
after(() => app.close());

/** mostly `valid`, sometimes an edge value of the same type */
const edgy = <T, U>(valid: fc.Arbitrary<T>, edge: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: edge });
const prompt = field(edgy(fc.string({ minLength: 1, maxLength: 30 }), oddString));
const seed = field(fc.nat({ max: 2 ** 32 - 1 }));
const sampling = {
  model: field(edgy(fc.constant('sim-llm'), fc.constantFrom('sim-diffusion', '', 'gpt-4'))),
  max_tokens: field(edgy(fc.integer({ min: 1, max: 40 }), oddNumber)),
  temperature: field(edgy(fc.double({ min: 0, max: 2, noNaN: true }), oddNumber)),
  top_p: field(edgy(fc.double({ min: 0, max: 1, noNaN: true }), oddNumber)),
  seed,
  n: field(edgy(fc.constant(1), fc.constantFrom(2, 0))),
  stop: field(
    edgy(
      fc.oneof(fc.string({ maxLength: 4 }), fc.array(fc.string({ maxLength: 4 }), { maxLength: 4 })),
      fc.oneof(oddString, fc.array(oddString, { maxLength: 6 })),
    ),
  ),
  stream: field(fc.boolean()),
  stream_options: field(objectOf({ include_usage: field(fc.boolean()) })),
};
const imageBody = objectOf(
  {
    prompt,
    negative_prompt: field(oddString),
    model: field(edgy(fc.constant('sim-diffusion'), fc.constantFrom('sim-llm', '', 'dall-e-3'))),
    n: field(edgy(fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, 5, 64))),
    size: field(
      edgy(
        fc.constantFrom('8x8', '16x16'),
        fc.oneof(fc.constantFrom('16x8', '0x0', '99999x99999', '512x512', '8x8 ', 'x', '016x016'), oddString),
      ),
    ),
    steps: field(edgy(fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, 150, 151, 1000, 1001))),
    guidance_scale: field(edgy(fc.double({ min: 0, max: 50, noNaN: true }), oddNumber)),
    seed,
    response_format: field(edgy(fc.constant('b64_json'), fc.constantFrom('url', 'B64_JSON'))),
  },
  ['prompt'],
);
const completionBody = objectOf({ prompt, ...sampling }, ['prompt']);
const content = edgy(fc.string({ maxLength: 40 }), oddString);
const parts = fc.oneof(
  content,
  fc.array(objectOf({ type: field(fc.constant('text')), text: field(content) }), { maxLength: 4 }),
);
const message = objectOf(
  {
    role: field(
      edgy(fc.constantFrom('system', 'developer', 'user', 'assistant', 'tool'), fc.constantFrom('robot', 'USER', '')),
    ),
    content: field(parts),
    name: field(content),
  },
  ['role', 'content'],
);
const chatBody = objectOf(
  {
    messages: field(
      fc.oneof(
        { weight: 20, arbitrary: fc.array(message, { minLength: 1, maxLength: 4 }) },
        {
          weight: 1,
          arbitrary: fc.array(fc.constant({ role: 'user', content: 'x' }), { minLength: 250, maxLength: 260 }),
        },
      ),
    ),
    max_completion_tokens: field(edgy(fc.integer({ min: 1, max: 40 }), oddNumber)),
    ...sampling,
  },
  ['messages'],
);
const webhookUrl = field(
  edgy(
    fc.constantFrom('http://127.0.0.1:9/hook', 'http://localhost/x'),
    fc.oneof(
      fc.constantFrom(
        'http://[::1]:1/',
        'http://LOCALHOST./x',
        'http://127.0.0.1:22/hook',
        'http://localhost:8080/x',
        'http://127.0.0.1:9/hookx',
        'http://evil.example/',
        'https://169.254.169.254/latest',
        'ftp://127.0.0.1/',
        'file:///etc/passwd',
        'http://127.0.0.1.nip.io/',
        'http://2130706433/',
        'http://user:pw@evil.example@127.0.0.1/',
        'http://127.0.0.1@evil.example/',
        'javascript:alert(1)',
        'http://[::ffff:7f00:1]/',
        '//127.0.0.1/',
        'http://127.0.0.1:99999/',
      ),
      oddString,
    ),
  ),
);
const jobBody = objectOf(
  {
    kind: field(edgy(fc.constantFrom('image', 'completion'), fc.constantFrom('chat', 'IMAGE', ''))),
    request: fc.oneof({ weight: 4, arbitrary: fc.oneof(imageBody, completionBody) }, { weight: 1, arbitrary: anyJson }),
    webhook_url: webhookUrl,
  },
  ['kind', 'request'],
);

/** true when url lies under an allowlist entry: same scheme, host and port (any other port of an allowed host fails), path at or below the entry's */
const underAllowlist = (url: URL): boolean =>
  fuzzWebhookAllowlist
    .map((e) => new URL(e))
    .some((e) => e.origin === url.origin && (url.pathname === e.pathname || url.pathname.startsWith(`${e.pathname}/`)));

async function send(url: string, raw: RawBody, headers: Record<string, string>) {
  const res = await app.inject({
    method: 'POST',
    url,
    payload: raw.payload,
    headers: { ...headers, ...(raw.contentType === undefined ? {} : { 'content-type': raw.contentType }) },
  });
  const what = `POST ${url} (${raw.kind}, content-type ${JSON.stringify(raw.contentType)}) ${raw.payload.slice(0, 300)}`;
  assertWellFormed(res, what, 'POST');
  if (res.statusCode === 200 && String(res.headers['content-type']).startsWith('application/json')) {
    assert.doesNotThrow(() => JSON.parse(res.body), `${what}: 200 with broken JSON`);
  }
  return res;
}

const routes: { url: string; body: fc.Arbitrary<Record<string, unknown>> }[] = [
  { url: '/v1/images/generations', body: imageBody },
  { url: '/v1/completions', body: completionBody },
  { url: '/v1/chat/completions', body: chatBody },
  { url: '/v1/jobs', body: jobBody },
];

for (const route of routes) {
  test(`POST ${route.url}: ${fuzzRuns} malformed and extreme requests, no 5xx, every error JSON with a message`, async () => {
    const statuses = new Map<number, number>();
    const errors = new Map<string, number>();
    const seen = () =>
      JSON.stringify({ statuses: [...statuses], topErrors: [...errors].sort((a, b) => b[1] - a[1]).slice(0, 8) });
    await fc.assert(
      fc.asyncProperty(rawBody(route.body), oddHeaders, oddQuery, async (raw, headers, query) => {
        const res = await send(`${route.url}${query}`, raw, headers);
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 400) {
          const message = (JSON.parse(res.body) as { error: { message: string } }).error.message
            .replace(/, but is .*/s, '')
            .slice(0, 60);
          errors.set(message, (errors.get(message) ?? 0) + 1);
        }
        if (res.statusCode === 202) assert.match(String(res.headers['location']), /^\/v1\/jobs\/job-/);
      }),
      { numRuns: fuzzRuns, ...(fuzzSeed === undefined ? {} : { seed: fuzzSeed }) },
    );
    // the generators must reach the handler, not only the parser: some requests succeed, some are refused
    const ok = (statuses.get(200) ?? 0) + (statuses.get(202) ?? 0);
    assert.ok(ok >= fuzzRuns * 0.01, `too few successes to exercise the handler: ${seen()}`);
    assert.ok((statuses.get(400) ?? 0) >= fuzzRuns * 0.2, `too few 400s: ${seen()}`);
  });
}

test('job webhooks were only ever attempted under allowlisted URL prefixes (scheme, host and port)', () => {
  for (const url of webhooks) {
    assert.ok(underAllowlist(new URL(url)), `webhook delivered to ${url}`);
  }
});
