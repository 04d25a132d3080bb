import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorLine } from '../../../../../main/api/meta/field-errors.js';
import {
  applyCustomResourceDefaults,
  crdDescriptorFor,
  crdSchemaToSchema,
  printerColumnCells,
  pruneUnknownFields,
  validateCustomResource,
  type JSONSchemaProps,
} from '../../../../../main/api/apiextensions.k8s.io/v1/custom-resource-schema.js';
import {
  customResourceDefinitions,
  type CustomResourceDefinition,
} from '../../../../../main/api/apiextensions.k8s.io/v1/custom-resource-definition.js';
import type { KObject } from '../../../../../main/api/meta/object.js';

const NOW = Date.parse('2026-01-01T01:00:00Z');

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['cronSpec'],
      properties: {
        cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' },
        image: { type: 'string', minLength: 2, maxLength: 10 },
        replicas: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
        ratio: { type: 'number', exclusiveMinimum: true, minimum: 0, exclusiveMaximum: true, maximum: 1 },
        step: { type: 'integer', multipleOf: 5 },
        mode: { type: 'string', enum: ['fast', 'slow'], default: 'slow' },
        when: { type: 'string', format: 'date-time' },
        id: { type: 'string', format: 'uuid' },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 3, minItems: 1, 'x-kubernetes-list-type': 'set' },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' }, port: { type: 'integer', default: 80 } },
          },
        },
        labels: { type: 'object', additionalProperties: { type: 'string' }, maxProperties: 2, minProperties: 1 },
        note: { type: 'string', nullable: true },
        port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'string' } } },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
        nested: {
          type: 'object',
          default: {},
          properties: { depth: { type: 'integer', default: 3 }, enabled: { type: 'boolean' } },
        },
        rules: { type: 'array', items: { type: 'string' }, 'x-kubernetes-validations': [{ rule: 'self.size() > 100' }] },
      },
    },
    status: {
      type: 'object',
      properties: {
        replicas: { type: 'integer' },
        selector: { type: 'string' },
        conditions: {
          type: 'array',
          items: { type: 'object', properties: { type: { type: 'string' }, status: { type: 'string' } } },
        },
      },
    },
  },
};

const cr = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'stable.example.com/v1',
  kind: 'CronTab',
  metadata: { name: 'x', namespace: 'default' },
  spec: { cronSpec: '* * * * */5', ...spec },
  ...extra,
});

const lines = (o: unknown) => validateCustomResource(o, schema).map(errorLine).sort();

test('a valid object has no errors', () => {
  const o = cr({
    image: 'nginx', replicas: 3, ratio: 0.5, step: 10, mode: 'fast', when: '2026-01-01T00:00:00Z',
    id: '123e4567-e89b-12d3-a456-426614174000', tags: ['a', 'b'], ports: [{ name: 'http', port: 80 }],
    labels: { a: 'b' }, note: null, port: 'http', free: { anything: { goes: 1 } }, template: { apiVersion: 'v1', kind: 'Pod' },
  });
  assert.deepEqual(lines(o), []);
});

test('type errors use kube-openapi wording with the actual type as value', () => {
  assert.deepEqual(lines(cr({ replicas: 'three' })), [
    'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
  ]);
  assert.deepEqual(lines(cr({ replicas: 1.5 })), [
    'spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"',
  ]);
  assert.deepEqual(lines(cr({ image: 5 })), ['spec.image: Invalid value: "integer": spec.image in body must be of type string: "integer"']);
  assert.deepEqual(lines(cr({ tags: 'a' })), ['spec.tags: Invalid value: "string": spec.tags in body must be of type array: "string"']);
  assert.deepEqual(lines({ ...cr({}), spec: [] }), ['spec: Invalid value: "array": spec in body must be of type object: "array"']);
});

test('numbers are accepted for number fields, integers included', () => {
  assert.deepEqual(lines(cr({ ratio: 0.25 })), []);
});

test('null is rejected unless nullable', () => {
  assert.deepEqual(lines(cr({ image: null })), ['spec.image: Invalid value: "null": spec.image in body must be of type string: "null"']);
  assert.deepEqual(lines(cr({ note: null })), []);
});

