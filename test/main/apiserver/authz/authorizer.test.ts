import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forbiddenReason, mastersAuthorizer, type AuthorizationAttributes } from '../../../../main/apiserver/authz/authorizer.js';
import type { UserInfo } from '../../../../main/apiserver/authn/user-info.js';

const admin: UserInfo = { username: 'pilothouse-admin', groups: ['system:masters', 'system:authenticated'] };
const jane: UserInfo = { username: 'jane', groups: ['dev', 'system:authenticated'] };
const anon: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

const attrs = (over: Partial<AuthorizationAttributes>): AuthorizationAttributes => ({
  user: jane, verb: 'get', resourceRequest: true, namespace: '', apiGroup: '', apiVersion: 'v1', resource: 'pods',
  subresource: '', name: '', path: '', ...over,
});

test('mastersAuthorizer: system:masters may do everything', () => {
  for (const a of [
    attrs({ user: admin, verb: 'delete', resource: 'namespaces', name: 'x' }),
    attrs({ user: admin, verb: 'impersonate', resource: 'users', name: 'bob' }),
    attrs({ user: admin, verb: 'get', resourceRequest: false, path: '/metrics' }),
    attrs({ user: admin, verb: 'create', resource: 'pods', subresource: 'eviction', namespace: 'default' }),
  ]) assert.deepEqual(mastersAuthorizer.authorize(a), { allowed: true, reason: '' });
});

test('mastersAuthorizer: others only get system:basic-user (self reviews, create, authenticated)', () => {
  const cases: [string, AuthorizationAttributes, boolean][] = [
    ['list pods', attrs({ verb: 'list', namespace: 'default' }), false],
    ['get nodes', attrs({ resource: 'nodes', name: 'n1' }), false],
    ['non-resource', attrs({ resourceRequest: false, path: '/version', resource: '' }), false],
    ['SSAR create', attrs({ verb: 'create', apiGroup: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' }), true],
    ['SSRR create', attrs({ verb: 'create', apiGroup: 'authorization.k8s.io', resource: 'selfsubjectrulesreviews' }), true],
    ['SSR create', attrs({ verb: 'create', apiGroup: 'authentication.k8s.io', resource: 'selfsubjectreviews' }), true],
    ['SSAR get', attrs({ verb: 'get', apiGroup: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' }), false],
    ['SAR create', attrs({ verb: 'create', apiGroup: 'authorization.k8s.io', resource: 'subjectaccessreviews' }), false],
    ['SSAR wrong group', attrs({ verb: 'create', apiGroup: '', resource: 'selfsubjectaccessreviews' }), false],
    ['anonymous SSAR', attrs({ user: anon, verb: 'create', apiGroup: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' }), false],
    ['impersonate', attrs({ verb: 'impersonate', resource: 'users', name: 'bob' }), false],
  ];
  for (const [name, a, allowed] of cases) {
    const d = mastersAuthorizer.authorize(a);
    assert.equal(d.allowed, allowed, name);
    if (allowed)
      assert.equal(d.reason, 'RBAC: allowed by ClusterRoleBinding "system:basic-user" of ClusterRole "system:basic-user" to Group "system:authenticated"', name);
  }
});

test('forbiddenReason words the Forbidden message as upstream', () => {
  const cases: [AuthorizationAttributes, string][] = [
    [attrs({ verb: 'list', namespace: 'default' }), 'User "jane" cannot list resource "pods" in API group "" in the namespace "default"'],
    [attrs({ verb: 'get', resource: 'nodes', name: 'n1' }), 'User "jane" cannot get resource "nodes" in API group "" at the cluster scope'],
    [attrs({ verb: 'create', resource: 'deployments', apiGroup: 'apps', namespace: 'prod' }),
      'User "jane" cannot create resource "deployments" in API group "apps" in the namespace "prod"'],
    [attrs({ verb: 'get', resource: 'pods', subresource: 'log', namespace: 'default', name: 'p' }),
      'User "jane" cannot get resource "pods/log" in API group "" in the namespace "default"'],
    [attrs({ verb: 'get', resourceRequest: false, path: '/metrics' }), 'User "jane" cannot get path "/metrics"'],
    [attrs({ user: anon, verb: 'list', resource: 'namespaces' }), 'User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope'],
  ];
  for (const [a, want] of cases) assert.equal(forbiddenReason(a), want);
});
