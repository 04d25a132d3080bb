import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorLine } from '../../../main/api/meta/field-errors.js';
import { otherGroupResources } from '../../../main/api/index-groups.js';
import type { KObject } from '../../../main/api/meta/object.js';

const d = (plural: string) => otherGroupResources.find((x) => x.plural === plural)!;
const upd = (plural: string, obj: KObject, old: KObject) => d(plural).strategy!.validateUpdate!(obj, old).map(errorLine).sort();
const m = { name: 'x', namespace: 'default' };

test('RoleBinding roleRef cannot change', () => {
  const old = { metadata: m, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'a' }, subjects: [] };
  const now = { ...old, roleRef: { ...old.roleRef, name: 'b' } };
  assert.deepEqual(upd('rolebindings', now, old), [
    'roleRef: Invalid value: {"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"b"}: cannot change roleRef',
  ]);
});

test('StorageClass provisioner, parameters, reclaimPolicy and volumeBindingMode are immutable', () => {
  const old = { metadata: { name: 's' }, provisioner: 'a.io/x', parameters: { t: '1' }, reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' };
  const now = { ...old, provisioner: 'b.io/x', parameters: { t: '2' }, reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' };
  assert.deepEqual(upd('storageclasses', now, old), [
    'parameters: Forbidden: updates to parameters are forbidden.',
    'provisioner: Forbidden: updates to provisioner are forbidden.',
    'reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.',
    'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
  ]);
});

test('PriorityClass value is immutable', () => {
  const old = { metadata: { name: 'p' }, value: 1, preemptionPolicy: 'Never' };
  assert.deepEqual(upd('priorityclasses', { ...old, value: 2 }, old), ['value: Forbidden: may not be changed in an update.']);
});

test('EndpointSlice addressType and IngressClass controller are immutable', () => {
  const old = { metadata: m, addressType: 'IPv4', endpoints: [] };
  assert.deepEqual(upd('endpointslices', { ...old, addressType: 'IPv6' }, old), ['addressType: Invalid value: "IPv6": field is immutable']);
  const ic = { metadata: { name: 'c' }, spec: { controller: 'a.io/x' } };
  assert.deepEqual(upd('ingressclasses', { ...ic, spec: { controller: 'b.io/x' } }, ic), ['spec.controller: Invalid value: "b.io/x": field is immutable']);
});

test('CRD group and plural are immutable; scope and kind once established; stored versions must stay', () => {
  const schema = { openAPIV3Schema: { type: 'object' } };
  const old = {
    metadata: { name: 'ts.a.io' },
    spec: { group: 'a.io', scope: 'Namespaced', names: { plural: 'ts', singular: 't', kind: 'T', listKind: 'TList' }, conversion: { strategy: 'None' },
      versions: [{ name: 'v1', served: true, storage: true, schema }] },
    status: { storedVersions: ['v1'], conditions: [{ type: 'Established', status: 'True' }] },
  };
  const now = JSON.parse(JSON.stringify(old));
  now.spec.scope = 'Cluster';
  now.spec.names.kind = 'U';
  now.spec.names.listKind = 'UList';
  now.spec.versions[0].name = 'v2';
  assert.deepEqual(upd('customresourcedefinitions', now, old), [
    'spec.names.kind: Invalid value: "U": field is immutable',
    'spec.scope: Invalid value: "Cluster": field is immutable',
    'status.storedVersions[0]: Invalid value: "v1": must appear in spec.versions',
  ]);
});
