/**
 * The DaemonSet controller on an in-process API server (no scheduler or kubelets: the tests bind daemon pods to
 * the node named by their affinity and mark them Ready): eligible nodes (selector, taints, automatic
 * tolerations, unschedulable), nodes added later, pods removed from nodes that stop matching, failed pods
 * replaced, rolling updates with maxUnavailable and maxSurge, ControllerRevisions, status and events.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ControllerRevisionObject } from '../../../main/api/apps/v1/controller-revision.js';
import type { DaemonSetObject } from '../../../main/api/apps/v1/daemon-set.js';
import type { Node } from '../../../main/api/core/v1/node.js';
import type { Pod } from '../../../main/api/core/v1/pod-types.js';
import { CONTROLLERREVISIONS, DAEMONSETS, NODES, PODS, type KubeClient } from '../../../main/client/kube-client.js';
import { daemonSetControllerFactory } from '../../../main/controllers/daemon-set-controller.js';
import { targetNodeOf } from '../../../main/controllers/daemon-set/daemon-pod-template.js';
import { startControllerTest, waitFor } from './controller-fixture.js';
import { eventsAbout, makeReady, setPhase } from './workload-test-helpers.js';

const NS = 'default';

function node(name: string, opts: { labels?: Record<string, string>; taints?: Node['spec'] extends infer S ? S extends { taints?: infer T } ? T : never : never; unschedulable?: boolean } = {}): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(opts.labels ?? {}) } }, spec: { taints: opts.taints, unschedulable: opts.unschedulable } };
}

function daemonSet(name: string, opts: { nodeSelector?: Record<string, string>; image?: string; hostNetwork?: boolean; maxSurge?: number; maxUnavailable?: number } = {}): DaemonSetObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: NS },
    spec: {
      selector: { matchLabels: { app: name } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: opts.maxUnavailable ?? (opts.maxSurge ? 0 : 1), maxSurge: opts.maxSurge ?? 0 } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          ...(opts.nodeSelector ? { nodeSelector: opts.nodeSelector } : {}),
          ...(opts.hostNetwork ? { hostNetwork: true } : {}),
          containers: [{ name: 'agent', image: opts.image ?? 'agent:1' }],
        },
      },
    },
  };
}

async function daemonPods(admin: KubeClient, ds: string): Promise<Pod[]> {
  return (await admin.list<Pod>(PODS, NS, { labelSelector: `app=${ds}` })).items.filter((p) => !p.metadata.deletionTimestamp);
}

/** Nodes of the live daemon pods of `ds`, sorted. */
async function podNodes(admin: KubeClient, ds: string): Promise<string[]> {
  return (await daemonPods(admin, ds)).map((p) => targetNodeOf(p) ?? '?').sort();
}

/**
 * Plays scheduler and kubelet: binds unbound daemon pods to their affinity node, marks them Ready, and finishes
 * the graceful deletion of terminating ones.
 */
async function bindAndRun(admin: KubeClient, ds: string): Promise<void> {
  for (const p of (await admin.list<Pod>(PODS, NS, { labelSelector: `app=${ds}` })).items) {
    if (p.metadata.deletionTimestamp) await admin.delete(PODS, NS, p.metadata.name ?? '', { gracePeriodSeconds: 0 }).catch(() => {});
  }
  for (const p of await daemonPods(admin, ds)) {
    if (!p.spec.nodeName) {
      await admin.post(PODS, NS, p.metadata.name ?? '', 'binding', {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: p.metadata.name, namespace: NS },
        target: { apiVersion: 'v1', kind: 'Node', name: targetNodeOf(p) },
      }).catch(() => {});
    }
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Failed') await makeReady(admin, NS, p.metadata.name ?? '').catch(() => {});
  }
}

const dsStatus = async (admin: KubeClient, name: string) => ((await admin.get<DaemonSetObject>(DAEMONSETS, NS, name)).status ?? {}) as Record<string, unknown>;

