import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeObject, parseFieldValidation, unknownFieldWarnings, type FieldValidation } from '../../../../main/apiserver/decode/object-decoder.js';
import { ApiError } from '../../../../main/apiserver/http/api-error.js';
import { descriptor } from '../../../helpers/apiserver-unit.js';

const pod = descriptor('', 'v1', 'pods');
const configMap = descriptor('', 'v1', 'configmaps');
const deployment = descriptor('apps', 'v1', 'deployments');

const badRequest = (message: string) => (e: unknown) =>
  e instanceof ApiError && e.code === 400 && e.reason === 'BadRequest' && e.message === message;

const withUnknown = () => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image: 'nginx', imagePullPolicyy: 'Always' }], foo: 1 },
});

test('object decoder: fieldValidation parameter', () => {
  const cases: [string | null, FieldValidation][] = [[null, 'Warn'], ['', 'Warn'], ['Strict', 'Strict'], ['Warn', 'Warn'], ['Ignore', 'Ignore']];
  for (const [v, want] of cases) assert.equal(parseFieldValidation(v), want);
  assert.throws(() => parseFieldValidation('strict'), badRequest('fieldValidation must be one of "Ignore", "Warn", or "Strict", got "strict"'));
});

test('object decoder: unknown fields under Strict are a 400 listing every field', () => {
  assert.throws(() => decodeObject(pod, withUnknown(), 'Strict', []), badRequest(
    'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagePullPolicyy", unknown field "spec.foo"',
  ));
});

test('object decoder: unknown fields under Warn become warnings and are dropped', () => {
  const warnings: string[] = [];
  const obj = decodeObject(pod, withUnknown(), 'Warn', warnings);
  assert.deepEqual(warnings, ['unknown field "spec.containers[0].imagePullPolicyy"', 'unknown field "spec.foo"']);
  assert.deepEqual(obj.spec, { containers: [{ name: 'c', image: 'nginx' }] });
  assert.deepEqual(unknownFieldWarnings(['a.b']), ['unknown field "a.b"']);
});

test('object decoder: unknown fields under Ignore are silently dropped', () => {
  const warnings: string[] = [];
  const obj = decodeObject(pod, withUnknown(), 'Ignore', warnings);
  assert.deepEqual(warnings, []);
  assert.deepEqual(obj.spec, { containers: [{ name: 'c', image: 'nginx' }] });
});

test('object decoder: type errors are 400 in every validation mode', () => {
  for (const mode of ['Strict', 'Warn', 'Ignore'] as const) {
    assert.throws(() => decodeObject(deployment, { metadata: { name: 'd' }, spec: { replicas: 'three' } }, mode, []), badRequest(
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    ));
  }
});

test('object decoder: invalid quantities are 400 with upstream\'s message', () => {
  const p = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '1 core' } } }] } };
  assert.throws(() => decodeObject(pod, p, 'Strict', []), badRequest(
    `Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
  ));
});

test('object decoder: apiVersion and kind must match the endpoint', () => {
  assert.throws(() => decodeObject(configMap, { apiVersion: 'v2', kind: 'ConfigMap', metadata: { name: 'a' } }, 'Strict', []),
    badRequest('the API version in the data (v2) does not match the expected API version (v1)'));
  assert.throws(() => decodeObject(configMap, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'a' } }, 'Strict', []),
    badRequest('the kind in the data (Secret) does not match the expected kind (ConfigMap)'));
  assert.throws(() => decodeObject(deployment, { apiVersion: 'v1', kind: 'Deployment', metadata: { name: 'a' } }, 'Strict', []),
    badRequest('the API version in the data (v1) does not match the expected API version (apps/v1)'));
  // Missing apiVersion/kind are filled in later by storage.
  const obj = decodeObject(configMap, { metadata: { name: 'a' } }, 'Strict', []);
  assert.deepEqual(obj, { metadata: { name: 'a' } });
});

test('object decoder: non-objects and missing metadata', () => {
  assert.throws(() => decodeObject(configMap, [1], 'Strict', []),
    badRequest('ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal array into Go value of type struct'));
  assert.throws(() => decodeObject(configMap, 'x', 'Strict', []),
    badRequest('ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal string into Go value of type struct'));
  assert.deepEqual(decodeObject(configMap, { data: { a: 'b' } }, 'Strict', []), { data: { a: 'b' }, metadata: {} });
});

test('object decoder: nulls are dropped and quantities canonicalized on the way in', () => {
  const obj = decodeObject(pod, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: null },
    spec: { nodeSelector: null, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '1000m', memory: '2048Mi' } } }] },
  }, 'Strict', []);
  assert.deepEqual(obj, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
    spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '1', memory: '2Gi' } } }] },
  });
});
