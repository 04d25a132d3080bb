/**
 * Decodes the real request bodies captured from kubectl 1.32 (test/fixtures/protobuf/capture.ts) and compares
 * them with the hand-reviewed expected JSON next to them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeKubernetesProtobuf } from '../../../../main/api/protobuf/index.js';
import { podSpec } from './sample-objects.js';

const FIXTURES = fileURLToPath(new URL('../../../../../test/fixtures/protobuf/', import.meta.url));
const index = JSON.parse(readFileSync(`${FIXTURES}index.json`, 'utf8')) as Record<string, { command: string; path: string }>;

/** Every capture the brief asks for must be present. */
const REQUIRED = [
  'deployment-replicas0', 'deployment-replicas3-port', 'configmap', 'secret-generic', 'service-clusterip',
  'service-nodeport', 'namespace', 'job', 'cronjob', 'serviceaccount', 'role', 'rolebinding', 'clusterrole',
  'clusterrolebinding', 'ingress', 'quota', 'pdb', 'priorityclass', 'token', 'auth-can-i', 'auth-can-i-list',
  'auth-whoami', 'autoscale',
];

test('all required kubectl captures are present', () => {
  for (const name of REQUIRED) assert.ok(index[name], `missing fixture ${name}`);
});

for (const [name, meta] of Object.entries(index)) {
  test(`decodes captured body: ${meta.command}`, () => {
    const body = readFileSync(`${FIXTURES}${name}.bin`);
    const expected = JSON.parse(readFileSync(`${FIXTURES}${name}.json`, 'utf8')) as Record<string, unknown>;
    const unknown: string[] = [];
    const decoded = decodeKubernetesProtobuf(body, { onUnknownField: (m, n) => unknown.push(`${m}#${n}`) });
    assert.deepEqual(decoded.object, expected);
    assert.equal(decoded.apiVersion, expected.apiVersion);
    assert.equal(decoded.kind, expected.kind);
    assert.deepEqual(unknown, [], 'kubectl sent fields the layouts do not know');
  });
}

test('kubectl --replicas=0 survives as an explicit pointer zero', () => {
  const decoded = decodeKubernetesProtobuf(readFileSync(`${FIXTURES}deployment-replicas0.bin`));
  const spec = decoded.object.spec as Record<string, unknown>;
  assert.equal(spec.replicas, 0);
  // gogo wrote the zero-valued non-pointer fields; none of them may leak through.
  const meta = decoded.object.metadata as Record<string, unknown>;
  assert.equal('creationTimestamp' in meta, false);
  assert.equal('generateName' in meta, false);
  assert.equal('strategy' in spec, false);
  assert.equal('paused' in spec, false);
  assert.equal('status' in decoded.object, false);
});

test('secret data arrives as base64 and an unset type is absent (defaulting can apply)', () => {
  const decoded = decodeKubernetesProtobuf(readFileSync(`${FIXTURES}secret-generic.bin`));
  assert.deepEqual(decoded.object.data, { p: Buffer.from('q').toString('base64') });
  assert.equal('type' in decoded.object, false);
});

test('autoscale without --min carries no minReplicas', () => {
  const decoded = decodeKubernetesProtobuf(readFileSync(`${FIXTURES}autoscale.bin`));
  const spec = decoded.object.spec as Record<string, unknown>;
  assert.equal('minReplicas' in spec, false);
  assert.equal(spec.maxReplicas, 3);
});

/**
 * kubectl read the sample pod as JSON into its Go types and wrote it back as protobuf, so every field number
 * and pointer flag of the PodSpec tree is checked against upstream here. Expected differences are what
 * `kubectl debug --copy-to` changes, and fields newer than kubectl 1.32's Go types (dropped on its JSON read).
 */
test('the whole PodSpec tree survives kubectl (JSON -> Go types -> protobuf -> decoder)', () => {
  const expected: Record<string, unknown> = structuredClone(podSpec);
  delete expected.ephemeralContainers; // debug --copy-to drops them
  delete expected.nodeName; // ... and unpins the node
  const containers = expected.containers as Array<Record<string, unknown>>;
  delete (containers[0]!.lifecycle as Record<string, unknown>).stopSignal; // added after 1.32
  containers.push({ name: 'dbg', image: 'busybox', terminationMessagePolicy: 'File' }); // the debug container

  const pod = decodeKubernetesProtobuf(readFileSync(`${FIXTURES}debug-copy-pod.bin`)).object;
  assert.deepEqual(pod.spec, expected);

  const job = decodeKubernetesProtobuf(readFileSync(`${FIXTURES}job-from-cronjob.bin`)).object;
  const jobSpec = job.spec as Record<string, unknown>;
  const podTemplate = (jobSpec.template as Record<string, unknown>).spec as Record<string, unknown>;
  const expectedTemplate: Record<string, unknown> = { ...structuredClone(podSpec), restartPolicy: 'Never' };
  delete ((expectedTemplate.containers as Array<Record<string, unknown>>)[0]!.lifecycle as Record<string, unknown>).stopSignal;
  assert.deepEqual(podTemplate, expectedTemplate);
  assert.equal(jobSpec.backoffLimit, 0); // pointer zeros made it through Go and back
  assert.equal(jobSpec.suspend, false);
  assert.equal(jobSpec.ttlSecondsAfterFinished, 0);
});
