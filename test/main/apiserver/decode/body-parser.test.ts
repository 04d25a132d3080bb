import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBody } from '../../../../main/apiserver/decode/body-parser.js';
import { ApiError } from '../../../../main/apiserver/http/api-error.js';

const err = (code: number, reason: string, startsWith: string) => (e: unknown) =>
  e instanceof ApiError && e.code === code && e.reason === reason && e.message.startsWith(startsWith);

test('body parser: JSON media types, YAML and the empty type', () => {
  const json = Buffer.from('{"a":[1,{"b":null}]}');
  for (const t of ['', 'application/json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/json-patch+json'])
    assert.deepEqual(parseBody(json, t), { a: [1, { b: null }] }, t);
  const yaml = Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: "1"\n');
  for (const t of ['application/yaml', 'application/apply-patch+yaml'])
    assert.deepEqual(parseBody(yaml, t), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: '1' } }, t);
});

test('body parser: errors', () => {
  assert.throws(() => parseBody(Buffer.from('  '), 'application/json'), err(400, 'BadRequest', 'the body of the request was empty'));
  assert.throws(() => parseBody(Buffer.from('{'), 'application/json'), err(400, 'BadRequest', "couldn't get version/kind; json parse error: "));
  assert.throws(() => parseBody(Buffer.from('a: [1'), 'application/yaml'), err(400, 'BadRequest', 'error converting YAML to JSON: '));
  assert.throws(() => parseBody(Buffer.from('x'), 'text/plain'), err(415, 'UnsupportedMediaType',
    'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf'));
  assert.throws(() => parseBody(Buffer.from('nope'), 'application/vnd.kubernetes.protobuf'), err(400, 'BadRequest', 'the body of the request could not be decoded: '));
});
