// The k6-operator executor: one run plan (lib/cli/run-plan) -> a folder
// results/<ts>-<scenario>-k6-operator/ with the manifests (a ConfigMap with the
// bundled script and workload.jsonl, a TestRun with parallelism, arguments and
// the run config) and config.json. Credentials are referenced as Secrets, never
// written. Apply with `kubectl apply -f <folder>/k6-operator.yaml` (deploy/README.md).

import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ExitCode } from '../../shared/exit-codes.ts';
import { API_KEY_ENV, BASIC_AUTH_ENV, RUN_CONFIG_ENV } from '../../shared/run-config.ts';
import { ConfigError } from '../errors.ts';
import { remoteWriteExtras, RW_PASSWORD_ENV, RW_USERNAME_ENV } from '../remote-write/remote-write.ts';
import type { RunPlan } from '../run-plan/plan.ts';
import { buildRunWorkload } from '../workload/from-plan.ts';
import { baseRunConfig, withWorkloadFile } from '../run/k6-config.ts';
import { bundleScenario } from '../run/load-run.ts';
import { createRunFolder, writeFileAtomic } from '../run-folder/write.ts';
import { writeConfig } from '../run-folder/config-record.ts';
import { RUN_FILE } from '../run-folder/names.ts';
import { DEFAULT_RUNNER_IMAGE, dnsLabel, manifestsYaml, OPERATOR_MOUNT, operatorManifests } from './manifests.ts';

/**
 * Secrets a cluster holds the credentials in; the manifests name them (env
 * valueFrom.secretKeyRef), never their values. A Secret is referenced only when
 * its credential was given: GENLOAD_API_KEY, user:password in TARGET, or
 * user:password in PROMETHEUS_RW (README "Scale-out and CI", deploy/README.md).
 */
export const OPERATOR_SECRETS = {
  /** the target's bearer token -> GENLOAD_API_KEY */
  apiKey: { name: 'genload-api-key', key: 'token' },
  /** base64 of "user:password" from TARGET -> GENLOAD_BASIC_AUTH (k6 sends Authorization: Basic) */
  targetBasicAuth: { name: 'genload-target-auth', key: 'basic-auth' },
  /** user and password from PROMETHEUS_RW -> K6_PROMETHEUS_RW_USERNAME / _PASSWORD */
  remoteWriteUsername: { name: 'genload-prometheus-rw', key: 'username' },
  remoteWritePassword: { name: 'genload-prometheus-rw', key: 'password' },
} as const;
/** kept for callers of the earlier name */
export const API_KEY_SECRET = OPERATOR_SECRETS.apiKey;

type SecretRef = { name: string; key: string };

/** the kubectl commands that create the Secrets the manifests reference (placeholders, never the values) */
export function secretInstructions(secretEnv: Readonly<Record<string, SecretRef>>, namespace?: string): string[] {
  const bySecret = new Map<string, string[]>();
  for (const ref of Object.values(secretEnv)) bySecret.set(ref.name, [...(bySecret.get(ref.name) ?? []), ref.key]);
  const placeholder: Record<string, string> = {
    token: '<bearer token>',
    'basic-auth': '"$(printf %s \'<user>:<password>\' | base64 -w0)"',
    username: '<user>',
    password: '<password>',
  };
  const ns = namespace === undefined ? '' : ` -n ${namespace}`;
  return [...bySecret].map(
    ([name, keys]) =>
      `kubectl create secret generic ${name}${ns} ${keys.map((k) => `--from-literal=${k}=${placeholder[k] ?? '<value>'}`).join(' ')}`,
  );
}

export interface PackageOptions {
  /** runner pods */
  parallelism: number;
  namespace?: string;
  image?: string;
  now: Date;
  out: (text: string) => void;
}

export async function packageForOperator(plan: RunPlan, o: PackageOptions): Promise<number> {
  const endpoint = plan.target.endpoint;
  if (endpoint.kind !== 'remote')
    throw new ConfigError([
      'target: k6-operator runs need TARGET, a URL the cluster can reach (there is no local reference server in a pod)',
    ]);
  const folder = createRunFolder(plan.outputs.resultsDir, plan.scenario, 'k6-operator', o.now);
  let rw: ReturnType<typeof remoteWriteExtras> | undefined;
  if (plan.outputs.prometheusRw !== undefined) {
    try {
      rw = remoteWriteExtras({ url: plan.outputs.prometheusRw, runId: folder.runId });
    } catch (err) {
      throw new ConfigError([(err as Error).message]);
    }
  }
  // user:password in TARGET never reaches the manifests or config.json: the URL is stripped, the pair comes from a Secret
  const credentials = plan.target.credentials;
  const secretEnv: Record<string, SecretRef> = {};
  if (credentials.apiKey !== undefined) secretEnv[API_KEY_ENV] = OPERATOR_SECRETS.apiKey;
  if (credentials.basicAuth !== undefined) secretEnv[BASIC_AUTH_ENV] = OPERATOR_SECRETS.targetBasicAuth;
  if (rw !== undefined && Object.keys(rw.secretEnv).length > 0) {
    secretEnv[RW_USERNAME_ENV] = OPERATOR_SECRETS.remoteWriteUsername;
    secretEnv[RW_PASSWORD_ENV] = OPERATOR_SECRETS.remoteWritePassword;
  }
  const workloadName = RUN_FILE.workload;
  const built = await buildRunWorkload({
    runDir: folder.runDir,
    scenario: plan.scenario,
    api: plan.target.api,
    model: plan.target.model,
    load: plan.load,
    workload: plan.workload,
    knobs: plan.requestList,
    pathForK6: `${OPERATOR_MOUNT}/${workloadName}`,
  });
  // inside a runner pod: handleSummary writes its summary to /tmp (it also prints it to the pod log)
  const config = withWorkloadFile(
    baseRunConfig(plan, { runId: folder.runId, runDir: '/tmp', targetUrl: endpoint.url, managed: false }),
    built.ref,
  );

  const script = await bundleScenario(plan.scenario);
  const manifests = operatorManifests({
    name: dnsLabel(`genload-${plan.scenario}`),
    ...(o.namespace === undefined ? {} : { namespace: o.namespace }),
    parallelism: o.parallelism,
    scriptFileName: basename(script),
    scriptText: readFileSync(script, 'utf8'),
    files: { [workloadName]: readFileSync(join(folder.runDir, workloadName), 'utf8') },
    image: o.image ?? DEFAULT_RUNNER_IMAGE,
    arguments: [
      '--tag',
      `testid=${folder.runId}`,
      '--summary-trend-stats',
      'avg,min,med,max,p(90),p(95),p(99),count',
      ...(rw?.args ?? []),
    ],
    env: { [RUN_CONFIG_ENV]: JSON.stringify(config), K6_NO_USAGE_REPORT: 'true', ...(rw?.env ?? {}) },
    secretEnv,
  });
  const path = join(folder.runDir, 'k6-operator.yaml');
  writeFileAtomic(path, manifestsYaml(manifests));
  writeConfig(folder.runDir, { ...config, parallelism: o.parallelism });
  const secrets = secretInstructions(secretEnv, o.namespace);
  const secretLines =
    secrets.length === 0
      ? ''
      : `  the TestRun reads credentials from Secrets (their values are in no file); create them first:\n${secrets.map((c) => `    ${c}\n`).join('')}`;
  o.out(
    `wrote ${path}\n  TestRun ${String((manifests.testRun['metadata'] as { name: string }).name)}: ${plan.scenario} on ${o.parallelism} runner pod(s)\n${secretLines}  apply: kubectl apply -f ${path}\n`,
  );
  return ExitCode.Passed;
}
