import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkLayers, cliRoomOf, levelOf, roomCycles } from './layers.ts';

test('cliRoomOf: the first folder under lib/cli, or the top-level file', () => {
  assert.equal(cliRoomOf('lib/cli/run/load-run.ts'), 'run');
  assert.equal(cliRoomOf('lib/cli/report/data/slo.ts'), 'report');
  assert.equal(cliRoomOf('lib/cli/errors.ts'), 'errors.ts');
  assert.equal(cliRoomOf('lib/shared/summary.ts'), undefined);
});

test('levelOf: executors over steps over the plan over the ground floor', () => {
  assert.ok((levelOf('commands') as number) < (levelOf('run') as number));
  assert.ok((levelOf('run') as number) < (levelOf('report') as number));
  assert.ok((levelOf('report') as number) < (levelOf('workload') as number));
  assert.ok((levelOf('workload') as number) < (levelOf('run-folder') as number));
  assert.equal(levelOf('nowhere'), undefined);
});

const file = (path: string, ...imports: string[]): { file: string; source: string } => ({
  file: path,
  source: imports.map((s, k) => `import { x${k} } from '${s}';`).join('\n'),
});

test('an import down or on the same level passes', () => {
  assert.deepEqual(
    checkLayers([
      file('lib/cli/run/load-run.ts', '../report/render-run.ts', '../capacity/x.ts', '../run-folder/write.ts'),
      file('lib/cli/report/render-run.ts', '../run-folder/write.ts', '../../shared/metrics.ts', 'node:fs'),
      file('lib/cli/workload/from-plan.ts', '../errors.ts', './build.ts'),
    ]),
    [],
  );
});

test('an import up a level fails, naming both rooms and their levels', () => {
  const v = checkLayers([file('lib/cli/run-folder/write.ts', '../run/load-run.ts')]);
  assert.equal(v.length, 1);
  assert.equal(v[0]?.file, 'lib/cli/run-folder/write.ts');
  assert.equal(v[0]?.specifier, '../run/load-run.ts');
  assert.match(v[0]?.rule ?? '', /run-folder \(level 5, ground\) must not import run \(level 2, executors\)/);
  // a type-only import and a re-export count as well
  assert.equal(
    checkLayers([{ file: 'lib/cli/report/a.ts', source: "import type { T } from '../capacity/report.ts';" }]).length,
    1,
  );
  assert.equal(checkLayers([{ file: 'lib/cli/monitor/a.ts', source: "export { f } from '../run/x.ts';" }]).length, 1);
});

test('unit tests may reach up (for fixtures); product files may not', () => {
  assert.deepEqual(checkLayers([file('lib/cli/config/folders.test.ts', '../commands/folder-flags.ts')]), []);
  assert.equal(checkLayers([file('lib/cli/config/folders.ts', '../commands/folder-flags.ts')]).length, 1);
});

test('a room the table does not place fails, importing or imported', () => {
  assert.match(checkLayers([file('lib/cli/newroom/a.ts')])[0]?.rule ?? '', /'newroom' has no level/);
  assert.match(checkLayers([file('lib/cli/run/a.ts', '../newroom/b.ts')])[0]?.rule ?? '', /'newroom' has no level/);
});

test('two rooms on one level importing each other are a cycle', () => {
  const v = checkLayers([
    file('lib/cli/report/render-run.ts', '../results-index/index.ts'),
    file('lib/cli/results-index/index.ts', '../report/data/slo.ts'),
  ]);
  assert.equal(v.length, 1);
  assert.match(
    v[0]?.rule ?? '',
    /cycle: report -> results-index \(lib\/cli\/report\/render-run.ts\), results-index -> report/,
  );
});

test('roomCycles finds a cycle through three rooms and none in a chain', () => {
  const g = (pairs: Array<[string, string]>): Map<string, Map<string, unknown>> => {
    const m = new Map<string, Map<string, unknown>>();
    for (const [a, b] of pairs) m.set(a, (m.get(a) ?? new Map()).set(b, true));
    return m;
  };
  assert.deepEqual(
    roomCycles(
      g([
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'a'],
        ['c', 'd'],
      ]),
    ),
    [['a', 'b', 'c']],
  );
  assert.deepEqual(
    roomCycles(
      g([
        ['a', 'b'],
        ['b', 'c'],
        ['a', 'c'],
      ]),
    ),
    [],
  );
});
