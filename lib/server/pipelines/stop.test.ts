import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StopMatcher } from './stop.ts';

function run(stops: string[], pieces: string[]): { out: string; stopped: boolean; emitted: string[] } {
  const m = new StopMatcher(stops);
  const emitted: string[] = [];
  for (const p of pieces) {
    const r = m.push(p);
    emitted.push(r.emit);
    if (r.stopped) return { out: emitted.join(''), stopped: true, emitted };
  }
  emitted.push(m.flush());
  return { out: emitted.join(''), stopped: false, emitted };
}

const cases: { name: string; stops: string[]; pieces: string[]; out: string; stopped: boolean }[] = [
  { name: 'no stops', stops: [], pieces: ['ab', 'c'], out: 'abc', stopped: false },
  { name: 'stop inside one piece', stops: ['END'], pieces: ['abENDcd'], out: 'ab', stopped: true },
  { name: 'stop split across pieces', stops: ['END'], pieces: ['ab', 'E', 'N', 'D', 'x'], out: 'ab', stopped: true },
  { name: 'false start is released', stops: ['END'], pieces: ['ab', 'E', 'x'], out: 'abEx', stopped: false },
  { name: 'earliest of two stops wins', stops: ['zz', '\n'], pieces: ['a\nbzz'], out: 'a', stopped: true },
  { name: 'partial at the end is flushed', stops: ['END'], pieces: ['abEN'], out: 'abEN', stopped: false },
];

for (const c of cases) {
  test(`stop matcher: ${c.name}`, () => {
    const r = run(c.stops, c.pieces);
    assert.equal(r.out, c.out);
    assert.equal(r.stopped, c.stopped);
  });
}

test('a possible stop prefix is held back, not emitted early', () => {
  const r = run(['END'], ['abE', 'N']);
  assert.deepEqual(r.emitted.slice(0, 2), ['ab', '']);
});
