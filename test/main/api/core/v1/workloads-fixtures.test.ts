/**
 * Runs the golden fixtures of the pod-shaped core/v1 kinds (defaults, validation, table cells) the way the
 * generic descriptor-fixture runner does, so these kinds stay covered on their own.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { coreWorkloadResources } from '../../../../../main/api/core/v1/index-workloads.js';
import { errorLine } from '../../../../../main/api/meta/field-errors.js';
import { cloneJson, type KObject } from '../../../../../main/api/meta/object.js';
import type { ResourceDescriptor } from '../../../../../main/api/resource.js';

const here = dirname(fileURLToPath(import.meta.url));
// dist/test/main/api/core/v1 → repository root
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

for (const d of coreWorkloadResources) {
  const file = join(root, 'test', 'fixtures', 'api', 'core', 'v1', `${d.plural}.json`);
  const fx = JSON.parse(readFileSync(file, 'utf8')) as Fixture;

  test(`${d.plural}: defaults`, () => {
    assert.ok(fx.defaults.length > 0);
    for (const c of fx.defaults) assert.deepEqual(prepared(d, c.input), c.output);
  });

  test(`${d.plural}: valid objects pass`, () => {
    assert.ok(fx.valid.length > 0);
    for (const o of fx.valid) {
      const obj = prepared(d, o);
      assert.deepEqual((d.strategy?.validate?.(obj) ?? []).map(errorLine), [], JSON.stringify(o.metadata));
    }
  });

  test(`${d.plural}: invalid objects report upstream errors`, () => {
    assert.ok(fx.invalid.length > 0);
    for (const c of fx.invalid) {
      const obj = prepared(d, c.object);
      const got = (d.strategy?.validate?.(obj) ?? []).map(errorLine).sort();
      assert.deepEqual(got, [...c.errors].sort(), JSON.stringify(c.object.metadata));
    }
  });

  if (d.columns) {
    test(`${d.plural}: table cells`, () => {
      assert.ok((fx.table ?? []).length > 0);
      for (const c of fx.table ?? []) {
        const cells = d.columns!.map((col) => col.cell(c.object, NOW));
        assert.deepEqual(cells, c.cells, JSON.stringify(c.object.metadata));
      }
    });
  }
}
