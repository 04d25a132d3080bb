import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestCluster, type TestCluster } from '../../../../helpers/control-plane-fixture.js';

let cluster: TestCluster;
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
before(async () => {
  cluster = await startTestCluster();
  const r = await cluster.admin.post(DEPLOY, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  assert.equal(r.status, 201, r.text);
});
after(async () => {
  await cluster.stop();
});

test('GET scale: autoscaling/v1 Scale with spec.replicas, status and the parent\'s resourceVersion', async () => {
  const d = (await cluster.admin.get(`${DEPLOY}/web`)).body;
  const r = await cluster.admin.get(`${DEPLOY}/web/scale`);
  assert.equal(r.status, 200);
  assert.equal(r.body.kind, 'Scale');
  assert.equal(r.body.apiVersion, 'autoscaling/v1');
  assert.equal(r.body.spec.replicas, 2);
  assert.equal(r.body.status.selector, 'app=web');
  assert.equal(r.body.metadata.resourceVersion, d.metadata.resourceVersion);
  assert.equal(r.body.metadata.uid, d.metadata.uid);
});

test('PUT and merge PATCH scale change the parent\'s spec.replicas', async () => {
  const cur = (await cluster.admin.get(`${DEPLOY}/web/scale`)).body;
  const put = await cluster.admin.put(`${DEPLOY}/web/scale`, { ...cur, spec: { replicas: 5 } });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.body.spec.replicas, 5);
  assert.equal((await cluster.admin.get(`${DEPLOY}/web`)).body.spec.replicas, 5);
  const patch = await cluster.admin.request('PATCH', `${DEPLOY}/web/scale`, { spec: { replicas: 1 } }, { 'content-type': 'application/merge-patch+json' });
  assert.equal(patch.status, 200, patch.text);
  assert.equal((await cluster.admin.get(`${DEPLOY}/web`)).body.spec.replicas, 1);
});

test('scale errors: negative replicas Invalid, stale resourceVersion Conflict, missing parent NotFound', async () => {
  const cur = (await cluster.admin.get(`${DEPLOY}/web/scale`)).body;
  const neg = await cluster.admin.put(`${DEPLOY}/web/scale`, { ...cur, spec: { replicas: -1 } });
  assert.equal(neg.status, 422);
  assert.equal(neg.body.message, 'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  const stale = await cluster.admin.put(`${DEPLOY}/web/scale`, { ...cur, metadata: { ...cur.metadata, resourceVersion: '1' }, spec: { replicas: 3 } });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.message,
    'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again');
  const missing = await cluster.admin.get(`${DEPLOY}/ghost/scale`);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.message, 'deployments.apps "ghost" not found');
});
