// Fuzzes genload's own configuration: the load command's flags and environment
// (resolveRun, which also loads the SLO file and the workload), SLO
// documents (parseSlo, loadSloFile) and workload records (parseWorkload).
// Property: a malformed input is refused with the one documented error type,
// whose every problem names the field, the rule and the value; nothing else
// is ever thrown; and whatever is accepted is usable by the run that follows.
// Run: node --import tsx --test test/fuzz/cli-config.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { repoRoot } from '../../lib/cli/paths.ts';
import { resolveRun } from '../../lib/cli/run-plan/resolve.ts';
import { KNOBS } from '../../lib/cli/config/knobs.ts';
import { loadSloFile } from '../../lib/cli/config/slo-file.ts';
import { ConfigError } from '../../lib/cli/errors.ts';
import { loadSchema } from '../../lib/shared/run-config.ts';
import { parseSlo, SloError } from '../../lib/shared/slo/index.ts';
import { parseWorkload, WorkloadError } from '../../lib/shared/workload/index.ts';
import { fuzzRuns, fuzzSeed } from './app-under-fuzz.ts';
import { anyJson, oddNumber, shortOddString } from './inputs.ts';

const runs = { numRuns: fuzzRuns, includeErrorInReport: true, ...(fuzzSeed === undefined ? {} : { seed: fuzzSeed }) };
const tmp = mkdtempSync(join(tmpdir(), 'genload-fuzz-'));

/**
 * "<field>: <rule>..., but is <value>" or "<field>: unknown key ..." — the shape every problem line must have;
 * problems inside a file the load command reads carry the variable and the file first:
 * "SLO <path>: <field>: ...", "DATASET <path>:<line>: ...", "WORKLOAD_FILE <path>:<line>: ..."
 */
const problemShape = /^((SLO|DATASET|TRACE|WORKLOAD_FILE) [^:]+(:\d+)?: )?[A-Za-z_$(][\w.$()-]*:? \S.*/s;
function assertProblems(problems: readonly string[], what: string): void {
  assert.ok(problems.length > 0, `${what}: an error without problems`);
  for (const p of problems) assert.match(p, problemShape, `${what}: problem does not name a field: ${p}`);
}

// ---- flags and environment of `genload load` ----

const knobText = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '1',
      '0',
      '-1',
      '2.5',
      '1e3',
      '1e400',
      '9'.repeat(400),
      '1e20',
      '30s',
      '2m',
      '1h30m',
      '500ms',
      '0s',
      '-3s',
      '99999999999h',
      'true',
      'no',
      'sim',
      'onnx',
      'poisson',
      'reference',
      'smoke',
      'ramp',
      'ci-smoke',
      'http://127.0.0.1:8000',
      'http://user:pw@127.0.0.1:1',
      'https://example.com',
      'ftp://127.0.0.1',
      'localhost:8000',
      '.',
      '/',
      'package.json',
      'thresholds/ci-smoke.json',
      '../x',
      'ok-name',
      'maxTokens=4,steps=2',
      'promptSet=long',
      'x=',
      '=1',
      'planPrompts=0',
      '',
    ),
  },
  { weight: 1, arbitrary: shortOddString },
);
const flagsArb = fc.dictionary(fc.constantFrom(...KNOBS.map((k) => k.flag)), knobText, { maxKeys: 3 });
const envArb = fc.dictionary(fc.constantFrom(...KNOBS.map((k) => k.env)), knobText, { maxKeys: 2 });

