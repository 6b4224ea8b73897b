// `make llama-cpp`: installs (first time, several minutes) or reuses the cached
// llama-cpp-python[server] and writes (or reuses) the tiny GGUF model; prints
// the python and model paths. The e2e target depends on it.

import { cacheRoot } from '../../../lib/cli/k6/cache-key.ts';
import { ensureTinyLlama } from './model.ts';
import { ensureLlamaCpp } from './provision.ts';

try {
  const root = cacheRoot(process.env);
  const started = performance.now();
  const lcp = await ensureLlamaCpp({ cacheRoot: root });
  const model = ensureTinyLlama(root, lcp.vocabPath);
  process.stderr.write(
    `llama-cpp: llama-cpp-python ${lcp.version} ${lcp.cached ? 'cached' : 'installed'}, model ${model.cached ? 'cached' : 'written'} (${Math.round(performance.now() - started)} ms)\n`,
  );
  process.stdout.write(`${lcp.python}\n${model.path}\n`);
} catch (err) {
  process.stderr.write(`llama-cpp: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
