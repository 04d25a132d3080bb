import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findDuplicateFields } from '../../../../main/apiserver/decode/duplicate-fields.js';
import { decodeObject } from '../../../../main/apiserver/decode/object-decoder.js';
import { ApiError } from '../../../../main/apiserver/http/api-error.js';
import { builtinResources } from '../../../../main/api/registry.js';

test('finds repeated keys with unknown-field style paths', () => {
  const cases: [string, string[]][] = [
    ['{"a":1,"b":2}', []],
    ['{"a":1,"a":2}', ['a']],
    ['{"metadata":{"name":"x","name":"y"}}', ['metadata.name']],
    ['{"spec":{"containers":[{"name":"a"},{"name":"b","image":"i","image":"j"}]}}', ['spec.containers[1].image']],
    ['{"a":{"x":1},"b":{"x":1}}', []],
    ['{"s":"has \\"quotes\\" and {braces}","s":"again"}', ['s']],
    ['{"k\\u0041":1,"kA":2}', ['kA']],
    ['[{"a":1},{"a":1}]', []],
    ['{"a": [1, 2, {"b": 1, "b": 2}]}', ['a[2].b']],
    ['{"broken": "unterminated', []],
  ];
  for (const [text, want] of cases) {
    assert.deepEqual(findDuplicateFields(text), want, text);
    // With the parsed value beside it, the key-count pre-check must reach the same answer.
    let parsed: unknown;
    try { parsed = JSON.parse(text); } catch { continue; }
    assert.deepEqual(findDuplicateFields(text, parsed), want, `${text} (parsed given)`);
  }
});

test('the key-count pre-check is not fooled by colons or quotes inside strings', () => {
  const texts = [
    JSON.stringify({ a: 'x\\":y', b: 'k\\', c: '":', d: { '\\"': 1 } }),
    '{ "a" : { "b" : [ "c:" , { "d" :1 } ] } , "e":"\\"f\\":" }',
    '{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}',
  ];
  for (const text of texts) assert.deepEqual(findDuplicateFields(text, JSON.parse(text)), [], text);
  const repeated = '{"a":"x:","b":{"c":1,"c":2}}';
  assert.deepEqual(findDuplicateFields(repeated, JSON.parse(repeated)), ['b.c']);
});

test('duplicates are reported like unknown fields: Strict rejects, Warn warns', () => {
  const configmaps = builtinResources.find((d) => d.group === '' && d.plural === 'configmaps')!;
  const obj = () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } });
  assert.throws(
    () => decodeObject(configmaps, obj(), 'Strict', [], ['metadata.name']),
    (e: unknown) => e instanceof ApiError && e.code === 400 &&
      e.message === 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "metadata.name"',
  );
  const warnings: string[] = [];
  decodeObject(configmaps, obj(), 'Warn', warnings, ['metadata.name']);
  assert.deepEqual(warnings, ['duplicate field "metadata.name"']);
  const none: string[] = [];
  decodeObject(configmaps, obj(), 'Ignore', none, []);
  assert.deepEqual(none, []);
});