test(`genload load flags and environment: ${fuzzRuns} random settings -> a usable config or one ConfigError naming each problem`, () => {
  let accepted = 0;
  fc.assert(
    fc.property(
      fc.option(fc.constantFrom('smoke', 'ramp', 'soak'), { freq: 8 }),
      flagsArb,
      envArb,
      (scenario, flags, env) => {
        const all = { ...flags, ...(scenario === null ? {} : { scenario }) };
        const what = `flags ${JSON.stringify(all)} env ${JSON.stringify(env)}`;
        let resolved: ReturnType<typeof resolveRun>;
        try {
          resolved = resolveRun(all, env);
        } catch (err) {
          assert.ok(err instanceof ConfigError, `${what}: threw ${(err as Error).stack}`);
          assertProblems(err.problems, what);
          return;
        }
        accepted++;
        // what resolves must make a valid run config: the load section is checked by runConfigSchema before k6 starts
        const v = resolved.knobs.values;
        const load = {
          rateRps: v['rateRps'],
          maxRateRps: v['maxRateRps'],
          durationSeconds: v['durationSeconds'],
          warmupSeconds: v['warmupSeconds'],
          vus: v['vus'],
          maxVus: v['maxVus'],
          arrival: v['arrival'],
          seed: v['seed'],
        };
        const check = loadSchema.safeParse(load);
        assert.ok(
          check.success,
          `${what}: accepted, but the run config would be refused later: ${check.success ? '' : check.error.message}`,
        );
      },
    ),
    // found by this property (2026-11-22), kept as fixed examples: whole numbers past 2^53 and durations that overflow to Infinity
    {
      ...runs,
      examples: [
        ['smoke', { seed: '1e20' }, {}],
        ['smoke', {}, { GENLOAD_DURATION: '9'.repeat(400) }],
      ],
    },
  );
  assert.ok(accepted > 0, 'no random setting was ever accepted: the generator is too hostile');
});

// ---- SLO documents ----

const profiles = ['ci-smoke', 'interactive-chat', 'batch-image'].map(
  (n) => JSON.parse(readFileSync(join(repoRoot, 'thresholds', `${n}.json`), 'utf8')) as Record<string, unknown>,
);

type Path = (string | number)[];
function paths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => paths((value as Record<string | number, unknown>)[k], [...prefix, k]))];
}

/** a copy of doc with the value at path replaced (or deleted when replacement is undefined) */
function mutate(doc: unknown, path: Path, replacement: unknown, remove: boolean): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove) delete node[last];
  else node[last] = replacement;
  return copy;
}

const sloMutation = fc
  .tuple(
    fc.nat(),
    fc.nat(),
    fc.oneof(anyJson, oddNumber, fc.constantFrom(0, -1, 1.5, 2, 'x', null, [], {})),
    fc.boolean(),
    fc.option(fc.tuple(shortOddString, anyJson), { freq: 4 }),
  )
  .map(([docIndex, pathIndex, replacement, remove, extra]) => {
    const doc = profiles[docIndex % profiles.length]!;
    const all = paths(doc).filter((p) => p.length > 0 && p[0] !== '$schema' && p[0] !== 'description');
    const path = all[pathIndex % all.length]!;
    let mutated = mutate(doc, path, replacement, remove);
    if (extra !== null && mutated !== null && typeof mutated === 'object' && !Array.isArray(mutated))
      mutated = { ...mutated, [`x${extra[0]}`]: extra[1] };
    return { path, replacement: remove ? '(removed)' : replacement, extra, doc: mutated };
  });

test(`SLO documents: ${fuzzRuns} single-field mutations of the shipped profiles -> parsed, or an SloError naming the field`, () => {
  let refused = 0;
  fc.assert(
    fc.property(sloMutation, ({ path, replacement, extra, doc }) => {
      const what = `${path.join('.')} = ${JSON.stringify(replacement)}${extra === null ? '' : ' + an unknown key'}`;
      try {
        parseSlo(doc, 'fuzz.json');
      } catch (err) {
        assert.ok(err instanceof SloError, `${what}: threw ${(err as Error).stack}`);
        assertProblems(err.problems, what);
        refused++;
        // the mutated field is named: itself, a parent (a missing or unknown key) or a child (an object put in its place)
        const named = err.problems.some(
          (p) =>
            p.startsWith('(root):') ||
            path.some((_, i) =>
              [':', '.'].some((sep) => p.startsWith(`${path.slice(0, path.length - i).join('.')}${sep}`)),
            ),
        );
        assert.ok(named || extra !== null, `${what}: no problem names ${path.join('.')}: ${err.problems.join(' | ')}`);
      }
    }),
    runs,
  );
  assert.ok(refused > fuzzRuns * 0.3, `only ${refused} mutations were refused`);
});

