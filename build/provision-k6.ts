// Entry of `make k6`: find or build the pinned k6 and print its path on stdout
// (only the path, so `K6=$(make -s k6)` works); progress goes to stderr.

import { GenloadError } from '../lib/cli/errors.ts';
import { resolveK6 } from '../lib/cli/k6/provision.ts';

try {
  const k6 = await resolveK6({ log: (line) => process.stderr.write(`genload: ${line}\n`) });
  process.stderr.write(`genload: k6 ${k6.version} from ${k6.source}\n`);
  process.stdout.write(`${k6.path}\n`);
} catch (err) {
  process.stderr.write(`genload: ${(err as Error).message}\n`);
  process.exitCode = err instanceof GenloadError ? err.exitCode : 1;
}
