import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldsToPaths, printManager, updateManagedFields } from '../../../../main/apiserver/patch/managed-fields.js';
import type { KObject } from '../../../../main/api/meta/object.js';
import { deployment, deploymentSchema } from './test-schemas.js';

const T1 = '2026-01-01T00:00:00Z';
const T2 = '2026-01-02T00:00:00Z';

function withMF(obj: Record<string, unknown>, mf: unknown): KObject {
  const o = structuredClone(obj) as KObject;
  o.metadata = { ...o.metadata, managedFields: mf as KObject['metadata']['managedFields'] };
  return o;
}

const created = deployment([{ name: 'nginx', image: 'nginx:1.25' }]);

test('create: the creator owns everything it set, optional maps/lists marked with "." (Go zero-value baseline)', () => {
  const mf = updateManagedFields({ previous: undefined, next: created as KObject, manager: 'kubectl-create', apiVersion: 'apps/v1', time: T1, schema: deploymentSchema });
  assert.deepEqual(mf, [
    {
      manager: 'kubectl-create',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: T1,
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:spec': {
          'f:replicas': {},
          'f:template': {
            'f:metadata': { 'f:labels': { 'f:app': {}, '.': {} } },
            'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { 'f:image': {}, 'f:name': {}, '.': {} } } },
          },
        },
      },
    },
  ]);
});

test('update → update: ownership moves to the writer; no-op keeps entries and times; subresources get their own entry', () => {
  const v1 = withMF(created, updateManagedFields({ previous: undefined, next: created as KObject, manager: 'kubectl-create', apiVersion: 'apps/v1', time: T1, schema: deploymentSchema }));
  const v2 = structuredClone(v1);
  (v2.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image = 'nginx:1.26';
  (v2.spec as { replicas: number }).replicas = 1;
  const mf2 = updateManagedFields({ previous: v1, next: v2, manager: 'kubectl-edit', apiVersion: 'apps/v1', time: T2, schema: deploymentSchema });
  assert.deepEqual(mf2.map((e) => [e.manager, e.time]), [['kubectl-create', T1], ['kubectl-edit', T2]]);
  assert.deepEqual(fieldsToPaths(mf2[1]!.fieldsV1), ['.spec.template.spec.containers[name="nginx"].image']);
  assert.ok(!fieldsToPaths(mf2[0]!.fieldsV1).includes('.spec.template.spec.containers[name="nginx"].image'));

  const v3 = withMF(v2, mf2);
  assert.deepEqual(updateManagedFields({ previous: v3, next: structuredClone(v3), manager: 'x', apiVersion: 'apps/v1', time: T2, schema: deploymentSchema }), mf2);

  const s = structuredClone(v3);
  s.status = { replicas: 1 };
  const mfs = updateManagedFields({ previous: v3, next: s, manager: 'kube-controller-manager', subresource: 'status', apiVersion: 'apps/v1', time: T2, schema: deploymentSchema });
  const status = mfs.find((e) => e.subresource === 'status');
  assert.deepEqual(status && fieldsToPaths(status.fieldsV1), ['.status.replicas']);
  assert.equal(printManager(JSON.stringify({ manager: 'kcm', operation: 'Update', apiVersion: 'autoscaling/v1', subresource: 'scale' })), '"kcm" with subresource "scale" using autoscaling/v1');

  const removedField = structuredClone(v3);
  delete (removedField.spec as Record<string, unknown>).replicas;
  const mfr = updateManagedFields({ previous: v3, next: removedField, manager: 'kubectl-edit', apiVersion: 'apps/v1', time: T2, schema: deploymentSchema });
  assert.ok(mfr.every((e) => !fieldsToPaths(e.fieldsV1).includes('.spec.replicas')), 'removed fields leave every manager');
});

test('managedFields: [] or [{}] from the client resets tracking; omitted managedFields keep the live ones', () => {
  const v1 = withMF(created, updateManagedFields({ previous: undefined, next: created as KObject, manager: 'kubectl-create', apiVersion: 'apps/v1', time: T1, schema: deploymentSchema }));
  for (const reset of [[], [{}]]) {
    assert.deepEqual(updateManagedFields({ previous: v1, next: withMF(v1, reset), manager: 'x', apiVersion: 'apps/v1', time: T2, schema: deploymentSchema }), []);
  }
  const omitted = structuredClone(v1);
  delete omitted.metadata.managedFields;
  assert.deepEqual(updateManagedFields({ previous: v1, next: omitted, manager: 'x', apiVersion: 'apps/v1', time: T2, schema: deploymentSchema }), v1.metadata.managedFields);
});
