import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KObject } from '../../../../../main/api/meta/object.js';
import { builtinResources } from '../../../../../main/api/registry.js';
import type { AdmissionOperation, AdmissionRequest } from '../../../../../main/apiserver/admission/admission.js';
import type { ObjectReader } from '../../../../../main/apiserver/admission/object-reader.js';
import { namespaceLifecycle } from '../../../../../main/apiserver/admission/plugins/namespace-lifecycle.js';
import { LOOPBACK_USER } from '../../../../../main/apiserver/authn/user-info.js';
import { ApiError } from '../../../../../main/apiserver/http/api-error.js';

const find = (group: string, plural: string) => builtinResources.find((d) => d.group === group && d.plural === plural)!;

const namespaces: Record<string, KObject> = {
  default: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' }, status: { phase: 'Active' } } as KObject,
  dev: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' }, status: { phase: 'Active' } } as KObject,
  leaving: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'leaving' }, status: { phase: 'Terminating' } } as KObject,
  marked: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'marked', deletionTimestamp: '2025-01-01T00:00:00Z' } } as KObject,
};
const reader: ObjectReader = {
  async get(group, plural, _ns, name) {
    assert.equal(`${group}/${plural}`, '/namespaces');
    return namespaces[name];
  },
  async list() {
    return [];
  },
};
const plugin = namespaceLifecycle(reader);

function request(operation: AdmissionOperation, group: string, plural: string, namespace: string, name: string, subresource = ''): AdmissionRequest {
  return { operation, descriptor: find(group, plural), namespace, name, subresource, user: LOOPBACK_USER, dryRun: false };
}

async function outcome(req: AdmissionRequest): Promise<string> {
  try {
    await plugin.validate!(req);
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof ApiError, String(err));
    return `${err.code} ${err.reason}: ${err.message}`;
  }
}

test('creating in a missing namespace is 404 NotFound for the namespace', async () => {
  assert.equal(await outcome(request('CREATE', '', 'pods', 'nope', 'p')), '404 NotFound: namespaces "nope" not found');
  assert.equal(await outcome(request('CREATE', 'apps', 'deployments', 'nope', 'd')), '404 NotFound: namespaces "nope" not found');
});

test('creating in a terminating namespace is 403 with upstream\'s message (except events)', async () => {
  const cases: [AdmissionRequest, string][] = [
    [request('CREATE', '', 'pods', 'leaving', 'p'),
      '403 Forbidden: pods "p" is forbidden: unable to create new content in namespace leaving because it is being terminated'],
    [request('CREATE', 'apps', 'deployments', 'marked', 'web'),
      '403 Forbidden: deployments.apps "web" is forbidden: unable to create new content in namespace marked because it is being terminated'],
    [request('CREATE', '', 'configmaps', 'leaving', ''),
      '403 Forbidden: configmaps is forbidden: unable to create new content in namespace leaving because it is being terminated'],
    [request('CREATE', '', 'events', 'leaving', 'e'), 'ok'],
    [request('CREATE', 'events.k8s.io', 'events', 'leaving', 'e'), 'ok'],
    [request('UPDATE', '', 'pods', 'leaving', 'p'), 'ok'],
    [request('DELETE', '', 'pods', 'leaving', 'p'), 'ok'],
  ];
  for (const [req, want] of cases) assert.equal(await outcome(req), want, `${req.operation} ${req.descriptor.plural}`);
});

test('active namespaces, cluster-scoped kinds and subresources pass', async () => {
  assert.equal(await outcome(request('CREATE', '', 'pods', 'dev', 'p')), 'ok');
  assert.equal(await outcome(request('CREATE', '', 'nodes', '', 'n1')), 'ok');
  assert.equal(await outcome(request('CREATE', '', 'namespaces', '', 'brand-new')), 'ok');
  assert.equal(await outcome(request('CREATE', '', 'pods', 'nope', 'p', 'binding')), 'ok');
});

test('system namespaces may not be deleted; others may', async () => {
  for (const name of ['default', 'kube-system', 'kube-public'])
    assert.equal(await outcome(request('DELETE', '', 'namespaces', '', name)),
      `403 Forbidden: namespaces "${name}" is forbidden: this namespace may not be deleted`);
  for (const name of ['kube-node-lease', 'dev'])
    assert.equal(await outcome(request('DELETE', '', 'namespaces', '', name)), 'ok');
});
