// The configuration table is the one source of the knob lists people and Make
// read: the README's list is generated from it, the Makefile's forwarding lists
// name exactly its rows, and --help / make help print it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../paths.ts';
import { defaultText, knobUsage, makeVarsOf, makeVariablesHelp, README_BEGIN, withKnobList } from './help.ts';
import { CAPACITY_KNOBS, KNOBS, LOAD_KNOBS } from './knobs.ts';

/** `NAME := a b \ c` in the Makefile, continuation lines joined */
function makeList(makefile: string, name: string): string[] {
  const m = new RegExp(`^${name} := ((?:.*\\\\\\n)*.*)$`, 'm').exec(makefile);
  assert.ok(m?.[1] !== undefined, `Makefile: no ${name}`);
  return m[1].replace(/\\\n/g, ' ').split(/\s+/).filter(Boolean);
}

test('the Makefile forwards exactly the table: LOAD_VARS, CAPACITY_VARS, OPERATOR_VARS in table order', () => {
  const makefile = readFileSync(join(repoRoot, 'Makefile'), 'utf8');
  assert.deepEqual(makeList(makefile, 'LOAD_VARS'), makeVarsOf('load'));
  assert.deepEqual(makeList(makefile, 'CAPACITY_VARS'), makeVarsOf('capacity'));
  assert.deepEqual(makeList(makefile, 'OPERATOR_VARS'), makeVarsOf('operator'));
});

test("the README's knob list is the one generated from the table (node --import tsx build/knob-docs.ts rewrites it)", () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  assert.ok(readme.includes(README_BEGIN), 'README.md has no knob list markers');
  assert.equal(readme, withKnobList(readme), 'README.md knob list differs: run node --import tsx build/knob-docs.ts');
});

test('every knob is one row: flags, Make variables and environment names are unique and GENLOAD_<VAR>', () => {
  for (const field of ['flag', 'makeVar', 'env'] as const) {
    const names = KNOBS.map((k) => k[field]);
    assert.equal(new Set(names).size, names.length, `${field} repeated`);
  }
  for (const k of KNOBS) assert.equal(k.env, `GENLOAD_${k.makeVar}`);
  const usage = knobUsage().join('\n');
  const make = makeVariablesHelp().join('\n');
  for (const k of KNOBS) {
    assert.ok(usage.includes(`--${k.flag} `), k.flag);
    assert.ok(make.includes(k.makeVar), k.makeVar);
  }
});

test('defaults are shown with units and per-scenario values, or what applies when unset', () => {
  assert.equal(defaultText(LOAD_KNOBS.durationSeconds), '30s (smoke: 5s, ramp: 60s, soak: 600s)');
  assert.equal(defaultText(LOAD_KNOBS.rateRps), '2 requests/s (ramp: 1 requests/s)');
  assert.equal(defaultText(LOAD_KNOBS.scenario), 'required');
  assert.equal(defaultText(CAPACITY_KNOBS.toleranceRatio), '3%');
});

test('main.ts checks the Node version before it loads any command: its only static imports are the check', () => {
  const main = readFileSync(join(repoRoot, 'lib/cli/main.ts'), 'utf8');
  const statics = [...main.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
  assert.deepEqual(statics, ['./node-engines.ts', '../shared/exit-codes.ts']);
  assert.match(main, /satisfies\(process\.versions\.node[\s\S]*await import\('\.\/cli\.ts'\)/);
});
