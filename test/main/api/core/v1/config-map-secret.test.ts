import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configmaps, type ConfigMap } from '../../../../../main/api/core/v1/config-map.js';
import { secrets, type Secret } from '../../../../../main/api/core/v1/secret.js';
import { errorLine } from '../../../../../main/api/meta/field-errors.js';

const cm = (extra: Partial<ConfigMap>): ConfigMap => ({ metadata: { name: 'c', namespace: 'default' }, ...extra });
const sec = (extra: Partial<Secret>): Secret => ({ metadata: { name: 's', namespace: 'default' }, ...extra });

test('immutable configmaps reject content changes and unsetting immutable', () => {
  const old = cm({ immutable: true, data: { a: '1' } });
  assert.deepEqual(configmaps.strategy!.validateUpdate!(cm({ data: { a: '2' } }), old).map(errorLine), [
    'immutable: Forbidden: field is immutable when `immutable` is set',
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
  assert.deepEqual(configmaps.strategy!.validateUpdate!(cm({ immutable: true, data: { a: '1' } }), old), []);
});

test('configmap payload is capped at 1 MiB', () => {
  const big = cm({ data: { a: 'x'.repeat(1024 * 1024), b: 'y' } });
  assert.deepEqual(configmaps.strategy!.validate!(big).map((e) => `${e.field}|${e.type}`), ['[]|FieldValueTooLong']);
});

test('secret type is immutable; immutable secrets keep their data', () => {
  const old = sec({ type: 'Opaque', immutable: true, data: { a: 'eA==' } });
  const next = sec({ type: 'kubernetes.io/tls', immutable: true, data: { 'tls.crt': 'eA==', 'tls.key': 'eA==' } });
  assert.deepEqual(secrets.strategy!.validateUpdate!(next, old).map(errorLine), [
    'type: Invalid value: "kubernetes.io/tls": field is immutable',
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
});

test('secret payload is capped at 1 MiB of decoded bytes', () => {
  const b64 = 'A'.repeat(((1024 * 1024 + 3) / 3) * 4);
  assert.deepEqual(secrets.strategy!.validate!(sec({ type: 'Opaque', data: { a: b64 } })).map((e) => `${e.field}|${e.type}`), [
    'data|FieldValueTooLong',
  ]);
});

test('stringData is folded into data (UTF-8, base64) and dropped', () => {
  const s = sec({ stringData: { note: 'héllo' } });
  secrets.defaults!(s);
  assert.deepEqual(s, { metadata: { name: 's', namespace: 'default' }, type: 'Opaque', data: { note: 'aMOpbGxv' } });
  assert.equal(secrets.fieldSelectors!.type!(s), 'Opaque');
});
