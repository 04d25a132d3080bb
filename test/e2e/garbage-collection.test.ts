/**
 * Garbage collector and namespace controller through the real kubectl against `serve --simulated-nodes 2`:
 * `kubectl delete ns` returns once the namespace and its content (configmaps, running pods, a custom resource)
 * are gone; `kubectl delete --cascade=background|foreground|orphan` of a hand-made owner (a ConfigMap) with pods
 * naming it in ownerReferences behaves as upstream.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveSuite } from '../helpers/serve-suite.js';

const { k, eventually } = serveSuite({ args: ['--simulated-nodes', '2'], eventuallyMs: 30_000 });

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gizmos.example.com
spec:
  group: example.com
  names: {plural: gizmos, singular: gizmo, kind: Gizmo, listKind: GizmoList}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
`;

const podYaml = (name: string, ns: string, owner?: { name: string; uid: string }) => `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
  labels: {app: gc-e2e}
${owner ? `  ownerReferences:
  - apiVersion: v1
    kind: ConfigMap
    name: ${owner.name}
    uid: ${owner.uid}
    controller: true
    blockOwnerDeletion: true
` : ''}spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: app
    image: nginx:1.27
`;

async function names(args: string[]): Promise<string[]> {
  const out = await k.ok(['get', ...args, '-o', 'jsonpath={.items[*].metadata.name}']);
  return out.split(' ').filter(Boolean).sort();
}

test('kubectl delete ns returns once the namespace and its content are gone', async () => {
  await k.ok(['apply', '-f', '-'], { input: CRD });
  await k.ok(['wait', '--for=condition=Established', 'crd/gizmos.example.com', '--timeout=20s']);
  await k.ok(['create', 'namespace', 'scratch']);
  await k.ok(['create', 'configmap', 'one', '-n', 'scratch', '--from-literal=a=b']);
  await k.ok(['create', 'configmap', 'two', '-n', 'scratch']);
  await k.ok(['apply', '-f', '-'], { input: podYaml('web-1', 'scratch') + '---' + podYaml('web-2', 'scratch') });
  await k.ok(['apply', '-f', '-'], { input: 'apiVersion: example.com/v1\nkind: Gizmo\nmetadata: {name: g1, namespace: scratch}\n' });
  await k.ok(['wait', '--for=condition=Ready', 'pod/web-1', 'pod/web-2', '-n', 'scratch', '--timeout=30s']);

  const out = await k.ok(['delete', 'namespace', 'scratch', '--timeout=60s']);
  assert.equal(out, 'namespace "scratch" deleted\n');
  const get = await k(['get', 'namespace', 'scratch']);
  assert.equal(get.code, 1);
  assert.equal(get.stderr.trim(), 'Error from server (NotFound): namespaces "scratch" not found');
  for (const r of ['configmaps', 'pods', 'gizmos']) assert.deepEqual(await names([r, '-n', 'scratch']), [], `${r} gone`);
});

async function makeOwnerWithPods(owner: string, pods: string[]): Promise<void> {
  await k.ok(['create', 'configmap', owner]);
  const uid = await k.ok(['get', 'configmap', owner, '-o', 'jsonpath={.metadata.uid}']);
  await k.ok(['apply', '-f', '-'], { input: pods.map((p) => podYaml(p, 'default', { name: owner, uid })).join('---') });
  await k.ok(['wait', '--for=condition=Ready', ...pods.map((p) => `pod/${p}`), '--timeout=30s']);
}

test('kubectl delete --cascade=background: the owner goes at once, its pods after it', async () => {
  await makeOwnerWithPods('bg-owner', ['bg-1', 'bg-2']);
  assert.equal(await k.ok(['delete', 'configmap', 'bg-owner', '--cascade=background']), 'configmap "bg-owner" deleted\n');
  await eventually('bg pods gone', async () => (await names(['pods'])).filter((n) => n.startsWith('bg-')).length === 0);
});

test('kubectl delete --cascade=foreground: returns only after the blocking pods are gone', async () => {
  await makeOwnerWithPods('fg-owner', ['fg-1', 'fg-2']);
  assert.equal(await k.ok(['delete', 'configmap', 'fg-owner', '--cascade=foreground', '--timeout=60s']), 'configmap "fg-owner" deleted\n');
  assert.deepEqual((await names(['pods'])).filter((n) => n.startsWith('fg-')), [], 'pods were gone before the owner');
});

test('kubectl delete --cascade=orphan: the pods stay, without the owner reference', async () => {
  await makeOwnerWithPods('or-owner', ['or-1', 'or-2']);
  assert.equal(await k.ok(['delete', 'configmap', 'or-owner', '--cascade=orphan']), 'configmap "or-owner" deleted\n');
  assert.equal((await k(['get', 'configmap', 'or-owner'])).code, 1);
  const refs = await k.ok(['get', 'pods', 'or-1', 'or-2', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.ownerReferences}{"\\n"}{end}']);
  assert.equal(refs, 'or-1=\nor-2=\n');
  await new Promise((r) => setTimeout(r, 1_000));
  const phases = await k.ok(['get', 'pods', 'or-1', 'or-2', '-o', 'jsonpath={.items[*].status.phase}']);
  assert.equal(phases, 'Running Running');
});