test('one pod per eligible node: selector, taints, automatic tolerations; later nodes; nodes that stop matching', async () => {
  const t = await startControllerTest([daemonSetControllerFactory]);
  try {
    await t.admin.create(NODES, '', node('n1', { labels: { disk: 'ssd' } }));
    await t.admin.create(NODES, '', node('n2', { labels: { disk: 'hdd' } }));
    await t.admin.create(NODES, '', node('n3', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }));
    await t.admin.create(NODES, '', node('n4', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }));
    await t.admin.create(NODES, '', node('n5', { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }));
    await t.admin.create(DAEMONSETS, NS, daemonSet('agent'));
    await t.admin.create(DAEMONSETS, NS, daemonSet('ssd', { nodeSelector: { disk: 'ssd' }, hostNetwork: true }));

    await waitFor('agent on n1,n2,n4,n5', async () => (await podNodes(t.admin, 'agent')).join() === 'n1,n2,n4,n5', 20_000);
    await waitFor('ssd on n1', async () => (await podNodes(t.admin, 'ssd')).join() === 'n1', 20_000);
    const pod = (await daemonPods(t.admin, 'agent')).find((p) => targetNodeOf(p) === 'n2')!;
    assert.equal(pod.spec.nodeName, undefined, 'the scheduler binds daemon pods');
    assert.deepEqual((pod.spec.affinity as any).nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, {
      nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }],
    });
    const tolerations = (pod.spec.tolerations ?? []).map((x) => `${x.key}:${x.operator}:${x.effect}`);
    for (const want of [
      'node.kubernetes.io/not-ready:Exists:NoExecute',
      'node.kubernetes.io/unreachable:Exists:NoExecute',
      'node.kubernetes.io/disk-pressure:Exists:NoSchedule',
      'node.kubernetes.io/memory-pressure:Exists:NoSchedule',
      'node.kubernetes.io/pid-pressure:Exists:NoSchedule',
      'node.kubernetes.io/unschedulable:Exists:NoSchedule',
    ])
      assert.ok(tolerations.includes(want), want);
    assert.ok(!tolerations.some((x) => x.startsWith('node.kubernetes.io/network-unavailable')));
    const ssdPod = (await daemonPods(t.admin, 'ssd'))[0]!;
    assert.ok(ssdPod.spec.tolerations?.some((x) => x.key === 'node.kubernetes.io/network-unavailable' && x.effect === 'NoSchedule'), 'hostNetwork pods tolerate network-unavailable');
    assert.match(pod.metadata.name ?? '', /^agent-[a-z0-9]{5}$/);
    const revs = (await t.admin.list<ControllerRevisionObject>(CONTROLLERREVISIONS, NS)).items.filter((r) => r.metadata.ownerReferences?.[0]?.name === 'agent');
    assert.equal(revs.length, 1);
    assert.equal(revs[0]!.metadata.name, `agent-${pod.metadata.labels?.['controller-revision-hash']}`);
    assert.equal(pod.metadata.labels?.['pod-template-generation'], '1');

    await bindAndRun(t.admin, 'agent');
    const st = await waitFor('status', async () => {
      const s = await dsStatus(t.admin, 'agent');
      return s.numberReady === 4 ? s : undefined;
    }, 20_000);
    assert.deepEqual(
      [st.desiredNumberScheduled, st.currentNumberScheduled, st.numberReady, st.numberAvailable, st.updatedNumberScheduled, st.numberMisscheduled, st.observedGeneration],
      [4, 4, 4, 4, 4, 0, 1],
    );
    const events = await eventsAbout(t.admin, NS, 'agent');
    assert.ok(events.includes(`SuccessfulCreate: Created pod: ${pod.metadata.name}`), events.join('\n'));

    // A node added later gets a pod; a node relabelled out of the selector loses it.
    await t.admin.create(NODES, '', node('n6', { labels: { disk: 'ssd' } }));
    await waitFor('agent and ssd on n6', async () => (await podNodes(t.admin, 'agent')).includes('n6') && (await podNodes(t.admin, 'ssd')).join() === 'n1,n6', 20_000);
    await t.admin.patch(NODES, '', 'n1', 'merge', { metadata: { labels: { disk: 'hdd' } } });
    await waitFor('ssd only on n6', async () => (await podNodes(t.admin, 'ssd')).join() === 'n6', 20_000);
    // A NoExecute taint the pod does not tolerate evicts it; a NoSchedule one does not.
    await t.admin.patch(NODES, '', 'n2', 'merge', { spec: { taints: [{ key: 'x', effect: 'NoSchedule' }] } });
    await t.admin.patch(NODES, '', 'n4', 'merge', { spec: { taints: [{ key: 'x', effect: 'NoExecute' }] } });
    await waitFor('agent off n4', async () => (await podNodes(t.admin, 'agent')).join() === 'n1,n2,n5,n6', 20_000);
    await waitFor('desired 3 (n1, n5, n6), misscheduled 1 (n2)', async () => {
      const s = await dsStatus(t.admin, 'agent');
      return s.desiredNumberScheduled === 3 && s.numberMisscheduled === 1;
    }, 20_000);
  } finally {
    await t.stop();
  }
});

