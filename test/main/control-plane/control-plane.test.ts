import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { startControlPlane } from '../../../main/control-plane/control-plane.js';
import { KUBERNETES_SERVICE_IP, SYSTEM_NAMESPACES } from '../../../main/control-plane/seed.js';
import { startTestCluster, type TestCluster } from '../../helpers/control-plane-fixture.js';

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster({ allComponents: true });
});
after(async () => {
  await cluster.stop();
});

test('seeds the system namespaces, all Active', async () => {
  assert.deepEqual(SYSTEM_NAMESPACES, ['default', 'kube-system', 'kube-public', 'kube-node-lease']);
  const r = await cluster.admin.get('/api/v1/namespaces');
  assert.equal(r.status, 200);
  const names = r.body.items.map((n: { metadata: { name: string } }) => n.metadata.name).sort();
  assert.deepEqual(names, [...SYSTEM_NAMESPACES].sort());
  for (const ns of r.body.items) assert.equal(ns.status.phase, 'Active');
});

test('seeds the kubernetes Service at 10.96.0.1:443 → the API port', async () => {
  assert.equal(KUBERNETES_SERVICE_IP, '10.96.0.1');
  const svc = (await cluster.admin.get('/api/v1/namespaces/default/services/kubernetes')).body;
  assert.equal(svc.spec.type, 'ClusterIP');
  assert.equal(svc.spec.clusterIP, '10.96.0.1');
  assert.deepEqual(svc.spec.clusterIPs, ['10.96.0.1']);
  assert.deepEqual(svc.spec.ports, [{ name: 'https', port: 443, protocol: 'TCP', targetPort: cluster.port }]);
  assert.deepEqual(svc.metadata.labels, { component: 'apiserver', provider: 'kubernetes' });
});

test('seeds the system PriorityClasses', async () => {
  const r = await cluster.admin.get('/apis/scheduling.k8s.io/v1/priorityclasses');
  const byName = Object.fromEntries(r.body.items.map((p: { metadata: { name: string }; value: number }) => [p.metadata.name, p.value]));
  assert.deepEqual(byName, { 'system-cluster-critical': 2000000000, 'system-node-critical': 2000001000 });
});

test('seeds cluster-admin ClusterRole and its binding to system:masters', async () => {
  const role = (await cluster.admin.get('/apis/rbac.authorization.k8s.io/v1/clusterroles/cluster-admin')).body;
  assert.deepEqual(role.rules, [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }]);
  assert.equal(role.metadata.labels['kubernetes.io/bootstrapping'], 'rbac-defaults');
  const binding = (await cluster.admin.get('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/cluster-admin')).body;
  assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' });
  assert.deepEqual(binding.subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }]);
});

test('writes a 0600 kubeconfig pointing at the server with the admin credentials', async () => {
  const { cp, dataDir } = cluster;
  assert.equal(cp.kubeconfigPath, join(dataDir, 'kubeconfig'));
  assert.equal(cp.url, `https://127.0.0.1:${cluster.port}`);
  assert.equal((await stat(cp.kubeconfigPath)).mode & 0o777, 0o600);
  const kc = parse(await readFile(cp.kubeconfigPath, 'utf8'));
  assert.equal(kc.clusters[0].cluster.server, cp.url);
  assert.equal(Buffer.from(kc.users[0].user['client-certificate-data'], 'base64').toString(), await readFile(join(dataDir, 'pki', 'admin.crt'), 'utf8'));
  assert.equal(Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString(), await readFile(join(dataDir, 'pki', 'ca.crt'), 'utf8'));
});

test('componentstatuses: scheduler, controller-manager and etcd-0 healthy, in upstream order', async () => {
  const r = await cluster.admin.get('/api/v1/componentstatuses');
  assert.equal(r.status, 200);
  const byName = Object.fromEntries(r.body.items.map((c: { metadata: { name: string }; conditions: Record<string, string>[] }) => [c.metadata.name, c.conditions[0]]));
  assert.deepEqual(Object.keys(byName), ['scheduler', 'controller-manager', 'etcd-0']);
  assert.equal(byName['etcd-0'].status, 'True');
  assert.deepEqual(byName.scheduler, { type: 'Healthy', status: 'True', message: 'ok' });
  assert.deepEqual(byName['controller-manager'], { type: 'Healthy', status: 'True', message: 'ok' });
});

test('a restart on the same store is idempotent and keeps 10.96.0.1 allocated', async () => {
  const { cp, dataDir } = cluster;
  const before = (await cp.store.list('/')).items.length;
  // Second control plane sharing the store (what a restart sees); its allocator is rebuilt from stored Services.
  const shared = new Proxy(cp.store, {
    get(target, prop) {
      if (prop === 'close') return async () => undefined;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const again = await startControlPlane({ dataDir, apiPort: 0, store: shared, log: () => undefined });
  try {
    const afterCount = (await cp.store.list('/')).items.length;
    assert.equal(afterCount, before, 'nothing seeded twice');
    const svcs = again.server.storageForResource('', 'services');
    await assert.rejects(
      svcs.create('default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'clash' }, spec: { clusterIP: '10.96.0.1', ports: [{ port: 80 }] } } as never,
        { user: { username: 'system:apiserver', groups: ['system:masters'] } }),
      { code: 422, message: /failed to allocate IP 10\.96\.0\.1: provided IP is already allocated/ });
  } finally {
    await again.stop();
  }
});
