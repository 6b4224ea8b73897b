// The progress line read from an install.log, and the build key's inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildKey, CMAKE_ARGS, cpuFlags } from './build-options.ts';
import { formatElapsed, parseProgress, progressLine } from './progress.ts';
import { STEP_MARK } from './provision.ts';

const compile = (n: number, total: number, src: string) =>
  `  [${n}/${total}] /usr/bin/g++ -DGGML_BUILD -O3 -march=native -o x.o -c /tmp/pip-req-build-x/vendor/llama.cpp/${src}`;

test('while compiling: the step, ninja’s count of the last compile line and the source it compiles', () => {
  const log = [
    `${STEP_MARK}downloading the sdist`,
    'Saved ./sdist/llama_cpp_python-0.3.36.tar.gz',
    `${STEP_MARK}installing llama-cpp-python[server] 0.3.36`,
    '  *** Building project with Ninja...',
    compile(11, 140, 'ggml/src/ggml.c'),
    compile(12, 140, 'src/llama-model.cpp'),
  ].join('\n');
  const p = parseProgress(log);
  assert.deepEqual(p, {
    step: 'installing llama-cpp-python[server] 0.3.36',
    done: 12,
    total: 140,
    last: 'compiling src/llama-model.cpp',
  });
  assert.equal(
    progressLine(125_000, p),
    '2 min 05 s | installing llama-cpp-python[server] 0.3.36 | ninja 12/140 (9 %) | last: compiling src/llama-model.cpp',
  );
});

test('a count from an earlier step is not shown; a long last line is shortened; an empty log is "starting"', () => {
  const p = parseProgress(
    [compile(3, 9, 'a.c'), `${STEP_MARK}extracting the vocab`, `x${'y'.repeat(300)}`, ''].join('\n'),
  );
  assert.equal(p.step, 'extracting the vocab');
  assert.equal(p.done, undefined);
  assert.equal(p.last!.length, 100);
  assert.equal(progressLine(3_000, parseProgress('')), '3 s | starting');
});

test('elapsed time reads in minutes and seconds', () => {
  assert.equal(formatElapsed(59_400), '59 s');
  assert.equal(formatElapsed(61_000), '1 min 01 s');
  assert.equal(formatElapsed(-5), '0 s');
});

test('the build key changes with the version, any cmake option, the common-off file and the CPU flags', () => {
  const flags = 'avx avx2 fma sse4_2';
  const k = buildKey('0.3.36', CMAKE_ARGS, flags);
  assert.match(k, /^[0-9a-f]{12}$/);
  assert.equal(buildKey('0.3.36', [...CMAKE_ARGS], flags), k);
  assert.notEqual(buildKey('0.3.37', CMAKE_ARGS, flags), k);
  assert.notEqual(
    buildKey(
      '0.3.36',
      CMAKE_ARGS.filter((a) => a !== '-DLLAVA_BUILD=OFF'),
      flags,
    ),
    k,
  );
  assert.notEqual(buildKey('0.3.36', CMAKE_ARGS, 'avx sse4_2'), k);
  assert.notEqual(buildKey('0.3.36', CMAKE_ARGS, flags, '# nothing\n'), k);
});

test('CPU flags come sorted from the flags (x86) or Features (arm) line', () => {
  assert.equal(cpuFlags('processor\t: 0\nflags\t\t: sse avx2 avx\nbugs\t: x\n'), 'avx avx2 sse');
  assert.equal(cpuFlags('Features\t: neon asimd fp\n'), 'asimd fp neon');
  assert.equal(cpuFlags('nothing here'), '');
});

test('the multimodal library is off and nothing optional is left to a default', () => {
  for (const opt of [
    'LLAVA_BUILD',
    'LLAMA_BUILD_TESTS',
    'LLAMA_BUILD_TOOLS',
    'LLAMA_BUILD_EXAMPLES',
    'LLAMA_BUILD_SERVER',
  ])
    assert.ok(CMAKE_ARGS.includes(`-D${opt}=OFF`), opt);
  assert.ok(CMAKE_ARGS.includes('-DGGML_CPU_ALL_VARIANTS=OFF'));
});
