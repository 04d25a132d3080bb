/**
 * The node lifecycle and taint eviction controllers on an in-process API server with hand-driven nodes: a node
 * whose Lease stops being renewed becomes Unknown (NodeStatusUnknown), gets the unreachable NoSchedule and
 * NoExecute taints, a NodeNotReady event, its pods Ready=False, and pods tolerating the taint for a while are
 * deleted afterwards; recovery removes the taints; Ready=False gives not-ready taints; cordon gives
 * unschedulable; a lone node (all zones disrupted) gets no NoExecute taint.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node } from '../../../main/api/core/v1/node.js';
import type { Pod } from '../../../main/api/core/v1/pod-types.js';
import { EVENTS, NODES, PODS } from '../../../main/client/kube-client.js';
import { nodeLifecycleControllerFactory } from '../../../main/controllers/node-lifecycle-controller.js';
import { computeZoneState } from '../../../main/controllers/node-lifecycle/zone-state.js';
import { taintEvictionControllerFactory, tolerationWindowMs } from '../../../main/controllers/taint-eviction-controller.js';
import { startControllerTest, waitFor } from './controller-fixture.js';
import { createBoundPod, createNode, postReady, renewLease } from './node-fixtures.js';

const FAST = { nodeMonitorPeriodSeconds: 0.2, nodeMonitorGracePeriodSeconds: 1.5, nodeStartupGracePeriodSeconds: 1.5 };
const taintsOf = async (t: { admin: import('../../../main/client/kube-client.js').KubeClient }, name: string) =>
  ((await t.admin.get<Node>(NODES, '', name)).spec?.taints ?? []).map((x) => `${x.key}:${x.effect}`).sort();

test('node-lifecycle: a silent node becomes Unknown, is tainted unreachable, its pods not ready and evicted after tolerationSeconds; recovery untaints', async () => {
  const t = await startControllerTest([nodeLifecycleControllerFactory, taintEvictionControllerFactory], FAST);
  const alive = setInterval(() => void renewLease(t.admin, 'n2').catch(() => {}), 200);
  try {
    await createNode(t.admin, 'n1');
    await createNode(t.admin, 'n2');
    await renewLease(t.admin, 'n1');
    await createBoundPod(t.admin, 'short', 'n1', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 }]);
    await createBoundPod(t.admin, 'long', 'n1');
    const node = await waitFor('n1 Unknown', async () => {
      const n = await t.admin.get<Node>(NODES, '', 'n1');
      return n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'Unknown' ? n : undefined;
    }, 20_000);
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      const c = node.status!.conditions!.find((x) => x.type === type)!;
      assert.deepEqual([c.status, c.reason, c.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'], type);
    }
    await waitFor('unreachable taints', async () =>
      JSON.stringify(await taintsOf(t, 'n1')) === JSON.stringify(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']), 20_000);
    assert.deepEqual(await taintsOf(t, 'n2'), []);
    const ev = await waitFor('NodeNotReady event', async () =>
      (await t.admin.list<any>(EVENTS, 'default')).items.find((e) => e.reason === 'NodeNotReady' && e.involvedObject.kind === 'Node'), 20_000);
    assert.equal(ev.message, 'Node n1 status is now: NodeNotReady');
    assert.equal(ev.source.component, 'node-controller');
    // Pods: Ready False; the one tolerating 1 s is deleted, the one with the default 300 s stays.
    await waitFor('long not ready', async () =>
      (await t.admin.get<Pod>(PODS, 'default', 'long')).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False', 20_000);
    const evicted = await waitFor('short evicted', async () => {
      const p = await t.admin.get<Pod>(PODS, 'default', 'short');
      return p.metadata.deletionTimestamp ? p : undefined;
    }, 20_000);
    assert.deepEqual(
      evicted.status?.conditions?.filter((c) => c.type === 'DisruptionTarget').map((c) => [c.status, c.reason, c.message]),
      [['True', 'DeletionByTaintManager', 'Taint manager: deleting due to NoExecute taint']],
    );
    const tm = await waitFor('TaintManagerEviction event', async () =>
      (await t.admin.list<any>(EVENTS, 'default')).items.find((e) => e.reason === 'TaintManagerEviction' && e.involvedObject.name === 'short'), 20_000);
    assert.equal(tm.message, 'Marking for deletion Pod default/short');
    assert.equal(tm.source.component, 'taint-eviction-controller');
    assert.equal((await t.admin.get<Pod>(PODS, 'default', 'long')).metadata.deletionTimestamp, undefined);
    assert.ok((await t.admin.get<Pod>(PODS, 'default', 'long')).spec.tolerations?.some((x) => x.key === 'node.kubernetes.io/unreachable' && x.tolerationSeconds === 300));
    // The kubelet is back: Ready, taints gone.
    await renewLease(t.admin, 'n1');
    await postReady(t.admin, 'n1', 'True');
    await waitFor('taints removed', async () => (await taintsOf(t, 'n1')).length === 0, 20_000);
  } finally {
    clearInterval(alive);
    await t.stop();
  }
});

test('node-lifecycle: Ready=False gives not-ready taints and marks newly bound pods not ready, cordon gives unschedulable, a never-posting node gets NodeStatusNeverUpdated; a lone silent node gets no NoExecute taint', async () => {
  const t = await startControllerTest([nodeLifecycleControllerFactory], FAST);
  const alive = setInterval(() => void Promise.all([renewLease(t.admin, 'a'), renewLease(t.admin, 'b')]).catch(() => {}), 200);
  try {
    await createNode(t.admin, 'a');
    await createNode(t.admin, 'b', { unschedulable: true });
    await postReady(t.admin, 'a', 'False');
    await waitFor('not-ready taints', async () =>
      JSON.stringify(await taintsOf(t, 'a')) === JSON.stringify(['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']), 20_000);
    await waitFor('unschedulable taint', async () => JSON.stringify(await taintsOf(t, 'b')) === JSON.stringify(['node.kubernetes.io/unschedulable:NoSchedule']), 20_000);
    const taint = (await t.admin.get<Node>(NODES, '', 'a')).spec!.taints![0]!;
    assert.match(taint.timeAdded ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // A pod bound to the not-ready node is marked not ready.
    const late = await t.admin.create<Pod>(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'late' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await t.admin.update<Pod>(PODS, 'default', { ...late, status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'True' }] } }, { subresource: 'status' });
    await t.admin.post(PODS, 'default', 'late', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'late' }, target: { kind: 'Node', name: 'a' } });
    await waitFor('late not ready', async () =>
      (await t.admin.get<Pod>(PODS, 'default', 'late')).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False', 20_000);
    // A node that never posts status gets NodeStatusNeverUpdated conditions after the startup grace period.
    await t.admin.create<Node>(NODES, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'ghost' } });
    const ghost = await waitFor('ghost Unknown', async () => {
      const n = await t.admin.get<Node>(NODES, '', 'ghost');
      return n.status?.conditions?.length === 4 ? n : undefined;
    }, 20_000);
    assert.deepEqual(ghost.status!.conditions!.map((c) => [c.type, c.status, c.reason, c.message]), [
      ['Ready', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.'],
      ['MemoryPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.'],
      ['DiskPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.'],
      ['PIDPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.'],
    ]);
  } finally {
    clearInterval(alive);
    await t.stop();
  }
  const lone = await startControllerTest([nodeLifecycleControllerFactory], FAST);
  try {
    await createNode(lone.admin, 'solo');
    await waitFor('solo unreachable NoSchedule', async () => (await taintsOf(lone, 'solo')).includes('node.kubernetes.io/unreachable:NoSchedule'), 20_000);
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(await taintsOf(lone, 'solo'), ['node.kubernetes.io/unreachable:NoSchedule']);
  } finally {
    await lone.stop();
  }
});

test('taint eviction: an untolerated NoExecute taint deletes the pod at once', async () => {
  const t = await startControllerTest([taintEvictionControllerFactory]);
  try {
    await createNode(t.admin, 'n');
    await createBoundPod(t.admin, 'p', 'n');
    await createBoundPod(t.admin, 'tolerant', 'n', [{ key: 'example.com/bad', operator: 'Exists', effect: 'NoExecute' }]);
    const node = await t.admin.get<Node>(NODES, '', 'n');
    node.spec = { ...node.spec, taints: [{ key: 'example.com/bad', effect: 'NoExecute' }] };
    await t.admin.update(NODES, '', node);
    await waitFor('p deleted', async () => (await t.admin.get<Pod>(PODS, 'default', 'p')).metadata.deletionTimestamp, 20_000);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await t.admin.get<Pod>(PODS, 'default', 'tolerant')).metadata.deletionTimestamp, undefined);
  } finally {
    await t.stop();
  }
});

test('tolerationWindowMs and computeZoneState tables', () => {
  const taint = { key: 'k', effect: 'NoExecute' };
  assert.equal(tolerationWindowMs([taint], undefined), undefined);
  assert.equal(tolerationWindowMs([taint], [{ key: 'k', operator: 'Exists' }]), Infinity);
  assert.equal(tolerationWindowMs([taint], [{ key: 'k', operator: 'Exists', tolerationSeconds: 5 }, { operator: 'Exists', tolerationSeconds: 9 }]), 5000);
  assert.equal(tolerationWindowMs([taint], [{ key: 'k', operator: 'Exists', tolerationSeconds: -3 }]), 0);
  assert.equal(computeZoneState(['True', 'Unknown']), 'Normal');
  assert.equal(computeZoneState(['Unknown', undefined]), 'FullDisruption');
  assert.equal(computeZoneState(['True', 'False', 'False', 'Unknown']), 'PartialDisruption');
  assert.equal(computeZoneState(['True', 'True', 'False', 'False']), 'Normal');
});
