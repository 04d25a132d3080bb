/**
 * The garbage collector on an in-process API server: background collection of dependents whose owners are gone
 * (deleted, never existed, or replaced by an object with another uid), dangling references removed while another
 * owner remains, orphan deletion (references removed, owner released), foreground deletion (the owner waits for
 * its blocking dependents), and discovery-driven monitors (CRDs picked up).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KObject, OwnerReference } from '../../../main/api/meta/object.js';
import { CONFIGMAPS, isNotFound, NODES, PODS, SECRETS, type KubeClient, type ResourceRef } from '../../../main/client/kube-client.js';
import { GarbageCollectorController, garbageCollectorControllerFactoryWith } from '../../../main/controllers/garbage-collector-controller.js';
import { startControllerTest, waitFor, type ControllerTest } from './controller-fixture.js';

let t: ControllerTest;
let admin: KubeClient;
let gc: GarbageCollectorController;
const NS = 'default';

before(async () => {
  // Discovery re-read every second so CRDs created by the tests are monitored quickly.
  const factory = garbageCollectorControllerFactoryWith(1_000);
  t = await startControllerTest([{ name: factory.name, create: (ctx) => (gc = factory.create(ctx) as GarbageCollectorController) }]);
  admin = t.admin;
});

after(async () => {
  await t?.stop();
});

const ownerRef = (o: KObject, extra: Partial<OwnerReference> = {}): OwnerReference =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name!, uid: o.metadata.uid!, ...extra });

const configMap = (name: string, owners: OwnerReference[] = [], finalizers?: string[]): KObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ownerReferences: owners.length ? owners : undefined, finalizers } });

const pod = (name: string, owners: OwnerReference[]): KObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, ownerReferences: owners },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

async function exists(r: ResourceRef, name: string): Promise<KObject | undefined> {
  try {
    return await admin.get<KObject>(r, NS, name);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

const gone = (r: ResourceRef, name: string, timeoutMs = 20_000) =>
  waitFor(`${r.plural}/${name} gone`, async () => !(await exists(r, name)), timeoutMs);

test('background: dependents of a deleted owner are deleted', async () => {
  const owner = await admin.create(CONFIGMAPS, NS, configMap('bg-owner'));
  await admin.create(CONFIGMAPS, NS, configMap('bg-dep-cm', [ownerRef(owner)]));
  await admin.create(PODS, NS, pod('bg-dep-pod', [ownerRef(owner, { controller: true, blockOwnerDeletion: true })]));
  // Let the collector see the dependents before the owner goes.
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(await exists(CONFIGMAPS, 'bg-dep-cm'), 'dependent kept while the owner exists');
  await admin.delete(CONFIGMAPS, NS, 'bg-owner', { propagationPolicy: 'Background' });
  await gone(CONFIGMAPS, 'bg-dep-cm');
  await gone(PODS, 'bg-dep-pod');
});

test('background: an owner that never existed, or exists with another uid, is gone', async () => {
  await admin.create(CONFIGMAPS, NS, configMap('never-dep', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'never', uid: '00000000-0000-0000-0000-000000000001' }]));
  await admin.create(CONFIGMAPS, NS, configMap('recreated'));
  await admin.create(CONFIGMAPS, NS, configMap('uid-dep', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'recreated', uid: '00000000-0000-0000-0000-000000000002' }]));
  await gone(CONFIGMAPS, 'never-dep');
  await gone(CONFIGMAPS, 'uid-dep');
  assert.ok(await exists(CONFIGMAPS, 'recreated'), 'the same-named object with another uid is untouched');
});

test('a dependent with another owner left only loses the dangling reference', async () => {
  const a = await admin.create(CONFIGMAPS, NS, configMap('two-a'));
  const b = await admin.create<KObject>(SECRETS, NS, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'two-b' } });
  const refB: OwnerReference = { apiVersion: 'v1', kind: 'Secret', name: 'two-b', uid: b.metadata.uid! };
  await admin.create(CONFIGMAPS, NS, configMap('two-dep', [ownerRef(a), refB]));
  await new Promise((r) => setTimeout(r, 300));
  await admin.delete(CONFIGMAPS, NS, 'two-a');
  const dep = await waitFor('dangling reference removed', async () => {
    const d = await exists(CONFIGMAPS, 'two-dep');
    return d && d.metadata.ownerReferences?.length === 1 ? d : undefined;
  }, 20_000);
  assert.deepEqual(dep.metadata.ownerReferences, [refB]);
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(await exists(CONFIGMAPS, 'two-dep'));
});

test('orphan: references to the owner are removed from dependents, then the owner goes', async () => {
  const owner = await admin.create(CONFIGMAPS, NS, configMap('orphan-owner'));
  const other: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'orphan-keeper', uid: (await admin.create(CONFIGMAPS, NS, configMap('orphan-keeper'))).metadata.uid! };
  await admin.create(CONFIGMAPS, NS, configMap('orphan-dep-1', [ownerRef(owner, { controller: true, blockOwnerDeletion: true })]));
  await admin.create(CONFIGMAPS, NS, configMap('orphan-dep-2', [ownerRef(owner), other]));
  await new Promise((r) => setTimeout(r, 300));
  await admin.delete(CONFIGMAPS, NS, 'orphan-owner', { propagationPolicy: 'Orphan' });
  await gone(CONFIGMAPS, 'orphan-owner');
  const d1 = await exists(CONFIGMAPS, 'orphan-dep-1');
  const d2 = await exists(CONFIGMAPS, 'orphan-dep-2');
  assert.ok(d1 && d2, 'orphaned dependents survive');
  assert.equal(d1.metadata.ownerReferences, undefined);
  assert.deepEqual(d2.metadata.ownerReferences, [other]);
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(await exists(CONFIGMAPS, 'orphan-dep-1'), 'still there after the owner is gone');
});

test('foreground: the owner waits for dependents with blockOwnerDeletion, then goes', async () => {
  const owner = await admin.create(CONFIGMAPS, NS, configMap('fg-owner'));
  const block = ownerRef(owner, { controller: true, blockOwnerDeletion: true });
  await admin.create(CONFIGMAPS, NS, configMap('fg-held', [block], ['example.com/hold']));
  await admin.create(CONFIGMAPS, NS, configMap('fg-plain', [ownerRef(owner)]));
  await new Promise((r) => setTimeout(r, 300));
  await admin.delete(CONFIGMAPS, NS, 'fg-owner', { propagationPolicy: 'Foreground' });
  await gone(CONFIGMAPS, 'fg-plain');
  const held = await waitFor('held dependent marked for deletion', async () => (await exists(CONFIGMAPS, 'fg-held'))?.metadata.deletionTimestamp);
  assert.ok(held);
  const waitingOwner = await exists(CONFIGMAPS, 'fg-owner');
  assert.ok(waitingOwner?.metadata.deletionTimestamp, 'the owner waits, marked for deletion');
  assert.deepEqual(waitingOwner.metadata.finalizers, ['foregroundDeletion']);
  await admin.patch(CONFIGMAPS, NS, 'fg-held', 'merge', { metadata: { finalizers: null } });
  await gone(CONFIGMAPS, 'fg-held');
  await gone(CONFIGMAPS, 'fg-owner');
});

test('foreground: a dependent without blockOwnerDeletion does not hold the owner', async () => {
  const owner = await admin.create(CONFIGMAPS, NS, configMap('fg2-owner'));
  await admin.create(CONFIGMAPS, NS, configMap('fg2-held', [ownerRef(owner)], ['example.com/hold']));
  await new Promise((r) => setTimeout(r, 300));
  await admin.delete(CONFIGMAPS, NS, 'fg2-owner', { propagationPolicy: 'Foreground' });
  await gone(CONFIGMAPS, 'fg2-owner');
  const held = await waitFor('non-blocking dependent marked for deletion', async () => (await exists(CONFIGMAPS, 'fg2-held'))?.metadata.deletionTimestamp);
  assert.ok(held);
  await admin.patch(CONFIGMAPS, NS, 'fg2-held', 'merge', { metadata: { finalizers: null } });
  await gone(CONFIGMAPS, 'fg2-held');
});

test('monitors come from discovery: built-in resources, events ignored', () => {
  const monitored = gc.monitoredResources();
  for (const r of ['v1/pods', 'v1/configmaps', 'apps/v1/replicasets', 'apps/v1/deployments', 'batch/v1/jobs', 'v1/namespaces'])
    assert.ok(monitored.includes(r), `${r} monitored`);
  assert.ok(!monitored.includes('v1/events'), 'events are not monitored');
  assert.ok(!monitored.some((r) => r.startsWith('events.k8s.io/')), 'events.k8s.io events are not monitored');
});

test('a cluster-scoped owner is looked up without namespace; its namespaced dependents go with it', async () => {
  const node = await admin.create<KObject>(NODES, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'gc-owner-node' } });
  await admin.create(CONFIGMAPS, NS, configMap('node-dep', [{ apiVersion: 'v1', kind: 'Node', name: 'gc-owner-node', uid: node.metadata.uid! }]));
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(await exists(CONFIGMAPS, 'node-dep'), 'kept while the node exists');
  await admin.delete(NODES, '', 'gc-owner-node');
  await gone(CONFIGMAPS, 'node-dep');
});

test('references that can never be resolved leave the object alone', async () => {
  // An owner kind the API does not serve: no REST mapping, so nothing can be concluded about the owner.
  await admin.create(CONFIGMAPS, NS, configMap('unknown-kind-dep', [{ apiVersion: 'example.com/v1', kind: 'Nothing', name: 'x', uid: '00000000-0000-0000-0000-00000000000a' }]));
  // A cluster-scoped object naming a namespaced owner.
  await admin.create<KObject>(NODES, '', {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: 'gc-bad-ref-node', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'nope', uid: '00000000-0000-0000-0000-00000000000b' }] },
  });
  await new Promise((r) => setTimeout(r, 1_000));
  assert.ok(await exists(CONFIGMAPS, 'unknown-kind-dep'));
  assert.ok(await admin.get(NODES, '', 'gc-bad-ref-node'));
  assert.ok(t.logs.some((l) => l.includes('unable to get REST mapping for example.com/v1/Nothing')), 'the mapping failure is logged');
  assert.ok(t.logs.some((l) => l.includes('name: nope') && l.includes('is namespaced but named by a cluster-scoped dependent')), 'the invalid reference is logged');
});

test('custom resources: a CRD added later is monitored, its objects own and are owned', async () => {
  const CRDS: ResourceRef = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', namespaced: false };
  const THINGS: ResourceRef = { group: 'example.com', version: 'v1', plural: 'things', namespaced: true };
  await admin.create<KObject>(CRDS, '', {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'things.example.com' },
    spec: {
      group: 'example.com', scope: 'Namespaced', names: { plural: 'things', singular: 'thing', kind: 'Thing', listKind: 'ThingList' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  });
  await waitFor('things monitored', () => gc.monitoredResources().includes('example.com/v1/things'), 20_000);
  const thing = await admin.create<KObject>(THINGS, NS, { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'owner-thing' } });
  const cmOwner = await admin.create(CONFIGMAPS, NS, configMap('thing-owner-cm'));
  await admin.create(CONFIGMAPS, NS, configMap('thing-dep', [{ apiVersion: 'example.com/v1', kind: 'Thing', name: 'owner-thing', uid: thing.metadata.uid! }]));
  await admin.create<KObject>(THINGS, NS, { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'owned-thing', ownerReferences: [ownerRef(cmOwner)] } });
  await new Promise((r) => setTimeout(r, 300));
  await admin.delete(THINGS, NS, 'owner-thing');
  await gone(CONFIGMAPS, 'thing-dep');
  await admin.delete(CONFIGMAPS, NS, 'thing-owner-cm');
  await gone(THINGS, 'owned-thing');
});

test('foreground through a chain: a dependent with dependents of its own is deleted in the foreground too', async () => {
  const top = await admin.create(CONFIGMAPS, NS, configMap('chain-top'));
  const mid = await admin.create(CONFIGMAPS, NS, configMap('chain-mid', [ownerRef(top, { controller: true, blockOwnerDeletion: true })]));
  await admin.create(CONFIGMAPS, NS, configMap('chain-leaf', [ownerRef(mid, { controller: true, blockOwnerDeletion: true })], ['example.com/hold']));
  await new Promise((r) => setTimeout(r, 300));
  await admin.delete(CONFIGMAPS, NS, 'chain-top', { propagationPolicy: 'Foreground' });
  const midMarked = await waitFor('middle deleted in the foreground', async () => {
    const m = await exists(CONFIGMAPS, 'chain-mid');
    return m?.metadata.deletionTimestamp ? m : undefined;
  });
  assert.deepEqual(midMarked.metadata.finalizers, ['foregroundDeletion']);
  await waitFor('leaf marked', async () => (await exists(CONFIGMAPS, 'chain-leaf'))?.metadata.deletionTimestamp);
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(await exists(CONFIGMAPS, 'chain-top'), 'the top waits for the whole chain');
  await admin.patch(CONFIGMAPS, NS, 'chain-leaf', 'merge', { metadata: { finalizers: null } });
  await gone(CONFIGMAPS, 'chain-leaf');
  await gone(CONFIGMAPS, 'chain-mid');
  await gone(CONFIGMAPS, 'chain-top');
});