test('required properties', () => {
  const o = cr({});
  delete (o.spec as Record<string, unknown>).cronSpec;
  assert.deepEqual(lines(o), ['spec.cronSpec: Required value']);
  assert.deepEqual(lines(cr({ ports: [{ port: 1 }] })), ['spec.ports[0].name: Required value']);
});

test('enum violations list the supported values', () => {
  assert.deepEqual(lines(cr({ mode: 'medium' })), ['spec.mode: Unsupported value: "medium": supported values: "fast", "slow"']);
});

test('numeric bounds, exclusive bounds and multipleOf', () => {
  assert.deepEqual(lines(cr({ replicas: 0 })), ['spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1']);
  assert.deepEqual(lines(cr({ replicas: 11 })), ['spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10']);
  assert.deepEqual(lines(cr({ ratio: 0 })), ['spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0']);
  assert.deepEqual(lines(cr({ ratio: 1 })), ['spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1']);
  assert.deepEqual(lines(cr({ step: 7 })), ['spec.step: Invalid value: 7: spec.step in body should be a multiple of 5']);
});

test('string length, pattern and formats', () => {
  assert.deepEqual(lines(cr({ image: 'a' })), ['spec.image: Invalid value: "a": spec.image in body should be at least 2 chars long']);
  assert.deepEqual(lines(cr({ image: 'abcdefghijk' })), ['spec.image: Too long: may not be more than 10 bytes']);
  assert.deepEqual(lines(cr({ cronSpec: 'bad' })), [
    `spec.cronSpec: Invalid value: "bad": spec.cronSpec in body should match '${(schema.properties!.spec!.properties!.cronSpec!).pattern}'`,
  ]);
  assert.deepEqual(lines(cr({ when: 'yesterday' })), ['spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"']);
  assert.deepEqual(lines(cr({ id: 'nope' })), ['spec.id: Invalid value: "nope": spec.id in body must be of type uuid: "nope"']);
});

test('array sizes and list-type uniqueness', () => {
  assert.deepEqual(lines(cr({ tags: ['a', 'b', 'c', 'd'] })), ['spec.tags: Too many: 4: must have at most 3 items']);
  assert.deepEqual(lines(cr({ tags: [] })), ['spec.tags: Invalid value: []: spec.tags in body should have at least 1 items']);
  assert.deepEqual(lines(cr({ tags: ['a', 'a'] })), ['spec.tags[1]: Duplicate value: "a"']);
  assert.deepEqual(lines(cr({ ports: [{ name: 'a' }, { name: 'b' }, { name: 'a', port: 2 }] })), [
    'spec.ports[2]: Duplicate value: {"name":"a"}',
  ]);
  assert.deepEqual(lines(cr({ tags: ['a', 1] })), ['spec.tags[1]: Invalid value: "integer": spec.tags[1] in body must be of type string: "integer"']);
});

test('object property counts and additionalProperties value schemas', () => {
  assert.deepEqual(lines(cr({ labels: { a: '1', b: '2', c: '3' } })), ['spec.labels: Too many: 3: must have at most 2 items']);
  assert.deepEqual(lines(cr({ labels: {} })), ['spec.labels: Invalid value: {}: spec.labels in body should have at least 1 properties']);
  assert.deepEqual(lines(cr({ labels: { a: 1 } })), ['spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"']);
});

test('int-or-string accepts both and rejects anything else', () => {
  assert.deepEqual(lines(cr({ port: 8080 })), []);
  assert.deepEqual(lines(cr({ port: 'http' })), []);
  assert.deepEqual(lines(cr({ port: true })), ['spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"']);
});

test('CEL rules are not evaluated (documented gap)', () => {
  assert.deepEqual(lines(cr({ rules: ['x'] })), []);
});

test('root apiVersion/kind/metadata are left to generic validation', () => {
  const o = cr({});
  (o as Record<string, unknown>).metadata = { name: 'x', anything: true };
  assert.deepEqual(lines(o), []);
});

