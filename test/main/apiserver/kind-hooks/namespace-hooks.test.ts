import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KObject } from '../../../../main/api/meta/object.js';
import { createOnUpdateHooks, namespaceHooks } from '../../../../main/apiserver/kind-hooks/namespace-hooks.js';
import { namespace, pod, startTestCluster, type TestCluster } from '../../../helpers/control-plane-fixture.js';

const NOW = '2025-01-01T00:00:00Z';
const ns = (spec?: object, meta: object = {}): KObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', ...meta }, ...(spec ? { spec } : {}), status: { phase: 'Active' } }) as KObject;

test('markForDeletion: a namespace with finalizers becomes Terminating instead of being deleted', () => {
  const withSpec = ns({ finalizers: ['kubernetes'] });
  assert.equal(namespaceHooks.markForDeletion!(withSpec, NOW), true);
  assert.equal(withSpec.metadata.deletionTimestamp, NOW);
  assert.equal(withSpec.metadata.deletionGracePeriodSeconds, 0);
  assert.deepEqual((withSpec as { status?: unknown }).status, { phase: 'Terminating' });

  const withMeta = ns(undefined, { finalizers: ['example.com/x'] });
  assert.equal(namespaceHooks.markForDeletion!(withMeta, NOW), true);

  const again = ns({ finalizers: ['kubernetes'] }, { deletionTimestamp: '2024-12-31T00:00:00Z' });
  namespaceHooks.markForDeletion!(again, NOW);
  assert.equal(again.metadata.deletionTimestamp, '2024-12-31T00:00:00Z', 'first deletion time kept');

  const none = ns({ finalizers: [] });
  assert.equal(namespaceHooks.markForDeletion!(none, NOW), false);
  assert.equal(none.metadata.deletionTimestamp, undefined);
});

test('shouldDeleteDuringUpdate once spec.finalizers is empty', () => {
  assert.equal(namespaceHooks.shouldDeleteDuringUpdate!(ns({ finalizers: ['kubernetes'] })), false);
  assert.equal(namespaceHooks.shouldDeleteDuringUpdate!(ns({ finalizers: [] })), true);
  assert.equal(namespaceHooks.shouldDeleteDuringUpdate!(ns()), true);
  assert.equal(createOnUpdateHooks.allowCreateOnUpdate, true);
});

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster.stop();
});

test('HTTP: deleting a namespace makes it Terminating and blocks new content', async () => {
  const created = await cluster.admin.post('/api/v1/namespaces', namespace('doomed'));
  assert.equal(created.status, 201);
  assert.deepEqual(created.body.spec, { finalizers: ['kubernetes'] });
  const del = await cluster.admin.delete('/api/v1/namespaces/doomed');
  assert.equal(del.status, 200);
  const got = await cluster.admin.get('/api/v1/namespaces/doomed');
  assert.equal(got.status, 200);
  assert.equal(got.body.status.phase, 'Terminating');
  assert.ok(got.body.metadata.deletionTimestamp);
  const p = await cluster.admin.post('/api/v1/namespaces/doomed/pods', pod('late'));
  assert.equal(p.status, 403);
  assert.equal(p.body.message, 'pods "late" is forbidden: unable to create new content in namespace doomed because it is being terminated');
});

test('HTTP: system namespaces cannot be deleted; creating in a missing namespace is 404', async () => {
  const r = await cluster.admin.delete('/api/v1/namespaces/kube-system');
  assert.equal(r.status, 403);
  assert.equal(r.body.message, 'namespaces "kube-system" is forbidden: this namespace may not be deleted');
  const m = await cluster.admin.post('/api/v1/namespaces/ghost/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
  assert.equal(m.status, 404);
  assert.equal(m.body.message, 'namespaces "ghost" not found');
  assert.deepEqual(m.body.details, { name: 'ghost', kind: 'namespaces' });
});
