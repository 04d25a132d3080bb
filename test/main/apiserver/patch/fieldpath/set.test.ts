import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet } from '../../../../../main/apiserver/patch/fieldpath/set.js';
import { keyElement, pathString, type Path } from '../../../../../main/apiserver/patch/fieldpath/path-element.js';
import { compareObjects, toFieldSet } from '../../../../../main/apiserver/patch/fieldpath/typed.js';
import { deployment, deploymentSchema } from '../test-schemas.js';

const f = (...names: string[]): Path => names.map((field) => ({ field }));

test('fieldsV1: encoding of fields, keys, values, indices and "." for nodes that are also members', () => {
  const item: Path = [...f('spec', 'containers'), keyElement([['name', 'nginx']])];
  const port: Path = [...item, { field: 'ports' }, keyElement([['protocol', 'TCP'], ['containerPort', 80]])];
  const s = FieldSet.of(
    f('spec', 'replicas'),
    item,
    [...item, { field: 'image' }],
    port,
    [...port, { field: 'containerPort' }],
    [...f('metadata', 'finalizers'), { value: 'a' }],
    [...f('spec', 'args'), { index: 0 }],
  );
  const want = {
    'f:metadata': { 'f:finalizers': { 'v:"a"': {} } },
    'f:spec': {
      'f:args': { 'i:0': {} },
      'f:containers': {
        'k:{"name":"nginx"}': {
          'f:image': {},
          'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { 'f:containerPort': {}, '.': {} } },
          '.': {},
        },
      },
      'f:replicas': {},
    },
  };
  assert.deepEqual(s.toFieldsV1(), want);
  assert.equal(JSON.stringify(Object.keys(s.toFieldsV1()['f:spec'] as Record<string, unknown>)), '["f:args","f:containers","f:replicas"]');
  const back = FieldSet.fromFieldsV1(want);
  assert.ok(back.equals(s));
  assert.deepEqual(back.toFieldsV1(), want);
  assert.equal(pathString([...item, { field: 'image' }]), '.spec.containers[name="nginx"].image');
  assert.equal(pathString(port), '.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"]');
  assert.equal(pathString([...f('metadata', 'finalizers'), { value: 'a' }]), '.metadata.finalizers[="a"]');
});

test('set algebra is exact-path', () => {
  const a = FieldSet.of(f('a'), f('a', 'b'), f('c'));
  const b = FieldSet.of(f('a', 'b'));
  assert.deepEqual(a.difference(b).paths().map(pathString), ['.a', '.c']);
  assert.deepEqual(a.intersection(b).paths().map(pathString), ['.a.b']);
  assert.ok(a.union(b).equals(a));
  assert.ok(FieldSet.of().empty());
  assert.ok(a.has(f('a')) && !a.has(f('b')));
});

test('toFieldSet: what an apply configuration owns (labels keys, keyed items with ".", atomic maps as leaves)', () => {
  const cfg: Record<string, unknown> = {
    ...deployment([{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }]),
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  };
  (cfg.spec as Record<string, unknown>).selector = { matchLabels: { app: 'web' } };
  const set = toFieldSet(cfg, deploymentSchema);
  assert.deepEqual(set.toFieldsV1(), {
    'f:apiVersion': {},
    'f:kind': {},
    'f:metadata': { 'f:labels': { 'f:app': {} }, 'f:name': {}, 'f:namespace': {} },
    'f:spec': {
      'f:replicas': {},
      'f:selector': {},
      'f:template': {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:containers': {
            'k:{"name":"nginx"}': {
              'f:image': {},
              'f:name': {},
              'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { 'f:containerPort': {}, '.': {} } },
              '.': {},
            },
          },
        },
      },
    },
  });
});

test('compareObjects: added, removed and modified paths', () => {
  const a = deployment([{ name: 'a', image: '1' }, { name: 'b', image: '1' }]);
  const b = deployment([{ name: 'a', image: '2' }, { name: 'c', image: '1' }]);
  const c = compareObjects(a, b, deploymentSchema);
  const item = (n: string): Path => [...f('spec', 'template', 'spec', 'containers'), keyElement([['name', n]])];
  assert.deepEqual(c.modified.paths().map(pathString), [pathString([...item('a'), { field: 'image' }])]);
  assert.ok(c.added.has(item('c')) && c.added.has([...item('c'), { field: 'image' }]));
  assert.ok(c.removed.has(item('b')) && c.removed.has([...item('b'), { field: 'name' }]));
});
