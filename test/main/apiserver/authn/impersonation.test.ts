import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, test } from 'node:test';
import { impersonate } from '../../../../main/apiserver/authn/impersonation.js';
import type { UserInfo } from '../../../../main/apiserver/authn/user-info.js';
import { mastersAuthorizer } from '../../../../main/apiserver/authz/authorizer.js';
import { ApiError } from '../../../../main/apiserver/http/api-error.js';
import { startTestCluster, type TestCluster } from '../../../helpers/control-plane-fixture.js';

const admin: UserInfo = { username: 'pilothouse-admin', groups: ['system:masters', 'system:authenticated'] };
const jane: UserInfo = { username: 'jane', groups: ['dev', 'system:authenticated'] };
const req = (headers: Record<string, string | string[]>) => ({ headers }) as unknown as IncomingMessage;

function forbiddenWith(message: string) {
  return (err: unknown) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 403);
    assert.equal(err.reason, 'Forbidden');
    assert.equal(err.message, message);
    return true;
  };
}

test('no impersonation headers: the requester is returned unchanged', () => {
  assert.equal(impersonate(req({}), jane, mastersAuthorizer), jane);
});

test('admin may impersonate users, groups, uids and extra; system:authenticated is added', () => {
  const cases: [Record<string, string | string[]>, UserInfo][] = [
    [{ 'impersonate-user': 'bob' }, { username: 'bob', groups: ['system:authenticated'] }],
    [{ 'impersonate-user': 'bob', 'impersonate-group': ['dev', 'ops'] }, { username: 'bob', groups: ['dev', 'ops', 'system:authenticated'] }],
    [{ 'impersonate-user': 'bob', 'impersonate-group': 'a, b' }, { username: 'bob', groups: ['a', 'b', 'system:authenticated'] }],
    [{ 'impersonate-user': 'bob', 'impersonate-group': 'system:authenticated' }, { username: 'bob', groups: ['system:authenticated'] }],
    [{ 'impersonate-user': 'system:anonymous' }, { username: 'system:anonymous', groups: [] }],
    [{ 'impersonate-user': 'bob', 'impersonate-uid': 'u-1' }, { username: 'bob', uid: 'u-1', groups: ['system:authenticated'] }],
    [{ 'impersonate-user': 'bob', 'impersonate-extra-scopes': 'view,edit', 'impersonate-extra-example.com%2fteam': 'x' },
      { username: 'bob', groups: ['system:authenticated'], extra: { scopes: ['view', 'edit'], 'example.com/team': ['x'] } }],
  ];
  for (const [headers, want] of cases) assert.deepEqual(impersonate(req(headers), admin, mastersAuthorizer), want, JSON.stringify(headers));
});

test('a non-admin gets upstream\'s Forbidden message for each impersonated attribute', () => {
  assert.throws(() => impersonate(req({ 'impersonate-user': 'bob' }), jane, mastersAuthorizer),
    forbiddenWith('users "bob" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope'));
  // Checked in order: a user allowed to impersonate users but not groups fails on the group.
  const usersOnly = { authorize: (a: { resource: string }) => ({ allowed: a.resource === 'users', reason: '' }) };
  assert.throws(() => impersonate(req({ 'impersonate-user': 'bob', 'impersonate-group': 'system:masters' }), jane, usersOnly as never),
    forbiddenWith('groups "system:masters" is forbidden: User "jane" cannot impersonate resource "groups" in API group "" at the cluster scope'));
  const noUids = { authorize: (a: { resource: string }) => ({ allowed: a.resource !== 'uids', reason: '' }) };
  assert.throws(() => impersonate(req({ 'impersonate-user': 'bob', 'impersonate-uid': 'u-1' }), jane, noUids as never),
    forbiddenWith('uids.authentication.k8s.io "u-1" is forbidden: User "jane" cannot impersonate resource "uids" in API group "authentication.k8s.io" at the cluster scope'));
});

test('groups or uid without a user are refused', () => {
  for (const headers of [{ 'impersonate-group': 'dev' }, { 'impersonate-uid': 'u-1' }] as Record<string, string>[])
    assert.throws(() => impersonate(req(headers), admin, mastersAuthorizer),
      (err: unknown) => err instanceof ApiError && /requested impersonation of groups or uid without impersonating a user$/.test(err.message));
});

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster.stop();
});

test('HTTP: kubectl --as / --as-group as admin runs the request as the impersonated user', async () => {
  const r = await cluster.admin.post('/apis/authentication.k8s.io/v1/selfsubjectreviews',
    { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, { 'Impersonate-User': 'bob', 'Impersonate-Group': 'dev' });
  assert.equal(r.status, 201);
  assert.deepEqual(r.body.status.userInfo, { username: 'bob', groups: ['dev', 'system:authenticated'] });
  // bob is not an admin: listing pods is forbidden with bob's name in the message.
  const list = await cluster.admin.get('/api/v1/namespaces/default/pods', { 'Impersonate-User': 'bob' });
  assert.equal(list.status, 403);
  assert.equal(list.body.message, 'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"');
});

test('HTTP: a non-admin trying --as gets 403 with upstream\'s message', async () => {
  const jane = await cluster.as('jane', ['dev']);
  const r = await jane.get('/api/v1/namespaces', { 'Impersonate-User': 'pilothouse-admin' });
  assert.equal(r.status, 403);
  assert.equal(r.body.reason, 'Forbidden');
  assert.equal(r.body.message, 'users "pilothouse-admin" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope');
  assert.deepEqual(r.body.details, { name: 'pilothouse-admin', kind: 'users' });
});
