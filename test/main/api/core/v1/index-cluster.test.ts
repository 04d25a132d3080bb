import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coreClusterResources } from '../../../../../main/api/core/v1/index-cluster.js';

const byPlural = new Map(coreClusterResources.map((d) => [d.plural, d]));

test('registry lists the twelve cluster resources in order', () => {
  assert.deepEqual(
    coreClusterResources.map((d) => d.plural),
    ['namespaces', 'nodes', 'events', 'services', 'endpoints', 'configmaps', 'secrets', 'serviceaccounts', 'limitranges',
      'resourcequotas', 'componentstatuses', 'bindings'],
  );
  for (const d of coreClusterResources) {
    assert.equal(d.group, '');
    assert.equal(d.version, 'v1');
    assert.deepEqual(d.schema.schema['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: d.kind }]);
  }
});

test('discovery facts match upstream', () => {
  const short = Object.fromEntries(coreClusterResources.map((d) => [d.plural, d.shortNames ?? []]));
  assert.deepEqual(short, {
    namespaces: ['ns'], nodes: ['no'], events: ['ev'], services: ['svc'], endpoints: ['ep'], configmaps: ['cm'], secrets: [],
    serviceaccounts: ['sa'], limitranges: ['limits'], resourcequotas: ['quota'], componentstatuses: ['cs'], bindings: [],
  });
  assert.deepEqual(coreClusterResources.filter((d) => d.categories?.includes('all')).map((d) => d.plural), ['services']);
  assert.deepEqual(coreClusterResources.filter((d) => !d.namespaced).map((d) => d.plural), ['namespaces', 'nodes', 'componentstatuses']);
  assert.deepEqual(byPlural.get('bindings')!.verbs, ['create']);
  assert.deepEqual(byPlural.get('componentstatuses')!.verbs, ['get', 'list']);
  assert.equal(byPlural.get('componentstatuses')!.deprecationWarning, 'v1 ComponentStatus is deprecated in v1.19+');
  assert.deepEqual(byPlural.get('namespaces')!.subresources, { status: true, finalize: true });
  assert.deepEqual(byPlural.get('nodes')!.subresources, { status: true, proxy: true });
  assert.deepEqual(byPlural.get('services')!.subresources, { status: true, proxy: true });
  assert.deepEqual(byPlural.get('serviceaccounts')!.subresources, { token: true });
  assert.equal(byPlural.get('nodes')!.keepStatusOnCreate, true);
  assert.equal(byPlural.get('endpoints')!.singular, 'endpoints');
});

test('name rules: namespaces are DNS labels, services DNS-1035 labels', () => {
  assert.notDeepEqual(byPlural.get('namespaces')!.nameRule!('a.b'), []);
  assert.deepEqual(byPlural.get('namespaces')!.nameRule!('team-a'), []);
  assert.notDeepEqual(byPlural.get('services')!.nameRule!('1web'), []);
  assert.deepEqual(byPlural.get('services')!.nameRule!('web-1'), []);
});

test('schemas carry upstream list metadata', () => {
  const props = (plural: string) => byPlural.get(plural)!.schema.schema.properties!;
  const sa = props('serviceaccounts');
  assert.equal(sa.secrets!['x-kubernetes-patch-merge-key'], 'name');
  assert.deepEqual(sa.secrets!['x-kubernetes-list-map-keys'], ['name']);
  const svcSpec = props('services').spec!.ref!().schema.properties!;
  assert.equal(svcSpec.ports!['x-kubernetes-patch-merge-key'], 'port');
  assert.deepEqual(svcSpec.ports!['x-kubernetes-list-map-keys'], ['port', 'protocol']);
  assert.equal(svcSpec.selector!['x-kubernetes-map-type'], 'atomic');
  const nodeStatus = props('nodes').status!.ref!().schema.properties!;
  assert.equal(nodeStatus.addresses!['x-kubernetes-patch-merge-key'], 'type');
  const nodeSpec = props('nodes').spec!.ref!().schema.properties!;
  assert.equal(nodeSpec.podCIDRs!['x-kubernetes-patch-strategy'], 'merge');
  assert.equal(nodeSpec.taints!['x-kubernetes-list-type'], 'atomic');
});
