/**
 * The resourcequota controller: status.hard mirrors spec.hard; status.used counts objects and sums pod
 * requests/limits and claim storage, and follows creations, deletions and terminal pods; scopes select pods.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResourceQuota } from '../../../main/api/core/v1/resource-quota.js';
import { CONFIGMAPS, EVENTS, NAMESPACES, PODS, PVCS, REPLICASETS, RESOURCEQUOTAS, SERVICES } from '../../../main/client/kube-client.js';
import { replicaSetControllerFactory } from '../../../main/controllers/replica-set-controller.js';
import { resourceQuotaController } from '../../../main/controllers/resource-quota-controller.js';
import { startControllerTest, waitFor } from './controller-fixture.js';

const NS = 'quota-ns';
const pod = (name: string, resources?: { requests?: Record<string, string>; limits?: Record<string, string> }, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx', ...(resources ? { resources } : {}) }], ...extra },
});

test('resourcequota: hard mirrored; used counts objects, sums requests/limits and storage, and follows changes', async () => {
  const t = await startControllerTest([resourceQuotaController]);
  try {
    await t.admin.create(NAMESPACES, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await t.admin.create(PODS, NS, pod('a', { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } }));
    await t.admin.create(PODS, NS, pod('b', { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } }));
    await t.admin.create(CONFIGMAPS, NS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    await t.admin.create(SERVICES, NS, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'np' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
    await t.admin.create(PVCS, NS, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: { storageClassName: 'fast', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } } });
    const hard = {
      pods: '10', 'requests.cpu': '2', 'requests.memory': '1Gi', 'limits.cpu': '4', 'limits.memory': '2Gi', configmaps: '5', services: '3',
      'services.nodeports': '2', persistentvolumeclaims: '4', 'requests.storage': '10Gi', 'fast.storageclass.storage.k8s.io/requests.storage': '5Gi',
      'count/deployments.apps': '2', resourcequotas: '1',
    };
    await t.admin.create(RESOURCEQUOTAS, NS, { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard } });
    const q = await waitFor('quota status', async () => {
      const x = await t.admin.get<ResourceQuota>(RESOURCEQUOTAS, NS, 'q');
      return x.status?.used?.['pods'] === '2' ? x : undefined;
    }, 20_000);
    assert.deepEqual(q.status?.hard, hard);
    assert.deepEqual(q.status?.used, {
      pods: '2', 'requests.cpu': '350m', 'requests.memory': '128Mi', 'limits.cpu': '1200m', 'limits.memory': '256Mi', configmaps: '1', services: '1',
      'services.nodeports': '1', persistentvolumeclaims: '1', 'requests.storage': '2Gi', 'fast.storageclass.storage.k8s.io/requests.storage': '2Gi',
      'count/deployments.apps': '0', resourcequotas: '1',
    });
    // Replenishment: a deleted object and a terminal pod stop counting.
    await t.admin.delete(CONFIGMAPS, NS, 'cm');
    const b = await t.admin.get<any>(PODS, NS, 'b');
    b.status = { ...b.status, phase: 'Succeeded' };
    await t.admin.update(PODS, NS, b, { subresource: 'status' });
    await waitFor('used follows', async () => {
      const used = (await t.admin.get<ResourceQuota>(RESOURCEQUOTAS, NS, 'q')).status?.used ?? {};
      return used['configmaps'] === '0' && used['pods'] === '1' && used['requests.cpu'] === '100m';
    }, 20_000);
  } finally {
    await t.stop();
  }
});

test('resourcequota: scopes select pods (BestEffort, Terminating)', async () => {
  const t = await startControllerTest([resourceQuotaController]);
  try {
    await t.admin.create(NAMESPACES, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await t.admin.create(PODS, NS, pod('best-effort'));
    await t.admin.create(PODS, NS, pod('burstable', { requests: { cpu: '100m' } }));
    await t.admin.create(PODS, NS, pod('deadline', undefined, { activeDeadlineSeconds: 60 }));
    await t.admin.create(RESOURCEQUOTAS, NS, { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'be' }, spec: { hard: { pods: '5' }, scopes: ['BestEffort'] } });
    await t.admin.create(RESOURCEQUOTAS, NS, { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'term' }, spec: { hard: { pods: '5' }, scopes: ['Terminating'] } });
    await waitFor('scoped usage', async () => {
      const be = (await t.admin.get<ResourceQuota>(RESOURCEQUOTAS, NS, 'be')).status?.used;
      const term = (await t.admin.get<ResourceQuota>(RESOURCEQUOTAS, NS, 'term')).status?.used;
      return be?.['pods'] === '2' && term?.['pods'] === '1';
    }, 20_000);
  } finally {
    await t.stop();
  }
});

test('resourcequota is enforced at admission: a ReplicaSet of 4 under pods=2 gets 2 pods and FailedCreate events', async () => {
  const t = await startControllerTest([resourceQuotaController, replicaSetControllerFactory]);
  try {
    await t.admin.create(NAMESPACES, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await t.admin.create(RESOURCEQUOTAS, NS, { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'two-pods' }, spec: { hard: { pods: '2' } } });
    await waitFor('quota counted', async () => (await t.admin.get<ResourceQuota>(RESOURCEQUOTAS, NS, 'two-pods')).status?.used?.['pods'] === '0', 20_000);
    const labels = { app: 'web' };
    await t.admin.create(REPLICASETS, NS, {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web' },
      spec: { replicas: 4, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    const failed = await waitFor('FailedCreate event', async () => {
      const evs = (await t.admin.list<any>(EVENTS, NS)).items.filter((e) => e.reason === 'FailedCreate');
      return evs.length ? evs[0] : undefined;
    }, 20_000);
    assert.match(failed.message, /^Error creating: pods "web-[a-z0-9]{5}" is forbidden: exceeded quota: two-pods, requested: pods=1, used: pods=2, limited: pods=2$/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await t.admin.list(PODS, NS)).items.length, 2);
    assert.equal((await t.admin.get<ResourceQuota>(RESOURCEQUOTAS, NS, 'two-pods')).status?.used?.['pods'], '2');
  } finally {
    await t.stop();
  }
});
