/**
 * The namespace controller on an in-process API server: a deleted namespace is emptied (built-in and
 * CRD-defined content) and then released through `finalize`; content held by a finalizer keeps it Terminating
 * with upstream's five conditions, until the finalizer goes.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Namespace, NamespaceCondition } from '../../../main/api/core/v1/namespace.js';
import type { KObject } from '../../../main/api/meta/object.js';
import { CONFIGMAPS, isNotFound, NAMESPACES, PODS, SECRETS, type KubeClient, type ResourceRef } from '../../../main/client/kube-client.js';
import { namespaceControllerFactory } from '../../../main/controllers/namespace-controller.js';
import { applyConditions } from '../../../main/controllers/namespace/namespace-conditions.js';
import { startControllerTest, waitFor, type ControllerTest } from './controller-fixture.js';

let t: ControllerTest;
let admin: KubeClient;

const CRDS: ResourceRef = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', namespaced: false };
const GADGETS: ResourceRef = { group: 'example.com', version: 'v1', plural: 'gadgets', namespaced: true };

before(async () => {
  t = await startControllerTest([namespaceControllerFactory]);
  admin = t.admin;
  await admin.create<KObject>(CRDS, '', {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: 'gadgets.example.com' },
    spec: {
      group: 'example.com', scope: 'Namespaced',
      names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  });
  await waitFor('gadgets served', async () => (await admin.list(GADGETS, 'default').then(() => true, () => false)), 20_000);
});

after(async () => {
  await t?.stop();
});

async function namespaceOrUndefined(name: string): Promise<Namespace | undefined> {
  try {
    return await admin.get<Namespace>(NAMESPACES, '', name);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function fill(ns: string): Promise<void> {
  await admin.create<KObject>(NAMESPACES, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await admin.create<KObject>(CONFIGMAPS, ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
  await admin.create<KObject>(SECRETS, ns, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } });
  await admin.create<KObject>(PODS, ns, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  await admin.create<KObject>(GADGETS, ns, { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' } });
}

test('a deleted namespace is emptied (built-in and custom resources) and then removed', async () => {
  await fill('doomed');
  await admin.delete(NAMESPACES, '', 'doomed');
  await waitFor('namespace doomed gone', async () => !(await namespaceOrUndefined('doomed')), 20_000);
  for (const r of [CONFIGMAPS, SECRETS, PODS, GADGETS]) assert.deepEqual((await admin.list(r, 'doomed')).items, [], `${r.plural} emptied`);
});

test('content held by a finalizer keeps the namespace Terminating with upstream conditions', async () => {
  await fill('held');
  await admin.create<KObject>(CONFIGMAPS, 'held', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pinned', finalizers: ['example.com/hold'] } });
  await admin.delete(NAMESPACES, '', 'held');
  const ns = await waitFor('remaining-content conditions', async () => {
    const n = await namespaceOrUndefined('held');
    return n?.status?.conditions?.find((c) => c.type === 'NamespaceContentRemaining' && c.status === 'True') ? n : undefined;
  }, 20_000);
  assert.equal(ns.status?.phase, 'Terminating');
  const summary = (ns.status?.conditions ?? []).map((c: NamespaceCondition) => [c.type, c.status, c.reason, c.message]);
  assert.deepEqual(summary, [
    ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered'],
    ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
    ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
    ['NamespaceContentRemaining', 'True', 'SomeResourcesRemain', 'Some resources are remaining: configmaps. has 1 resource instances'],
    ['NamespaceFinalizersRemaining', 'True', 'SomeFinalizersRemain', 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances'],
  ]);
  assert.deepEqual(ns.spec?.finalizers, ['kubernetes'], 'the kubernetes finalizer stays while content remains');
  assert.deepEqual((await admin.list(GADGETS, 'held')).items, []);
  await admin.patch(CONFIGMAPS, 'held', 'pinned', 'merge', { metadata: { finalizers: null } });
  // The next sweep comes 15/2 + 1 = 8 s later (upstream's finalizer estimate).
  await waitFor('namespace held gone', async () => !(await namespaceOrUndefined('held')), 30_000);
});

test('conditions change (and move lastTransitionTime) only when status, reason or message change', () => {
  const ns: Namespace = { metadata: { name: 'x' } };
  const clean = { discoveryFailures: new Map(), contentErrors: [], remainingByResource: new Map(), remainingByFinalizer: new Map() };
  assert.equal(applyConditions(ns, clean, 't1'), true);
  assert.equal(ns.status?.conditions?.length, 5);
  assert.equal(applyConditions(ns, clean, 't2'), false);
  assert.ok(ns.status?.conditions?.every((c) => c.lastTransitionTime === 't1'));
  const failing = { ...clean, contentErrors: ['a', 'b'], discoveryFailures: new Map([['example.com/v1', 'boom']]) };
  assert.equal(applyConditions(ns, failing, 't3'), true);
  const byType = new Map(ns.status!.conditions!.map((c) => [c.type, c]));
  assert.deepEqual(byType.get('NamespaceDeletionContentFailure'), {
    type: 'NamespaceDeletionContentFailure', status: 'True', lastTransitionTime: 't3', reason: 'ContentDeletionFailed',
    message: 'Failed to delete all resource types, 2 remaining: [a, b]',
  });
  assert.equal(byType.get('NamespaceDeletionDiscoveryFailure')?.reason, 'DiscoveryFailed');
  assert.equal(byType.get('NamespaceContentRemaining')?.lastTransitionTime, 't1');
});