test('defaults fill absent fields top-down, including inside defaulted objects and list items', () => {
  const o = cr({ ports: [{ name: 'a' }], image: 'x' });
  applyCustomResourceDefaults(o, schema);
  const spec = o.spec as Record<string, unknown>;
  assert.equal(spec.replicas, 1);
  assert.equal(spec.mode, 'slow');
  assert.deepEqual(spec.nested, { depth: 3 });
  assert.deepEqual(spec.ports, [{ name: 'a', port: 80 }]);
  assert.equal(spec.image, 'x');
  const o2 = cr({ replicas: 5, mode: null });
  applyCustomResourceDefaults(o2, schema);
  assert.equal((o2.spec as Record<string, unknown>).replicas, 5);
  assert.equal((o2.spec as Record<string, unknown>).mode, 'slow', 'null of a non-nullable defaulted field is replaced');
});

test('pruning removes unknown fields, keeps preserved subtrees and root metadata', () => {
  const o = cr({
    bogus: 1,
    ports: [{ name: 'a', extra: true }],
    free: { known: 'k', unknown: { deep: 1 } },
    template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { x: 1 } },
    labels: { a: 'b' },
  }, { topLevelJunk: 'x' });
  const pruned = pruneUnknownFields(o, schema);
  assert.deepEqual(pruned.sort(), ['spec.bogus', 'spec.ports[0].extra', 'topLevelJunk']);
  const spec = o.spec as Record<string, unknown>;
  assert.equal(spec.bogus, undefined);
  assert.deepEqual(spec.free, { known: 'k', unknown: { deep: 1 } });
  assert.deepEqual((spec.template as Record<string, unknown>).spec, { x: 1 });
  assert.deepEqual(spec.labels, { a: 'b' });
  assert.equal(o.apiVersion, 'stable.example.com/v1');
  assert.deepEqual(o.metadata, { name: 'x', namespace: 'default' });
});

