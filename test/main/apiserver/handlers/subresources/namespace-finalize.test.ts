import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { namespace, startTestCluster, type TestCluster } from '../../../../helpers/control-plane-fixture.js';

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster.stop();
});

test('finalize: clearing spec.finalizers of a terminating namespace removes it', async () => {
  assert.equal((await cluster.admin.post('/api/v1/namespaces', namespace('tmp'))).status, 201);
  assert.equal((await cluster.admin.delete('/api/v1/namespaces/tmp')).status, 200);
  const ns = (await cluster.admin.get('/api/v1/namespaces/tmp')).body;
  assert.equal(ns.status.phase, 'Terminating');
  const r = await cluster.admin.put('/api/v1/namespaces/tmp/finalize', { ...ns, spec: { finalizers: [] } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.kind, 'Namespace');
  assert.equal(r.body.metadata.name, 'tmp');
  const gone = await cluster.admin.get('/api/v1/namespaces/tmp');
  assert.equal(gone.status, 404);
  assert.equal(gone.body.message, 'namespaces "tmp" not found');
});

test('finalize: a live namespace just gets its finalizers replaced; stale resourceVersion is a Conflict', async () => {
  assert.equal((await cluster.admin.post('/api/v1/namespaces', namespace('live'))).status, 201);
  const ns = (await cluster.admin.get('/api/v1/namespaces/live')).body;
  const r = await cluster.admin.put('/api/v1/namespaces/live/finalize', { ...ns, spec: { finalizers: ['example.com/x'] } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.spec.finalizers, ['example.com/x']);
  assert.equal(r.body.status.phase, 'Active');
  const stale = await cluster.admin.put('/api/v1/namespaces/live/finalize', { ...ns, spec: { finalizers: [] } });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.message,
    'Operation cannot be fulfilled on namespaces "live": the object has been modified; please apply your changes to the latest version and try again');
  const still = await cluster.admin.get('/api/v1/namespaces/live');
  assert.equal(still.status, 200);
});

test('finalize only supports update', async () => {
  assert.equal((await cluster.admin.post('/api/v1/namespaces', namespace('other'))).status, 201);
  const r = await cluster.admin.post('/api/v1/namespaces/other/finalize', namespace('other'));
  assert.equal(r.status, 400);
  assert.equal(r.body.message, 'finalize only supports update');
});
