// `genload package-operator --scenario ramp --target URL --parallelism 4 [--image I]
// [--namespace N] [--prometheus-rw URL]`: bundles the scenario and writes the
// k6-operator manifests (a ConfigMap with the script, a TestRun with parallelism,
// arguments and the run config) into a new folder results/<ts>-<scenario>-k6-operator/.
// Apply them with `kubectl apply -f <folder>/k6-operator.yaml` (deploy/README.md).
// The flags are checked with the run plan (lib/cli/run-plan), which the
// k6-operator executor (lib/cli/k6-operator/package.ts) turns into manifests.

import { OPERATOR_KNOBS } from '../config/knobs.ts';
import { resolveTable } from '../config/table.ts';
import { ConfigError } from '../errors.ts';
import { packageForOperator } from '../k6-operator/package.ts';
import { collectRun } from '../run-plan/resolve.ts';

/** Flags beyond the load knobs: the operator rows of the configuration table (lib/cli/config/knobs.ts). */
export const PACKAGE_OPERATOR_FLAGS: readonly string[] = Object.values(OPERATOR_KNOBS).map((k) => k.flag);

export interface PackageOperatorIo {
  env?: NodeJS.ProcessEnv;
  now?: Date;
  out?: (text: string) => void;
}

export async function runPackageOperator(
  flags: Record<string, string | undefined>,
  io: PackageOperatorIo = {},
): Promise<number> {
  const env = io.env ?? process.env;
  const operator = resolveTable(OPERATOR_KNOBS, { flags, env, scenario: undefined });
  const problems = [...operator.problems];
  if (flags['target'] === undefined && env['GENLOAD_TARGET'] === undefined)
    problems.push(
      'target: k6-operator runs need TARGET, a URL the cluster can reach (there is no local reference server in a pod)',
    );
  const run = collectRun(flags, env);
  problems.push(...run.problems);
  if (problems.length > 0 || run.plan === undefined) throw new ConfigError(problems);
  const { parallelism, namespace, image } = operator.values;
  return packageForOperator(run.plan, {
    // PARALLELISM defaults to INSTANCES: the same execution segments, one per pod
    parallelism: parallelism ?? run.plan.outputs.instances,
    ...(namespace === undefined ? {} : { namespace }),
    ...(image === undefined ? {} : { image }),
    now: io.now ?? new Date(),
    out: io.out ?? ((text: string) => void process.stdout.write(text)),
  });
}
