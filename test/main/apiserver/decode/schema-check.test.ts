import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAgainstSchema } from '../../../../main/apiserver/decode/schema-check.js';
import type { Schema } from '../../../../main/api/schema/schema.js';
import { QUANTITY_REGEX_ERROR, QUANTITY_SUFFIX_ERROR } from '../../../../main/api/meta/quantity.js';
import { descriptor } from '../../../helpers/apiserver-unit.js';

const pod = descriptor('', 'v1', 'pods');
const deployment = descriptor('apps', 'v1', 'deployments');
const configMap = descriptor('', 'v1', 'configmaps');

const podWith = (container: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx', ...container }], ...spec },
});

test('schema check: type mismatches get Go decoder messages (innermost struct + JSON path)', () => {
  const cases: [Record<string, unknown>, Schema, string, string][] = [
    [podWith({ image: 5 }), pod.schema.schema, 'Pod',
      'json: cannot unmarshal number into Go struct field Container.spec.containers.image of type string'],
    [podWith({ image: true }), pod.schema.schema, 'Pod',
      'json: cannot unmarshal bool into Go struct field Container.spec.containers.image of type string'],
    [podWith({ args: 'x' }), pod.schema.schema, 'Pod',
      'json: cannot unmarshal string into Go struct field Container.spec.containers.args of type []string'],
    [{ metadata: { name: 5 } }, configMap.schema.schema, 'ConfigMap',
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string'],
    [{ metadata: { labels: [] } }, configMap.schema.schema, 'ConfigMap',
      'json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string'],
    [{ data: [] }, configMap.schema.schema, 'ConfigMap',
      'json: cannot unmarshal array into Go struct field ConfigMap.data of type map[string]string'],
    [{ spec: { replicas: 1.5 } }, deployment.schema.schema, 'Deployment',
      'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32'],
    [{ spec: { replicas: 3000000000 } }, deployment.schema.schema, 'Deployment',
      'json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32'],
    [{ spec: { replicas: '3' } }, deployment.schema.schema, 'Deployment',
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'],
    [{ spec: { paused: 'yes' } }, deployment.schema.schema, 'Deployment',
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool'],
    [{ spec: 'x' }, deployment.schema.schema, 'Deployment',
      'json: cannot unmarshal string into Go struct field Deployment.spec of type v1.DeploymentSpec'],
  ];
  for (const [value, schema, root, want] of cases) {
    const r = checkAgainstSchema(structuredClone(value), schema, root);
    assert.deepEqual(r.typeErrors, [want], JSON.stringify(value));
  }
});

test('schema check: int32 bounds are inclusive', () => {
  for (const replicas of [2147483647, -2147483648, 0]) {
    const r = checkAgainstSchema({ spec: { replicas } }, deployment.schema.schema, 'Deployment');
    assert.deepEqual(r.typeErrors, [], String(replicas));
  }
});

test('schema check: unknown fields are collected with their paths and pruned', () => {
  const obj: Record<string, unknown> = podWith({ foo: 1 }, { bar: { x: 1 } });
  obj.baz = 3;
  (obj.metadata as Record<string, unknown>).nope = true;
  const r = checkAgainstSchema(obj, pod.schema.schema, 'Pod');
  assert.deepEqual(r.typeErrors, []);
  assert.deepEqual(r.unknown.sort(), ['baz', 'metadata.nope', 'spec.bar', 'spec.containers[0].foo']);
  assert.deepEqual(obj, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
});

test('schema check: explicit nulls are dropped (Go leaves the field unset)', () => {
  const obj: Record<string, unknown> = {
    metadata: { name: 'a', labels: null, annotations: { x: 'y' } }, data: null, binaryData: null,
  };
  const r = checkAgainstSchema(obj, configMap.schema.schema, 'ConfigMap');
  assert.deepEqual(r, { unknown: [], typeErrors: [] });
  assert.deepEqual(obj, { metadata: { name: 'a', annotations: { x: 'y' } } });
  const p = podWith({ command: null, env: null });
  checkAgainstSchema(p, pod.schema.schema, 'Pod');
  assert.deepEqual(p.spec.containers[0], { name: 'c', image: 'nginx' });
});

test('schema check: quantities are canonicalized as Go serializes them', () => {
  const cases: [string | number, string][] = [
    ['1000m', '1'],
    ['500m', '500m'],
    ['0.5', '500m'],
    ['1024Mi', '1Gi'],
    ['100M', '100M'],
    [' 2 ', '2'],
    [1, '1'],
    [0.25, '250m'],
  ];
  for (const [input, want] of cases) {
    const p = podWith({ resources: { limits: { cpu: input } } });
    const r = checkAgainstSchema(p, pod.schema.schema, 'Pod');
    assert.deepEqual(r.typeErrors, [], String(input));
    assert.equal((p.spec.containers[0] as any).resources.limits.cpu, want, String(input));
  }
});

test('schema check: invalid quantities are decode errors with upstream\'s messages', () => {
  const cases: [string, string][] = [
    ['1x', QUANTITY_REGEX_ERROR],
    ['abc', QUANTITY_REGEX_ERROR],
    ['', QUANTITY_REGEX_ERROR],
    ['1ki', QUANTITY_SUFFIX_ERROR],
  ];
  for (const [input, want] of cases) {
    const r = checkAgainstSchema(podWith({ resources: { requests: { memory: input } } }), pod.schema.schema, 'Pod');
    assert.deepEqual(r.typeErrors, [want], input);
  }
  assert.equal(QUANTITY_REGEX_ERROR, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
});

test('schema check: x-kubernetes-preserve-unknown-fields keeps everything below it', () => {
  const schema: Schema = {
    type: 'object',
    properties: {
      spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      typed: { type: 'object', properties: { a: { type: 'string' } }, 'x-kubernetes-preserve-unknown-fields': true },
      strict: { type: 'object', properties: { a: { type: 'string' } } },
    },
  };
  const obj: Record<string, unknown> = {
    spec: { anything: { deep: [1, 'two'] }, n: 1 },
    typed: { a: 'x', extra: 1 },
    strict: { a: 'x', extra: 1 },
  };
  const r = checkAgainstSchema(obj, schema, 'Thing');
  assert.deepEqual(r.unknown, ['strict.extra']);
  assert.deepEqual(obj, { spec: { anything: { deep: [1, 'two'] }, n: 1 }, typed: { a: 'x', extra: 1 }, strict: { a: 'x' } });
  // Known properties under a preserving node are still type-checked.
  const bad = checkAgainstSchema({ typed: { a: 1 } }, schema, 'Thing');
  assert.deepEqual(bad.typeErrors, ['json: cannot unmarshal number into Go struct field Thing.typed.a of type string']);
});
