// genload's entry point: `node --import tsx lib/cli/main.ts <command> [--flag value ...]`.
// The Node version is checked before anything else is loaded: the commands and
// the packages they import use APIs an older Node lacks, and would fail on import
// with an unrelated error. So this file imports only the check, statically; the
// CLI itself (cli.ts) is imported once the version is known to be supported.

import { requiredNodeRange, satisfies } from './node-engines.ts';
import { ExitCode } from '../shared/exit-codes.ts';

// package.json engines.node is the supported range (README "The two commands")
const nodeRange = requiredNodeRange();
if (!satisfies(process.versions.node, nodeRange)) {
  process.stderr.write(
    `genload: node: must be a version in '${nodeRange}' (package.json engines), but is ${process.versions.node}; install a newer Node 20 or later\n`,
  );
  process.exitCode = ExitCode.ConfigInvalid;
} else {
  const { main } = await import('./cli.ts');
  process.exitCode = await main(process.argv.slice(2));
}
