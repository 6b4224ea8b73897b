// `genload package-operator --scenario ramp --target URL --parallelism 4 [--image I]
// [--namespace N] [--prometheus-rw URL]`: bundles the scenario and writes the
// k6-operator manifests (a ConfigMap with the script, a TestRun with parallelism,
// arguments and the run config) into a new folder results/<ts>-<scenario>-k6-operator/.
// Apply them with `kubectl apply -f <folder>/k6-operator.yaml` (deploy/README.md).

import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { bundleScenarios } from '../bundle/bundle.ts';
import { repoRoot } from '../paths.ts';
import { ExitCode } from '../../shared/exit-codes.ts';
import { API_KEY_ENV, BASIC_AUTH_ENV, RUN_CONFIG_ENV, RUN_CONFIG_SCHEMA_VERSION, runConfigSchema, type TargetApi } from '../../shared/run-config.ts';
import { ConfigError } from '../errors.ts';
import { DEFAULT_RUNNER_IMAGE, dnsLabel, manifestsYaml, OPERATOR_MOUNT, operatorManifests } from '../k6-operator/manifests.ts';
import { buildRunWorkload } from '../run/build-workload.ts';
import { withWorkloadDefaults } from '../../shared/workload/defaults.ts';
import { remoteWriteExtras, RW_PASSWORD_ENV, RW_USERNAME_ENV } from '../remote-write/remote-write.ts';
import { splitCredentials } from '../run/credentials.ts';
import { createRunFolder, writeFileAtomic, writeJsonAtomic } from '../run/run-folder.ts';
import { DEFAULT_READY_PATH, loadOf, resolveLoadConfig } from './load.ts';

export const PACKAGE_OPERATOR_FLAGS = ['parallelism', 'image', 'namespace', 'prometheus-rw'] as const;

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
  return [...bySecret].map(([name, keys]) => `kubectl create secret generic ${name}${ns} ${keys.map((k) => `--from-literal=${k}=${placeholder[k] ?? '<value>'}`).join(' ')}`);
}

export interface PackageOperatorIo {
  env?: NodeJS.ProcessEnv;
  now?: Date;
  out?: (text: string) => void;
}

function parallelismOf(flags: Record<string, string | undefined>): number | string {
  const raw = flags['parallelism'] ?? flags['instances'] ?? '1';
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 1000 ? n : `parallelism: must be a whole number from 1 to 1000, but is '${raw}'`;
}

export async function runPackageOperator(flags: Record<string, string | undefined>, io: PackageOperatorIo = {}): Promise<number> {
  const env = io.env ?? process.env;
  const out = io.out ?? ((text: string) => void process.stdout.write(text));
  const problems: string[] = [];
  const parallelism = parallelismOf(flags);
  if (typeof parallelism === 'string') problems.push(parallelism);
  if (flags['target'] === undefined && env['GENLOAD_TARGET'] === undefined) problems.push('target: k6-operator runs need TARGET, a URL the cluster can reach (there is no local reference server in a pod)');
  let rw: ReturnType<typeof remoteWriteExtras> | undefined;
  let loaded: ReturnType<typeof resolveLoadConfig> | undefined;
  try {
    loaded = resolveLoadConfig(flags, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length > 0 || loaded === undefined || typeof parallelism === 'string') throw new ConfigError(problems);

  const v = loaded.knobs.values;
  const scenario = String(v['scenario']);
  const api = v['api'] as TargetApi;
  const folder = createRunFolder(resolve(repoRoot, String(v['resultsDir'])), scenario, 'k6-operator', io.now ?? new Date());
  const rwUrl = v['prometheusRw'];
  if (typeof rwUrl === 'string') {
    try {
      rw = remoteWriteExtras({ url: rwUrl, runId: folder.runId });
    } catch (err) {
      throw new ConfigError([(err as Error).message]);
    }
  }
  // user:password in TARGET never reaches the manifests or config.json: the URL is stripped, the pair comes from a Secret
  const target = splitCredentials(String(v['target']).replace(/\/+$/, ''));
  const secretEnv: Record<string, SecretRef> = {};
  if (env[API_KEY_ENV]) secretEnv[API_KEY_ENV] = OPERATOR_SECRETS.apiKey;
  if (target.basicAuth !== undefined) secretEnv[BASIC_AUTH_ENV] = OPERATOR_SECRETS.targetBasicAuth;
  if (rw !== undefined && Object.keys(rw.secretEnv).length > 0) {
    secretEnv[RW_USERNAME_ENV] = OPERATOR_SECRETS.remoteWriteUsername;
    secretEnv[RW_PASSWORD_ENV] = OPERATOR_SECRETS.remoteWritePassword;
  }
  const workloadName = 'workload.jsonl';
  const built = await buildRunWorkload({
    runDir: folder.runDir,
    scenario,
    api,
    model: v['model'] as string | undefined,
    load: loadOf(v),
    workload: withWorkloadDefaults(loaded.workload),
    knobs: v,
    pathForK6: `${OPERATOR_MOUNT}/${workloadName}`,
  });
  const config = runConfigSchema.parse({
    schemaVersion: RUN_CONFIG_SCHEMA_VERSION,
    scenario,
    runId: folder.runId,
    // inside a runner pod: handleSummary writes its summary here (it also prints it to the pod log)
    runDir: '/tmp',
    target: { url: target.url, api, model: v['model'], managed: false, readyPath: typeof v['readyPath'] === 'string' ? v['readyPath'] : DEFAULT_READY_PATH[api] },
    load: loadOf(v),
    sloPath: loaded.knobs.sloFile,
    slo: loaded.slo,
    workload: loaded.workload,
    workloadFile: built.ref,
  });

  const [script] = await bundleScenarios([scenario]);
  if (script === undefined) throw new Error(`bundling ${scenario} produced no output`);
  const manifests = operatorManifests({
    name: dnsLabel(`genload-${scenario}`),
    ...(flags['namespace'] === undefined ? {} : { namespace: flags['namespace'] }),
    parallelism,
    scriptFileName: basename(script),
    scriptText: readFileSync(script, 'utf8'),
    files: { [workloadName]: readFileSync(join(folder.runDir, workloadName), 'utf8') },
    image: flags['image'] ?? DEFAULT_RUNNER_IMAGE,
    arguments: ['--tag', `testid=${folder.runId}`, '--summary-trend-stats', 'avg,min,med,max,p(90),p(95),p(99),count', ...(rw?.args ?? [])],
    env: { [RUN_CONFIG_ENV]: JSON.stringify(config), K6_NO_USAGE_REPORT: 'true', ...(rw?.env ?? {}) },
    secretEnv,
  });
  const path = join(folder.runDir, 'k6-operator.yaml');
  writeFileAtomic(path, manifestsYaml(manifests));
  writeJsonAtomic(join(folder.runDir, 'config.json'), { ...config, parallelism });
  const secrets = secretInstructions(secretEnv, flags['namespace']);
  const secretLines = secrets.length === 0 ? '' : `  the TestRun reads credentials from Secrets (their values are in no file); create them first:\n${secrets.map((c) => `    ${c}\n`).join('')}`;
  out(`wrote ${path}\n  TestRun ${String((manifests.testRun['metadata'] as { name: string }).name)}: ${scenario} on ${parallelism} runner pod(s)\n${secretLines}  apply: kubectl apply -f ${path}\n`);
  return ExitCode.Passed;
}
