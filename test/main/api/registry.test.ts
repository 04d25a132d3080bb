/**
 * The registry of built-in resources, checked as a whole: every descriptor is consistent (unique names and
 * short names, GVK on its schema, valid categories) and has golden fixtures
 * (test/fixtures/api/<group|core>/<version>/<plural>.json) that this runner executes:
 *   defaults      → defaults() + strategy.prepareForCreate() gives `output` (and defaults are idempotent)
 *   valid         → metadata and kind validation pass
 *   invalid       → kind validation reports exactly `errors` (errorLine form, as a set)
 *   table         → the Table cells at 2026-01-01T01:00:00Z
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { builtinResources } from '../../../main/api/registry.js';
import { errorLine } from '../../../main/api/meta/field-errors.js';
import { validateObjectMeta } from '../../../main/api/meta/meta-validation.js';
import { nameIsDNSSubdomain } from '../../../main/api/meta/name-validation.js';
import { cloneJson, type KObject } from '../../../main/api/meta/object.js';
import type { ResourceDescriptor } from '../../../main/api/resource.js';
import { columnsOf } from '../../../main/apiserver/table/table-convert.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/api/', import.meta.url));
const NOW = Date.parse('2026-01-01T01:00:00Z');

interface Fixture {
  defaults: { input: KObject; output: KObject }[];
  valid: KObject[];
  invalid: { object: KObject; errors: string[] }[];
  table?: { object: KObject; cells: unknown[] }[];
}

const fixturePath = (d: ResourceDescriptor) => `${FIXTURES}${d.group || 'core'}/${d.version}/${d.plural}.json`;
const stored = builtinResources.filter((d) => !d.virtual);

/** Kinds whose only validation is the generic metadata check (no kind-specific invalid case exists). */
const METADATA_ONLY = new Set(['/serviceaccounts', '/componentstatuses']);
/** The `all` category, exactly as upstream assigns it. */
const ALL = new Set(['/pods', '/services', '/replicationcontrollers', 'apps/deployments', 'apps/replicasets', 'apps/statefulsets',
  'apps/daemonsets', 'batch/jobs', 'batch/cronjobs', 'autoscaling/horizontalpodautoscalers']);

test('registry: group/version/plural unique, schema carries its GVK, names lower-case', () => {
  const seen = new Set<string>();
  for (const d of builtinResources) {
    const id = `${d.group}/${d.version}/${d.plural}`;
    assert.ok(!seen.has(id), `duplicate ${id}`);
    seen.add(id);
    assert.match(d.plural, /^[a-z0-9]+$/, id);
    assert.match(d.singular, /^[a-z0-9]+$/, id);
    assert.deepEqual(d.schema.schema['x-kubernetes-group-version-kind'], [{ group: d.group, version: d.version, kind: d.kind }], id);
  }
});

test('registry: short names are unique across resources (one resource may be served in several groups)', () => {
  const owner = new Map<string, string>();
  for (const d of builtinResources)
    for (const s of d.shortNames ?? []) {
      const prev = owner.get(s);
      assert.ok(!prev || prev === d.plural, `short name ${s} used by ${prev} and ${d.plural}`);
      owner.set(s, d.plural);
    }
});

test('registry: the `all` category is exactly upstream’s', () => {
  for (const d of builtinResources)
    assert.equal((d.categories ?? []).includes('all'), ALL.has(`${d.group}/${d.plural}`), `${d.group}/${d.plural}`);
});

for (const d of stored) {
  const id = `${d.group || 'core'}/${d.version}/${d.plural}`;
  test(`fixtures: ${id}`, () => {
    assert.ok(existsSync(fixturePath(d)), `missing fixture file ${fixturePath(d)}`);
    const f = JSON.parse(readFileSync(fixturePath(d), 'utf8')) as Fixture;
    assert.ok(f.defaults.length > 0, 'has defaults cases');
    assert.ok(f.valid.length > 0, 'has valid cases');
    assert.ok(f.invalid.length > 0 || METADATA_ONLY.has(`${d.group}/${d.plural}`), 'has invalid cases');
    assert.ok((f.table ?? []).length > 0, 'has table cases');

    for (const { input, output } of f.defaults) {
      const once = cloneJson(input);
      d.defaults?.(once);
      const twice = cloneJson(once);
      d.defaults?.(twice);
      assert.deepEqual(twice, once, `defaults are idempotent for ${input.metadata.name}`);
      d.strategy?.prepareForCreate?.(once);
      assert.deepEqual(once, output, `defaults of ${input.metadata.name}`);
    }
    for (const v of f.valid) {
      const o = cloneJson(v);
      d.defaults?.(o);
      d.strategy?.prepareForCreate?.(o);
      const errs = [...validateObjectMeta(o, d.namespaced, d.nameRule ?? nameIsDNSSubdomain), ...(d.strategy?.validate?.(o) ?? [])];
      assert.deepEqual(errs.map(errorLine), [], `valid: ${v.metadata.name}`);
    }
    for (const { object, errors } of f.invalid) {
      const o = cloneJson(object);
      d.defaults?.(o);
      d.strategy?.prepareForCreate?.(o);
      assert.deepEqual(validateObjectMeta(o, d.namespaced, d.nameRule ?? nameIsDNSSubdomain).map(errorLine), [], 'fixture metadata is valid');
      const got = (d.strategy?.validate?.(o) ?? []).map(errorLine);
      assert.ok(errors.length > 0);
      assert.deepEqual([...got].sort(), [...errors].sort(), `invalid: ${object.metadata.name}`);
    }
    const columns = columnsOf(d);
    for (const { object, cells } of f.table ?? [])
      assert.deepEqual(columns.map((c) => c.cell(object, NOW)), cells, `cells of ${object.metadata.name}`);
  });
}
