// `genload package-operator --scenario ramp --target URL --parallelism 4 [--image I]
// [--namespace N] [--prometheus-rw URL]`: bundles the scenario and writes the
// k6-operator manifests (a ConfigMap with the script, a TestRun with parallelism,
// arguments and the run config) into a new folder results/<ts>-<scenario>-k6-operator/.
// Apply them with `kubectl apply -f <folder>/k6-operator.yaml` (deploy/README.md).
// The flags are checked with the run plan (lib/cli/run-plan), which the
// k6-operator executor (lib/cli/k6-operator/package.ts) turns into manifests.

import { ConfigError } from '../errors.ts';
import { packageForOperator } from '../k6-operator/package.ts';
import { collectRun } from '../run-plan/resolve.ts';

export const PACKAGE_OPERATOR_FLAGS = ['parallelism', 'image', 'namespace', 'prometheus-rw'] as const;

export interface PackageOperatorIo {
  env?: NodeJS.ProcessEnv;
  now?: Date;
  out?: (text: string) => void;
}

function parallelismOf(flags: Record<string, string | undefined>): number | string {
  const raw = flags['parallelism'] ?? flags['instances'] ?? '1';
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 1000
    ? n
    : `parallelism: must be a whole number from 1 to 1000, but is '${raw}'`;
}

export async function runPackageOperator(
  flags: Record<string, string | undefined>,
  io: PackageOperatorIo = {},
): Promise<number> {
  const env = io.env ?? process.env;
  const problems: string[] = [];
  const parallelism = parallelismOf(flags);
  if (typeof parallelism === 'string') problems.push(parallelism);
  if (flags['target'] === undefined && env['GENLOAD_TARGET'] === undefined)
    problems.push(
      'target: k6-operator runs need TARGET, a URL the cluster can reach (there is no local reference server in a pod)',
    );
  const run = collectRun(flags, env);
  problems.push(...run.problems);
  if (problems.length > 0 || run.plan === undefined || typeof parallelism === 'string') throw new ConfigError(problems);
  return packageForOperator(run.plan, {
    parallelism,
    ...(flags['namespace'] === undefined ? {} : { namespace: flags['namespace'] }),
    ...(flags['image'] === undefined ? {} : { image: flags['image'] }),
    now: io.now ?? new Date(),
    out: io.out ?? ((text: string) => void process.stdout.write(text)),
  });
}
