import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pod, startTestCluster, type TestCluster } from '../../../../helpers/control-plane-fixture.js';

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
  assert.equal((await cluster.admin.post('/api/v1/namespaces/default/pods', pod('pending'))).status, 201);
  assert.equal((await cluster.admin.post('/api/v1/namespaces/default/pods', pod('placed', { nodeName: 'node-1' }))).status, 201);
});
after(async () => {
  await cluster.stop();
});

const PODS = '/api/v1/namespaces/default/pods';

test('log of an unscheduled pod is empty (200), as kubectl logs shows for a pending pod', async () => {
  const r = await cluster.admin.get(`${PODS}/pending/log`);
  assert.equal(r.status, 200);
  assert.equal(r.text, '');
});

test('exec/attach/portforward on an unscheduled pod: 400 "does not have a host assigned"', async () => {
  for (const sub of ['exec?command=ls', 'attach', 'portforward']) {
    const r = await cluster.admin.post(`${PODS}/pending/${sub}`, '');
    assert.equal(r.status, 400, sub);
    assert.equal(r.body.reason, 'BadRequest');
    assert.equal(r.body.message, 'pod pending does not have a host assigned', sub);
  }
});

test('scheduled pods without a node agent: 503 naming the node', async () => {
  const cases: [string, string, string][] = [
    ['GET', 'log', 'no node agent is connected for node "node-1": pod log needs a Pilothouse node agent running on that node'],
    ['POST', 'exec?command=ls', 'no node agent is connected for node "node-1": pod exec needs a Pilothouse node agent running on that node'],
    ['POST', 'portforward', 'no node agent is connected for node "node-1": pod port-forward needs a Pilothouse node agent running on that node'],
  ];
  for (const [method, sub, message] of cases) {
    const r = await cluster.admin.request(method, `${PODS}/placed/${sub}`);
    assert.equal(r.status, 503, sub);
    assert.equal(r.body.reason, 'ServiceUnavailable');
    assert.equal(r.body.message, message);
  }
});

test('an unknown container is 400; a missing pod is 404', async () => {
  const c = await cluster.admin.get(`${PODS}/placed/log?container=nope`);
  assert.equal(c.status, 400);
  assert.equal(c.body.message, 'container nope is not valid for pod placed');
  const ok = await cluster.admin.get(`${PODS}/pending/log?container=c`);
  assert.equal(ok.status, 200);
  const missing = await cluster.admin.get(`${PODS}/ghost/log`);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.message, 'pods "ghost" not found');
});
