import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonEqual, specPart } from '../../../../main/api/meta/json-equal.js';

test('jsonEqual: deep, key-order-insensitive, undefined values count as absent', () => {
  const cases: [unknown, unknown, boolean][] = [
    [1, 1, true],
    ['a', 'a', true],
    [null, null, true],
    [null, {}, false],
    [0, false, false],
    [{ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }, true],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [{ a: 1, b: 2 }, { a: 1 }, false],
    [{ a: 1, b: undefined }, { a: 1 }, true],
    [{ a: 1 }, { a: 1, b: undefined }, true],
    [{ a: undefined }, { b: undefined }, true],
    [{ a: 1, b: undefined }, { a: 1, c: 2 }, false],
    [[1, 2], [2, 1], false],
    [[1, 2], [1, 2, 3], false],
    [[], {}, false],
    [{}, [], false],
    [{ a: [{ x: 1 }] }, { a: [{ x: 2 }] }, false],
  ];
  for (const [a, b, want] of cases) assert.equal(jsonEqual(a, b), want, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
});

test('specPart leaves out metadata, status, apiVersion and kind', () => {
  assert.deepEqual(specPart({ apiVersion: 'v1', kind: 'X', metadata: {}, status: {}, spec: { a: 1 }, data: 2 }), { spec: { a: 1 }, data: 2 });
});
