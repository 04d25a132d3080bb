/**
 * Runs the golden fixtures of the core/v1 cluster resources (test/fixtures/api/core/v1/<plural>.json)
 * against their descriptors: defaults + prepareForCreate, validation, and Table cells.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { coreClusterResources } from '../../../../../main/api/core/v1/index-cluster.js';
import { errorLine } from '../../../../../main/api/meta/field-errors.js';
import type { KObject } from '../../../../../main/api/meta/object.js';

const DIR = fileURLToPath(new URL('../../../../../../test/fixtures/api/core/v1/', import.meta.url));
const NOW = Date.parse('2026-01-01T01:00:00Z');

interface Fixture {
  defaults: { input: KObject; output: KObject }[];
  valid: KObject[];
  invalid: { object: KObject; errors: string[] }[];
  table?: { object: KObject; cells: unknown[] }[];
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

for (const d of coreClusterResources) {
  test(`fixtures: ${d.plural}`, () => {
    const f = JSON.parse(readFileSync(`${DIR}${d.plural}.json`, 'utf8')) as Fixture;
    assert.ok(f.defaults.length > 0 && f.valid.length > 0, 'defaults and valid cases exist');
    for (const { input, output } of f.defaults) {
      const o = clone(input);
      d.defaults?.(o);
      d.strategy?.prepareForCreate?.(o);
      assert.deepEqual(o, output, `defaults of ${input.metadata.name}`);
      d.defaults?.(o);
      assert.deepEqual(o, output, `defaults are idempotent for ${input.metadata.name}`);
    }
    for (const v of f.valid) {
      const o = clone(v);
      d.defaults?.(o);
      assert.deepEqual((d.strategy?.validate?.(o) ?? []).map(errorLine), [], `valid: ${v.metadata.name}`);
    }
    for (const { object, errors } of f.invalid) {
      const o = clone(object);
      d.defaults?.(o);
      const got = (d.strategy?.validate?.(o) ?? []).map(errorLine);
      assert.deepEqual([...got].sort(), [...errors].sort(), `invalid: ${object.metadata.name}`);
      assert.ok(errors.length > 0);
    }
    if (d.columns) {
      assert.ok((f.table ?? []).length > 0, 'table cases exist');
      for (const { object, cells } of f.table ?? []) {
        assert.deepEqual(d.columns.map((c) => c.cell(object, NOW)), cells, `cells of ${object.metadata.name}`);
      }
    }
  });
}