test('a failed daemon pod is deleted and replaced', async () => {
  const t = await startControllerTest([daemonSetControllerFactory]);
  try {
    await t.admin.create(NODES, '', node('n1'));
    await t.admin.create(DAEMONSETS, NS, daemonSet('agent'));
    const [first] = await waitFor('pod', async () => {
      const ps = await daemonPods(t.admin, 'agent');
      return ps.length === 1 ? ps : undefined;
    }, 20_000);
    await bindAndRun(t.admin, 'agent');
    await setPhase(t.admin, NS, first!.metadata.name ?? '', 'Failed');
    await waitFor('replacement', async () => {
      const ps = await daemonPods(t.admin, 'agent');
      return ps.length === 1 && ps[0]!.metadata.uid !== first!.metadata.uid;
    }, 20_000);
    const events = await eventsAbout(t.admin, NS, 'agent');
    assert.ok(events.includes(`FailedDaemonPod: Found failed daemon pod default/${first!.metadata.name} on node n1, will try to kill it`), events.join('\n'));
    assert.ok(events.includes(`SuccessfulDelete: Deleted pod: ${first!.metadata.name}`), events.join('\n'));
  } finally {
    await t.stop();
  }
});

for (const mode of [{ title: 'maxUnavailable 1', maxSurge: 0 }, { title: 'maxSurge 1', maxSurge: 1 }]) {
  test(`RollingUpdate with ${mode.title}: never more than one node without (or with an extra) pod; status converges`, async () => {
    const t = await startControllerTest([daemonSetControllerFactory]);
    try {
      for (const n of ['n1', 'n2', 'n3']) await t.admin.create(NODES, '', node(n));
      await t.admin.create(DAEMONSETS, NS, daemonSet('agent', { maxSurge: mode.maxSurge }));
      await waitFor('3 pods', async () => (await daemonPods(t.admin, 'agent')).length === 3, 20_000);
      await bindAndRun(t.admin, 'agent');
      await waitFor('available', async () => (await dsStatus(t.admin, 'agent')).numberAvailable === 3, 20_000);
      await t.admin.patch(DAEMONSETS, NS, 'agent', 'merge', { spec: { template: { spec: { containers: [{ name: 'agent', image: 'agent:2' }] } } } });
      let maxPods = 0;
      let minPods = 3;
      await waitFor('all updated and available', async () => {
        const ps = await daemonPods(t.admin, 'agent');
        maxPods = Math.max(maxPods, ps.length);
        minPods = Math.min(minPods, ps.filter((p) => p.status?.phase === 'Running').length);
        await bindAndRun(t.admin, 'agent');
        const s = await dsStatus(t.admin, 'agent');
        return s.updatedNumberScheduled === 3 && s.numberAvailable === 3 && s.observedGeneration === 2 && ps.length === 3 && ps.every((p) => p.spec.containers[0]!.image === 'agent:2');
      }, 30_000);
      if (mode.maxSurge) assert.ok(maxPods <= 4, `at most one surge pod (saw ${maxPods})`);
      else assert.ok(maxPods <= 3, `no surge (saw ${maxPods})`);
      const revs = (await t.admin.list<ControllerRevisionObject>(CONTROLLERREVISIONS, NS)).items.map((r) => r.revision).sort();
      assert.deepEqual(revs, [1, 2]);
    } finally {
      await t.stop();
    }
  });
}
