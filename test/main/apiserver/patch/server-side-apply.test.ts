import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverSideApply, LAST_APPLIED_ANNOTATION } from '../../../../main/apiserver/patch/server-side-apply.js';
import { fieldsToPaths, updateManagedFields } from '../../../../main/apiserver/patch/managed-fields.js';
import { ApplyConflictError, PatchError } from '../../../../main/apiserver/patch/errors.js';
import type { KObject } from '../../../../main/api/meta/object.js';
import { deploymentSchema } from './test-schemas.js';

const T1 = '2026-01-01T00:00:00Z';
const T2 = '2026-01-02T00:00:00Z';

function cfg(spec: Record<string, unknown>, labels?: Record<string, string>): KObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', ...(labels ? { labels } : {}) }, spec };
}
const apply = (live: KObject | undefined, applied: KObject, manager: string, force = false, time = T1): KObject =>
  serverSideApply({ live, applied, manager, force, apiVersion: 'apps/v1', time, schema: deploymentSchema });
const owned = (obj: KObject, manager: string): string[] =>
  fieldsToPaths(obj.metadata.managedFields?.find((e) => e.manager === manager)?.fieldsV1 ?? {});

test('ssa: create records an Apply entry; omitted fields are pruned on the next apply', () => {
  const one = apply(undefined, cfg({ replicas: 2 }, { a: '1', b: '2' }), 'mgr');
  assert.deepEqual(one.metadata.managedFields, [
    { manager: 'mgr', operation: 'Apply', apiVersion: 'apps/v1', time: T1, fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:a': {}, 'f:b': {} } }, 'f:spec': { 'f:replicas': {} } } },
  ]);
  const two = apply(one, cfg({ replicas: 3 }, { a: '1' }), 'mgr', false, T2);
  assert.deepEqual(two.metadata.labels, { a: '1' });
  assert.equal((two.spec as { replicas: number }).replicas, 3);
  assert.equal(two.metadata.managedFields?.[0]?.time, T2);
  const three = apply(two, cfg({ replicas: 3 }, { a: '1' }), 'mgr', false, '2030-01-01T00:00:00Z');
  assert.equal(three.metadata.managedFields?.[0]?.time, T2, 'no-op apply keeps the time');
});

test('ssa: list items merge by key and keep server-only items', () => {
  const one = apply(undefined, cfg({ template: { spec: { containers: [{ name: 'a', image: 'a:1' }] } } }), 'one');
  const two = apply(one, cfg({ template: { spec: { containers: [{ name: 'b', image: 'b:1' }] } } }), 'two');
  assert.deepEqual((two.spec as { template: { spec: { containers: unknown } } }).template.spec.containers, [
    { name: 'a', image: 'a:1' },
    { name: 'b', image: 'b:1' },
  ]);
  const three = apply(two, cfg({ template: { spec: { containers: [] } } }), 'one');
  assert.deepEqual((three.spec as { template: { spec: { containers: unknown } } }).template.spec.containers, [{ name: 'b', image: 'b:1' }]);
});

test('ssa: shared ownership — a field stays while another applier still applies it', () => {
  const a = apply(undefined, cfg({ replicas: 3 }, { x: '1' }), 'a');
  const b = apply(a, cfg({ replicas: 3 }, { x: '1' }), 'b');
  assert.ok(owned(b, 'a').includes('.spec.replicas') && owned(b, 'b').includes('.spec.replicas'));
  const a2 = apply(b, cfg({}), 'a');
  assert.deepEqual(a2.metadata.labels, { x: '1' });
  assert.equal((a2.spec as { replicas: number }).replicas, 3);
  assert.deepEqual(owned(a2, 'a'), ['.spec'], 'an empty object in the configuration is owned as a leaf');
});

test('ssa: conflicts with an Update manager (409 with upstream message and causes), force takes ownership', () => {
  const created = cfg({ replicas: 1 }, { app: 'web' });
  const live = { ...created, metadata: { ...created.metadata } } as KObject;
  live.metadata.managedFields = updateManagedFields({ previous: undefined, next: created, manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', time: T1, schema: deploymentSchema });
  assert.throws(
    () => apply(live, cfg({ replicas: 5 }), 'other'),
    (e: unknown) =>
      e instanceof ApplyConflictError &&
      e.code === 409 &&
      e.message === 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas' &&
      JSON.stringify(e.causes) === JSON.stringify([{ type: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }]),
  );
  assert.throws(
    () => apply(live, cfg({ replicas: 5 }, { app: 'other' }), 'other'),
    (e: unknown) =>
      e instanceof ApplyConflictError &&
      e.message === 'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .metadata.labels.app\n- .spec.replicas',
  );
  const sameValue = apply(live, cfg({ replicas: 1 }), 'other');
  assert.deepEqual(owned(sameValue, 'other'), ['.spec.replicas'], 'equal values do not conflict');
  const forced = apply(live, cfg({ replicas: 5 }), 'other', true);
  assert.equal((forced.spec as { replicas: number }).replicas, 5);
  assert.deepEqual(owned(forced, 'other'), ['.spec.replicas']);
  assert.ok(!owned(forced, 'kubectl-client-side-apply').includes('.spec.replicas'));
  assert.deepEqual(forced.metadata.managedFields?.map((e) => e.operation), ['Apply', 'Update']);
});

test('ssa: conflicts between appliers name the manager without version', () => {
  const a = apply(undefined, cfg({ replicas: 1 }), 'a');
  assert.throws(() => apply(a, cfg({ replicas: 2 }), 'b'), (e: unknown) => e instanceof ApplyConflictError && e.message === 'Apply failed with 1 conflict: conflict with "a": .spec.replicas');
});

test('ssa: kubectl upgrades from client-side apply and keeps last-applied in sync', () => {
  const manifest = cfg({ replicas: 1 }, { app: 'web' });
  const lastApplied = `${JSON.stringify(manifest)}\n`;
  const created = { ...manifest, metadata: { ...manifest.metadata, annotations: { [LAST_APPLIED_ANNOTATION]: lastApplied } } } as KObject;
  const live = structuredClone(created);
  live.metadata.managedFields = updateManagedFields({ previous: undefined, next: created, manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', time: T1, schema: deploymentSchema });
  const out = apply(live, cfg({ replicas: 4 }, { app: 'web' }), 'kubectl');
  assert.equal((out.spec as { replicas: number }).replicas, 4);
  assert.equal(
    out.metadata.annotations?.[LAST_APPLIED_ANNOTATION],
    '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"app":"web"},"name":"web"},"spec":{"replicas":4}}\n',
  );
  assert.throws(() => apply(live, cfg({ replicas: 4 }, { app: 'web' }), 'someone-else'), ApplyConflictError);
});

test('ssa: request errors', () => {
  const bad = cfg({});
  bad.metadata.managedFields = [];
  assert.throws(() => apply(undefined, bad, 'm'), (e: unknown) => e instanceof PatchError && e.code === 400 && e.message === 'metadata.managedFields must be nil');
  assert.throws(
    () => apply(undefined, { ...cfg({}), apiVersion: 'apps/v1beta1' }, 'm'),
    (e: unknown) => e instanceof PatchError && e.code === 400 && e.message === 'Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1',
  );
});
