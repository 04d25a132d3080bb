/**
 * The EndpointSlice controller on an in-process API server: a placeholder slice for a service without pods,
 * endpoints with ready/serving/terminating conditions, labels and owner, zone from the Node, 100 endpoints per
 * slice, slices deleted with the service; planSlices keeps endpoints where they are.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node } from '../../../main/api/core/v1/node.js';
import type { EndpointSlice } from '../../../main/api/discovery.k8s.io/v1/endpoint-slice.js';
import { ENDPOINTSLICES, NODES, PODS, SERVICES, type KubeClient } from '../../../main/client/kube-client.js';
import { endpointSliceControllerFactory, planSlices } from '../../../main/controllers/endpoint-slice-controller.js';
import { startControllerTest, waitFor } from './controller-fixture.js';
import { createPod, createService, setPodStatus } from './endpoints-fixtures.js';

const slicesOf = async (admin: KubeClient, svc: string) =>
  (await admin.list<EndpointSlice>(ENDPOINTSLICES, 'default', { labelSelector: `kubernetes.io/service-name=${svc}` })).items;

test('endpointslices: placeholder, endpoints with conditions/zone/targetRef, labels and owner, pods on unknown nodes held back; removed with the service', async () => {
  const t = await startControllerTest([endpointSliceControllerFactory]);
  try {
    await t.admin.create<Node>(NODES, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'z1' } } });
    const svc = await createService(t.admin, 'web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }, { team: 'a' });
    const [placeholder] = await waitFor('placeholder', async () => ((await slicesOf(t.admin, 'web')).length === 1 ? slicesOf(t.admin, 'web') : undefined), 20_000);
    assert.match(placeholder!.metadata.name!, /^web-[a-z0-9]{5}$/);
    assert.deepEqual(placeholder!.endpoints, []);
    assert.deepEqual(placeholder!.metadata.labels, { team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    assert.deepEqual(placeholder!.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const a = await createPod(t.admin, 'a', { nodeName: 'n1' });
    await createPod(t.admin, 'b', { nodeName: 'n2' });
    await createPod(t.admin, 'c', { nodeName: 'n2' });
    await setPodStatus(t.admin, 'a', '10.244.0.5', true);
    await setPodStatus(t.admin, 'c', '10.244.0.7', true);
    await setPodStatus(t.admin, 'b', '10.244.0.6', false);
    // Pods on n2 wait until that Node exists.
    await waitFor('a listed', async () => (await slicesOf(t.admin, 'web'))[0]?.endpoints?.length === 1, 20_000);
    await t.admin.create<Node>(NODES, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } });
    const slices = await waitFor('three endpoints', async () => {
      const s = await slicesOf(t.admin, 'web');
      return s.length === 1 && s[0]!.endpoints?.length === 3 ? s : undefined;
    }, 20_000);
    const s = slices[0]!;
    assert.equal(s.addressType, 'IPv4');
    assert.deepEqual(s.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const ea = s.endpoints!.find((e) => e.targetRef?.name === 'a')!;
    assert.deepEqual(ea, { addresses: ['10.244.0.5'], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: a.metadata.uid }, nodeName: 'n1', zone: 'z1' });
    const eb = s.endpoints!.find((e) => e.targetRef?.name === 'b')!;
    assert.deepEqual(eb.conditions, { ready: false, serving: false, terminating: false });
    // A graceful deletion (no kubelet here to finish it) shows the pod terminating; a forced one removes it.
    await t.admin.delete(PODS, 'default', 'a');
    await waitFor('a terminating', async () => {
      const e = (await slicesOf(t.admin, 'web'))[0]?.endpoints?.find((x) => x.targetRef?.name === 'a');
      return e && JSON.stringify(e.conditions) === JSON.stringify({ ready: false, serving: true, terminating: true });
    }, 20_000);
    await t.admin.delete(PODS, 'default', 'a', { gracePeriodSeconds: 0 });
    await waitFor('a gone', async () => (await slicesOf(t.admin, 'web'))[0]?.endpoints?.every((e) => e.targetRef?.name !== 'a'), 20_000);
    await t.admin.delete(SERVICES, 'default', 'web');
    await waitFor('slices deleted', async () => (await slicesOf(t.admin, 'web')).length === 0, 20_000);
  } finally {
    await t.stop();
  }
});

test('endpointslices: at most 100 endpoints per slice', async () => {
  const t = await startControllerTest([endpointSliceControllerFactory]);
  try {
    await createService(t.admin, 'big', { selector: { app: 'big' }, ports: [{ port: 80 }] });
    await t.admin.create<Node>(NODES, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } });
    for (let i = 0; i < 130; i++) {
      await createPod(t.admin, `p${i}`, { labels: { app: 'big' }, nodeName: 'n' });
      await setPodStatus(t.admin, `p${i}`, `10.244.${i >> 8}.${(i & 255) + 0}`, true);
    }
    const slices = await waitFor('130 endpoints', async () => {
      const s = await slicesOf(t.admin, 'big');
      return s.reduce((n, x) => n + (x.endpoints?.length ?? 0), 0) === 130 ? s : undefined;
    }, 30_000);
    assert.deepEqual(slices.map((s) => s.endpoints!.length).sort((x, y) => x - y), [30, 100]);
  } finally {
    await t.stop();
  }
});

test('planSlices: endpoints stay in their slice, new ones fill room, empty slices go', () => {
  const svc = { metadata: { name: 's', namespace: 'default', uid: 'u' }, spec: { selector: { a: 'b' } } };
  const ep = (n: number) => ({ addresses: [`10.0.0.${n}`], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', namespace: 'default', name: `p${n}`, uid: `u${n}` } });
  const ports = [{ name: '', port: 80, protocol: 'TCP' }];
  const labels = { 'kubernetes.io/service-name': 's', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' };
  const slice = (name: string, eps: number[]): EndpointSlice => ({ metadata: { name, namespace: 'default', labels }, addressType: 'IPv4', ports, endpoints: eps.map(ep) });
  const groups = new Map([['k', { ports, endpoints: [1, 2, 3, 5, 6].map(ep) }]]);
  const plan = planSlices(svc as never, groups, [slice('s-1', [1, 2]), slice('s-2', [3, 4]), slice('s-3', [9])], 3);
  assert.deepEqual(plan.delete.map((s) => s.metadata.name), ['s-3']);
  assert.deepEqual(plan.update.map((s) => [s.metadata.name, s.endpoints!.map((e) => e.addresses![0])]), [
    ['s-1', ['10.0.0.1', '10.0.0.2', '10.0.0.5']],
    ['s-2', ['10.0.0.3', '10.0.0.6']],
  ]);
  assert.equal(plan.create.length, 0);
  // Unchanged slices are not rewritten.
  const again = planSlices(svc as never, new Map([['k', { ports, endpoints: [1, 2].map(ep) }]]), [slice('s-1', [1, 2])], 3);
  assert.deepEqual(again, { create: [], update: [], delete: [] });
});
