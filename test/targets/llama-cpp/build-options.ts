// What pip builds when it installs llama-cpp-python: only what the tests use.
// llama-cpp-python's CMakeLists takes CMAKE_ARGS (its README: "all llama.cpp
// cmake build options can be set via the CMAKE_ARGS environment variable"), and
// CMAKE_BUILD_PARALLEL_LEVEL sets cmake --build's job count.
//
// The tests serve text from a tiny GGUF through llama_cpp.server, which loads
// libllama and libggml only: libmtmd (the multimodal library, built by default
// as LLAVA_BUILD) is imported lazily by the multimodal chat handlers, which the
// tests never use. llama.cpp's tests, tools, examples and its own server are off
// by default when it is built as a subproject; they are named anyway so a newer
// vendored llama.cpp that changed a default does not silently bring them back.
//
// llama.cpp's common/ library (52 of the 127 objects: chat templates, argument
// parsing, downloads, cpp-httplib) is built for llama.cpp's own tools; llama-cpp-
// python never loads it, but its CMakeLists forces
// LLAMA_BUILD_COMMON ON in the cache, so -DLLAMA_BUILD_COMMON=OFF is overridden.
// CMake's CMAKE_PROJECT_<name>_INCLUDE names a file included right after
// project("llama.cpp"): there a plain variable LLAMA_BUILD_COMMON=OFF shadows
// the cached ON for llama.cpp's directory, so common/ is neither built nor
// installed (COMMON_OFF_CMAKE below). 74 objects are left.
//
// The options, and that file's text, are part of the install's cache key
// (buildKey): a changed recipe installs into a new folder instead of reusing a
// build made another way.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** written to <installDir>/no-common.cmake; included after llama.cpp's project() */
export const COMMON_OFF_FILE = 'no-common.cmake';
export const COMMON_OFF_CMAKE = `# genload: llama-cpp-python ships libllama and libggml only; llama.cpp's common/
# library (its tools' helpers) is not needed. A plain variable shadows the cache
# entry llama-cpp-python forces ON.
set(LLAMA_BUILD_COMMON OFF)
`;

/** CMAKE_ARGS for pip; commonOffPath is where COMMON_OFF_CMAKE was written. */
export function cmakeArgs(commonOffPath: string): string[] {
  // scikit-build-core splits CMAKE_ARGS like a shell: quote a path with spaces
  const path = /\s/.test(commonOffPath) ? `'${commonOffPath}'` : commonOffPath;
  return [...CMAKE_ARGS, `-DCMAKE_PROJECT_llama.cpp_INCLUDE=${path}`];
}

export const CMAKE_ARGS: readonly string[] = [
  // no libmtmd (vendor/llama.cpp/tools/mtmd, clip and the vision/audio encoders)
  '-DLLAVA_BUILD=OFF',
  '-DLLAMA_BUILD_TESTS=OFF',
  '-DLLAMA_BUILD_TOOLS=OFF',
  '-DLLAMA_BUILD_EXAMPLES=OFF',
  '-DLLAMA_BUILD_SERVER=OFF',
  '-DLLAMA_BUILD_APP=OFF',
  // one CPU backend for this machine's CPU, not one per x86 level loaded at run time
  '-DGGML_NATIVE=ON',
  '-DGGML_BACKEND_DL=OFF',
  '-DGGML_CPU_ALL_VARIANTS=OFF',
  '-DGGML_BLAS=OFF',
  // HTTPS is only for llama.cpp's model downloads (common/), which nothing here uses
  '-DLLAMA_OPENSSL=OFF',
];

/**
 * The CPU's feature flags from /proc/cpuinfo, or '' where it cannot be read.
 * GGML_NATIVE compiles for the building CPU (-march=native): a cache carried to
 * a CPU without those instructions would crash with SIGILL, so they key the build.
 */
export function cpuFlags(cpuinfo?: string): string {
  let text = cpuinfo;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  }
  const line = text.split('\n').find((l) => /^(flags|Features)\s*:/.test(l));
  return line
    ? line
        .replace(/^[^:]*:\s*/, '')
        .trim()
        .split(/\s+/)
        .sort()
        .join(' ')
    : '';
}

/** 12 hex digits over the version, the cmake options, the common-off file and the CPU flags: the install folder's suffix. */
export function buildKey(
  version: string,
  options: readonly string[] = CMAKE_ARGS,
  flags: string = cpuFlags(),
  include: string = COMMON_OFF_CMAKE,
): string {
  return createHash('sha256')
    .update(JSON.stringify({ version, cmakeArgs: options, include, cpuFlags: flags }))
    .digest('hex')
    .slice(0, 12);
}
