// Kubernetes manifests for k6-operator (https://github.com/grafana/k6-operator):
// a ConfigMap holding one bundled scenario and a TestRun (k6.io/v1alpha1) that
// runs it on `parallelism` pods, each on its own execution segment. The run
// config travels as GENLOAD_CONFIG exactly as in a local run. Pure.

import { stringify } from 'yaml';

/** Kubernetes refuses a ConfigMap over 1 MiB. */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;
/** Where k6-operator mounts the script's ConfigMap in a runner pod. */
export const OPERATOR_MOUNT = '/test';
/** The stock grafana/k6 image lacks genload's SSE extension: build one (deploy/README.md). */
export const DEFAULT_RUNNER_IMAGE = 'ghcr.io/genload/k6-sse:v1.8.1';

export interface OperatorInput {
  /** TestRun name; the ConfigMap is <name>-script */
  name: string;
  namespace?: string;
  parallelism: number;
  scriptFileName: string;
  scriptText: string;
  /** more files beside the script in the ConfigMap (mounted at /test in every runner pod), e.g. workload.jsonl */
  files?: Readonly<Record<string, string>>;
  image: string;
  /** extra k6 arguments after `k6 run`, e.g. ['--tag', 'testid=x'] */
  arguments: readonly string[];
  /** environment of every runner pod (plain values; never secrets) */
  env: Readonly<Record<string, string>>;
  /** environment taken from Secrets: variable -> { secret name, key } */
  secretEnv?: Readonly<Record<string, { name: string; key: string }>>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A lowercase DNS-1123 label from any text, at most `max` characters. */
export function dnsLabel(text: string, max = 52): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return s === '' ? 'genload' : s;
}

/** k6-operator joins `arguments` into one string and splits it on spaces: values with spaces cannot pass. */
function argumentString(args: readonly string[]): string {
  const bad = args.filter((a) => /\s/.test(a) || a === '');
  if (bad.length > 0)
    throw new Error(
      `k6-operator arguments: must not be empty or contain spaces, but got ${bad.map((b) => `'${b}'`).join(', ')}`,
    );
  return args.join(' ');
}

export function operatorManifests(input: OperatorInput): {
  configMap: Record<string, unknown>;
  testRun: Record<string, unknown>;
} {
  const problems: string[] = [];
  if (!DNS_LABEL.test(input.name) || input.name.length > 52)
    problems.push(`name: must be a DNS label of at most 52 characters (a-z, 0-9, -), but is '${input.name}'`);
  if (!Number.isInteger(input.parallelism) || input.parallelism < 1 || input.parallelism > 1000)
    problems.push(`parallelism: must be a whole number from 1 to 1000, but is ${input.parallelism}`);
  const bytes = Buffer.byteLength(input.scriptText, 'utf8');
  const fileBytes = Object.values(input.files ?? {}).reduce((a, t) => a + Buffer.byteLength(t, 'utf8'), 0);
  if (bytes + fileBytes > CONFIGMAP_MAX_BYTES)
    problems.push(
      `script: a ConfigMap holds at most ${CONFIGMAP_MAX_BYTES} bytes, but the bundle is ${bytes}${fileBytes > 0 ? ` and its files (${Object.keys(input.files ?? {}).join(', ')}) ${fileBytes}: shorten the run (DURATION, RATE) or the prompts (INPUT_TOKENS) so workload.jsonl fits` : ''}`,
    );
  if (problems.length > 0)
    throw new Error(
      `k6-operator manifests (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );

  const metadata = (name: string) => ({
    name,
    ...(input.namespace === undefined ? {} : { namespace: input.namespace }),
    labels: { 'app.kubernetes.io/part-of': 'genload' },
  });
  const configMapName = `${input.name}-script`;
  const env: Array<Record<string, unknown>> = Object.entries(input.env).map(([name, value]) => ({ name, value }));
  for (const [name, ref] of Object.entries(input.secretEnv ?? {}))
    env.push({ name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } });
  return {
    configMap: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: metadata(configMapName),
      data: { [input.scriptFileName]: input.scriptText, ...input.files },
    },
    testRun: {
      apiVersion: 'k6.io/v1alpha1',
      kind: 'TestRun',
      metadata: metadata(input.name),
      spec: {
        parallelism: input.parallelism,
        // every pod waits until all are ready, then they start together
        separate: false,
        script: { configMap: { name: configMapName, file: input.scriptFileName } },
        arguments: argumentString(input.arguments),
        runner: { image: input.image, env },
      },
    },
  };
}

/** Both manifests as one YAML stream, ready for `kubectl apply -f`. */
export function manifestsYaml(m: { configMap: Record<string, unknown>; testRun: Record<string, unknown> }): string {
  return [stringify(m.configMap, { lineWidth: 0 }), stringify(m.testRun, { lineWidth: 0 })].join('---\n');
}