test('crdSchemaToSchema adds apiVersion/kind/metadata and keeps structure and openness', () => {
  const s = crdSchemaToSchema(schema);
  assert.equal(s.type, 'object');
  assert.ok(s.properties?.apiVersion && s.properties.kind && s.properties.metadata?.ref);
  assert.equal(s.properties!.metadata!.ref!().name, 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  const spec = s.properties!.spec!;
  assert.equal(spec.properties!.replicas!.type, 'integer');
  assert.equal((spec.properties!.replicas as Record<string, unknown>).minimum, 1);
  assert.equal(spec.properties!.free!['x-kubernetes-preserve-unknown-fields'], true);
  assert.equal(spec.properties!.ports!['x-kubernetes-list-type'], 'map');
  assert.equal((spec.properties!.labels!.additionalProperties as { type: string }).type, 'string');
  const tmpl = spec.properties!.template!;
  assert.ok(tmpl.properties?.metadata && tmpl.properties.apiVersion, 'embedded resources get object metadata');
  assert.equal(spec.properties!.port!['x-kubernetes-int-or-string'], true);
  assert.equal(spec.properties!.port!.type, undefined);
});

const columns = [
  { name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' },
  { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
  { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  { name: 'First', type: 'string', jsonPath: '.spec.tags[0]' },
  { name: 'Ratio', type: 'number', jsonPath: '.spec.ratio' },
  { name: 'On', type: 'boolean', jsonPath: '.spec.nested.enabled' },
  { name: 'Since', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  { name: 'Missing', type: 'string', jsonPath: '.spec.nothing' },
  { name: 'Labels', type: 'string', jsonPath: '.spec.labels' },
  { name: 'Quoted', type: 'string', jsonPath: ".status.conditions[?(@.type=='Other')].status" },
  { name: 'WrongType', type: 'integer', jsonPath: '.spec.cronSpec' },
  { name: 'BadDate', type: 'date', jsonPath: '.spec.cronSpec' },
];

test('printer column cells follow the tableconvertor formatting', () => {
  const o = cr(
    { replicas: 3.7, tags: ['t1', 't2'], ratio: 0.5, nested: { enabled: true }, labels: { b: '2', a: '1' } },
    { status: { conditions: [{ type: 'Other', status: 'False' }, { type: 'Ready', status: 'True' }] } },
  );
  o.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
  assert.deepEqual(printerColumnCells(o, columns, NOW), [
    '* * * * */5', 3, 'True', 't1', 0.5, true, '60m', null, 'map[a:1 b:2]', 'False', null, '<invalid>',
  ]);
});

function crd(extra: Partial<NonNullable<CustomResourceDefinition['spec']>> = {}): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com' },
    spec: {
      group: 'stable.example.com',
      scope: 'Namespaced',
      names: { plural: 'crontabs', kind: 'CronTab', shortNames: ['ct'], categories: ['all'] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: schema },
          subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
          additionalPrinterColumns: [{ name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' }, { name: 'Wide', type: 'integer', jsonPath: '.spec.replicas', priority: 1 }],
          selectableFields: [{ jsonPath: '.spec.mode' }],
        },
        { name: 'v1beta1', served: true, storage: false, deprecated: true, schema: { openAPIV3Schema: schema } },
      ],
      ...extra,
    },
  };
}

test('crdDescriptorFor builds a served descriptor with names, subresources, columns and validation', () => {
  const c = crd();
  customResourceDefinitions.defaults!(c);
  const d = crdDescriptorFor(c, 'v1');
  assert.equal(d.group, 'stable.example.com');
  assert.equal(d.kind, 'CronTab');
  assert.equal(d.plural, 'crontabs');
  assert.equal(d.singular, 'crontab');
  assert.deepEqual(d.shortNames, ['ct']);
  assert.deepEqual(d.categories, ['all']);
  assert.equal(d.namespaced, true);
  assert.equal(d.generation, true);
  assert.equal(d.schema.name, 'com.example.stable.v1.CronTab');
  assert.deepEqual(d.schema.schema['x-kubernetes-group-version-kind'], [{ group: 'stable.example.com', version: 'v1', kind: 'CronTab' }]);
  assert.equal(d.subresources?.status, true);
  assert.deepEqual(d.columns!.map((x) => [x.name, x.priority]), [['Name', 0], ['Spec', 0], ['Wide', 1]]);
  assert.equal(d.storage, undefined);

  const o = cr({ replicas: 2 }, { status: { replicas: 1, selector: 'app=x' } });
  const scale = d.subresources!.scale!;
  assert.equal(scale.specReplicas(o), 2);
  assert.equal(scale.statusReplicas(o), 1);
  assert.equal(scale.selector(o), 'app=x');
  scale.setSpecReplicas(o, 7);
  assert.equal((o.spec as Record<string, unknown>).replicas, 7);
  assert.equal(d.fieldSelectors!['spec.mode']!(cr({ mode: 'fast' })), 'fast');

  const bad = cr({ replicas: 'x', junk: 1 });
  d.defaults!(bad);
  assert.equal((bad.spec as Record<string, unknown>).junk, undefined, 'defaults() prunes first');
  assert.deepEqual(d.strategy!.validate!(bad).map(errorLine), [
    'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
  ]);
  assert.deepEqual(d.columns![1]!.cell(cr({}), NOW), '* * * * */5');
});

test('a version without printer columns gets Age; non-storage versions map to storage; deprecation warning', () => {
  const c = crd({ scope: 'Cluster' });
  customResourceDefinitions.defaults!(c);
  const d = crdDescriptorFor(c, 'v1beta1');
  assert.equal(d.namespaced, false);
  assert.deepEqual(d.columns!.map((x) => [x.name, x.type]), [['Name', 'string'], ['Age', 'date']]);
  const o = cr({});
  o.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
  assert.equal(d.columns![1]!.cell(o, NOW), '60m');
  assert.equal(d.deprecationWarning, 'stable.example.com/v1beta1 CronTab is deprecated');
  assert.equal(d.storage?.resource, 'stable.example.com/crontabs');
  assert.equal(d.storage!.toStorage({ ...o, apiVersion: 'stable.example.com/v1beta1' }).apiVersion, 'stable.example.com/v1');
  assert.equal(d.storage!.fromStorage(o).apiVersion, 'stable.example.com/v1beta1');
  assert.throws(() => crdDescriptorFor(c, 'v9'));
});
