import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { builtinResources } from '../../../../main/api/registry.js';
import { groupVersionPath, OpenApiV3 } from '../../../../main/apiserver/openapi/openapi-v3.js';
import { ResourceRegistry } from '../../../../main/apiserver/registry/resource-registry.js';
import { descriptor } from '../../../helpers/apiserver-unit.js';

const registry = new ResourceRegistry(builtinResources);
const openapi = new OpenApiV3(registry);
const doc = (path: string) => JSON.parse(openapi.documentForPath(path)!.json);

test('openapi v3: the index lists every group-version with a content hash', () => {
  const index = openapi.index() as { paths: Record<string, { serverRelativeURL: string }> };
  for (const key of ['api/v1', 'apis/apps/v1', 'apis/batch/v1', 'apis/autoscaling/v2', 'apis/policy/v1'])
    assert.ok(index.paths[key], key);
  const apps = openapi.documentForPath('apis/apps/v1')!;
  assert.match(apps.hash, /^[0-9A-F]{128}$/);
  assert.equal(apps.hash, createHash('sha512').update(apps.json).digest('hex').toUpperCase());
  assert.equal(index.paths['apis/apps/v1']!.serverRelativeURL, `/openapi/v3/apis/apps/v1?hash=${apps.hash}`);
  assert.equal(groupVersionPath('', 'v1'), 'api/v1');
  assert.equal(groupVersionPath('apps', 'v1'), 'apis/apps/v1');
  for (const bad of ['apis/apps/v9', 'apis/apps', 'api', 'api/v1/x', 'foo/v1']) assert.equal(openapi.documentForPath(bad), undefined, bad);
});

test('openapi v3: documents are cached until the registry changes', () => {
  const reg = new ResourceRegistry(builtinResources);
  const o = new OpenApiV3(reg);
  const a = o.documentForPath('api/v1');
  assert.equal(o.documentForPath('api/v1'), a);
  reg.setDynamic('x', []);
  assert.notEqual(o.documentForPath('api/v1'), a);
  assert.equal(o.documentForPath('api/v1')!.hash, a!.hash);
});

test('openapi v3: REST paths, PATCH with x-kubernetes-group-version-kind and fieldValidation', () => {
  const d = doc('apis/apps/v1');
  assert.equal(d.openapi, '3.0.0');
  const item = d.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
  assert.ok(item.get && item.put && item.patch && item.delete);
  const patch = item.patch;
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.equal(patch['x-kubernetes-action'], 'patch');
  assert.equal(patch.operationId, 'patchDeployment');
  const params = patch.parameters.map((p: any) => p.name);
  for (const p of ['namespace', 'name', 'dryRun', 'fieldManager', 'fieldValidation', 'force']) assert.ok(params.includes(p), p);
  assert.deepEqual(Object.keys(patch.requestBody.content).sort(), [
    'application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json',
  ]);
  assert.ok(d.paths['/apis/apps/v1/namespaces/{namespace}/deployments'].post.parameters.some((p: any) => p.name === 'fieldValidation'));
  assert.ok(d.paths['/apis/apps/v1/deployments'].get, 'all-namespaces list');
  const scale = d.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
  assert.ok(scale.patch.parameters.some((p: any) => p.name === 'fieldValidation'));
  assert.ok(d.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status'].put);
  // Cluster-scoped resources have no namespace segment.
  const core = doc('api/v1');
  assert.ok(core.paths['/api/v1/nodes/{name}'].patch);
  assert.equal(core.paths['/api/v1/nodes/{name}'].patch.parameters.some((p: any) => p.name === 'namespace'), false);
  // Virtual (create-only) resources get only POST.
  const authz = doc('apis/authorization.k8s.io/v1');
  const ssar = authz.paths['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'];
  assert.deepEqual(Object.keys(ssar), ['post']);
});

test('openapi v3: components carry descriptions and every $ref resolves', () => {
  for (const path of ['api/v1', 'apis/apps/v1', 'apis/batch/v1']) {
    const d = doc(path);
    const schemas = d.components.schemas as Record<string, any>;
    const names = Object.keys(schemas);
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)), path);
    const refs = new Set<string>();
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string') refs.add(x);
          else walk(x);
        }
      }
    };
    walk(d);
    assert.ok(refs.size > 10, path);
    for (const r of refs) {
      assert.ok(r.startsWith('#/components/schemas/'), r);
      assert.ok(schemas[r.slice('#/components/schemas/'.length)], `${path}: unresolved ${r}`);
    }
  }
  const apps = doc('apis/apps/v1').components.schemas;
  const dep = apps['io.k8s.api.apps.v1.Deployment'];
  assert.ok(dep.description && dep.description.length > 10);
  assert.deepEqual(dep['x-kubernetes-group-version-kind'], [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
  assert.ok(dep.properties.spec.description);
  assert.deepEqual(dep.properties.spec.allOf, [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }]);
  assert.ok(apps['io.k8s.api.apps.v1.DeploymentList']);
  assert.ok(apps['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].description);
  assert.ok(apps['io.k8s.apimachinery.pkg.apis.meta.v1.Status']);
});

test('openapi v3: descriptor names used in components match the descriptors', () => {
  const d = doc('api/v1');
  assert.ok(d.components.schemas[descriptor('', 'v1', 'pods').schema.name]);
});
