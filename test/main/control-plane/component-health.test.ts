import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ComponentHealth } from '../../../main/control-plane/component-health.js';

test('statuses in upstream order; unregistered components Unhealthy; probes that throw or reject are Unhealthy', async () => {
  const h = new ComponentHealth();
  const unregister = h.register('scheduler', () => ({ healthy: true, message: 'ok' }));
  h.register('etcd-0', () => {
    throw new Error('disk gone');
  });
  h.register('extra', async () => ({ healthy: false, message: 'meh', error: 'broken' }));
  h.register('gone', () => Promise.reject(new Error('no answer')));
  assert.deepEqual(await h.statuses(), [
    { kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name: 'scheduler', creationTimestamp: null }, conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }] },
    { kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name: 'controller-manager', creationTimestamp: null },
      conditions: [{ type: 'Healthy', status: 'False', message: '', error: 'controller-manager is not running in this control plane' }] },
    { kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name: 'etcd-0', creationTimestamp: null },
      conditions: [{ type: 'Healthy', status: 'False', message: '', error: 'Error: disk gone' }] },
    { kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name: 'extra', creationTimestamp: null },
      conditions: [{ type: 'Healthy', status: 'False', message: 'meh', error: 'broken' }] },
    { kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name: 'gone', creationTimestamp: null },
      conditions: [{ type: 'Healthy', status: 'False', message: '', error: 'Error: no answer' }] },
  ]);
  unregister();
  assert.equal(((await h.statuses())[0] as unknown as { conditions: { status: string }[] }).conditions[0]!.status, 'False');
});
