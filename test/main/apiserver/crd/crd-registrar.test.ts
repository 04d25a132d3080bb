import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KObject } from '../../../../main/api/meta/object.js';
import { builtinResources } from '../../../../main/api/registry.js';
import { ApiServer } from '../../../../main/apiserver/api-server.js';
import { createAuthenticator } from '../../../../main/apiserver/authn/authenticator.js';
import { LOOPBACK_USER } from '../../../../main/apiserver/authn/user-info.js';
import { mastersAuthorizer } from '../../../../main/apiserver/authz/authorizer.js';
import { CLEANUP_FINALIZER, CrdRegistrar } from '../../../../main/apiserver/crd/crd-registrar.js';
import { patchers } from '../../../../main/control-plane/patchers.js';
import { openMemoryStore } from '../../../../main/store/memory-store.js';

const opts = { user: LOOPBACK_USER };
let server: ApiServer;
let registrar: CrdRegistrar;

async function until<T>(what: string, f: () => Promise<T | undefined> | T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const crd = (plural = 'widgets', group = 'example.com'): KObject => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group, scope: 'Namespaced',
    names: { plural, singular: plural.slice(0, -1), kind: 'Widget', listKind: 'WidgetList', shortNames: ['wd'] },
    versions: [
      { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
      { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } },
      { name: 'v0', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
    ],
  },
}) as KObject;

before(async () => {
  server = new ApiServer({
    store: openMemoryStore(), builtins: builtinResources, patchers, authenticator: createAuthenticator(), authorizer: mastersAuthorizer,
    admission: [], tls: { key: '', cert: '', clientCA: '' },
  });
  await server.storageForResource('', 'namespaces').create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }, opts);
  registrar = new CrdRegistrar(server);
  await registrar.start();
});
after(() => registrar.stop());

const crds = () => server.storageForResource('apiextensions.k8s.io', 'customresourcedefinitions');

test('creating a CRD serves its served versions (storage version preferred) and sets conditions + cleanup finalizer', async () => {
  await crds().create('', crd(), opts);
  await until('descriptor', () => server.registry.find('example.com', 'v1', 'widgets'));
  assert.ok(server.registry.find('example.com', 'v1beta1', 'widgets'));
  assert.equal(server.registry.find('example.com', 'v0', 'widgets'), undefined, 'unserved version');
  assert.equal(server.registry.findByResource('example.com', 'widgets')!.version, 'v1', 'storage version preferred');
  const d = server.registry.find('example.com', 'v1', 'widgets')!;
  assert.equal(d.kind, 'Widget');
  assert.equal(d.namespaced, true);

  const stored = await until('Established', async () => {
    const c = (await crds().get('', 'widgets.example.com')) as KObject & { status?: { conditions?: { type: string }[] } };
    return c.status?.conditions?.some((x) => x.type === 'Established') ? c : undefined;
  }) as unknown as KObject & { status: { conditions: Record<string, string>[]; acceptedNames: Record<string, unknown>; storedVersions: string[] } };
  const byType = Object.fromEntries(stored.status.conditions.map((c) => [c.type, c]));
  assert.deepEqual({ ...byType.NamesAccepted, lastTransitionTime: undefined },
    { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: undefined });
  assert.deepEqual({ ...byType.Established, lastTransitionTime: undefined },
    { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: undefined });
  assert.match(byType.Established!.lastTransitionTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(stored.status.acceptedNames.kind, 'Widget');
  assert.deepEqual(stored.status.acceptedNames.shortNames, ['wd']);
  assert.deepEqual(stored.status.storedVersions, ['v1']);
  assert.deepEqual(stored.metadata.finalizers, [CLEANUP_FINALIZER]);
  assert.equal(CLEANUP_FINALIZER, 'customresourcecleanup.apiextensions.k8s.io');
});

test('custom resources can be written through the served descriptor', async () => {
  const d = server.registry.find('example.com', 'v1', 'widgets')!;
  const w = await server.storageFor(d).create('default', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } } as KObject, opts);
  assert.equal(w.metadata.name, 'w1');
  assert.ok(w.metadata.uid);
  await server.storageFor(d).create('default', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w2' } } as KObject, opts);
});

test('deleting a CRD removes its custom resources, unregisters the resource and then the CRD itself', async () => {
  const first = await crds().delete('', 'widgets.example.com', {}, opts);
  assert.equal(first.deleted, false, 'held by the cleanup finalizer');
  await until('CRD gone', async () => !(await crds().getEntry('', 'widgets.example.com')));
  assert.equal(server.registry.find('example.com', 'v1', 'widgets'), undefined);
  assert.equal(server.registry.find('example.com', 'v1beta1', 'widgets'), undefined);
  const left = await server.store.list('/example.com/widgets/');
  assert.equal(left.items.length, 0, 'custom resources removed');
});

test('a CRD present in the store when the registrar starts is served at once', async () => {
  const store = openMemoryStore();
  const s2 = new ApiServer({
    store, builtins: builtinResources, patchers, authenticator: createAuthenticator(), authorizer: mastersAuthorizer,
    admission: [], tls: { key: '', cert: '', clientCA: '' },
  });
  await s2.storageForResource('apiextensions.k8s.io', 'customresourcedefinitions').create('', crd('gadgets', 'acme.io'), opts);
  const r2 = new CrdRegistrar(s2);
  await r2.start();
  try {
    assert.ok(s2.registry.find('acme.io', 'v1', 'gadgets'), 'registered before start() resolves');
    await r2.settled();
  } finally {
    r2.stop();
  }
});
