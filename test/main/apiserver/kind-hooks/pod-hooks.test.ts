import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KObject } from '../../../../main/api/meta/object.js';
import { DEFAULT_TERMINATION_GRACE_SECONDS, podHooks } from '../../../../main/apiserver/kind-hooks/pod-hooks.js';
import { pod, startTestCluster, type TestCluster } from '../../../helpers/control-plane-fixture.js';

const p = (spec: object, status?: object, meta: object = {}): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...meta }, spec, ...(status ? { status } : {}) });

test('gracePeriod: unscheduled and terminal pods go at once; scheduled ones get requested / own / 30 s', () => {
  assert.equal(DEFAULT_TERMINATION_GRACE_SECONDS, 30);
  const cases: [string, KObject, number | undefined, number][] = [
    ['unscheduled', p({}), undefined, 0],
    ['unscheduled, 60 requested', p({}), 60, 0],
    ['scheduled', p({ nodeName: 'n1' }), undefined, 30],
    ['scheduled, spec grace', p({ nodeName: 'n1', terminationGracePeriodSeconds: 45 }), undefined, 45],
    ['scheduled, requested', p({ nodeName: 'n1', terminationGracePeriodSeconds: 45 }), 5, 5],
    ['scheduled, requested 0', p({ nodeName: 'n1' }), 0, 0],
    ['scheduled, already marked', p({ nodeName: 'n1' }, undefined, { deletionGracePeriodSeconds: 12 }), undefined, 12],
    ['Succeeded', p({ nodeName: 'n1' }, { phase: 'Succeeded' }), 30, 0],
    ['Failed', p({ nodeName: 'n1' }, { phase: 'Failed' }), undefined, 0],
    ['Running', p({ nodeName: 'n1' }, { phase: 'Running' }), undefined, 30],
  ];
  for (const [name, obj, requested, want] of cases) assert.equal(podHooks.gracePeriod!(obj, requested), want, name);
  assert.equal(podHooks.returnDeletedObject, true);
});

test('shouldDeleteDuringUpdate: unscheduled pods or a zero grace period', () => {
  assert.equal(podHooks.shouldDeleteDuringUpdate!(p({})), true);
  assert.equal(podHooks.shouldDeleteDuringUpdate!(p({ nodeName: 'n1' }, undefined, { deletionGracePeriodSeconds: 0 })), true);
  assert.equal(podHooks.shouldDeleteDuringUpdate!(p({ nodeName: 'n1' }, undefined, { deletionGracePeriodSeconds: 30 })), false);
});

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster.stop();
});

test('HTTP: deleting an unscheduled pod removes it at once; a scheduled one is marked with 30 s', async () => {
  const base = '/api/v1/namespaces/default/pods';
  assert.equal((await cluster.admin.post(base, pod('pending'))).status, 201);
  const d1 = await cluster.admin.delete(`${base}/pending`);
  assert.equal(d1.status, 200);
  assert.equal(d1.body.kind, 'Pod', 'DELETE answers with the pod');
  assert.equal((await cluster.admin.get(`${base}/pending`)).status, 404);

  assert.equal((await cluster.admin.post(base, pod('running', { nodeName: 'n1' }))).status, 201);
  const d2 = await cluster.admin.delete(`${base}/running`);
  assert.equal(d2.status, 200);
  assert.equal(d2.body.metadata.deletionGracePeriodSeconds, 30);
  assert.ok(d2.body.metadata.deletionTimestamp);
  const still = await cluster.admin.get(`${base}/running`);
  assert.equal(still.status, 200);
  assert.equal(still.body.metadata.deletionGracePeriodSeconds, 30);

  assert.equal((await cluster.admin.post(base, pod('quick', { nodeName: 'n1' }))).status, 201);
  const d3 = await cluster.admin.delete(`${base}/quick`, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 7 });
  assert.equal(d3.body.metadata.deletionGracePeriodSeconds, 7);
  // --grace-period=0 --force removes the pod.
  const d4 = await cluster.admin.delete(`${base}/quick`, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0 });
  assert.equal(d4.status, 200);
  assert.equal((await cluster.admin.get(`${base}/quick`)).status, 404);
});
