/**
 * The pod garbage collector on an in-process API server (short check period and quarantine): orphaned pods on
 * missing nodes are marked Failed with DisruptionTarget/DeletionByPodGC and force-deleted after the quarantine,
 * pods on existing nodes are left alone, and terminated pods over the threshold go evicted-first, then oldest.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../../main/api/core/v1/pod-types.js';
import type { KObject } from '../../../main/api/meta/object.js';
import { isNotFound, NODES, PODS, type KubeClient, type WatchEvent } from '../../../main/client/kube-client.js';
import { podGCControllerFactoryWith } from '../../../main/controllers/pod-gc-controller.js';
import { startControllerTest, waitFor } from './controller-fixture.js';

const NS = 'default';
const factory = podGCControllerFactoryWith({ checkPeriodMs: 200, quarantineMs: 1_000 });

const pod = (name: string, nodeName?: string): KObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }] },
});

async function exists(admin: KubeClient, name: string): Promise<boolean> {
  try {
    await admin.get(PODS, NS, name);
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

test('orphaned pods on a missing node are marked Failed and force-deleted after the quarantine', async () => {
  const t = await startControllerTest([factory]);
  const seen: WatchEvent<Pod>[] = [];
  const watch = t.admin.watch<Pod>(PODS, NS, {}, (e) => seen.push(e));
  try {
    await t.admin.create<KObject>(NODES, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'real-node' } });
    await t.admin.create(PODS, NS, pod('on-real', 'real-node'));
    const created = Date.now();
    await t.admin.create(PODS, NS, pod('orphan', 'ghost-node'));
    await waitFor('orphan deleted', async () => !(await exists(t.admin, 'orphan')), 20_000);
    assert.ok(Date.now() - created >= 1_000, 'not before the quarantine');
    const failed = seen.find((e) => e.type === 'MODIFIED' && e.object.metadata.name === 'orphan' && e.object.status?.phase === 'Failed');
    assert.ok(failed, 'marked Failed before deletion');
    const cond = failed.object.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.deepEqual([cond?.status, cond?.reason, cond?.message], ['True', 'DeletionByPodGC', 'PodGC: node no longer exists']);
    assert.ok(seen.some((e) => e.type === 'DELETED' && e.object.metadata.name === 'orphan'));
    assert.ok(await exists(t.admin, 'on-real'), 'a pod on an existing node stays');
  } finally {
    watch.stop();
    await t.stop();
  }
});

test('terminated pods over the threshold are deleted, evicted first, then oldest', async () => {
  const t = await startControllerTest([podGCControllerFactoryWith({ checkPeriodMs: 200, quarantineMs: 60_000 })], { terminatedPodGCThreshold: 2 });
  try {
    const finish = async (name: string, status: Record<string, unknown>) => {
      await t.admin.create(PODS, NS, pod(name));
      await t.admin.patch(PODS, NS, name, 'merge', { status }, { subresource: 'status' });
    };
    await t.admin.create(PODS, NS, pod('running'));
    await finish('done-a', { phase: 'Succeeded' });
    await finish('done-b', { phase: 'Succeeded' });
    await finish('done-c', { phase: 'Failed' });
    await finish('evicted', { phase: 'Failed', reason: 'Evicted' });
    await waitFor('two terminated pods deleted', async () => !(await exists(t.admin, 'evicted')) && !(await exists(t.admin, 'done-a')), 20_000);
    await new Promise((r) => setTimeout(r, 600));
    for (const name of ['running', 'done-b', 'done-c']) assert.ok(await exists(t.admin, name), `${name} kept`);
  } finally {
    await t.stop();
  }
});

test('terminating pods on an out-of-service NotReady node, and unscheduled terminating pods, are force-deleted', async () => {
  const t = await startControllerTest([factory]);
  try {
    await t.admin.create<KObject>(NODES, '', {
      apiVersion: 'v1', kind: 'Node', metadata: { name: 'broken' },
      spec: { taints: [{ key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }] },
    });
    await t.admin.patch(NODES, '', 'broken', 'merge', { status: { conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady' }] } }, { subresource: 'status' });
    await t.admin.create<KObject>(NODES, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'healthy' } });
    await t.admin.create(PODS, NS, pod('stuck', 'broken'));
    await t.admin.create(PODS, NS, pod('slow', 'healthy'));
    const unscheduled = pod('pinned');
    unscheduled.metadata.finalizers = ['example.com/hold'];
    await t.admin.create(PODS, NS, unscheduled);
    // Bound pods are deleted gracefully (marked); the unscheduled one is held by its finalizer.
    for (const name of ['stuck', 'slow', 'pinned']) await t.admin.delete(PODS, NS, name);
    await waitFor('terminating pod on the out-of-service node deleted', async () => !(await exists(t.admin, 'stuck')), 20_000);
    // Grace period 0 cannot remove a finalizer, but the pod is marked Failed first.
    await waitFor('unscheduled terminating pod marked Failed', async () => (await t.admin.get<Pod>(PODS, NS, 'pinned')).status?.phase === 'Failed', 20_000);
    const slow = await t.admin.get<Pod>(PODS, NS, 'slow');
    assert.ok(slow.metadata.deletionTimestamp, 'a pod on a healthy node keeps its grace period');
    await t.admin.patch(PODS, NS, 'pinned', 'merge', { metadata: { finalizers: null } });
  } finally {
    await t.stop();
  }
});
