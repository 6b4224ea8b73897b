import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { repoRoot } from '../paths.ts';
import { CONFIGMAP_MAX_BYTES, dnsLabel, manifestsYaml, operatorManifests, type OperatorInput } from './manifests.ts';

const input: OperatorInput = {
  name: 'genload-ramp',
  namespace: 'perf',
  parallelism: 3,
  scriptFileName: 'ramp.js',
  scriptText: 'export default function () {}\n// a line: with "quotes" and: colons\n',
  image: 'registry.local/k6-sse:v1.8.1',
  arguments: ['--tag', 'testid=r1', '--out', 'experimental-prometheus-rw'],
  env: { GENLOAD_CONFIG: '{"a":1,"b":"x y"}' },
  secretEnv: { GENLOAD_API_KEY: { name: 'genload-api-key', key: 'token' } },
};

test('the YAML stream holds a ConfigMap with the script and a TestRun pointing at it', () => {
  const docs = parseAllDocuments(manifestsYaml(operatorManifests(input))).map((d) => d.toJS() as Record<string, any>);
  assert.equal(docs.length, 2);
  const [cm, tr] = docs;
  assert.equal(cm?.kind, 'ConfigMap');
  assert.equal(cm?.metadata.name, 'genload-ramp-script');
  assert.equal(cm?.metadata.namespace, 'perf');
  assert.equal(cm?.data['ramp.js'], input.scriptText);
  assert.equal(tr?.apiVersion, 'k6.io/v1alpha1');
  assert.equal(tr?.kind, 'TestRun');
  assert.equal(tr?.spec.parallelism, 3);
  assert.deepEqual(tr?.spec.script, { configMap: { name: 'genload-ramp-script', file: 'ramp.js' } });
  assert.equal(tr?.spec.arguments, '--tag testid=r1 --out experimental-prometheus-rw');
  assert.equal(tr?.spec.runner.image, input.image);
  assert.deepEqual(tr?.spec.runner.env, [
    { name: 'GENLOAD_CONFIG', value: '{"a":1,"b":"x y"}' },
    { name: 'GENLOAD_API_KEY', valueFrom: { secretKeyRef: { name: 'genload-api-key', key: 'token' } } },
  ]);
});

test('bad names, parallelism, oversized scripts and arguments with spaces are refused, all at once', () => {
  assert.throws(
    () =>
      operatorManifests({
        ...input,
        name: 'Genload_Ramp',
        parallelism: 0,
        scriptText: 'x'.repeat(CONFIGMAP_MAX_BYTES + 1),
      }),
    (err: Error) =>
      /3 problems/.test(err.message) &&
      /name: must be a DNS label .* but is 'Genload_Ramp'/.test(err.message) &&
      /parallelism: .* but is 0/.test(err.message) &&
      /at most 1048576 bytes/.test(err.message),
  );
  assert.throws(
    () => operatorManifests({ ...input, arguments: ['--tag', 'a b'] }),
    /arguments: must not be empty or contain spaces, but got 'a b'/,
  );
  assert.equal(dnsLabel('genload-Ramp_2 x'), 'genload-ramp-2-x');
  assert.equal(dnsLabel('---'), 'genload');
});

test('deploy/k6-operator/testrun.yaml has the generated TestRun shape', () => {
  const example = parse(readFileSync(join(repoRoot, 'deploy/k6-operator/testrun.yaml'), 'utf8')) as Record<string, any>;
  const generated = operatorManifests({ ...input, name: 'genload-ramp' }).testRun as Record<string, any>;
  assert.equal(example['apiVersion'], generated['apiVersion']);
  assert.equal(example['kind'], generated['kind']);
  assert.deepEqual(Object.keys(example['spec']).sort(), Object.keys(generated['spec']).sort());
  assert.equal(example['spec'].script.configMap.name, `${example['metadata'].name}-script`);
  const config = example['spec'].runner.env.find((e: { name: string }) => e.name === 'GENLOAD_CONFIG');
  assert.equal(JSON.parse(config.value).runDir, '/tmp');
});
