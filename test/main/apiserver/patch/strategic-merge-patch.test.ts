import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch } from '../../../../main/apiserver/patch/strategic-merge-patch.js';
import { PatchError } from '../../../../main/apiserver/patch/errors.js';
import { deployment, deploymentSchema, nodeSchema } from './test-schemas.js';

const smp = (doc: unknown, patch: unknown): unknown => applyStrategicMergePatch(doc, patch, deploymentSchema);
const containersOf = (d: unknown): unknown =>
  (d as { spec: { template: { spec: { containers: unknown } } } }).spec.template.spec.containers;
const tmpl = (spec: Record<string, unknown>): unknown => ({ spec: { template: { spec } } });

test('smp: merge-keyed lists merge element-wise; ordering follows upstream', () => {
  const live = deployment([
    { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }] },
    { name: 'b', image: 'b:1' },
  ]);
  const cases: [string, unknown, unknown][] = [
    ['update one element', tmpl({ containers: [{ name: 'b', image: 'b:2' }] }), [{ name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }] }, { name: 'b', image: 'b:2' }]],
    [
      'nested merge list',
      tmpl({ containers: [{ name: 'a', env: [{ name: 'Y', value: '2' }] }] }),
      [{ name: 'a', image: 'a:1', env: [{ name: 'Y', value: '2' }, { name: 'X', value: '1' }] }, { name: 'b', image: 'b:1' }],
    ],
    ['new element goes before server-only ones', tmpl({ containers: [{ name: 'c', image: 'c:1' }] }), [{ name: 'c', image: 'c:1' }, { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }] }, { name: 'b', image: 'b:1' }]],
    ['$patch: delete element', tmpl({ containers: [{ name: 'a', $patch: 'delete' }] }), [{ name: 'b', image: 'b:1' }]],
    ['$patch: replace element replaces the list', tmpl({ containers: [{ name: 'z', image: 'z' }, { $patch: 'replace' }] }), [{ name: 'z', image: 'z' }]],
    ['null inside an element deletes the field', tmpl({ containers: [{ name: 'a', env: null }] }), [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }]],
    [
      '$setElementOrder reorders without a patch list',
      tmpl({ '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] }),
      [{ name: 'b', image: 'b:1' }, { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }] }],
    ],
    [
      'kubectl set image (setElementOrder + changed element)',
      tmpl({ '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ image: 'b:9', name: 'b' }] }),
      [{ name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }] }, { name: 'b', image: 'b:9' }],
    ],
    [
      'setElementOrder places a new element',
      tmpl({ '$setElementOrder/containers': [{ name: 'a' }, { name: 'n' }, { name: 'b' }], containers: [{ name: 'n', image: 'n' }] }),
      [{ name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }] }, { name: 'n', image: 'n' }, { name: 'b', image: 'b:1' }],
    ],
  ];
  for (const [name, patch, want] of cases) assert.deepEqual(containersOf(smp(live, patch)), want, name);
});

test("smp: kubectl apply's three-way patch with last-applied annotation", () => {
  const live = deployment([{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }] }]);
  (live.metadata as Record<string, unknown>).annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":1}\n' };
  const patch = {
    metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":1}\n' } },
    spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ image: 'nginx:1.26', name: 'nginx' }] } } },
  };
  const out = smp(live, patch) as ReturnType<typeof deployment>;
  assert.deepEqual(containersOf(out), [{ name: 'nginx', image: 'nginx:1.26', ports: [{ containerPort: 80, protocol: 'TCP' }] }]);
  assert.equal((out.metadata as { annotations: Record<string, string> }).annotations['kubectl.kubernetes.io/last-applied-configuration'], '{"new":1}\n');
  assert.equal((live.metadata as { annotations: Record<string, string> }).annotations['kubectl.kubernetes.io/last-applied-configuration'], '{"old":1}\n', 'input untouched');
});

test('smp: maps, nulls, rollout commands, directives on maps', () => {
  const live = { ...deployment([{ name: 'a' }]), spec: { ...(deployment([{ name: 'a' }]).spec as object), paused: true } };
  const restart = smp(live, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } } } }) as {
    spec: { template: { metadata: { labels: unknown; annotations: unknown } } };
  };
  assert.deepEqual(restart.spec.template.metadata, { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } });
  assert.equal((smp(live, { spec: { paused: null } }) as { spec: Record<string, unknown> }).spec.paused, undefined);
  const replaced = smp(live, { spec: { template: { $patch: 'replace', spec: { containers: [{ name: 'x' }] } } } }) as { spec: { template: unknown } };
  assert.deepEqual(replaced.spec.template, { spec: { containers: [{ name: 'x' }] } });
  const deleted = smp(live, { spec: { template: { metadata: { $patch: 'delete' } } } }) as { spec: { template: { metadata: unknown } } };
  assert.deepEqual(deleted.spec.template.metadata, {});
  assert.deepEqual(smp({ a: 1 }, { $patch: 'replace', b: 2 }), { b: 2 });
});