test(`SLO files: ${fuzzRuns} random files -> loadSloFile and parseSlo report problems, never throw anything else`, () => {
  const file = join(tmp, 'slo.json');
  const text = fc.oneof(
    anyJson.map((v) => JSON.stringify(v) ?? ''),
    fc
      .constantFrom(...profiles.map((p) => JSON.stringify(p)))
      .chain((t) => fc.nat({ max: t.length }).map((cut) => t.slice(0, cut))),
    shortOddString,
    fc.constantFrom('', '\ufeff{}', '{"schemaVersion": 1e999}', '{"__proto__": {"schemaVersion": 1}}', '[]', 'null'),
  );
  fc.assert(
    fc.property(text, (content) => {
      writeFileSync(file, content);
      const loaded = loadSloFile(file);
      if (loaded.problems.length > 0) {
        assertProblems(loaded.problems, JSON.stringify(content.slice(0, 80)));
        return;
      }
      try {
        parseSlo(loaded.slo, file);
      } catch (err) {
        assert.ok(err instanceof SloError, `${JSON.stringify(content.slice(0, 80))}: threw ${(err as Error).stack}`);
        assertProblems(err.problems, content.slice(0, 80));
      }
    }),
    runs,
  );
});

// ---- workload records ----

const workloadKeys = [
  'promptSet',
  'maxTokens',
  'maxPromptChars',
  'maxTokensDist',
  'stream',
  'ignoreEos',
  'steps',
  'stepsMix',
  'sizePx',
  'sizeMix',
  'classMix',
  'gammaShape',
  'rampSteps',
  'planPrompts',
  'planWarmup',
  'planMeasured',
  'trafficClass',
  'pollIntervalMs',
  'timeoutSeconds',
  'requestPath',
  'requestTemplate',
];
const workloadValue = fc.oneof(
  fc.boolean(),
  oddNumber,
  shortOddString,
  fc.constantFrom(
    'short',
    'fixed',
    'auto',
    '4,8',
    '0,1',
    '/v1/x',
    '{"a":1}',
    '1',
    '0',
    '-1',
    'NaN',
    'Infinity',
    '1e400',
    ' 12 ',
  ),
);

test(`workload records: ${fuzzRuns} random records -> a workload or one WorkloadError naming each field`, () => {
  fc.assert(
    fc.property(
      fc.dictionary(
        fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...workloadKeys) }, { weight: 1, arbitrary: shortOddString }),
        workloadValue,
        { maxKeys: 5 },
      ),
      (record) => {
        const what = JSON.stringify(record);
        try {
          const w = parseWorkload(record) as unknown as Record<string, unknown>;
          // accepted numbers are finite (a NaN or Infinity would reach the scenario)
          for (const [k, v] of Object.entries(w))
            if (typeof v === 'number') assert.ok(Number.isFinite(v), `${what}: accepted ${k} = ${v}`);
        } catch (err) {
          assert.ok(err instanceof WorkloadError, `${what}: threw ${(err as Error).stack}`);
          assertProblems(err.problems, what);
          for (const p of err.problems) assert.match(p, /^workload\./, `${what}: ${p}`);
          const named = err.problems.every(
            (p) => Object.keys(record).some((k) => p.startsWith(`workload.${k}:`)) || p.startsWith('workload.(root):'),
          );
          assert.ok(named, `${what}: a problem names no field of the record: ${err.problems.join(' | ')}`);
        }
      },
    ),
    runs,
  );
});
