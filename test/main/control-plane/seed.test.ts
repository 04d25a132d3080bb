import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KObject } from '../../../main/api/meta/object.js';
import { builtinResources } from '../../../main/api/registry.js';
import { ApiServer } from '../../../main/apiserver/api-server.js';
import { createAuthenticator } from '../../../main/apiserver/authn/authenticator.js';
import { mastersAuthorizer } from '../../../main/apiserver/authz/authorizer.js';
import { patchers } from '../../../main/control-plane/patchers.js';
import { advertiseAddress, seedCluster, SYSTEM_NAMESPACES } from '../../../main/control-plane/seed.js';
import { openMemoryStore } from '../../../main/store/memory-store.js';

function newServer(): ApiServer {
  return new ApiServer({
    store: openMemoryStore(), builtins: builtinResources, patchers, authenticator: createAuthenticator(), authorizer: mastersAuthorizer,
    admission: [], tls: { key: '', cert: '', clientCA: '' },
  });
}
const get = async (s: ApiServer, group: string, plural: string, ns: string, name: string) =>
  (await s.storageForResource(group, plural).getEntry(ns, name))?.value as (KObject & Record<string, never>) | undefined;

test('seedCluster creates namespaces, Service, PriorityClasses, RBAC and kubernetes Endpoints/EndpointSlice', async () => {
  const s = newServer();
  await seedCluster(s, 6443, '192.0.2.10');
  for (const ns of SYSTEM_NAMESPACES) assert.ok(await get(s, '', 'namespaces', '', ns), ns);
  const ep = await get(s, '', 'endpoints', 'default', 'kubernetes');
  assert.deepEqual((ep as unknown as { subsets: unknown }).subsets, [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);
  assert.equal(ep!.metadata.labels!['endpointslice.kubernetes.io/skip-mirror'], 'true');
  const slice = await get(s, 'discovery.k8s.io', 'endpointslices', 'default', 'kubernetes') as unknown as Record<string, unknown> & KObject;
  assert.equal(slice.addressType, 'IPv4');
  assert.deepEqual(slice.ports, [{ name: 'https', port: 6443, protocol: 'TCP' }]);
  assert.equal(slice.metadata.labels!['kubernetes.io/service-name'], 'kubernetes');
  assert.equal(slice.metadata.labels!['endpointslice.kubernetes.io/managed-by'], 'kube-apiserver');
});

test('seedCluster is idempotent and the Endpoints follow the current port', async () => {
  const s = newServer();
  await seedCluster(s, 6443, '192.0.2.10');
  const ns1 = await get(s, '', 'namespaces', '', 'default');
  await seedCluster(s, 7443, '192.0.2.10');
  const ns2 = await get(s, '', 'namespaces', '', 'default');
  assert.equal(ns2!.metadata.resourceVersion, ns1!.metadata.resourceVersion, 'existing objects untouched');
  const ep = await get(s, '', 'endpoints', 'default', 'kubernetes') as unknown as { subsets: { ports: { port: number }[] }[] };
  assert.equal(ep.subsets[0]!.ports[0]!.port, 7443);
  // The Service keeps its original targetPort (created once, like upstream's bootstrap controller leaves it).
  assert.equal((await s.store.list('/core/services/')).items.length, 1);
});

test('advertiseAddress is a non-loopback IPv4 address (or undefined without a network)', () => {
  const addr = advertiseAddress();
  if (addr !== undefined) {
    assert.match(addr, /^\d+\.\d+\.\d+\.\d+$/);
    assert.ok(!addr.startsWith('127.'));
  }
});
