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
const binding = (name: string, node: string, extra: object = {}) => ({ apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: node }, ...extra });

test('pods/binding sets spec.nodeName and PodScheduled=True, answering 201 Success', async () => {
  assert.equal((await cluster.admin.post(PODS, pod('web'))).status, 201);
  const r = await cluster.admin.post(`${PODS}/web/binding`, binding('web', 'node-1'));
  assert.equal(r.status, 201);
  assert.deepEqual(r.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  const got = (await cluster.admin.get(`${PODS}/web`)).body;
  assert.equal(got.spec.nodeName, 'node-1');
  const cond = got.status.conditions.find((c: { type: string }) => c.type === 'PodScheduled');
  assert.equal(cond.status, 'True');
  assert.match(cond.lastTransitionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('a second binding is refused with upstream\'s Conflict message', async () => {
  const r = await cluster.admin.post(`${PODS}/web/binding`, binding('web', 'node-2'));
  assert.equal(r.status, 409);
  assert.equal(r.body.reason, 'Conflict');
  assert.equal(r.body.message, 'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "node-1"');
  assert.deepEqual(r.body.details, { name: 'web', kind: 'pods/binding' });
  assert.equal((await cluster.admin.get(`${PODS}/web`)).body.spec.nodeName, 'node-1');
});

test('binding errors: missing pod, wrong target kind, missing target, name mismatch; the legacy bindings collection works', async () => {
  const missing = await cluster.admin.post(`${PODS}/ghost/binding`, binding('ghost', 'node-1'));
  assert.equal(missing.status, 404);
  assert.equal(missing.body.message, 'pods "ghost" not found');

  assert.equal((await cluster.admin.post(PODS, pod('api'))).status, 201);
  const kind = await cluster.admin.post(`${PODS}/api/binding`, binding('api', 'x', { target: { kind: 'Pod', name: 'x' } }));
  assert.equal(kind.status, 400);
  assert.equal(kind.body.message, "must be empty or 'Node', got 'Pod'");
  const mismatch = await cluster.admin.post(`${PODS}/api/binding`, binding('other', 'node-1'));
  assert.equal(mismatch.status, 400);
  assert.equal(mismatch.body.message, 'name in URL does not match name in Binding object');

  const legacy = await cluster.admin.post('/api/v1/namespaces/default/bindings', binding('api', 'node-3'));
  assert.equal(legacy.status, 201);
  assert.equal((await cluster.admin.get(`${PODS}/api`)).body.spec.nodeName, 'node-3');
});

test('a pod being deleted cannot be bound', async () => {
  assert.equal((await cluster.admin.post(PODS, { ...pod('fin'), metadata: { name: 'fin', finalizers: ['example.com/hold'] } })).status, 201);
  assert.equal((await cluster.admin.delete(`${PODS}/fin`)).status, 200);
  const r = await cluster.admin.post(`${PODS}/fin/binding`, binding('fin', 'node-1'));
  assert.equal(r.status, 409);
  assert.equal(r.body.message, 'Operation cannot be fulfilled on pods/binding "fin": pod fin is being deleted, cannot be assigned to a host');
});
