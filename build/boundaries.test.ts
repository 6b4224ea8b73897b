import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFile, importsOf, sideOf } from './boundaries.ts';

test('importsOf finds static, side-effect, dynamic and re-export imports, ignoring comments', () => {
  const src = [
    "import http from 'k6/http';",
    "import { a, b } from './x.ts';",
    'import type { T } from "../shared/t.ts";',
    "import 'side-effect';",
    "export { c } from './c.ts';",
    "const m = await import('node:fs');",
    "// import nope from 'commented';",
    "/* import nope2 from 'block'; */",
    "const r = require('fs');",
  ].join('\n');
  assert.deepEqual(importsOf(src), ['k6/http', './x.ts', '../shared/t.ts', 'side-effect', './c.ts', 'node:fs', 'fs']);
});

test('sideOf classifies by folder', () => {
  assert.equal(sideOf('scenarios/ramp.ts'), 'k6');
  assert.equal(sideOf('lib/k6/targets/openai.ts'), 'k6');
  assert.equal(sideOf('lib/server/app.ts'), 'node');
  assert.equal(sideOf('lib/cli/main.ts'), 'node');
  assert.equal(sideOf('lib/shared/slo/index.ts'), 'shared');
  assert.equal(sideOf('lib/k6/sse.test.ts'), 'test');
});

const cases: Array<[string, string, number]> = [
  ['scenarios/a.ts', "import fs from 'node:fs';", 1],
  ['scenarios/a.ts', "import fs from 'fs';", 1],
  ['scenarios/a.ts', "import http from 'k6/http';", 0],
  ['lib/k6/a.ts', "import { x } from '../server/app.ts';", 1],
  ['lib/k6/a.ts', "import { x } from '../shared/metrics.ts';", 0],
  ['lib/server/a.ts', "import http from 'k6/http';", 1],
  ['lib/cli/a.ts', "import { x } from '../k6/config.ts';", 1],
  ['lib/cli/a.ts', "import { spawn } from 'node:child_process';", 0],
  ['lib/shared/a.ts', "import { z } from 'zod';", 0],
  ['lib/shared/a.ts', "import { readFileSync } from 'node:fs';", 1],
  ['lib/shared/a.ts', "import { check } from 'k6';", 1],
  ['lib/shared/a.ts', "import { c } from '../k6/config.ts';", 1],
  ['lib/k6/a.test.ts', "import { test } from 'node:test';", 0],
  ['lib/k6/a.test.ts', "import http from 'k6/http';", 1],
  ['lib/cli/a.ts', "import { repoRoot } from '../../build/paths.ts';", 1],
  ['lib/cli/k6/a.test.ts', "import { x } from '../../../build/boundaries.ts';", 1],
  ['lib/server/a.ts', "const m = await import('../../build/models.ts');", 1],
  ['scenarios/a.ts', "import { x } from '../build/bundle.ts';", 1],
  ['lib/cli/a.ts', "import { x } from './build/b.ts';", 0],
  ['build/bundle.ts', "import { bundleScenarios } from '../lib/cli/bundle/bundle.ts';", 0],
  ['test/e2e/a.test.ts', "import { resolveActionlint } from '../../build/actionlint.ts';", 0],
];

for (const [file, src, n] of cases) {
  test(`checkFile ${file}: ${src} -> ${n} violation(s)`, () => {
    assert.equal(checkFile(file, src).length, n);
  });
}
