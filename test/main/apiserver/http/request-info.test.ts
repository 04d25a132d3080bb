import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestInfo, type RequestInfo } from '../../../../main/apiserver/http/request-info.js';

type Want = Partial<Omit<RequestInfo, 'path' | 'parts'>>;

function info(method: string, url: string): RequestInfo {
  const u = new URL(url, 'https://localhost');
  return parseRequestInfo(method, u.pathname, u.searchParams);
}

test('request info: resource path shapes (RequestInfoFactory)', () => {
  const cases: [string, string, Want][] = [
    ['GET', '/api/v1/pods', { apiPrefix: 'api', group: '', version: 'v1', namespace: '', resource: 'pods', name: '', subresource: '', verb: 'list' }],
    ['GET', '/api/v1/namespaces/default/pods', { namespace: 'default', resource: 'pods', name: '', verb: 'list' }],
    ['GET', '/api/v1/namespaces/default/pods/web', { namespace: 'default', resource: 'pods', name: 'web', subresource: '', verb: 'get' }],
    ['GET', '/api/v1/namespaces/default/pods/web/log', { namespace: 'default', resource: 'pods', name: 'web', subresource: 'log', verb: 'get' }],
    ['PUT', '/api/v1/namespaces/default/pods/web/status', { resource: 'pods', name: 'web', subresource: 'status', verb: 'update' }],
    ['POST', '/api/v1/namespaces/default/pods/web/eviction', { resource: 'pods', name: 'web', subresource: 'eviction', verb: 'create' }],
    ['GET', '/apis/apps/v1/namespaces/kube-system/deployments/coredns/scale', { apiPrefix: 'apis', group: 'apps', version: 'v1', namespace: 'kube-system', resource: 'deployments', name: 'coredns', subresource: 'scale', verb: 'get' }],
    ['PATCH', '/apis/apps/v1/namespaces/ns/deployments/d', { group: 'apps', namespace: 'ns', resource: 'deployments', name: 'd', verb: 'patch' }],
    ['GET', '/apis/apps/v1/deployments', { group: 'apps', namespace: '', resource: 'deployments', verb: 'list' }],
    // Namespaces themselves: the namespace is the object's name.
    ['GET', '/api/v1/namespaces', { namespace: '', resource: 'namespaces', name: '', verb: 'list' }],
    ['GET', '/api/v1/namespaces/kube-system', { namespace: 'kube-system', resource: 'namespaces', name: 'kube-system', subresource: '', verb: 'get' }],
    ['DELETE', '/api/v1/namespaces/team-a', { namespace: 'team-a', resource: 'namespaces', name: 'team-a', verb: 'delete' }],
    ['PUT', '/api/v1/namespaces/team-a/status', { namespace: 'team-a', resource: 'namespaces', name: 'team-a', subresource: 'status', verb: 'update' }],
    ['PUT', '/api/v1/namespaces/team-a/finalize', { namespace: 'team-a', resource: 'namespaces', name: 'team-a', subresource: 'finalize', verb: 'update' }],
    // Cluster-scoped objects.
    ['GET', '/api/v1/nodes/n1', { namespace: '', resource: 'nodes', name: 'n1', verb: 'get' }],
    ['GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/admin', { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: 'admin' }],
    // Path segments are percent-decoded.
    ['GET', '/api/v1/namespaces/default/configmaps/a%3Ab', { name: 'a:b' }],
    // Deeper subresource paths keep the rest.
    ['GET', '/api/v1/namespaces/default/pods/web/proxy/metrics/x', { subresource: 'proxy/metrics/x' }],
  ];
  for (const [method, url, want] of cases) {
    const got = info(method, url);
    assert.equal(got.isResourceRequest, true, url);
    for (const [k, v] of Object.entries(want)) assert.equal(got[k as keyof RequestInfo], v, `${method} ${url}: ${k}`);
  }
});

test('request info: verbs by method, watch and deletecollection', () => {
  const cases: [string, string, string][] = [
    ['GET', '/api/v1/pods', 'list'],
    ['HEAD', '/api/v1/pods', 'list'],
    ['GET', '/api/v1/pods?watch=true', 'watch'],
    ['GET', '/api/v1/pods?watch=1', 'watch'],
    ['GET', '/api/v1/pods?watch=false', 'list'],
    ['GET', '/api/v1/namespaces/default/pods?watch=true&resourceVersion=5', 'watch'],
    ['GET', '/api/v1/namespaces/default/pods/web', 'get'],
    ['POST', '/api/v1/namespaces/default/pods', 'create'],
    ['PUT', '/api/v1/namespaces/default/pods/web', 'update'],
    ['PATCH', '/api/v1/namespaces/default/pods/web', 'patch'],
    ['DELETE', '/api/v1/namespaces/default/pods/web', 'delete'],
    ['DELETE', '/api/v1/namespaces/default/pods', 'deletecollection'],
    ['DELETE', '/api/v1/pods', 'deletecollection'],
    // The deprecated /watch/ path prefix (still served upstream).
    ['GET', '/api/v1/watch/pods', 'watch'],
    ['GET', '/api/v1/watch/namespaces/default/pods', 'watch'],
    ['GET', '/apis/apps/v1/watch/namespaces/default/deployments/web', 'watch'],
  ];
  for (const [method, url, verb] of cases) assert.equal(info(method, url).verb, verb, `${method} ${url}`);
});

test('request info: the /watch/ prefix is not part of the resource path', () => {
  const got = info('GET', '/apis/apps/v1/watch/namespaces/default/deployments/web');
  assert.equal(got.isResourceRequest, true);
  assert.equal(got.namespace, 'default');
  assert.equal(got.resource, 'deployments');
  assert.equal(got.name, 'web');
  const all = info('GET', '/api/v1/watch/pods');
  assert.equal(all.resource, 'pods');
  assert.equal(all.namespace, '');
});

test('request info: non-resource paths', () => {
  const cases: [string, Partial<RequestInfo>][] = [
    ['/version', { apiPrefix: '', group: '', version: '' }],
    ['/healthz', { apiPrefix: '' }],
    ['/openapi/v3/api/v1', { apiPrefix: '' }],
    ['/api', { apiPrefix: 'api', version: '' }],
    ['/api/v1', { apiPrefix: 'api', version: 'v1' }],
    ['/apis', { apiPrefix: 'apis', group: '' }],
    ['/apis/apps', { apiPrefix: 'apis', group: 'apps', version: '' }],
    ['/apis/apps/v1', { apiPrefix: 'apis', group: 'apps', version: 'v1' }],
  ];
  for (const [url, want] of cases) {
    const got = info('GET', url);
    assert.equal(got.isResourceRequest, false, url);
    assert.equal(got.verb, 'get', url);
    for (const [k, v] of Object.entries(want)) assert.equal(got[k as keyof RequestInfo], v, `${url}: ${k}`);
  }
});
