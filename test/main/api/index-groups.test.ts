/**
 * Descriptors of index-groups.ts: registry facts and the system PriorityClasses (their golden fixtures run in
 * test/main/api/registry.test.ts with every other group's).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { otherGroupResources, SYSTEM_PRIORITY_CLASSES } from '../../../main/api/index-groups.js';

test('registry: unique plurals and short names, GVK on every schema', () => {
  const seen = new Set<string>();
  const shorts = new Set<string>();
  for (const d of otherGroupResources) {
    const key = `${d.group}/${d.plural}`;
    assert.ok(!seen.has(key), key);
    seen.add(key);
    for (const s of d.shortNames ?? []) {
      assert.ok(!shorts.has(s), s);
      shorts.add(s);
    }
    assert.deepEqual(d.schema.schema['x-kubernetes-group-version-kind'], [{ group: d.group, version: d.version, kind: d.kind }]);
  }
  const byPlural = (p: string) => otherGroupResources.find((d) => d.plural === p)!;
  assert.deepEqual(byPlural('ingresses').shortNames, ['ing']);
  assert.deepEqual(byPlural('networkpolicies').shortNames, ['netpol']);
  assert.deepEqual(byPlural('customresourcedefinitions').shortNames, ['crd', 'crds']);
  assert.deepEqual(byPlural('selfsubjectaccessreviews').verbs, ['create']);
  assert.equal(byPlural('selfsubjectaccessreviews').virtual, true);
  assert.equal(byPlural('events').storage?.resource, 'events');
});

test('system priority classes', () => {
  assert.deepEqual(
    SYSTEM_PRIORITY_CLASSES.map((p) => [p.metadata.name, p.value, p.preemptionPolicy]).sort(),
    [['system-cluster-critical', 2000000000, 'PreemptLowerPriority'], ['system-node-critical', 2000001000, 'PreemptLowerPriority']],
  );
});
