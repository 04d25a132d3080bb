/**
 * The disruption controller: PDB status from the selected pods' readiness and, for percentages and
 * maxUnavailable, their controller's scale; the DisruptionAllowed condition; pods/eviction acting on the result.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KObject } from '../../../main/api/meta/object.js';
import { isTooManyRequests, PDBS, PODS, REPLICASETS, type KubeClient } from '../../../main/client/kube-client.js';
import { disruptionController } from '../../../main/controllers/disruption-controller.js';
import { startControllerTest, waitFor } from './controller-fixture.js';

const NS = 'default';

async function replicaSetWithPods(c: KubeClient, name: string, replicas: number, ready: number): Promise<void> {
  const rs = await c.create<KObject>(REPLICASETS, NS, {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  for (let i = 0; i < ready; i++) {
    const pod = await c.create<any>(PODS, NS, {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: `${name}-${i}`, labels: { app: name }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: rs.metadata.uid!, controller: true }] },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }] },
    });
    pod.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
    await c.update(PODS, NS, pod, { subresource: 'status' });
  }
}

const pdbStatus = (c: KubeClient, name: string) => c.get<any>(PDBS, NS, name).then((p) => p.status);

const cases: { name: string; spec: Record<string, unknown>; replicas: number; ready: number; want: Record<string, unknown>; reason: string }[] = [
  { name: 'min-int', spec: { minAvailable: 2 }, replicas: 3, ready: 3, want: { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 }, reason: 'SufficientPods' },
  { name: 'max-pct', spec: { maxUnavailable: '50%' }, replicas: 4, ready: 3, want: { currentHealthy: 3, desiredHealthy: 2, expectedPods: 4, disruptionsAllowed: 1 }, reason: 'SufficientPods' },
  { name: 'min-pct', spec: { minAvailable: '100%' }, replicas: 4, ready: 3, want: { currentHealthy: 3, desiredHealthy: 4, expectedPods: 4, disruptionsAllowed: 0 }, reason: 'InsufficientPods' },
  { name: 'max-int', spec: { maxUnavailable: 1 }, replicas: 2, ready: 2, want: { currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, disruptionsAllowed: 1 }, reason: 'SufficientPods' },
];

test('disruption: status for minAvailable/maxUnavailable as numbers and percentages of the controller scale', async () => {
  const t = await startControllerTest([disruptionController]);
  try {
    for (const c of cases) {
      await replicaSetWithPods(t.admin, c.name, c.replicas, c.ready);
      await t.admin.create(PDBS, NS, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: c.name }, spec: { ...c.spec, selector: { matchLabels: { app: c.name } } } });
    }
    for (const c of cases) {
      const status = await waitFor(`${c.name} status`, async () => {
        const s = await pdbStatus(t.admin, c.name);
        return s?.observedGeneration === 1 && s.currentHealthy === c.want['currentHealthy'] ? s : undefined;
      }, 20_000);
      const { currentHealthy, desiredHealthy, expectedPods, disruptionsAllowed } = status;
      assert.deepEqual({ currentHealthy, desiredHealthy, expectedPods, disruptionsAllowed }, c.want, c.name);
      const cond = status.conditions.find((x: any) => x.type === 'DisruptionAllowed');
      assert.equal(cond.reason, c.reason, c.name);
      assert.equal(cond.status, c.reason === 'SufficientPods' ? 'True' : 'False', c.name);
    }
  } finally {
    await t.stop();
  }
});

test('disruption: an eviction uses up the budget; the next one is refused with 429', async () => {
  const t = await startControllerTest([disruptionController]);
  try {
    await replicaSetWithPods(t.admin, 'web', 3, 3);
    await t.admin.create(PDBS, NS, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } });
    await waitFor('1 disruption allowed', async () => (await pdbStatus(t.admin, 'web'))?.disruptionsAllowed === 1, 20_000);
    const evict = (name: string) => t.admin.post(PODS, NS, name, 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: NS } });
    await evict('web-0');
    await waitFor('0 allowed after the eviction', async () => {
      const s = await pdbStatus(t.admin, 'web');
      return s?.disruptionsAllowed === 0 && s.currentHealthy === 2;
    }, 20_000);
    await assert.rejects(evict('web-1'), (e) => isTooManyRequests(e));
  } finally {
    await t.stop();
  }
});
