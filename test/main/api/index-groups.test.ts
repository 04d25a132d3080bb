/**
 * Registry checks and golden fixtures for the descriptors of index-groups.ts (the generic fixture runner
 * covers every group; this file keeps these groups verified on their own).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { otherGroupResources, SYSTEM_PRIORITY_CLASSES } from '../../../main/api/index-groups.js';
import { errorLine } from '../../../main/api/meta/field-errors.js';
import type { KObject } from '../../../main/api/meta/object.js';
import type { ResourceDescriptor } from '../../../main/api/resource.js';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '../../../../test/fixtures/api');
const NOW = Date.parse('2026-01-01T01:00:00Z');

interface Fixture {
  defaults: { input: KObject; output: KObject }[];
  valid: KObject[];
  invalid: { object: KObject; errors: string[] }[];
  table?: { object: KObject; cells: unknown[] }[];
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function prepare(d: ResourceDescriptor, o: KObject): KObject {
  const c = clone(o);
  d.defaults?.(c);
  d.strategy?.prepareForCreate?.(c);
  return c;
}

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

for (const d of otherGroupResources) {
  const file = join(ROOT, d.group, d.version, `${d.plural}.json`);
  if (d.virtual) continue;
  test(`fixtures: ${d.group}/${d.plural}`, () => {
    assert.ok(existsSync(file), `missing fixture ${file}`);
    const fx = JSON.parse(readFileSync(file, 'utf8')) as Fixture;
    assert.ok(fx.defaults.length && fx.valid.length && fx.invalid.length);
    for (const c of fx.defaults) assert.deepEqual(prepare(d, c.input), c.output);
    for (const v of fx.valid) assert.deepEqual(d.strategy?.validate?.(prepare(d, v)).map(errorLine) ?? [], [], v.metadata.name);
    for (const c of fx.invalid) {
      const got = (d.strategy?.validate?.(prepare(d, c.object)) ?? []).map(errorLine).sort();
      assert.deepEqual(got, [...c.errors].sort(), c.object.metadata.name);
    }
    if (d.columns) {
      assert.ok(fx.table?.length, 'table fixtures');
      for (const t of fx.table ?? []) assert.deepEqual(d.columns.map((c) => c.cell(t.object, NOW)), t.cells);
    }
  });
}
