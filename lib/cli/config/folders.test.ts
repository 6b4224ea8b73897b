import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultsDirProblem, runDirProblem } from './folders.ts';
import { runDirFlag, resultsDirOf } from '../commands/folder-flags.ts';
import { ConfigError } from '../errors.ts';

const base = mkdtempSync(join(tmpdir(), 'genload-folders-'));
const dir = (name: string, files: Record<string, string> = {}): string => {
  const d = join(base, name);
  mkdirSync(d, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(d, f), text);
  return d;
};
const record = JSON.stringify({ schemaVersion: 1, runId: 'r' });

test('RUN-like variables: only folders genload wrote (run.json or capacity.json with a schemaVersion)', () => {
  assert.equal(runDirProblem('RUN', dir('run', { 'run.json': record })), undefined);
  assert.equal(runDirProblem('CAND', dir('cap', { 'capacity.json': record })), undefined);
  const rows: [string, RegExp][] = [
    [
      join(base, 'missing'),
      /^RUN: must be a run folder written by genload \(holding run\.json or capacity\.json\), but '.*missing' does not exist$/,
    ],
    [dir('plain', { 'notes.txt': 'x' }), /^RUN: must be a run folder .*, but '.*plain' holds neither$/],
    [dir('fake', { 'run.json': '{"hello":1}' }), /holds neither$/],
    [dir('broken', { 'run.json': '{' }), /holds neither$/],
    [join(dir('file-parent', { 'f.txt': '' }), 'f.txt'), /is not a folder$/],
    ['/etc', /^RUN: .* but '\/etc' holds neither$/],
  ];
  for (const [path, want] of rows) assert.match(runDirProblem('RUN', path) ?? 'accepted', want, path);
});

test("RESULTS: not there yet, empty, the checkout default, or already genload's; any other folder is refused", () => {
  const def = dir('default-results', { 'README.md': 'x' });
  for (const ok of [
    join(base, 'new'),
    dir('empty'),
    def,
    dir('indexed', { 'index.json': record, 'x.txt': '' }),
    join(dir('withrun'), '..', 'withrun'),
  ]) {
    if (ok.endsWith('withrun')) dir('withrun/20261201T000000Z-smoke', { 'run.json': record });
    assert.equal(resultsDirProblem(ok, def), undefined, ok);
  }
  // a run killed with -9 leaves only config.json (written first): still genload's folder
  dir('killed/20261201T000000Z-smoke-killed', { 'config.json': record });
  assert.equal(resultsDirProblem(join(base, 'killed'), def), undefined);
  assert.equal(resultsDirProblem(dir('operator'), def), undefined);
  dir('operator/x-k6-operator', { 'k6-operator.yaml': '' });
  assert.equal(resultsDirProblem(join(base, 'operator'), def), undefined);
  assert.match(
    resultsDirProblem(dir('src', { 'main.ts': '', 'b.ts': '', 'c.ts': '', 'd.ts': '' }), def) ?? '',
    /^RESULTS: must be a results folder genload can own \(.*\), but '.*src' holds other files \(b\.ts, c\.ts, d\.ts, \.\.\.\)$/,
  );
  assert.match(resultsDirProblem(join(dir('filehere', { f: '' }), 'f'), def) ?? '', /^RESULTS: .* is a file$/);
  assert.match(resultsDirProblem('/etc', def) ?? '', /^RESULTS: .* but '\/etc' holds other files/);
});

test('report, compare and gate refuse such folders with a ConfigError before writing anything', () => {
  assert.throws(
    () => runDirFlag({ run: '/etc' }, 'run', true),
    (e) => e instanceof ConfigError && /^RUN: must be a run folder/.test(e.problems[0] ?? ''),
  );
  assert.throws(
    () => runDirFlag({ base: join(base, 'plain') }, 'base', false),
    (e) => e instanceof ConfigError && /^BASE: /.test(e.problems[0] ?? ''),
  );
  assert.throws(
    () => resultsDirOf({ results: '/etc' }),
    (e) => e instanceof ConfigError && /^RESULTS: /.test(e.problems[0] ?? ''),
  );
  assert.equal(runDirFlag({ run: join(base, 'run') }, 'run', true), join(base, 'run'));
});
