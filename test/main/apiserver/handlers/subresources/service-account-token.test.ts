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

const SAS = '/api/v1/namespaces/default/serviceaccounts';
const tokenRequest = (spec: object = {}) => ({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });
const createSa = async (name: string) => {
  const r = await cluster.admin.post(SAS, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
  assert.equal(r.status, 201);
  return r.body;
};
const whoami = (token: string) => cluster.bearer(token).post('/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });

test('TokenRequest: default one hour, default audience, 201 with a usable bearer token', async () => {
  const sa = await createSa('builder');
  const r = await cluster.admin.post(`${SAS}/builder/token`, tokenRequest());
  assert.equal(r.status, 201);
  assert.equal(r.body.kind, 'TokenRequest');
  assert.equal(r.body.apiVersion, 'authentication.k8s.io/v1');
  assert.equal(r.body.spec.expirationSeconds, 3600);
  assert.deepEqual(r.body.spec.audiences, ['https://kubernetes.default.svc.cluster.local']);
  const exp = Date.parse(r.body.status.expirationTimestamp);
  assert.ok(Math.abs(exp - (Date.now() + 3600_000)) < 10_000);
  const me = await whoami(r.body.status.token);
  assert.equal(me.status, 201);
  assert.equal(me.body.status.userInfo.username, 'system:serviceaccount:default:builder');
  assert.equal(me.body.status.userInfo.uid, sa.metadata.uid);
  // A service account has no other rights yet.
  const list = await cluster.bearer(r.body.status.token).get('/api/v1/namespaces/default/pods');
  assert.equal(list.status, 403);
  assert.equal(list.body.message, 'pods is forbidden: User "system:serviceaccount:default:builder" cannot list resource "pods" in API group "" in the namespace "default"');
});

test('TokenRequest expiration rules: at least 10 minutes, at most 2^32 seconds', async () => {
  await createSa('limits');
  const cases: [number, number, string | undefined][] = [
    [599, 422, 'TokenRequest.authentication.k8s.io "limits" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes'],
    [600, 201, undefined],
    [2 ** 32, 201, undefined],
    [2 ** 32 + 1, 422, 'TokenRequest.authentication.k8s.io "limits" is invalid: spec.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds'],
  ];
  for (const [seconds, code, message] of cases) {
    const r = await cluster.admin.post(`${SAS}/limits/token`, tokenRequest({ expirationSeconds: seconds }));
    assert.equal(r.status, code, String(seconds));
    if (message) {
      assert.equal(r.body.reason, 'Invalid');
      assert.equal(r.body.message, message);
    } else assert.equal(r.body.spec.expirationSeconds, seconds);
  }
});

test('TokenRequest for a missing service account is 404', async () => {
  const r = await cluster.admin.post(`${SAS}/ghost/token`, tokenRequest());
  assert.equal(r.status, 404);
  assert.equal(r.body.message, 'serviceaccounts "ghost" not found');
});

test('tokens are bound to the service account UID: delete + recreate invalidates old tokens', async () => {
  await createSa('rotating');
  const old = (await cluster.admin.post(`${SAS}/rotating/token`, tokenRequest())).body.status.token as string;
  assert.equal((await whoami(old)).status, 201);
  assert.equal((await cluster.admin.delete(`${SAS}/rotating`)).status, 200);
  const afterDelete = await whoami(old);
  assert.equal(afterDelete.status, 401);
  assert.equal(afterDelete.body.message, 'Unauthorized');
  await createSa('rotating');
  assert.equal((await whoami(old)).status, 401, 'recreated account has a new UID');
  const fresh = (await cluster.admin.post(`${SAS}/rotating/token`, tokenRequest())).body.status.token as string;
  assert.equal((await whoami(fresh)).status, 201);
});

test('tokens bound to a pod stop working when the pod is gone; bad bound refs are 400', async () => {
  await createSa('runner');
  const p = await cluster.admin.post('/api/v1/namespaces/default/pods', pod('worker'));
  assert.equal(p.status, 201);
  const r = await cluster.admin.post(`${SAS}/runner/token`, tokenRequest({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'worker' } }));
  assert.equal(r.status, 201);
  const me = await whoami(r.body.status.token);
  assert.equal(me.status, 201);
  assert.deepEqual(me.body.status.userInfo.extra['authentication.kubernetes.io/pod-name'], ['worker']);
  assert.deepEqual(me.body.status.userInfo.extra['authentication.kubernetes.io/pod-uid'], [p.body.metadata.uid]);
  assert.equal((await cluster.admin.delete('/api/v1/namespaces/default/pods/worker')).status, 200);
  assert.equal((await whoami(r.body.status.token)).status, 401);

  const kind = await cluster.admin.post(`${SAS}/runner/token`, tokenRequest({ boundObjectRef: { kind: 'ConfigMap', name: 'x' } }));
  assert.equal(kind.status, 400);
  assert.equal(kind.body.message, 'cannot bind token for serviceaccount "runner" to object of kind ConfigMap');
  assert.equal((await cluster.admin.post('/api/v1/namespaces/default/pods', pod('worker2'))).status, 201);
  const uid = await cluster.admin.post(`${SAS}/runner/token`, tokenRequest({ boundObjectRef: { kind: 'Pod', name: 'worker2', uid: 'stale' } }));
  assert.equal(uid.status, 400);
  assert.equal(uid.body.message,
    'the UID in the bound object reference (stale) does not match the UID in record. The object might have been deleted and then recreated');
});

test('audience-scoped tokens are not accepted by the API server', async () => {
  await createSa('external');
  const r = await cluster.admin.post(`${SAS}/external/token`, tokenRequest({ audiences: ['vault'] }));
  assert.equal(r.status, 201);
  assert.deepEqual(r.body.spec.audiences, ['vault']);
  assert.equal((await whoami(r.body.status.token)).status, 401);
});