test('smp: primitive merge lists union, $deleteFromPrimitiveList removes', () => {
  const live = { metadata: { name: 'x', finalizers: ['a', 'b'] } };
  assert.deepEqual(smp(live, { metadata: { finalizers: ['c', 'a'] } }), { metadata: { name: 'x', finalizers: ['c', 'a', 'b'] } }, 'patch order first, server-only items after the patch items they followed');
  assert.deepEqual(smp(live, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }), { metadata: { name: 'x', finalizers: ['b'] } });
  assert.deepEqual(
    smp(live, { metadata: { '$setElementOrder/finalizers': ['b', 'c'], '$deleteFromPrimitiveList/finalizers': ['a'], finalizers: ['c'] } }),
    { metadata: { name: 'x', finalizers: ['b', 'c'] } },
  );
});

test('smp: retainKeys (Deployment strategy, volumes)', () => {
  const live = deployment([{ name: 'a' }], { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } });
  const out = smp(live, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } }) as { spec: { strategy: unknown } };
  assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
  const withVol = smp(live, tmpl({ volumes: [{ name: 'v', emptyDir: {} }] }));
  const swapped = smp(withVol, tmpl({ volumes: [{ name: 'v', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' } }] })) as {
    spec: { template: { spec: { volumes: unknown } } };
  };
  assert.deepEqual(swapped.spec.template.spec.volumes, [{ name: 'v', configMap: { name: 'cm' } }]);
  assert.throws(
    () => smp(live, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: { maxSurge: '1' } } } }),
    (e: unknown) => e instanceof PatchError && e.code === 400 && e.message === 'invalid patch format of retainKeys',
  );
});

test('smp: lists without merge key are replaced (taints, atomic args), cordon/uncordon', () => {
  const node = { metadata: { name: 'n' }, spec: { taints: [{ key: 'a', effect: 'NoSchedule' }], podCIDRs: ['10.0.0.0/24'] } };
  const nsmp = (p: unknown): unknown => applyStrategicMergePatch(node, p, nodeSchema);
  assert.deepEqual(nsmp({ spec: { taints: [{ key: 'b', effect: 'NoExecute' }] } }), { metadata: { name: 'n' }, spec: { taints: [{ key: 'b', effect: 'NoExecute' }], podCIDRs: ['10.0.0.0/24'] } });
  assert.deepEqual(nsmp({ spec: { taints: null } }), { metadata: { name: 'n' }, spec: { podCIDRs: ['10.0.0.0/24'] } });
  assert.equal((nsmp({ spec: { unschedulable: true } }) as { spec: { unschedulable: boolean } }).spec.unschedulable, true);
  assert.deepEqual((nsmp({ spec: { podCIDRs: ['10.0.1.0/24'] } }) as { spec: { podCIDRs: string[] } }).spec.podCIDRs, ['10.0.1.0/24', '10.0.0.0/24']);
  const d = deployment([{ name: 'a', args: ['x', 'y'] }]);
  assert.deepEqual(containersOf(smp(d, tmpl({ containers: [{ name: 'a', args: ['z'] }] }))), [{ name: 'a', args: ['z'] }]);
});

test('smp: without a schema every list is replaced and maps merge', () => {
  const out = applyStrategicMergePatch({ a: [{ name: 'x' }], m: { k: 1, j: 2 } }, { a: [{ name: 'y' }], m: { j: null, l: 3 } }, undefined);
  assert.deepEqual(out, { a: [{ name: 'y' }], m: { k: 1, l: 3 } });
});

test('smp: errors carry upstream wording and codes', () => {
  const live = deployment([{ name: 'a' }]);
  const cases: [unknown, number, string][] = [
    [{ spec: { $patch: 'frob' } }, 500, 'unknown patch type: frob in map: map[$patch:frob]'],
    [tmpl({ containers: [{ image: 'x' }] }), 500, 'map: map[image:x] does not contain declared merge key: name'],
    [tmpl({ containers: [{ name: 'a', $patch: 'merge' }] }), 500, 'merging lists cannot yet be specified in the patch'],
    [tmpl({ containers: [{ name: 'a', $patch: 'bogus' }] }), 500, 'unknown patch type: bogus in map: map[$patch:bogus name:a]'],
    [tmpl({ '$setElementOrder/containers': 'x' }), 500, 'expected a []interface {}, but received a string'],
    [{ metadata: { finalizers: [['x']] } }, 500, 'list element types are not identical: [[f] [[x]]]'],
    [{ metadata: { $deleteFromPrimitiveListfinalizers: ['x'] } }, 400, 'invalid patch format of primitive list'],
    [
      tmpl({ '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'b', image: 'b' }] }),
      500,
      "The order in patch list:\n[map[image:b name:b]]\n doesn't match $setElementOrder list:\n[map[name:a]]\n",
    ],
  ];
  const withFinalizers = { ...live, metadata: { name: 'web', finalizers: ['f'] } };
  for (const [patch, code, message] of cases) {
    assert.throws(
      () => smp(withFinalizers, patch),
      (e: unknown) => e instanceof PatchError && e.code === code && e.message === message,
      message,
    );
  }
  assert.throws(
    () => smp({ metadata: { finalizers: [] } }, { metadata: { finalizers: [['x']] } }),
    (e: unknown) => e instanceof PatchError && e.code === 422 && e.message === 'lists of lists are not supported',
  );
  assert.throws(() => smp(live, [1]), (e: unknown) => e instanceof PatchError && e.code === 400);
});
