import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { userInfoJson } from '../../../../main/apiserver/handlers/reviews.js';
import { startTestCluster, type Client, type TestCluster } from '../../../helpers/control-plane-fixture.js';

let cluster: TestCluster;
let jane: Client;
before(async () => {
  cluster = await startTestCluster();
  jane = await cluster.as('jane', ['dev']);
});
after(async () => {
  await cluster.stop();
});

const AUTHZ = '/apis/authorization.k8s.io/v1';
const ssar = (resourceAttributes: object) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes } });

test('SelfSubjectAccessReview: allowed for the admin, denied for others (kubectl auth can-i)', async () => {
  const cases: [string, Client | 'admin', object, boolean][] = [
    ['admin list pods', 'admin', { verb: 'list', resource: 'pods', namespace: 'default' }, true],
    ['admin delete nodes', 'admin', { verb: 'delete', resource: 'nodes' }, true],
    ['jane list pods', 'jane' as never, { verb: 'list', resource: 'pods', namespace: 'default' }, false],
    ['jane create SSAR', 'jane' as never, { verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' }, true],
  ];
  for (const [name, who, ra, allowed] of cases) {
    const c = who === 'admin' ? cluster.admin : jane;
    const r = await c.post(`${AUTHZ}/selfsubjectaccessreviews`, ssar(ra));
    assert.equal(r.status, 201, name);
    assert.equal(r.body.kind, 'SelfSubjectAccessReview');
    assert.equal(r.body.apiVersion, 'authorization.k8s.io/v1');
    assert.equal(r.body.status.allowed, allowed, name);
    assert.deepEqual(r.body.spec.resourceAttributes, ra);
  }
  const nr = await cluster.admin.post(`${AUTHZ}/selfsubjectaccessreviews`,
    { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { nonResourceAttributes: { verb: 'get', path: '/metrics' } } });
  assert.equal(nr.body.status.allowed, true);
  const nrJane = await jane.post(`${AUTHZ}/selfsubjectaccessreviews`,
    { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { nonResourceAttributes: { verb: 'get', path: '/metrics' } } });
  assert.deepEqual(nrJane.body.status, { allowed: false });
});

test('access reviews need exactly one of resourceAttributes and nonResourceAttributes', async () => {
  const none = await cluster.admin.post(`${AUTHZ}/selfsubjectaccessreviews`, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {} });
  assert.equal(none.status, 422);
  assert.equal(none.body.message,
    'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified');
  const both = await cluster.admin.post(`${AUTHZ}/selfsubjectaccessreviews`, {
    apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview',
    spec: { resourceAttributes: { verb: 'get', resource: 'pods' }, nonResourceAttributes: { verb: 'get', path: '/x' } },
  });
  assert.equal(both.status, 422);
  assert.match(both.body.message, /^SelfSubjectAccessReview\.authorization\.k8s\.io "" is invalid: spec\.nonResourceAttributes: Invalid value: .*: cannot be specified in combination with resourceAttributes$/);
});

test('SubjectAccessReview: requires a user or group; evaluates for the given subject; only admins may create it', async () => {
  const sar = (spec: object) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'default' }, ...spec } });
  const missing = await cluster.admin.post(`${AUTHZ}/subjectaccessreviews`, sar({}));
  assert.equal(missing.status, 422);
  assert.equal(missing.body.reason, 'Invalid');
  assert.equal(missing.body.message,
    'SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified');
  const masters = await cluster.admin.post(`${AUTHZ}/subjectaccessreviews`, sar({ groups: ['system:masters'] }));
  assert.equal(masters.status, 201);
  assert.equal(masters.body.status.allowed, true);
  const bob = await cluster.admin.post(`${AUTHZ}/subjectaccessreviews`, sar({ user: 'bob', groups: ['dev'] }));
  assert.equal(bob.body.status.allowed, false);
  const byJane = await jane.post(`${AUTHZ}/subjectaccessreviews`, sar({ user: 'bob' }));
  assert.equal(byJane.status, 403);
  assert.equal(byJane.body.message,
    'subjectaccessreviews.authorization.k8s.io is forbidden: User "jane" cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope');
});

