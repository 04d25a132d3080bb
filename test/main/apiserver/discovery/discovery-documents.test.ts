import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources } from '../../../../main/api/registry.js';
import {
  aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions, verbsOf,
} from '../../../../main/apiserver/discovery/discovery-documents.js';
import { ResourceRegistry } from '../../../../main/apiserver/registry/resource-registry.js';
import { descriptor } from '../../../helpers/apiserver-unit.js';

const registry = new ResourceRegistry(builtinResources);
const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function aggregated(which: 'api' | 'apis', version: 'v2' | 'v2beta1' = 'v2') {
  return aggregatedDiscovery(registry, which, version) as any;
}
function resourceOf(doc: any, group: string, version: string, plural: string): any {
  const g = doc.items.find((i: any) => (i.metadata.name ?? '') === group);
  return g?.versions.find((v: any) => v.version === version)?.resources.find((r: any) => r.resource === plural);
}

test('aggregated discovery: envelope for /api and /apis in v2 and v2beta1', () => {
  for (const v of ['v2', 'v2beta1'] as const) {
    const api = aggregated('api', v);
    assert.equal(api.kind, 'APIGroupDiscoveryList');
    assert.equal(api.apiVersion, `apidiscovery.k8s.io/${v}`);
    assert.deepEqual(api.metadata, {});
    assert.equal(api.items.length, 1);
    assert.deepEqual(api.items[0].metadata, { creationTimestamp: null });
    assert.deepEqual(api.items[0].versions.map((x: any) => [x.version, x.freshness]), [['v1', 'Current']]);
    const apis = aggregated('apis', v);
    assert.ok(apis.items.every((i: any) => i.metadata.name));
  }
  // Upstream group order: apps before batch before policy.
  const names = aggregated('apis').items.map((i: any) => i.metadata.name);
  assert.ok(names.indexOf('apps') < names.indexOf('batch'));
  assert.ok(names.indexOf('batch') < names.indexOf('policy'));
});

test('aggregated discovery: a resource entry with responseKind, scope, verbs, short names and categories', () => {
  assert.deepEqual(resourceOf(aggregated('apis'), 'apps', 'v1', 'deployments'), {
    resource: 'deployments',
    responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
    scope: 'Namespaced',
    singularResource: 'deployment',
    verbs: ALL,
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: [
      { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
      { subresource: 'status', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
    ],
  });
  const nodes = resourceOf(aggregated('api'), '', 'v1', 'nodes');
  assert.equal(nodes.scope, 'Cluster');
  assert.deepEqual(nodes.responseKind, { group: '', version: 'v1', kind: 'Node' });
});

test('aggregated discovery: pod subresources, eviction answering policy/v1 Eviction', () => {
  const subs = resourceOf(aggregated('api'), '', 'v1', 'pods').subresources;
  const byName = Object.fromEntries(subs.map((s: any) => [s.subresource, s]));
  assert.deepEqual(byName.eviction, { subresource: 'eviction', responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] });
  assert.deepEqual(byName.binding, { subresource: 'binding', responseKind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] });
  assert.deepEqual(byName.exec.responseKind.kind, 'PodExecOptions');
  assert.deepEqual(byName.log, { subresource: 'log', responseKind: { group: '', version: 'v1', kind: 'Pod' }, verbs: ['get'] });
  assert.deepEqual(byName.proxy.responseKind.kind, 'PodProxyOptions');
  assert.deepEqual(byName.status.verbs, ['get', 'patch', 'update']);
  // Resources are sorted by name within a version.
  const plural = aggregated('api').items[0].versions[0].resources.map((r: any) => r.resource);
  assert.deepEqual(plural, [...plural].sort());
  // serviceaccounts/token → authentication.k8s.io/v1 TokenRequest.
  const token = resourceOf(aggregated('api'), '', 'v1', 'serviceaccounts').subresources.find((s: any) => s.subresource === 'token');
  assert.deepEqual(token.responseKind, { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' });
});

test('discovery: verbs of virtual, read-only and ordinary resources', () => {
  assert.deepEqual(verbsOf(descriptor('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews')), ['create']);
  assert.deepEqual(verbsOf(descriptor('', 'v1', 'configmaps')), ALL);
  assert.deepEqual(verbsOf(descriptor('', 'v1', 'componentstatuses')), ['get', 'list']);
});

test('legacy discovery: APIVersions, APIGroupList and APIGroup', () => {
  assert.deepEqual(apiVersions('127.0.0.1:6443'), {
    kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
  });
  const list = apiGroupList(registry) as any;
  assert.equal(list.kind, 'APIGroupList');
  assert.equal(list.apiVersion, 'v1');
  assert.equal(list.groups.some((g: any) => g.name === ''), false);
  const autoscaling = list.groups.find((g: any) => g.name === 'autoscaling');
  assert.deepEqual(autoscaling.preferredVersion, autoscaling.versions[0]);
  assert.deepEqual(apiGroup(registry, 'apps'), {
    kind: 'APIGroup', apiVersion: 'v1', name: 'apps',
    versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
  });
  assert.equal(apiGroup(registry, 'nope.example.com'), undefined);
  assert.equal(apiGroup(registry, ''), undefined);
});

test('legacy discovery: APIResourceList entries, with group/version on cross-group subresources', () => {
  const apps = apiResourceList(registry, 'apps', 'v1') as any;
  assert.equal(apps.kind, 'APIResourceList');
  assert.equal(apps.groupVersion, 'apps/v1');
  const byName = Object.fromEntries(apps.resources.map((r: any) => [r.name, r]));
  assert.deepEqual(byName.deployments, {
    name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: ALL, shortNames: ['deploy'], categories: ['all'],
  });
  assert.deepEqual(byName['deployments/scale'], {
    name: 'deployments/scale', singularName: '', namespaced: true, kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1',
  });
  assert.deepEqual(byName['deployments/status'], {
    name: 'deployments/status', singularName: '', namespaced: true, kind: 'Deployment', verbs: ['get', 'patch', 'update'],
  });
  const core = apiResourceList(registry, '', 'v1') as any;
  assert.equal(core.groupVersion, 'v1');
  const coreBy = Object.fromEntries(core.resources.map((r: any) => [r.name, r]));
  assert.deepEqual(coreBy['pods/eviction'], { name: 'pods/eviction', singularName: '', namespaced: true, kind: 'Eviction', verbs: ['create'], group: 'policy', version: 'v1' });
  assert.equal(coreBy['namespaces'].namespaced, false);
  assert.deepEqual(coreBy['namespaces/finalize'].verbs, ['update']);
  assert.equal(apiResourceList(registry, 'apps', 'v9'), undefined);
});
