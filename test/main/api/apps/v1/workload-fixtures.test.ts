/**
 * Runs the golden fixtures of the apps/v1, batch/v1, autoscaling and policy/v1 kinds (defaults + create
 * preparation, validation, table cells) so these kinds stay covered on their own.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { appsV1Resources } from '../../../../../main/api/apps/v1/index.js';
import { autoscalingResources } from '../../../../../main/api/autoscaling/index.js';
import { batchV1Resources } from '../../../../../main/api/batch/v1/index.js';
import { policyV1Resources } from '../../../../../main/api/policy/v1/index.js';
import { errorLine } from '../../../../../main/api/meta/field-errors.js';
import { cloneJson, type KObject } from '../../../../../main/api/meta/object.js';
import type { ResourceDescriptor } from '../../../../../main/api/resource.js';

const here = dirname(fileURLToPath(import.meta.url));
// dist/test/main/api/apps/v1 → repository root
const root = join(here, '..', '..', '..', '..', '..', '..');
const NOW = Date.parse('2026-01-01T01:00:00Z');

interface Fixture {
  defaults: { input: KObject; output: KObject }[];
  valid: KObject[];
  invalid: { object: KObject; errors: string[] }[];
  table?: { object: KObject; cells: unknown[] }[];
}

function prepared(d: ResourceDescriptor, o: KObject): KObject {
  const obj = cloneJson(o);
  d.defaults?.(obj);
  d.strategy?.prepareForCreate?.(obj);
  return obj;
}

const all = [...appsV1Resources, ...batchV1Resources, ...autoscalingResources, ...policyV1Resources];

for (const d of all) {
  const file = join(root, 'test', 'fixtures', 'api', d.group, d.version, `${d.plural}.json`);
  const fx = JSON.parse(readFileSync(file, 'utf8')) as Fixture;
  const name = `${d.group}/${d.version} ${d.plural}`;

  test(`${name}: defaults`, () => {
    assert.ok(fx.defaults.length > 0);
    for (const c of fx.defaults) assert.deepEqual(prepared(d, c.input), c.output);
  });

  test(`${name}: valid objects pass`, () => {
    assert.ok(fx.valid.length > 0);
    for (const o of fx.valid) {
      const obj = prepared(d, o);
      assert.deepEqual((d.strategy?.validate?.(obj) ?? []).map(errorLine), [], JSON.stringify(o.metadata));
    }
  });

  test(`${name}: invalid objects report upstream errors`, () => {
    assert.ok(fx.invalid.length > 0);
    for (const c of fx.invalid) {
      const got = (d.strategy?.validate?.(prepared(d, c.object)) ?? []).map(errorLine).sort();
      assert.ok(got.length > 0, JSON.stringify(c.object.metadata));
      assert.deepEqual(got, [...c.errors].sort(), JSON.stringify(c.object.metadata));
    }
  });

  test(`${name}: table cells`, () => {
    assert.ok(d.columns && (fx.table ?? []).length > 0);
    for (const c of fx.table ?? []) {
      assert.deepEqual(d.columns!.map((col) => col.cell(c.object, NOW)), c.cells, JSON.stringify(c.object.metadata));
    }
  });
}

test('discovery facts: short names, categories, scale subresources, HPA version order', () => {
  const by = (plural: string, version = 'v1') => all.find((r) => r.plural === plural && r.version === version)!;
  assert.deepEqual(by('deployments').shortNames, ['deploy']);
  assert.deepEqual(by('replicasets').shortNames, ['rs']);
  assert.deepEqual(by('statefulsets').shortNames, ['sts']);
  assert.deepEqual(by('daemonsets').shortNames, ['ds']);
  assert.deepEqual(by('cronjobs').shortNames, ['cj']);
  assert.deepEqual(by('horizontalpodautoscalers', 'v2').shortNames, ['hpa']);
  assert.deepEqual(by('poddisruptionbudgets').shortNames, ['pdb']);
  for (const p of ['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs']) assert.deepEqual(by(p).categories, ['all']);
  assert.equal(by('controllerrevisions').categories, undefined);
  for (const p of ['deployments', 'replicasets', 'statefulsets']) assert.ok(by(p).subresources?.scale, p);
  assert.equal(by('daemonsets').subresources?.scale, undefined);
  assert.deepEqual(autoscalingResources.map((r) => r.version), ['v2', 'v1']);
  assert.equal(by('horizontalpodautoscalers', 'v1').storage?.resource, 'autoscaling/horizontalpodautoscalers');
  assert.deepEqual(by('jobs').fieldSelectors && Object.keys(by('jobs').fieldSelectors!), ['status.successful']);
});
