import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch } from '../../../../main/apiserver/patch/merge-patch.js';
import { PatchError } from '../../../../main/apiserver/patch/errors.js';

test('merge patch: RFC 7386 cases', () => {
  const cases: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    [{ metadata: { labels: { a: '1', b: '2' } } }, { metadata: { labels: { b: null, c: '3' } } }, { metadata: { labels: { a: '1', c: '3' } } }],
  ];
  for (const [doc, patch, want] of cases) assert.deepEqual(applyMergePatch(doc, patch), want, JSON.stringify(patch));
});

test('merge patch: a null or scalar patch is a 400; the input is not mutated', () => {
  assert.throws(() => applyMergePatch({}, null), (e: unknown) => e instanceof PatchError && e.code === 400 && e.message === 'Invalid JSON Patch');
  assert.throws(() => applyMergePatch({}, 'x'), (e: unknown) => e instanceof PatchError && e.code === 400);
  const doc = { a: { b: 1 } };
  applyMergePatch(doc, { a: { b: 2 } });
  assert.deepEqual(doc, { a: { b: 1 } });
});
