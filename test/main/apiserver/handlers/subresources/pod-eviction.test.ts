import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pod, startTestCluster, type TestCluster } from '../../../../helpers/control-plane-fixture.js';

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster.stop();
});

const PODS = '/api/v1/namespaces/default/pods';
const PDBS = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
const eviction = (name: string, extra: object = {}) => ({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' }, ...extra });

async function runningPod(name: string, labels: Record<string, string>): Promise<void> {
  assert.equal((await cluster.admin.post(PODS, pod(name, { labels, nodeName: 'node-1' }))).status, 201);
  const current = (await cluster.admin.get(`${PODS}/${name}`)).body;
  const r = await cluster.admin.put(`${PODS}/${name}/status`, { ...current, status: { ...current.status, phase: 'Running' } });
  assert.equal(r.status, 200, r.text);
}

async function pdb(name: string, app: string, status: object): Promise<void> {
  const c = await cluster.admin.post(PDBS, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { minAvailable: 1, selector: { matchLabels: { app } } } });
  assert.equal(c.status, 201, c.text);
  const s = await cluster.admin.put(`${PDBS}/${name}/status`, { ...c.body, status: { observedGeneration: c.body.metadata.generation, ...status } });
  assert.equal(s.status, 200, s.text);
}

test('eviction with no PodDisruptionBudget deletes the pod (201 Success)', async () => {
  assert.equal((await cluster.admin.post(PODS, pod('lonely'))).status, 201);
  const r = await cluster.admin.post(`${PODS}/lonely/eviction`, eviction('lonely'));
  assert.equal(r.status, 201);
  assert.deepEqual(r.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  assert.equal((await cluster.admin.get(`${PODS}/lonely`)).status, 404);
});

test('a PDB with 0 disruptions allowed → 429 TooManyRequests with upstream\'s message and cause', async () => {
  await runningPod('guarded', { app: 'db' });
  await pdb('db-pdb', 'db', { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 });
  const r = await cluster.admin.post(`${PODS}/guarded/eviction`, eviction('guarded'));
  assert.equal(r.status, 429);
  assert.equal(r.body.reason, 'TooManyRequests');
  assert.equal(r.body.message, "Cannot evict pod as it would violate the pod's disruption budget.");
  assert.deepEqual(r.body.details.causes, [{ reason: 'DisruptionBudget', message: 'The disruption budget db-pdb needs 1 healthy pods and has 1 currently' }]);
  assert.equal((await cluster.admin.get(`${PODS}/guarded`)).status, 200, 'pod kept');
});

test('a PDB with disruptions left lets the eviction through and records it', async () => {
  await runningPod('cache-0', { app: 'cache' });
  await pdb('cache-pdb', 'cache', { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 });
  const r = await cluster.admin.post(`${PODS}/cache-0/eviction`, eviction('cache-0'));
  assert.equal(r.status, 201, r.text);
  const after = (await cluster.admin.get(`${PDBS}/cache-pdb`)).body;
  assert.equal(after.status.disruptionsAllowed, 0);
  assert.ok(after.status.disruptedPods['cache-0']);
  const gone = await cluster.admin.get(`${PODS}/cache-0`);
  assert.ok(gone.status === 404 || gone.body.metadata.deletionTimestamp, 'pod deleted or terminating');
});

test('eviction of a missing pod is 404; a name mismatch is 400', async () => {
  const missing = await cluster.admin.post(`${PODS}/ghost/eviction`, eviction('ghost'));
  assert.equal(missing.status, 404);
  assert.equal(missing.body.message, 'pods "ghost" not found');
  assert.equal((await cluster.admin.post(PODS, pod('named'))).status, 201);
  const mismatch = await cluster.admin.post(`${PODS}/named/eviction`, eviction('other'));
  assert.equal(mismatch.status, 400);
  assert.equal(mismatch.body.message, 'name in URL does not match name in Eviction object');
});
