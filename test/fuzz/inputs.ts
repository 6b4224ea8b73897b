// Generators (fast-check arbitraries) of malformed and extreme input: odd
// Unicode, out-of-range numbers, wrong types, broken or oversize or deeply
// nested JSON, wrong content types, odd headers and query strings. Each
// route's test combines them with that route's own fields.
import fc from 'fast-check';
import { fuzzBodyLimitBytes, fuzzMaxPromptChars } from './app-under-fuzz.ts';

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** strings people do not expect: NUL, lone surrogates, RTL overrides, emoji sequences, BOM, control characters, long runs */
export const shortOddString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({
    unit: fc.oneof(
      loneSurrogate,
      fc.constantFrom(
        '\u0000',
        '\u202e',
        '\u200f',
        '\ufeff',
        '\r\n',
        '\u0085',
        '👩‍👩‍👧‍👦',
        'ﷺ',
        'مرحبا',
        '\u{10ffff}',
        '%00',
        '\\u0000',
      ),
    ),
    maxLength: 20,
  }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'null',
    'undefined',
    'NaN',
    '-1',
    '0x10',
    '1e999',
    '__proto__',
    'constructor',
    '<script>',
    '../../etc/passwd',
    '%s%n',
    '\u202eevil',
  ),
);
export const oddString: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: shortOddString },
  // around the prompt limit (ASCII) and multi-byte text up to the body limit
  {
    weight: 1,
    arbitrary: fc.integer({ min: fuzzMaxPromptChars - 2, max: fuzzMaxPromptChars + 2 }).map((n) => 'p'.repeat(n)),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: Math.floor(fuzzBodyLimitBytes / 4) }).map((n) => '😀'.repeat(n)) },
);

/** numbers at and past every edge a schema might have */
export const oddNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    1,
    0.5,
    1.5,
    2,
    2.0000001,
    4,
    5,
    150,
    151,
    1000,
    1001,
    4096,
    4097,
    2 ** 31,
    2 ** 32 - 1,
    2 ** 32,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 53),
    1e308,
    -1e308,
    5e-324,
    Number.MAX_VALUE,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** any JSON value, including the odd strings and numbers above */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 2, arbitrary: oddString },
  { weight: 2, arbitrary: oddNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { '': '' }) },
);

/**
 * A field's value: mostly a valid one, else anything. Bodies have several
 * fields, so a small share of bad values per field still breaks about half of
 * the bodies, and the other half reach the handler.
 */
export function field<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: anyJson });
}

/**
 * An object with any subset of the optional fields and, in 19 of 20 cases,
 * every required one; sometimes with unknown extra keys.
 */
export function objectOf(
  fields: Record<string, fc.Arbitrary<unknown>>,
  required: readonly string[] = [],
): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      fc.record(fields, { requiredKeys: [...required] }),
      fc.option(fc.dictionary(shortOddString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), { freq: 4 }),
      fc.nat({ max: 19 }),
    )
    .map(([known, extra, drop]) => {
      const out: Record<string, unknown> = { ...(extra ?? {}), ...known };
      if (drop === 0 && required.length > 0) delete out[required[0]!];
      return out;
    });
}

export interface RawBody {
  readonly kind: string;
  readonly payload: string;
  readonly contentType: string | undefined;
}

const jsonTypes = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON'];
const wrongTypes = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  'application/json; charset=utf-16',
  'application/jsonx',
  'json',
  ';;',
  '',
  undefined,
];

/** how a body goes on the wire: mostly well-formed JSON of `body`, else every way to break it */
export function rawBody(body: fc.Arbitrary<unknown>): fc.Arbitrary<RawBody> {
  const asJson = body.map((b) => JSON.stringify(b) ?? 'null');
  return fc.oneof(
    {
      weight: 14,
      arbitrary: fc
        .tuple(asJson, fc.constantFrom(...jsonTypes))
        .map(([payload, contentType]) => ({ kind: 'json', payload, contentType })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(asJson, fc.nat()).map(([t, cut]) => ({
        kind: 'truncated json',
        payload: t.slice(0, cut % Math.max(1, t.length)),
        contentType: 'application/json',
      })),
    },
    {
      weight: 1,
      arbitrary: oddString.map((payload) => ({ kind: 'garbage', payload, contentType: 'application/json' })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(asJson, fc.constantFrom(...wrongTypes))
        .map(([payload, contentType]) => ({ kind: 'wrong content type', payload, contentType })),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: fuzzBodyLimitBytes - 20, max: fuzzBodyLimitBytes * 4 }).map((n) => ({
        kind: 'oversize',
        payload: JSON.stringify({ prompt: 'x'.repeat(n) }),
        contentType: 'application/json',
      })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.integer({ min: 1, max: 4000 }), fc.boolean()).map(([depth, arr]) => ({
        kind: 'deeply nested',
        payload: arr ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
        contentType: 'application/json',
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '{"__proto__":{"prompt":"x"}}',
          '{"constructor":{"prototype":{"prompt":"x"}}}',
          '{"prompt":"a","prompt":7}',
          '[{"prompt":"a"}]',
          '"prompt"',
          '12',
          'null',
          '',
          ' ',
          '\ufeff{"prompt":"a"}',
          '{"prompt":"\\ud800"}',
          '{"prompt":"a\\u0000b"}',
          '{"prompt": 1e99999}',
          '{"prompt":"a"}garbage',
        )
        .map((payload) => ({ kind: 'crafted', payload, contentType: 'application/json' })),
    },
  );
}

const headerName = fc
  .stringMatching(/^[a-z][a-z0-9-]{0,20}$/)
  .filter(
    (n) =>
      !['content-type', 'content-length', 'transfer-encoding', 'host', 'connection', 'expect', 'upgrade'].includes(n),
  );
const visible = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 60,
});
const latin1 = fc.string({
  unit: fc.integer({ min: 0xa0, max: 0xff }).map((c) => String.fromCharCode(c)),
  maxLength: 20,
});

/** extra request headers: odd values, odd auth, a header far larger than usual */
export const oddHeaders: fc.Arbitrary<Record<string, string>> = fc
  .tuple(
    fc.dictionary(headerName, fc.oneof(visible, latin1), { maxKeys: 4 }),
    fc.option(
      fc.oneof(visible, fc.constantFrom('Bearer', 'Bearer ', 'Basic Zm9vOmJhcg==', `Bearer ${'k'.repeat(10_000)}`)),
      { freq: 3 },
    ),
    fc.option(
      fc.integer({ min: 1000, max: 40_000 }).map((n) => 'h'.repeat(n)),
      { freq: 10 },
    ),
    fc.option(fc.constantFrom('text/event-stream', '*/*', 'application/xml', '', 'application/json;q=0'), { freq: 3 }),
  )
  .map(([extra, auth, big, accept]) => ({
    ...extra,
    ...(auth === null ? {} : { authorization: auth }),
    ...(big === null ? {} : { 'x-big': big }),
    ...(accept === null ? {} : { accept }),
  }));

/** a query string: none, junk, broken percent-encoding, repeated keys */
export const oddQuery: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  {
    weight: 1,
    arbitrary: fc
      .dictionary(fc.stringMatching(/^[a-z_]{1,8}$/), visible, { maxKeys: 3 })
      .map((q) => `?${new URLSearchParams(q).toString()}`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '?',
      '?a',
      '?a=1&a=2',
      '?%',
      '?%zz',
      '?stream=true',
      '?__proto__[x]=1',
      '?a[b][c]=1',
      `?q=${'z'.repeat(5000)}`,
    ),
  },
);
