import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultsDirProblem, runDirProblem } from './folders.ts';
import { markGenloadFolder, MARKER_FILE } from '../run-folder/marker.ts';
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
/** a folder as genload creates it: its marker first, then its files */
const genloadDir = (name: string, files: Record<string, string> = {}): string => {
  const d = dir(name);
  markGenloadFolder(d, 'run folder');
  return dir(name, files);
};

test('RUN-like variables: only folders genload created (its marker), not any folder with a JSON record', () => {
  assert.equal(runDirProblem('RUN', genloadDir('run', { 'run.json': record })), undefined);
  assert.equal(runDirProblem('CAND', genloadDir('cap', { 'capacity.json': record })), undefined);
  const rows: [string, RegExp][] = [
    [
      join(base, 'missing'),
      /^RUN: must be a run folder written by genload \(holding its \.genload marker\), but '.*missing' does not exist$/,
    ],
    [dir('plain', { 'notes.txt': 'x' }), /^RUN: must be a run folder .*, but '.*plain' has none$/],
    // another tool's records with a schemaVersion are not genload's
    [dir('lookalike', { 'run.json': record, 'capacity.json': record, 'config.json': record }), /has none$/],
    [dir('forged', { [MARKER_FILE]: '' }), /has none$/],
    [join(dir('file-parent', { 'f.txt': '' }), 'f.txt'), /is not a folder$/],
    ['/etc', /^RUN: .* but '\/etc' has none$/],
  ];
  for (const [path, want] of rows) assert.match(runDirProblem('RUN', path) ?? 'accepted', want, path);
});

test("RESULTS: not there yet, empty, the checkout default, or already genload's; any other folder is refused", () => {
  const def = dir('default-results', { 'README.md': 'x' });
  for (const ok of [
    join(base, 'new'),
    dir('empty'),
    def,
    join(dir('withrun', { 'index.json': record }), '..', 'withrun'),
  ]) {
    if (ok.endsWith('withrun')) genloadDir('withrun/20261201T000000Z-smoke', { 'run.json': record });
    assert.equal(resultsDirProblem(ok, def), undefined, ok);
  }
  // a run killed with -9 leaves its marker (written when the folder is made) and config.json: still genload's
  genloadDir('killed/20261201T000000Z-smoke-killed', { 'config.json': record });
  assert.equal(resultsDirProblem(join(base, 'killed'), def), undefined);
  // records with a schemaVersion that genload did not write do not make a folder genload's
  dir('foreign/a', { 'run.json': record });
  dir('foreign', { 'index.json': record });
  assert.match(resultsDirProblem(join(base, 'foreign'), def) ?? '', /^RESULTS: .* holds other files/);
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