test('LocalSubjectAccessReview: spec namespace must match the request namespace', async () => {
  const lsar = (ns: string) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'LocalSubjectAccessReview', metadata: { namespace: 'default' },
    spec: { user: 'bob', resourceAttributes: { verb: 'list', resource: 'pods', namespace: ns } } });
  const ok = await cluster.admin.post(`${AUTHZ}/namespaces/default/localsubjectaccessreviews`, lsar('default'));
  assert.equal(ok.status, 201);
  assert.deepEqual(ok.body.status, { allowed: false });
  const bad = await cluster.admin.post(`${AUTHZ}/namespaces/default/localsubjectaccessreviews`, lsar('other'));
  assert.equal(bad.status, 422);
  assert.equal(bad.body.message,
    'LocalSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "other": must match metadata.namespace');
});

test('SelfSubjectRulesReview: everything for the admin, the basic-user rules for others', async () => {
  const body = { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'default' } };
  const basic = [
    { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
    { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
  ];
  const a = await cluster.admin.post(`${AUTHZ}/selfsubjectrulesreviews`, body);
  assert.equal(a.status, 201);
  assert.deepEqual(a.body.status, {
    resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, ...basic],
    nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
    incomplete: false,
  });
  const j = await jane.post(`${AUTHZ}/selfsubjectrulesreviews`, body);
  assert.equal(j.status, 201);
  assert.deepEqual(j.body.status.resourceRules, basic);
  assert.deepEqual(j.body.status.nonResourceRules, [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] }]);
});

test('SelfSubjectReview returns the caller\'s userInfo (kubectl auth whoami)', async () => {
  const r = await jane.post('/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
  assert.equal(r.status, 201);
  assert.equal(r.body.kind, 'SelfSubjectReview');
  assert.deepEqual(r.body.metadata, { creationTimestamp: null });
  assert.deepEqual(r.body.status, { userInfo: { username: 'jane', groups: ['dev', 'system:authenticated'] } });
  assert.deepEqual(userInfoJson({ username: 'u', uid: 'x', groups: [], extra: { a: ['b'] } }), { username: 'u', uid: 'x', groups: [], extra: { a: ['b'] } });
  assert.deepEqual(userInfoJson({ username: 'u', groups: ['g'], extra: {} }), { username: 'u', groups: ['g'] });
});

test('TokenReview: valid service-account tokens authenticate with their audiences; others do not', async () => {
  assert.equal((await cluster.admin.post('/api/v1/namespaces/default/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reviewer' } })).status, 201);
  const sa = (await cluster.admin.get('/api/v1/namespaces/default/serviceaccounts/reviewer')).body;
  const issue = async (spec: object) => (await cluster.admin.post('/api/v1/namespaces/default/serviceaccounts/reviewer/token',
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec })).body.status.token as string;
  const review = (spec: object) => cluster.admin.post('/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec });

  const token = await issue({});
  const ok = await review({ token });
  assert.equal(ok.status, 201);
  assert.equal(ok.body.status.authenticated, true);
  assert.deepEqual(ok.body.status.audiences, ['https://kubernetes.default.svc.cluster.local']);
  assert.equal(ok.body.status.user.username, 'system:serviceaccount:default:reviewer');
  assert.equal(ok.body.status.user.uid, sa.metadata.uid);
  assert.deepEqual(ok.body.status.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);

  const vaultToken = await issue({ audiences: ['vault'] });
  const v = await review({ token: vaultToken, audiences: ['other', 'vault'] });
  assert.equal(v.body.status.authenticated, true);
  assert.deepEqual(v.body.status.audiences, ['vault']);
  const wrongAud = await review({ token: vaultToken });
  assert.equal(wrongAud.body.status.authenticated, false);

  const bad = await review({ token: 'garbage' });
  assert.deepEqual(bad.body.status, { authenticated: false, user: {}, error: '[invalid bearer token, token lookup failed]' });
  const empty = await review({});
  assert.equal(empty.body.status.authenticated, false);
});
